//! `/vendor/:vendor/orders`: the shop's parts of orders; ship with tracking, mark delivered,
//! cancel what has not shipped, refund (owners).

use super::api;
use super::model::{ShopOrder, ShopOrders};
use super::portal_pages::{PortalFrame, shop_param};
use crate::accounts::model::VendorRole;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders::api as orders;
use crate::orders::model::CancelLine;
use crate::orders::status::VendorOrderStatus;
use crate::ui::{Confirm, FormAction, FormState, Keyed, Notice, act, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::Deserialize;

/// The forms of a shop's part of an order. Items are counted per item id: `cancel-{id}` units
/// to cancel, `restock-{id}` units back in stock with a refund.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PartAction {
    Ship {
        vendor_order_id: String,
        carrier: String,
        tracking_number: String,
    },
    Deliver {
        vendor_order_id: String,
    },
    Cancel {
        vendor_order_id: String,
        reason: String,
    },
    CancelLines {
        vendor_order_id: String,
        #[serde(rename = "cancel-")]
        lines: Keyed<String>,
        reason: String,
        key: String,
    },
    Refund {
        vendor_order_id: String,
        /// In major units, as typed ("12.50"); parsed in the shop's currency.
        amount: String,
        #[serde(rename = "restock-")]
        restock: Keyed<String>,
        reason: String,
        key: String,
    },
}

impl PartAction {
    fn vendor_order_id(&self) -> &str {
        match self {
            Self::Ship { vendor_order_id, .. }
            | Self::Deliver { vendor_order_id }
            | Self::Cancel { vendor_order_id, .. }
            | Self::CancelLines { vendor_order_id, .. }
            | Self::Refund { vendor_order_id, .. } => vendor_order_id,
        }
    }
}

#[component]
pub fn VendorOrdersPage() -> impl IntoView {
    let vendor = shop_param();
    let query = use_query_map().read_untracked().clone();
    let filter = query.get("filter").unwrap_or_default();
    let page = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    page_body(
        async move {
            let list = api::list_shop_orders(vendor.clone(), filter.clone(), page).await?;
            let currency = list.orders.first().map(|o| o.total.currency).unwrap_or_default();
            let here = format!("/vendor/{vendor}/orders?filter={}&page={page}", list.filter);
            let numbers: Vec<(String, i64)> = list.orders.iter().map(|o| (o.id.clone(), o.number)).collect();
            let state = act(|action: PartAction| async move {
                let number = numbers
                    .iter()
                    .find(|(id, _)| id == action.vendor_order_id())
                    .map(|(_, number)| *number);
                let notice = match action {
                    PartAction::Ship {
                        vendor_order_id,
                        carrier,
                        tracking_number,
                    } => {
                        orders::ship_vendor_order(vendor_order_id, carrier, tracking_number).await?;
                        Notice::Shipped
                    }
                    PartAction::Deliver { vendor_order_id } => {
                        orders::deliver_vendor_order(vendor_order_id).await?;
                        Notice::Delivered
                    }
                    PartAction::Cancel {
                        vendor_order_id,
                        reason,
                    } => {
                        orders::cancel_vendor_order(vendor_order_id, reason).await?;
                        Notice::PartCancelled
                    }
                    PartAction::CancelLines {
                        vendor_order_id,
                        lines,
                        reason,
                        key,
                    } => {
                        let lines = units(lines, "lines")?;
                        orders::cancel_order_lines(vendor_order_id, lines, reason, key).await?;
                        Notice::ItemsCancelled
                    }
                    PartAction::Refund {
                        vendor_order_id,
                        amount,
                        restock,
                        reason,
                        key,
                    } => {
                        let amount = Money::parse_major(&amount, currency)
                            .filter(|m| m.minor > 0)
                            .ok_or_else(|| AppError::invalid("amount", "Give an amount like 12.50."))?;
                        let restock = units(restock, "restock")?;
                        orders::refund_vendor_order(vendor_order_id, amount.minor, restock, reason, key)
                            .await?;
                        Notice::Refunded
                    }
                };
                Ok(match number {
                    Some(number) => notice.on_order(&here, number),
                    None => notice.on(&here),
                })
            })
            .await;
            AppResult::Ok((list, state))
        },
        |(list, state): (ShopOrders, FormState)| {
            let base = format!("/vendor/{}/orders", list.membership.vendor_slug);
            // A suspended or rejected shop's orders are read-only: no forms.
            let editable = list.membership.can_edit();
            let owner = list.membership.role == VendorRole::Owner;
            let tabs = [
                ("to-ship", "To ship"),
                ("shipped", "Shipped"),
                ("done", "Delivered or cancelled"),
                ("all", "All"),
            ]
            .map(|(f, label)| {
                let current = (f == list.filter).then_some("page");
                view! { <a href=format!("{base}?filter={f}") aria-current=current>{label}</a> }
            })
            .collect_view();
            let empty = list.orders.is_empty();
            let orders = list
                .orders
                .iter()
                .cloned()
                .map(|o| view! { <PartCard part=o owner editable state=state.clone()/> })
                .collect_view();
            let pages = (list.pages > 1).then(|| {
                let prev = (list.page > 1).then(|| view! { <a rel="prev" href=format!("{base}?filter={}&page={}", list.filter, list.page - 1)>"Newer"</a> });
                let next = (list.page < list.pages).then(|| view! { <a rel="next" href=format!("{base}?filter={}&page={}", list.filter, list.page + 1)>"Older"</a> });
                view! { <nav class="pagination pager" aria-label="Pages">{prev} " " <span>{format!("Page {} of {}", list.page, list.pages)}</span> " " {next}</nav> }
            });
            view! {
                <PortalFrame membership=list.membership.clone() title="Orders">
                    <nav class="tabs" aria-label="Filter orders">{tabs}</nav>
                    {empty.then(|| view! { <p class="muted">"No orders here."</p> })}
                    {orders}
                    {pages}
                </PortalFrame>
            }
        },
    )
}

