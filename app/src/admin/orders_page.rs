//! `/admin/orders`: every order, found by number, email or shop, status and days; each opens
//! the order's own page (which admins may read).

use super::api;
use super::model::OrderList;
use crate::orders::status::OrderStatus;
use crate::text::encode_component;
use crate::ui::{AdminFrame, page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AllOrdersPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let page = get("page").parse().unwrap_or(1);
    page_body(
        api::all_orders(get("search"), get("status"), get("from"), get("to"), page),
        |orders: OrderList| {
            let base = format!(
                "/admin/orders?search={}&status={}&from={}&to={}",
                encode_component(&orders.search),
                orders.status,
                orders.from,
                orders.to
            );
            let statuses = OrderStatus::ALL
                .map(|s| view! { <option value=s.as_str() selected=orders.status == s.as_str()>{s.label()}</option> })
                .collect_view();
            let rows = orders
                .rows
                .iter()
                .map(|o| {
                    view! {
                        <tr>
                            <td><a href=format!("/admin/orders/{}", o.number)>{format!("#{}", o.number)}</a></td>
                            <td>{o.placed.clone()}</td>
                            <td>{o.email.clone()}</td>
                            <td>{o.shops.clone()}</td>
                            <td class="amount">{o.total.to_string()}</td>
                            <td><span class="badge">{o.status.clone()}</span></td>
                        </tr>
                    }
                })
                .collect_view();
            let count = crate::text::counted(orders.total.max(0) as u64, "order", "orders");
            view! {
                <AdminFrame title="Orders">
                    <form method="get" class="row-form order-filters" role="search" aria-label="Orders">
                        <label>"Number, email or shop " <input type="search" name="search" value=orders.search.clone() maxlength="100"/></label>
                        <label>"Status " <select name="status"><option value="">"Any status"</option>{statuses}</select></label>
                        <label>"From " <input type="date" name="from" value=orders.from.clone()/></label>
                        <label>"To " <input type="date" name="to" value=orders.to.clone()/></label>
                        <button type="submit">"Search"</button>
                    </form>
                    <p class="muted" role="status">{count}</p>
                    {if orders.rows.is_empty() {
                        view! { <p class="muted">"No order matches."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="data-table">
                                    <caption class="visually-hidden">"Orders"</caption>
                                    <thead><tr><th>"Order"</th><th>"Placed"</th><th>"Customer"</th><th>"Shops"</th><th>"Total"</th><th>"Status"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    {pager(orders.page, orders.pages, &|p| format!("{base}&page={p}"))}
                </AdminFrame>
            }
        },
    )
}
