//! `/admin/products`: every product of every shop, by title, handle or SKU, shop, category,
//! status and open reports, fifty to a page.

use super::api;
use super::model::{ModeratedList, StatusFilter};
use crate::text::encode_component;
use crate::ui::{AdminFrame, TableScroll, page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ModeratedProductsPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let page = get("page").parse().unwrap_or(1);
    let reported = !get("reported").is_empty();
    page_body(
        api::moderated_products(
            get("q"),
            get("shop"),
            get("category"),
            get("status"),
            reported,
            page,
        ),
        |list: ModeratedList| view! { <Products list/> },
    )
}

#[component]
fn Products(list: ModeratedList) -> impl IntoView {
    let base = format!(
        "/admin/products?q={}&shop={}&category={}&status={}{}",
        encode_component(&list.q),
        encode_component(&list.shop),
        list.category,
        list.status.key(),
        if list.reported { "&reported=1" } else { "" }
    );
    let statuses = StatusFilter::ALL
        .map(|(f, key, label)| view! { <option value=key selected=f == list.status>{label}</option> })
        .collect_view();
    let categories = list
        .categories
        .iter()
        .map(|(slug, label)| view! { <option value=slug.clone() selected=*slug == list.category>{label.clone()}</option> })
        .collect_view();
    let rows = list
        .rows
        .iter()
        .map(|p| {
            let reports = (p.open_reports > 0).then(|| {
                let text = crate::text::counted(p.open_reports as u64, "open report", "open reports");
                view! { " " <span class="badge low-badge">{text}</span> }
            });
            view! {
                <tr>
                    <td><a href=format!("/admin/products/{}", p.id)>{p.title.clone()}</a>{reports}</td>
                    <td>{p.shop.clone()}</td>
                    <td>{p.category.clone()}</td>
                    <td><span class="badge">{status_label(&p.status)}</span></td>
                    <td class="amount">{p.price.clone()}</td>
                    <td>{if p.in_stock { "In stock" } else { "Out of stock" }}</td>
                    <td>{p.created.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let count = crate::text::counted(list.total.max(0) as u64, "product", "products");
    view! {
        <AdminFrame title="Products">
            <form method="get" class="row-form" role="search" aria-label="Products">
                <label>"Title, handle or SKU " <input type="search" name="q" value=list.q.clone() maxlength="100"/></label>
                <label>"Shop " <input type="search" name="shop" value=list.shop.clone() maxlength="100"/></label>
                <label>"Category " <select name="category"><option value="">"Any category"</option>{categories}</select></label>
                <label>"Status " <select name="status">{statuses}</select></label>
                <label class="check"><input type="checkbox" name="reported" value="1" checked=list.reported/> " With open reports"</label>
                <button type="submit">"Search"</button>
            </form>
            <p class="muted" role="status">{count}</p>
            {if list.rows.is_empty() {
                view! { <p class="muted">"No product matches. Try part of a title, any shop or any status."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Products"><table class="data-table">
                        <thead><tr><th>"Product"</th><th>"Shop"</th><th>"Category"</th><th>"Status"</th><th>"Price"</th><th>"Stock"</th><th>"Created"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></TableScroll>
                }.into_any()
            }}
            {pager(list.page, list.pages, &|p| format!("{base}&page={p}"))}
        </AdminFrame>
    }
}

/// A product's status in the console's words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "draft" => "Draft",
        "active" => "Active",
        "archived" => "Archived",
        "hidden" => "Hidden by an operator",
        _ => "Unknown",
    }
}
