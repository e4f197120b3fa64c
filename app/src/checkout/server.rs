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
use crate::discounts::redeem::{self, Customer};
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
    let (quote, code_problem) = match &draft.code {
        Some(code) if !quote.is_empty() => {
            let customer = Customer {
                email: &draft.email,
                user: viewer.user_id(),
            };
            let mut conn = state.pool.acquire().await?;
            match redeem::preview(&mut conn, code, customer, &quote).await? {
                Ok(discounted) => (discounted, None),
                Err(problem) => (quote, Some(problem)),
            }
        }
        _ => (quote, None),
    };
    Ok(CheckoutView {
        quote,
        code_problem,
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
    let code = draft(viewer).await?.and_then(|d| d.code);
    let draft = CheckoutDraft {
        email,
        address,
        methods: details.methods,
        code,
    };
    let quote = priced::quote(state, viewer, Destination::of(&draft.address), &draft.methods).await?;
    check_orderable(&quote)?;
    viewer
        .session()?
        .insert(DRAFT_KEY, draft)
        .await
        .map_err(session_error)
}

/// Applies discount code `code` to the checkout (checked now, for this shopper and cart: a
/// code that takes nothing off is refused with the reason), or removes it when `code` is empty.
pub async fn set_code(state: &AppState, viewer: &Viewer, code: &str) -> AppResult<()> {
    let mut draft = draft(viewer).await?.ok_or_else(|| {
        AppError::BadRequest("Fill in your details first: a code is applied on the review.".into())
    })?;
    let code = redeem::normalize(code);
    if code.is_empty() {
        draft.code = None;
    } else {
        if code.len() > 32 {
            return Err(AppError::invalid(
                "code",
                format!(
                    "There is no discount code {}.",
                    code.chars().take(32).collect::<String>()
                ),
            ));
        }
        state.limits.discount_code(&viewer.client().ip).await?;
        let quote = priced::quote(state, viewer, Destination::of(&draft.address), &draft.methods).await?;
        check_orderable(&quote)?;
        let customer = Customer {
            email: &draft.email,
            user: viewer.user_id(),
        };
        let mut conn = state.pool.acquire().await?;
        if let Err(problem) = redeem::preview(&mut conn, &code, customer, &quote).await? {
            return Err(AppError::invalid("code", problem));
        }
        draft.code = Some(code);
    }
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
            code: draft.code.as_deref(),
            idempotency_key: key,
        },
    )
    .await
}
