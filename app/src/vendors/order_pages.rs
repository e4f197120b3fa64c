//! `/vendor/:vendor/orders`: the shop's orders as a table (number, date, customer, items,
//! total, status), searched by number, name or email and filtered by status and days, with
//! several marked shipped at once. Each order's own page is `order_detail_page`.

use super::api;
use super::model::{ShopOrder, ShopOrders};
use super::portal_pages::{PortalFrame, shop_param};
use crate::error::{AppError, AppResult, Problems};
use crate::orders::api as orders;
use crate::orders::status::VendorOrderStatus;
use crate::text::encode_component;
use crate::ui::form::input_id;
use crate::ui::{FormAction, FormError, FormState, Keyed, Notice, act, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::Deserialize;

/// The list's one form: the orders ticked (`ship.{id}`), each with its tracking number
/// (`tracking.{id}`), sent with one carrier.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ListAction {
    Ship {
        carrier: String,
        #[serde(rename = "ship.")]
        chosen: Keyed<bool>,
        #[serde(rename = "tracking.")]
        tracking: Keyed<String>,
    },
}

/// The list's filters, as the query string carries them.
#[derive(Clone)]
struct Filters {
    status: String,
    search: String,
    from: String,
    to: String,
    page: u32,
}

impl Filters {
    fn of_query() -> Self {
        let query = use_query_map().read_untracked().clone();
        let text = |name: &str| query.get(name).unwrap_or_default();
        Self {
            status: text("filter"),
            search: text("q"),
            from: text("from"),
            to: text("to"),
            page: text("page").parse().unwrap_or(1),
        }
    }

    /// The list at `base` with these filters on page `page`.
    fn link(&self, base: &str, page: u32) -> String {
        format!(
            "{base}?filter={}&q={}&from={}&to={}&page={page}",
            self.status,
            encode_component(&self.search),
            encode_component(&self.from),
            encode_component(&self.to)
        )
    }
}

/// Ships every ticked order with its tracking number; every missing number is reported at
/// once, before anything is shipped.
async fn ship_chosen(carrier: String, chosen: Keyed<bool>, tracking: Keyed<String>) -> AppResult<usize> {
    let ids: Vec<String> = chosen
        .0
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(id, _)| id)
        .collect();
    if ids.is_empty() {
        return Err(AppError::invalid("carrier", "Tick the orders to mark shipped."));
    }
    let mut problems = Problems::default();
    if carrier.trim().is_empty() {
        problems.add("carrier", "Name the carrier.");
    }
    let number_of = |id: &str| {
        tracking
            .0
            .iter()
            .find(|(key, _)| key == id)
            .map(|(_, number)| number.trim().to_string())
            .unwrap_or_default()
    };
    for id in &ids {
        if number_of(id).is_empty() {
            problems.add(format!("tracking.{id}"), "Give this order's tracking number.");
        }
    }
    problems.finish()?;
    for id in &ids {
        orders::ship_vendor_order(id.clone(), carrier.clone(), number_of(id))
            .await
            .map_err(|e| match e.for_field("tracking_number") {
                Some(message) => AppError::invalid(format!("tracking.{id}"), message),
                None => e,
            })?;
    }
    Ok(ids.len())
}

#[component]
pub fn VendorOrdersPage() -> impl IntoView {
    let vendor = shop_param();
    let filters = Filters::of_query();
    page_body(
        async move {
            let f = filters.clone();
            let list =
                api::list_shop_orders(vendor.clone(), f.status, f.page, f.search, f.from, f.to).await?;
            let here = filters.link(&format!("/vendor/{vendor}/orders"), list.page);
            let state = act(|action: ListAction| async move {
                let ListAction::Ship {
                    carrier,
                    chosen,
                    tracking,
                } = action;
                ship_chosen(carrier, chosen, tracking).await?;
                Ok(Notice::BulkShipped.on(&here))
            })
            .await;
            AppResult::Ok((list, filters, state))
        },
        |(list, filters, state): (ShopOrders, Filters, FormState)| view! { <OrdersList list filters state/> },
    )
}

