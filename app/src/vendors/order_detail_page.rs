//! `/vendor/:vendor/orders/:number`: one of the shop's orders, shipping first: ship with
//! tracking, mark delivered; cancelling (all or some items) and refunds (owners) are tucked
//! away behind a confirmation.

use super::api;
use super::model::ShopOrder;
use super::portal_pages::{PortalFrame, shop_param};
use crate::accounts::model::VendorRole;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders::api as orders;
use crate::orders::model::CancelLine;
use crate::orders::status::VendorOrderStatus;
use crate::ui::{Confirm, FormAction, FormState, Keyed, Notice, act, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
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

/// `/vendor/:vendor/orders/:number`.
#[component]
pub fn VendorOrderPage() -> impl IntoView {
    let vendor = shop_param();
    let number = use_params_map()
        .read_untracked()
        .get("number")
        .unwrap_or_default();
    page_body(
        async move {
            let here = format!("/vendor/{vendor}/orders/{number}");
            let list = api::list_shop_orders(
                vendor.clone(),
                "all".into(),
                1,
                number.clone(),
                String::new(),
                String::new(),
            )
            .await?;
            let part = list
                .orders
                .iter()
                .find(|o| o.number.to_string() == number)
                .cloned()
                .ok_or(AppError::NotFound)?;
            let numbers: Vec<(String, i64)> = vec![(part.id.clone(), part.number)];
            let currency = part.total.currency;
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
                        let amount = Money::refund_amount(&amount, currency, "amount")?;
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
            AppResult::Ok((list.membership, part, state))
        },
        |(membership, part, state): (crate::accounts::model::Membership, ShopOrder, FormState)| {
            // A suspended or rejected shop's orders are read-only: no forms.
            let editable = membership.can_edit();
            let owner = membership.role == VendorRole::Owner;
            let back = format!("/vendor/{}/orders", membership.vendor_slug);
            let title = format!("Order #{}", part.number);
            view! {
                <PortalFrame membership title>
                    <p><a href=back>"← All orders"</a></p>
                    <PartCard part owner editable state/>
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
            <p class="muted">"Placed " {part.placed.clone()} " · " {part.shipping_method.clone()} " · total " {part.total.to_string()}
                {(part.discount.minor > 0).then(|| {
                    let payer = if part.discount_by_marketplace { "paid to you by the marketplace" } else { "your shop's code" };
                    format!(" after a {} discount ({payer})", part.discount)
                })}
                {(part.refunded.minor > 0).then(|| format!(" · refunded {}", part.refunded))}</p>
            <p>"Ship to: " <strong>{part.ship_to.clone()}</strong></p>
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
            <h3>"Items"</h3>
            <ul class="plain-list">{items}</ul>
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
