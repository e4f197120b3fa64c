//! The cart's JSON API. The cart page's forms call the same functions on the server.

use super::model::CartView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The current cart priced for `country`/`region` (empty: the checkout's address, the default
/// shipping address, or the shop's country).
#[server(prefix = "/api", endpoint = "cart/view", input = server_fn::codec::Json)]
pub async fn view_cart(
    #[server(default)] country: String,
    #[server(default)] region: String,
) -> Result<CartView, AppError> {
    use super::model::Destination;
    let (state, viewer) = (app_state()?, Viewer::of_request());
    let country = country.trim().to_uppercase();
    let destination = if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
        Destination {
            country,
            region: region.trim().to_uppercase().chars().take(100).collect(),
        }
    } else {
        crate::checkout::server::destination(&state, &viewer).await?
    };
    let quote = super::priced::quote(&state, &viewer, destination, &Default::default()).await?;
    let notice = super::owner::take_notice(&viewer).await?;
    Ok(CartView { quote, notice })
}

/// Adds `quantity` of the variant `sku`; returns how many items the cart holds.
#[server(prefix = "/api", endpoint = "cart/add", input = server_fn::codec::Json)]
pub async fn add_to_cart(sku: String, quantity: u32) -> Result<u32, AppError> {
    super::server::add(&app_state()?, &Viewer::of_request(), &sku, quantity).await
}

/// Sets the quantity of `sku` in the cart; 0 removes it.
#[server(prefix = "/api", endpoint = "cart/update", input = server_fn::codec::Json)]
pub async fn update_cart(sku: String, quantity: u32) -> Result<(), AppError> {
    super::server::set_quantity(&app_state()?, &Viewer::of_request(), &sku, quantity).await
}

/// How many items the cart holds (the header badge).
#[server(prefix = "/api", endpoint = "cart/count", input = server_fn::codec::Json)]
pub async fn cart_count() -> Result<u32, AppError> {
    super::server::current_count(&app_state()?, &Viewer::of_request()).await
}
