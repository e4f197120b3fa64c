//! The checkout on the server: the details step (email, address, shipping per vendor) is kept
//! in the session; the review prices the cart for that address; placing the order is
//! `place.rs`.

use super::model::{CheckoutDetails, CheckoutDraft, CheckoutView};
use crate::accounts::identity::session_error;
use crate::accounts::model::Address;
use crate::accounts::viewer::Viewer;
use crate::accounts::{addresses, validate};
use crate::cart::model::{Destination, Quote};
use crate::cart::{owner, priced};
use crate::error::{AppError, AppResult, Problems};
use crate::orders::model::PlacedOrder;
use crate::state::AppState;

const DRAFT_KEY: &str = "checkout";

async fn draft(viewer: &Viewer) -> AppResult<Option<CheckoutDraft>> {
    viewer
        .session()?
        .get::<CheckoutDraft>(DRAFT_KEY)
        .await
        .map_err(session_error)
}

/// Where prices are estimated for: the checkout's address, else the signed-in shopper's
/// default shipping address, else the shop's home country.
pub async fn destination(state: &AppState, viewer: &Viewer) -> AppResult<Destination> {
    if let Some(draft) = draft(viewer).await? {
        return Ok(Destination::of(&draft.address));
    }
    if viewer.user().is_some()
        && let Some(a) = addresses::list(state, viewer)
            .await?
            .into_iter()
            .find(|a| a.is_default_shipping)
    {
        return Ok(Destination::of(&a.as_input()));
    }
    Ok(Destination::country(&state.site.country))
}

/// The checkout as far as it got, priced; with a fresh idempotency key for the review form.
pub async fn view(state: &AppState, viewer: &Viewer) -> AppResult<CheckoutView> {
    let saved = draft(viewer).await?;
    let ready = saved.is_some();
    let user = viewer.user();
    let addresses = if user.is_some() {
        addresses::list(state, viewer).await?
    } else {
        Vec::new()
    };
    let draft = match saved {
        Some(draft) => draft,
        None => CheckoutDraft {
            address: addresses
                .iter()
                .find(|a| a.is_default_shipping)
                .map(Address::as_input)
                .unwrap_or_default(),
            ..Default::default()
        },
    };
    // An empty country: no checkout address yet and no default address to start from.
    let destination = if draft.address.country.is_empty() {
        Destination::country(&state.site.country)
    } else {
        Destination::of(&draft.address)
    };
    let quote = priced::quote(state, viewer, destination, &draft.methods).await?;
    Ok(CheckoutView {
        quote,
        draft,
        ready,
        account_email: user.map(|u| u.email.clone()),
        addresses,
        key: uuid::Uuid::new_v4().to_string(),
        payment_label: match state.payments.provider() {
            "test" => "Test payment: no money moves.".into(),
            _ => "Card, wallet or bank through Stripe.".into(),
        },
    })
}

/// Refuses a checkout of an empty cart or one with a line that can't be ordered.
pub fn check_orderable(quote: &Quote) -> AppResult<()> {
    if quote.is_empty() {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    }
    match quote.problems().into_iter().next() {
        Some((title, problem)) => Err(AppError::Conflict(format!("“{title}”: {problem}"))),
        None => Ok(()),
    }
}

/// The details step: checks and keeps the email, the address and the shipping choices.
pub async fn save_details(state: &AppState, viewer: &Viewer, details: CheckoutDetails) -> AppResult<()> {
    let mut problems = Problems::default();
    let email = match viewer.user() {
        Some(user) => user.email.clone(),
        None => problems.take(validate::email("email", &details.email)),
    };
    let address = if details.address_id.is_empty() {
        problems.take(addresses::clean(&details.address))
    } else {
        let saved = addresses::list(state, viewer).await?;
        let chosen = saved
            .iter()
            .find(|a| a.id == details.address_id)
            .ok_or_else(|| AppError::invalid("address_id", "Choose one of your addresses."))?;
        chosen.as_input()
    };
    problems.finish()?;
    let draft = CheckoutDraft {
        email,
        address,
        methods: details.methods,
    };
    let quote = priced::quote(state, viewer, Destination::of(&draft.address), &draft.methods).await?;
    check_orderable(&quote)?;
    viewer
        .session()?
        .insert(DRAFT_KEY, draft)
        .await
        .map_err(session_error)
}

/// Places the order reviewed with `key`.
pub async fn place(state: &AppState, viewer: &Viewer, key: &str) -> AppResult<PlacedOrder> {
    let draft = draft(viewer).await?.ok_or_else(|| {
        AppError::BadRequest("Your checkout details are missing. Fill them in again.".into())
    })?;
    let cart = owner::cart_id(&state.pool, viewer, false)
        .await?
        .ok_or_else(|| AppError::BadRequest("Your cart is empty.".into()))?;
    super::place::place(
        state,
        viewer,
        super::place::Checkout {
            cart,
            email: &draft.email,
            address: &draft.address,
            methods: &draft.methods,
            idempotency_key: key,
        },
    )
    .await
}
