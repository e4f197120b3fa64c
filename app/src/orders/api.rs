//! The orders' JSON API: history, detail, guest lookup; for shops and admins shipping,
//! cancelling and refunds.

use super::model::{CancelLine, OrderDetail, OrderSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The signed-in shopper's orders.
#[server(prefix = "/api", endpoint = "orders/history", input = server_fn::codec::Json)]
pub async fn order_history() -> Result<Vec<OrderSummary>, AppError> {
    super::view::history(&app_state()?, &Viewer::of_request()).await
}

/// One order, for its owner, the browser that placed or looked it up, or an admin.
/// `returned`: the shopper is back from the payment provider's page (see `view::detail`).
#[server(prefix = "/api", endpoint = "orders/detail", input = server_fn::codec::Json)]
pub async fn get_order(number: String, #[server(default)] returned: bool) -> Result<OrderDetail, AppError> {
    super::view::detail(&app_state()?, &Viewer::of_request(), &number, returned).await
}

/// A guest's order by number and email; returns the number to open.
#[server(prefix = "/api", endpoint = "orders/lookup", input = server_fn::codec::Json)]
pub async fn lookup_order(number: String, email: String) -> Result<i64, AppError> {
    super::view::lookup(&app_state()?, &Viewer::of_request(), &number, &email).await
}

/// Refunds `amount` (minor units) of one vendor's part of an order, for that shop's owner or
/// a platform admin. `restock` names the units that came back and go on sale again (each unit
/// at most once, whatever the refunds). `key` names the refund (the form's token): sent again
/// with the same key, it refunds once; without one, each call is a refund.
#[server(prefix = "/api", endpoint = "orders/refund", input = server_fn::codec::Json)]
pub async fn refund_vendor_order(
    vendor_order_id: String,
    amount: i64,
    #[server(default)] restock: Vec<CancelLine>,
    #[server(default)] reason: String,
    #[server(default)] key: String,
) -> Result<(), AppError> {
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let id = part_id(&vendor_order_id)?;
    crate::money::refunds::authorize_refund(&state, &viewer, id).await?;
    let key = refund_key(key)?;
    let units = item_units(&restock, "restock")?;
    let restock = super::server::Restock::Units(&units);
    let (label, actor) = (viewer.actor(), crate::audit::Actor::of(&viewer));
    let by = crate::audit::By::person(&label, &actor);
    crate::money::refunds::refund(&state, id, (amount, restock), &reason, &key, &by).await
}

/// Units of order items as sent, checked to be items' ids and whole numbers; `field` names the
/// form field an error is shown at.
#[cfg(feature = "ssr")]
fn item_units(lines: &[CancelLine], field: &str) -> Result<Vec<(uuid::Uuid, i32)>, AppError> {
    lines
        .iter()
        .map(|l| {
            let item = crate::id::OrderItemId::parse(&l.item_id)
                .ok_or_else(|| AppError::invalid(field, "That item is not part of this order."))?
                .uuid();
            let quantity = i32::try_from(l.quantity)
                .map_err(|_| AppError::invalid(field, "That is more than was ordered."))?;
            Ok((item, quantity))
        })
        .collect()
}

/// The key a client named its refund with, or a fresh one.
#[cfg(feature = "ssr")]
fn refund_key(key: String) -> Result<String, AppError> {
    if key.is_empty() {
        return Ok(crate::money::refunds::new_key());
    }
    crate::money::refunds::check_key(&key)?;
    Ok(key)
}

#[cfg(feature = "ssr")]
fn part_id(id: &str) -> Result<uuid::Uuid, AppError> {
    crate::id::VendorOrderId::sent(id).map(crate::id::Id::uuid)
}

/// Marks one shop's part of an order shipped, for that shop's members or a platform admin; the
/// shopper is mailed the carrier and tracking number.
#[server(prefix = "/api", endpoint = "orders/ship", input = server_fn::codec::Json)]
pub async fn ship_vendor_order(
    vendor_order_id: String,
    carrier: String,
    tracking_number: String,
) -> Result<(), AppError> {
    use crate::accounts::model::VendorRole;
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let id = part_id(&vendor_order_id)?;
    super::server::authorize_part(&state, &viewer, id, VendorRole::Staff).await?;
    super::server::ship(&state, id, &carrier, &tracking_number, &viewer.actor()).await
}

/// Marks a shipped part delivered (the shop's members or a platform admin).
#[server(prefix = "/api", endpoint = "orders/deliver", input = server_fn::codec::Json)]
pub async fn deliver_vendor_order(vendor_order_id: String) -> Result<(), AppError> {
    use crate::accounts::model::VendorRole;
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let id = part_id(&vendor_order_id)?;
    super::server::authorize_part(&state, &viewer, id, VendorRole::Staff).await?;
    super::server::deliver(&state, id, &viewer.actor()).await
}

/// Cancels one shop's part that has not shipped: refunded in full, its items back on sale,
/// the shopper mailed. For the shop's owners (money moves) or a platform admin.
#[server(prefix = "/api", endpoint = "orders/cancel", input = server_fn::codec::Json)]
pub async fn cancel_vendor_order(vendor_order_id: String, reason: String) -> Result<(), AppError> {
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let id = part_id(&vendor_order_id)?;
    crate::money::refunds::authorize_refund(&state, &viewer, id).await?;
    let (label, actor) = (viewer.actor(), crate::audit::Actor::of(&viewer));
    let by = crate::audit::By::person(&label, &actor);
    super::server::cancel(&state, id, &reason, &by).await
}

/// Cancels some units of some lines of one shop's part that has not shipped: their price and
/// tax are refunded, the units go back on sale, the shopper is mailed. Cancelling everything
/// left cancels the part. For the shop's owners or a platform admin. `key` as for refunds.
#[server(prefix = "/api", endpoint = "orders/cancel-lines", input = server_fn::codec::Json)]
pub async fn cancel_order_lines(
    vendor_order_id: String,
    lines: Vec<CancelLine>,
    reason: String,
    #[server(default)] key: String,
) -> Result<(), AppError> {
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let id = part_id(&vendor_order_id)?;
    crate::money::refunds::authorize_refund(&state, &viewer, id).await?;
    let key = refund_key(key)?;
    let lines = item_units(&lines, "lines")?;
    let (label, actor) = (viewer.actor(), crate::audit::Actor::of(&viewer));
    let by = crate::audit::By::person(&label, &actor);
    super::server::cancel_lines(&state, id, &lines, &reason, &key, &by).await
}
