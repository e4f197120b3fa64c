//! The frame of every storefront page: header with menu and search, main, footer.

use super::icons::CartIcon;
use crate::catalog::api::get_site_info;
use crate::search::SearchBox;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let search_text = use_query_map().read_untracked().get("q").unwrap_or_default();
    // Rendered on the server only (not an island): plain futures, no resources.
    let brand = Suspend::new(async move {
        let name = get_site_info()
            .await
            .map(|i| i.name)
            .unwrap_or_else(|_| "Marketplace".into());
        let title_name = name.clone();
        view! {
            <Title formatter=move |text: String| page_title(&text, &title_name)/>
            <a class="logo" href="/">{name}</a>
        }
    });
    // The menu is the same on every page: rendered once per category-tree load.
    let menu = Suspend::new(async move {
        let html = get_site_info().await.map(|i| i.menu_html).unwrap_or_default();
        view! { <div class="menu-slot" inner_html=html></div> }
    });
    // The cart badge: one indexed sum, and none at all for visitors without a cart.
    let cart = Suspend::new(async move {
        let count = crate::cart::api::cart_count().await.unwrap_or(0);
        let label = match count {
            0 => "Cart, empty".to_string(),
            1 => "Cart, 1 item".to_string(),
            n => format!("Cart, {n} items"),
        };
        view! {
            <a class="cart-link" href="/cart" aria-label=label>
                <CartIcon/>
                <span class="header-label">"Cart"</span>
                {(count > 0).then(|| view! { <span class="cart-badge" aria-hidden="true">{count}</span> })}
            </a>
        }
    });
    let ribbon = Suspend::new(async move {
        get_site_info().await.is_ok_and(|info| info.demo).then(|| {
            view! {
                <p class="demo-ribbon" role="note">
                    <strong>"Demo marketplace"</strong>
                    " · sample shops and accounts, simulated payments"
                </p>
            }
        })
    });
    // During checkout the header keeps only the logo and the way back to the cart: nothing
    // leads away from paying by accident (the same after a navigation in the browser).
    let path = use_location().pathname;
    let checkout = move || path.with(|p| p.starts_with("/checkout"));
    // The vendor portal and the admin area are workplaces: no storefront search or departments.
    let portal = move || path.with(|p| p.starts_with("/vendor/") || p.starts_with("/admin"));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Suspense fallback=|| ()>{ribbon}</Suspense>
        // Logo, search, account, cart: the same order on screen and for the keyboard; the
        // category menu follows on its own row.
        <header class="site-header" class:checkout-header=checkout class:portal-header=portal>
            <div class="header-bar">
                <Suspense fallback=|| view! { <a class="logo" href="/">"Marketplace"</a> }>{brand}</Suspense>
                <SearchBox initial=search_text/>
                <nav class="account-links" aria-label="Your account">
                    {crate::portal::account_links(crate::accounts::signed_in_user().as_deref())}
                    <Suspense fallback=|| view! {
                        <a class="cart-link" href="/cart"><CartIcon/><span class="header-label">"Cart"</span></a>
                    }>{cart}</Suspense>
                </nav>
                <p class="checkout-only secure-note">
                    "Secure checkout · "
                    <a href="/cart">"Back to cart"</a>
                </p>
            </div>
            <Suspense fallback=|| ()>{menu}</Suspense>
        </header>
        <main id="main" class="page">{children()}</main>
        <footer class="site-footer">
            <p>"Independent shops, one checkout."</p>
            <nav aria-label="Footer">
                <a href="/">"Home"</a>
                <a href="/vendor">"Sell with us"</a>
                <a href="/sitemap.xml">"Sitemap"</a>
            </nav>
        </footer>
    }
}

/// The text of `<title>`: the page's title, then the shop's name.
///
/// Every `<Title>` of the app passes through this (it is the formatter the layout sets, and no
/// page sets its own). On the server the result is escaped here, because leptos_meta 0.8
/// writes the title into the head as raw text (docs/SECURITY.md); in the browser the same text
/// becomes `document.title`, which is never parsed as markup.
pub fn page_title(text: &str, shop: &str) -> String {
    let title = if text.is_empty() {
        shop.to_string()
    } else {
        format!("{text} · {shop}")
    };
    if cfg!(feature = "ssr") {
        crate::text::escape_html(&title)
    } else {
        title
    }
}