#[component]
fn OrdersList(list: ShopOrders, filters: Filters, state: FormState) -> impl IntoView {
    let base = format!("/vendor/{}/orders", list.membership.vendor_slug);
    // A suspended or rejected shop's orders are read-only: no forms.
    let editable = list.membership.can_edit();
    let shippable = editable
        && list
            .orders
            .iter()
            .any(|o| o.status == VendorOrderStatus::AwaitingFulfilment);
    let tabs = [
        ("to-ship", "To ship"),
        ("shipped", "Shipped"),
        ("done", "Delivered or cancelled"),
        ("all", "All"),
    ]
    .map(|(f, label)| {
        let current = (f == list.filter).then_some("page");
        let link = Filters {
            status: f.into(),
            ..filters.clone()
        }
        .link(&base, 1);
        view! { <a href=link aria-current=current>{label}</a> }
    })
    .collect_view();
    let empty = list.orders.is_empty();
    let rows = list
        .orders
        .iter()
        .map(|o| view! { <OrderRow order=o.clone() base=base.clone() editable state=state.clone()/> })
        .collect_view();
    let pages = crate::ui::pager(list.page, list.pages, &|p| filters.link(&base, p));
    view! {
        <PortalFrame membership=list.membership.clone() title="Orders">
            <nav class="tabs" aria-label="Filter orders">{tabs}</nav>
            <form method="get" class="row-form order-filters" role="search" aria-label="Orders">
                <input type="hidden" name="filter" value=list.filter.clone()/>
                <label>"Order number, name or email " <input type="search" name="q" value=list.search.clone() maxlength="100"/></label>
                <label>"From " <input type="date" name="from" value=list.from.clone()/></label>
                <label>"To " <input type="date" name="to" value=list.to.clone()/></label>
                <button type="submit" class="secondary">"Search"</button>
            </form>
            {empty.then(|| view! { <p class="empty-state">"No orders match. Try another status, search or days."</p> })}
            {(!empty).then(|| view! {
            <form method="post">
                <FormAction name="ship"/>
                <FormError form="ship" state=state.clone()/>
                <div class="table-scroll">
                    <table class="data-table orders-list">
                        <thead><tr>
                            <th scope="col"><span class="visually-hidden">"Choose"</span></th>
                            <th scope="col">"Order"</th><th scope="col">"Date"</th><th scope="col">"Customer"</th>
                            <th scope="col">"Items"</th><th scope="col" class="amount">"Total"</th><th scope="col">"Status"</th>
                            {shippable.then(|| view! { <th scope="col">"Tracking number"</th> })}
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {shippable.then(|| view! {
                    <div class="save-bar">
                        <label>"Carrier for the ticked orders " <input id=input_id("ship", "carrier") name="carrier" maxlength="60"/></label>
                        {state.field_error("ship", "carrier").map(|e| view! { <span class="field-error">{e}</span> })}
                        <button type="submit">"Mark ticked orders shipped"</button>
                    </div>
                })}
            </form>
            })}
            {pages}
        </PortalFrame>
    }
}

#[component]
fn OrderRow(order: ShopOrder, base: String, editable: bool, state: FormState) -> impl IntoView {
    let waiting = editable && order.status == VendorOrderStatus::AwaitingFulfilment;
    let tick = format!("ship.{}", order.id);
    let field = format!("tracking.{}", order.id);
    let problem = state.field_error("ship", &field);
    let entered = state.value("ship", &field);
    let ticked = !state.value("ship", &tick).is_empty();
    let items: i32 = order.items.iter().map(|i| i.quantity - i.cancelled).sum();
    let label = format!("Order #{}", order.number);
    view! {
        <tr>
            <td>{waiting.then(|| view! {
                <input type="checkbox" name=tick.clone() checked=ticked aria-label=format!("Choose order #{}", order.number)/>
            })}</td>
            <td><a href=format!("{base}/{}", order.number)>"#" {order.number}</a></td>
            <td>{order.placed.clone()}</td>
            <td>{order.customer.clone()}</td>
            <td>{items}</td>
            <td class="amount">{order.total.to_string()}</td>
            <td><span class="badge">{order.status.label()}</span></td>
            {waiting.then(|| view! {
                <td>
                    <input id=input_id("ship", &field) name=field.clone() value=entered maxlength="80" size="14"
                        aria-label=format!("Tracking number of {label}") aria-invalid=problem.is_some().then_some("true")/>
                    {problem.map(|e| view! { <span class="field-error">{e}</span> })}
                </td>
            })}
        </tr>
    }
}
