//! The orders' JSON API: history, detail, guest lookup, refunds.

use super::model::{OrderDetail, OrderSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The signed-in shopper's orders.
#[server(prefix = "/api", endpoint = "orders/history", input = server_fn::codec::Json)]
pub async fn order_history() -> Result<Vec<OrderSummary>, AppError> {
    super::view::history(&app_state()?).await
}

/// One order, for its owner, the browser that placed or looked it up, or an admin.
#[server(prefix = "/api", endpoint = "orders/detail", input = server_fn::codec::Json)]
pub async fn get_order(number: String) -> Result<OrderDetail, AppError> {
    super::view::detail(&app_state()?, &number).await
}

/// A guest's order by number and email; returns the number to open.
#[server(prefix = "/api", endpoint = "orders/lookup", input = server_fn::codec::Json)]
pub async fn lookup_order(number: String, email: String) -> Result<i64, AppError> {
    super::view::lookup(&app_state()?, &number, &email).await
}

/// Refunds `amount` (minor units) of one vendor's part of an order, for that shop's owner or
/// a platform admin. `restock` puts its items back on sale.
#[server(prefix = "/api", endpoint = "orders/refund", input = server_fn::codec::Json)]
pub async fn refund_vendor_order(
    vendor_order_id: String,
    amount: i64,
    restock: bool,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let id: uuid::Uuid = vendor_order_id
        .parse()
        .map_err(|_| AppError::BadRequest("That is not an order part's id.".into()))?;
    super::server::authorize_refund(&state, id).await?;
    let actor = super::server::actor();
    super::server::refund(&state, id, amount, restock, &reason, &actor).await
}
