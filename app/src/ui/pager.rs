//! "Previous · Page 2 of 7 · Next" for the portal's and the console's tables: real links, so
//! they work without JavaScript.

use leptos::prelude::*;

/// The pager of page `page` of `pages`; `link(n)` is the address of page `n` (keeping the
/// list's other parameters). Nothing when everything fits on one page.
pub fn pager(page: u32, pages: u32, link: &dyn Fn(u32) -> String) -> impl IntoView + use<> {
    let prev = (pages > 1 && page > 1).then(|| link(page - 1));
    let next = (pages > 1 && page < pages).then(|| link(page + 1));
    (pages > 1).then(move || {
        let prev = prev.map(|href| view! { <a rel="prev" href=href>"Previous"</a> });
        let next = next.map(|href| view! { <a rel="next" href=href>"Next"</a> });
        view! {
            <nav class="pagination pager" aria-label="Pages">
                {prev} " " <span>{format!("Page {page} of {pages}")}</span> " " {next}
            </nav>
        }
    })
}

/// Whether the page at `here` is the menu entry `path` of the area at `base`: the area's
/// home only itself, the other entries with every page beneath them (a product of Products).
pub fn is_current(here: &str, base: &str, path: &str) -> bool {
    let here = here.trim_end_matches('/');
    let Some(rest) = here.strip_prefix(base) else {
        return false;
    };
    if path.is_empty() {
        rest.is_empty()
    } else {
        rest == path || rest.starts_with(&format!("{path}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn an_entry_is_current_on_its_pages_and_the_home_only_on_itself() {
        assert!(is_current("/admin", "/admin", ""));
        assert!(!is_current("/admin/users", "/admin", ""));
        assert!(is_current("/admin/users/0193", "/admin", "/users"));
        assert!(is_current("/admin/users/", "/admin", "/users"));
        assert!(!is_current("/admin/users-extra", "/admin", "/users"));
        assert!(!is_current("/vendor/mugs/orders", "/admin", "/orders"));
        let base = "/vendor/river";
        assert!(is_current("/vendor/river", base, ""));
        assert!(is_current("/vendor/river/", base, ""));
        assert!(!is_current("/vendor/river/products", base, ""));
        assert!(is_current("/vendor/river/products/42", base, "/products"));
        assert!(!is_current("/vendor/river/products-old", base, "/products"));
        assert!(!is_current("/vendor/rivers/products", base, "/products"));
    }
}
