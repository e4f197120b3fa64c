use crate::catalog::query::ListingQuery;
use leptos::prelude::*;

/// Previous / numbered / next links; real links, so they work without JavaScript and crawl.
#[component]
pub fn Pagination(query: ListingQuery, page_count: u32, #[prop(into)] path: String) -> impl IntoView {
    let current = query.page.min(page_count.max(1));
    (page_count > 1).then(|| {
        let link = |page: u32| query.href_for_page(&path, page);
        let window: Vec<u32> = (1..=page_count)
            .filter(|&p| p == 1 || p == page_count || p.abs_diff(current) <= 2)
            .collect();
        let mut items = Vec::new();
        let mut previous = 0;
        for page in window {
            if page > previous + 1 {
                items.push(view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any());
            }
            items.push(if page == current {
                view! { <li><span class="page current" aria-current="page">{page}</span></li> }.into_any()
            } else {
                view! {
                    <li><a class="page" href=link(page) aria-label=format!("Page {page}")>{page}</a></li>
                }
                .into_any()
            });
            previous = page;
        }
        view! {
            <nav class="pagination" aria-label="Pages">
                <ul>
                    {(current > 1).then(|| view! {
                        <li><a class="page" rel="prev" href=link(current - 1)>"Previous"</a></li>
                    })}
                    {items}
                    {(current < page_count).then(|| view! {
                        <li><a class="page" rel="next" href=link(current + 1)>"Next"</a></li>
                    })}
                </ul>
            </nav>
        }
    })
}