/// The units per item, keyed by the item's id (empty is none); an error on `field` when one
/// is not a whole number.
fn units(per_item: Keyed<String>, field: &str) -> Result<Vec<CancelLine>, AppError> {
    per_item
        .0
        .into_iter()
        .map(|(item, value)| {
            let quantity = value.trim();
            let quantity = if quantity.is_empty() {
                Ok(0)
            } else {
                quantity.parse()
            };
            quantity.map(|quantity| CancelLine {
                item_id: item,
                quantity,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::invalid(field, "Give each quantity as a whole number."))
}

#[component]
fn PartCard(part: ShopOrder, owner: bool, editable: bool, state: FormState) -> impl IntoView {
    let mine = |action: &str| state.value(action, "vendor_order_id") == part.id;
    let errors = ["ship", "deliver", "cancel", "cancel-lines", "refund"]
        .into_iter()
        .filter(|a| mine(a))
        .map(|a| {
            let field = [
                "carrier",
                "tracking_number",
                "reason",
                "amount",
                "lines",
                "restock",
            ]
            .into_iter()
            .find_map(|f| state.field_error(a, f));
            let message = field.or_else(|| state.form_error(a));
            message.map(|m| view! { <p class="form-error" role="alert">{m}</p> })
        })
        .collect_view();
    let heading = format!("part-{}", part.number);
    let items = part
        .items
        .iter()
        .map(|i| view! {
            <li>{i.quantity} " × " {i.title.clone()} " " <span class="muted">{i.options.clone()} " · " {i.sku.clone()}</span> " · " {i.line_total.to_string()}
                {(i.cancelled > 0).then(|| view! { " " <span class="badge">{format!("{} cancelled", i.cancelled)}</span> })}</li>
        })
        .collect_view();
    let cancellable = part
        .items
        .iter()
        .filter(|i| i.quantity > i.cancelled)
        .map(|i| {
            let left = i.quantity - i.cancelled;
            let name = format!("cancel-{}", i.id);
            let label = if i.options.is_empty() { i.title.clone() } else { format!("{} ({})", i.title, i.options) };
            view! {
                <label>{label} " — cancel " <input type="number" name=name min="0" max=left.to_string() value="0" size="3" inputmode="numeric"/> {format!(" of {left}")}</label>
            }
        })
        .collect_view();
    // Units that can still go back in stock with a refund: not cancelled, not put back yet.
    let returnable = part
        .items
        .iter()
        .filter(|i| i.quantity > i.cancelled + i.restocked)
        .map(|i| {
            let left = i.quantity - i.cancelled - i.restocked;
            let name = format!("restock-{}", i.id);
            let label = if i.options.is_empty() { i.title.clone() } else { format!("{} ({})", i.title, i.options) };
            view! {
                <label>{label} " — " <input type="number" name=name min="0" max=left.to_string() value="0" size="3" inputmode="numeric"/> {format!(" of {left}")}</label>
            }
        })
        .collect_view();
    let id = part.id.clone();
    let hidden = move || view! { <input type="hidden" name="vendor_order_id" value=id.clone()/> };
    let form_key = part.form_key.clone();
    let key = move || view! { <input type="hidden" name="key" value=form_key.clone()/> };
    let waiting = editable && part.status == VendorOrderStatus::AwaitingFulfilment;
    let tracking = part.tracking_number.clone().map(|t| {
        view! { <p>"Shipped with " {part.carrier.clone()} ", tracking number " <strong>{t}</strong></p> }
    });
    let refundable = part.total.minor - part.refunded.minor;
    view! {
        <article class="panel order-part" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>"Order #" {part.number} " " <span class="badge">{part.status.label()}</span></h2>
            <p class="muted">"Placed " {part.placed.clone()} " UTC · " {part.shipping_method.clone()} " · total " {part.total.to_string()}
                {(part.refunded.minor > 0).then(|| format!(" · refunded {}", part.refunded))}</p>
            <ul class="plain-list">{items}</ul>
            <p>"Ship to: " {part.ship_to.clone()}</p>
            {tracking}
            {errors}
            {waiting.then(|| view! {
                <form method="post" class="row-form">
                    <FormAction name="ship"/>
                    {hidden()}
                    <label>"Carrier " <input name="carrier" required maxlength="60"/></label>
                    <label>"Tracking number " <input name="tracking_number" required maxlength="80"/></label>
                    <button type="submit">"Mark shipped"</button>
                </form>
            })}
            {(editable && part.status == VendorOrderStatus::Shipped).then(|| view! {
                <form method="post" class="row-form">
                    <FormAction name="deliver"/>
                    {hidden()}
                    <button type="submit">"Mark delivered"</button>
                </form>
            })}
            {(owner && waiting).then(|| view! {
                <Confirm
                    label="Cancel and refund…".to_string()
                    question=format!("Cancel order #{} from your shop and refund the shopper in full? Its items go back in stock, and the shopper is emailed the reason.", part.number)
                    confirm="Yes, cancel and refund".to_string()
                >
                    <FormAction name="cancel"/>
                    <input type="hidden" name="vendor_order_id" value=part.id.clone()/>
                    <label>"Reason for the shopper " <input name="reason" required maxlength="300"/></label>
                </Confirm>
                <details>
                    <summary>"Cancel some items"</summary>
                    <form method="post" class="stack cancel-lines">
                        <FormAction name="cancel-lines"/>
                        {hidden()}
                        {key()}
                        <fieldset class="stack">
                            <legend>"Units you can't send (refunded with their tax, back in stock)"</legend>
                            {cancellable}
                        </fieldset>
                        <label>"Reason for the shopper " <input name="reason" required maxlength="300"/></label>
                        <button type="submit" class="danger">"Cancel these and refund"</button>
                    </form>
                </details>
            })}
            {(editable && owner && refundable > 0 && part.status != VendorOrderStatus::AwaitingFulfilment).then(|| view! {
                <details>
                    <summary>"Refund"</summary>
                    <form method="post" class="stack">
                        <FormAction name="refund"/>
                        {hidden()}
                        {key()}
                        <label>"Amount " <input name="amount" inputmode="decimal" size="8" required
                            placeholder=Money::new(refundable, part.total.currency).decimal()/></label>
                        <label>"Reason " <input name="reason" maxlength="300"/></label>
                        <fieldset class="stack">
                            <legend>"Units you got back, to put back in stock (none if they stay with the shopper)"</legend>
                            {returnable}
                        </fieldset>
                        <button type="submit">"Refund"</button>
                    </form>
                </details>
            })}
        </article>
    }
}
