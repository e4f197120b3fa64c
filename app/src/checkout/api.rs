//! The checkout's JSON API: details, review, place, and the test provider's pay step.

use super::model::{CheckoutDetails, CheckoutView};
use crate::error::AppError;
use crate::orders::model::PlacedOrder;
use crate::orders::status::OrderStatus;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The checkout so far, priced, with the idempotency key for placing it.
#[server(prefix = "/api", endpoint = "checkout/view", input = server_fn::codec::Json)]
pub async fn get_checkout() -> Result<CheckoutView, AppError> {
    super::server::view(&app_state()?, &Viewer::of_request()).await
}

/// Email, shipping address and shipping methods.
#[server(prefix = "/api", endpoint = "checkout/details", input = server_fn::codec::Json)]
pub async fn save_checkout_details(details: CheckoutDetails) -> Result<(), AppError> {
    super::server::save_details(&app_state()?, &Viewer::of_request(), details).await
}

/// Applies discount code `code` to the checkout, or removes it when `code` is empty. A code
/// that takes nothing off this cart for this shopper is refused with the reason (400).
#[server(prefix = "/api", endpoint = "checkout/code", input = server_fn::codec::Json)]
pub async fn apply_discount_code(#[server(default)] code: String) -> Result<(), AppError> {
    super::server::set_code(&app_state()?, &Viewer::of_request(), &code).await
}

/// Places the reviewed order. The same `key` twice returns the same order.
#[server(prefix = "/api", endpoint = "checkout/place", input = server_fn::codec::Json)]
pub async fn place_order(key: String) -> Result<PlacedOrder, AppError> {
    super::server::place(&app_state()?, &Viewer::of_request(), &key).await
}

/// Pays an order with the test provider: `succeed` false declines it.
#[server(prefix = "/api", endpoint = "checkout/pay_test", input = server_fn::codec::Json)]
pub async fn pay_test(number: String, succeed: bool) -> Result<OrderStatus, AppError> {
    crate::orders::view::pay_test(&app_state()?, &Viewer::of_request(), &number, succeed).await
}
