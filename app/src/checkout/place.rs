//! Placing an order: one transaction that reserves every line's stock or creates nothing.

use super::repeat::{self, Wanted};
use crate::accounts::model::AddressInput;
use crate::accounts::viewer::Viewer;
use crate::cart::model::{CartLine, Destination};
use crate::cart::priced;
use crate::discounts::redeem::{self, Customer};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders::model::PlacedOrder;
use crate::state::AppState;
use sqlx::PgPool;
use statement::{Order, OrderRows};
use std::collections::HashMap;
use uuid::Uuid;

mod statement;
mod unopened;

/// What the shopper chose at checkout.
pub struct Checkout<'a> {
    pub cart: Uuid,
    pub email: &'a str,
    pub address: &'a AddressInput,
    pub methods: &'a HashMap<String, String>,
    /// The discount code applied on the review, if any.
    pub code: Option<&'a str>,
    /// One per checkout page: a second submit with the same key returns the same order.
    pub idempotency_key: &'a str,
}

/// The SQLSTATE `order_lines_not_reserved()` raises: some line lacked the stock or the price.
const NOT_RESERVED: &str = "MK409";

fn check_key(key: &str) -> AppResult<()> {
    let ok = (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "This checkout form is out of date. Review your order again.".into(),
        ))
    }
}

/// The order already placed with `key` from `cart`, if any.
async fn placed_with_key(pool: &PgPool, key: &str, cart: Uuid) -> AppResult<Option<PlacedOrder>> {
    let Some(row) = sqlx::query!(
        "select number, total, cart_id from orders where idempotency_key = $1",
        key
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    if row.cart_id != Some(cart) {
        return Err(AppError::Conflict(
            "This checkout was already used. Review your order again.".into(),
        ));
    }
    Ok(Some(PlacedOrder {
        number: row.number,
        total: Money::new(row.total, Default::default()),
    }))
}

/// Why the lines of `items` (vendor, variant, line) could not all be reserved: the first, in
/// variant order, that no longer has the stock or the price it was reviewed with.
async fn not_reserved(pool: &PgPool, items: &[(Uuid, Uuid, &CartLine)]) -> AppError {
    let ids: Vec<Uuid> = items.iter().map(|(_, variant, _)| *variant).collect();
    let now = match sqlx::query!(
        r#"select id, greatest(stock_on_hand - stock_reserved, 0) as "left!", price from variants
           where id = any($1)"#,
        &ids
    )
    .fetch_all(pool)
    .await
    {
        Ok(rows) => rows,
        Err(error) => return error.into(),
    };
    let mut lines: Vec<&(Uuid, Uuid, &CartLine)> = items.iter().collect();
    lines.sort_by_key(|(_, variant, _)| *variant);
    for (_, variant, line) in lines {
        let label = if line.options.is_empty() {
            format!("“{}”", line.title)
        } else {
            format!("“{}” ({})", line.title, line.options)
        };
        let (left, price) = now
            .iter()
            .find(|r| r.id == *variant)
            .map_or((0, line.unit_price.minor), |r| (i64::from(r.left), r.price));
        if left == 0 {
            return AppError::Conflict(format!(
                "{label} is out of stock now. Remove it from your cart to order the rest."
            ));
        }
        if left < i64::from(line.quantity) {
            return AppError::Conflict(format!(
                "Only {left} of {label} left now. Lower the quantity in your cart to order."
            ));
        }
        if price != line.unit_price.minor {
            return AppError::Conflict(format!(
                "The price of {label} has just changed. Check your cart and review again."
            ));
        }
    }
    // Every line fits again: what was short a moment ago has been released since.
    AppError::Conflict(
        "Stock changed while your order was placed. Review your order and place it again.".into(),
    )
}

/// Cancels at the provider the payments of orders closed while placing, once committed.
async fn cancel_closed(state: &AppState, closed: Vec<(Uuid, Option<String>)>) {
    for (order, reference) in closed {
        crate::orders::payment::cancel_at_provider(state, order, reference).await;
    }
}

/// Places the order of `checkout`: one transaction reserves the stock of every line (in
/// variant order, never below zero), creates the order, one vendor order per vendor, the items
/// with their price and title as they are now, and the payment. Out of stock → a message naming
/// the item, and nothing is created. A guest's browser then sees the order through the cart it
/// came from (`server::authorize`), so placing writes nothing to the session.
#[tracing::instrument(skip_all)]
pub async fn place(state: &AppState, viewer: &Viewer, checkout: Checkout<'_>) -> AppResult<PlacedOrder> {
    check_key(checkout.idempotency_key)?;
    // Each place reserves stock until it expires: limited per client address and per cart
    // (which stands for the session or the account), before anything is read or reserved.
    state
        .limits
        .place_order(&viewer.client().ip, &checkout.cart.to_string())
        .await?;
    // The number drawn is taken (as likely as the orders so far in nine billion): draw again.
    for _ in 0..5 {
        if let Some(placed) = place_numbered(state, viewer, &checkout, random_number()?).await? {
            return Ok(placed);
        }
    }
    tracing::error!("five random order numbers in a row were taken");
    Err(AppError::Internal)
}

/// A new order's number: ten digits, drawn from the operating system's random source, so
/// nobody can tell from their own order numbers which others exist. (Numbers given before
/// came from a sequence starting at 100001 and stay as they are.)
fn random_number() -> AppResult<i64> {
    const LOWEST: u64 = 1_000_000_000;
    let drawn = getrandom::u64()
        .map_err(|error| AppError::internal("the operating system's random source failed", error))?;
    i64::try_from(LOWEST + drawn % (9 * LOWEST))
        .map_err(|e| AppError::internal("an order number did not fit", e))
}

/// `place` with the order number `number`; `None` when that number is taken.
async fn place_numbered(
    state: &AppState,
    viewer: &Viewer,
    checkout: &Checkout<'_>,
    number: i64,
) -> AppResult<Option<PlacedOrder>> {
    let currency = state.site.currency;
    let cart = priced::lines(state, checkout.cart, Destination::of(checkout.address)).await?;
    // A repeat after the order was paid finds the cart emptied: answer with that order.
    if cart.lines.is_empty()
        && let Some(mut placed) =
            placed_with_key(&state.pool, checkout.idempotency_key, checkout.cart).await?
    {
        unopened::open(state, placed.number).await?;
        placed.total.currency = currency;
        return Ok(Some(placed));
    }
    if cart.lines.is_empty() {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    }
    let vendor_ids: HashMap<String, Uuid> = cart
        .lines
        .iter()
        .map(|l| (l.vendor.slug.clone(), l.vendor_id))
        .collect();
    let variant_ids: HashMap<String, Uuid> = cart
        .lines
        .iter()
        .map(|l| (l.line.sku.clone(), l.variant_id))
        .collect();
    let listed = priced::price(cart, checkout.methods, currency);
    if let Some((title, problem)) = listed.problems().into_iter().next() {
        return Err(AppError::Conflict(format!("“{title}”: {problem}")));
    }
    let user: Option<Uuid> = viewer.user_id();
    let customer = Customer {
        email: checkout.email,
        user,
    };
    // What the review showed: the code checked without a lock, to compare with an earlier
    // order of this cart; it is claimed under its lock below.
    let quote = match checkout.code {
        Some(code) => {
            let mut conn = state.pool.acquire().await?;
            redeem::preview(&mut conn, code, customer, &listed)
                .await?
                .map_err(|problem| {
                    AppError::Conflict(format!("{problem} Remove the code to order without it."))
                })?
        }
        None => listed.clone(),
    };
    let wanted = Wanted {
        email: checkout.email.to_string(),
        total: quote.total.minor,
        items: quote
            .vendors
            .iter()
            .flat_map(|v| v.lines.iter())
            .map(|l| (variant_ids[&l.sku], l.quantity as i32, l.unit_price.minor))
            .collect(),
    };
    let mut tx = state.generic_plans.begin().await?;
    let actor = viewer.actor();
    let settled = repeat::settle(&mut tx, checkout.cart, &wanted, &actor).await?;
    if let Some(existing) = settled.same {
        tx.commit().await?;
        cancel_closed(state, settled.closed).await;
        unopened::open(state, existing).await?;
        return Ok(Some(PlacedOrder {
            number: existing,
            total: quote.total,
        }));
    }
    let claim = match checkout.code {
        Some(code) => {
            let (claimed, claim) = redeem::claim(&mut tx, code, customer, &listed).await?;
            if claimed.total != quote.total {
                return Err(AppError::Conflict(
                    "The discount changed while your order was placed. Review your order again.".into(),
                ));
            }
            Some(claim)
        }
        None => None,
    };
    let minutes = crate::settings::current(&mut tx).await?.reservation_minutes;
    // A local provider (test) opens its payment now, so the order statement records it; a
    // remote one (Stripe) is called after the order is committed, never while stock rows are
    // locked.
    let payment = Uuid::now_v7();
    let open = || {
        state.payments.start(
            payment,
            quote.total.minor,
            currency.code(),
            checkout.idempotency_key,
        )
    };
    let local = match state.payments {
        crate::payments::Payments::Test => Some(
            open()
                .await
                .map_err(|e| AppError::internal("opening a test payment failed", e))?,
        ),
        _ => None,
    };
    let rows = OrderRows::build(
        &quote,
        &vendor_ids,
        &variant_ids,
        claim.is_some_and(|c| c.by_marketplace),
    );
    let order = Order {
        user,
        cart: checkout.cart,
        idempotency_key: checkout.idempotency_key,
        email: checkout.email,
        currency: currency.code(),
        address: serde_json::to_value(checkout.address)
            .map_err(|e| AppError::internal("encoding the shipping address", e))?,
        tax_lines: serde_json::to_value(&quote.tax_lines)
            .map_err(|e| AppError::internal("encoding the tax lines", e))?,
        reservation_minutes: minutes,
        payment,
        provider: state.payments.provider(),
        provider_ref: local.as_ref().map(|l| l.provider_ref.clone()),
        actor: &actor,
        number,
    };
    let placed = statement::insert(&mut tx, &quote, &order, &rows).await;
    let placed = match placed {
        Ok(order) => {
            if let (Some(claim), Some(discount)) = (claim, &quote.discount) {
                redeem::record_use(&mut tx, claim, order.id, customer, discount.amount.minor).await?;
            }
            tx.commit().await.map(|()| order)
        }
        Err(error) => Err(error),
    };
    let order = match placed {
        Ok(order) => order,
        Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some(NOT_RESERVED) => {
            return Err(not_reserved(&state.pool, &rows.items).await);
        }
        // A concurrent double submit waits on the unique key, then fails here.
        Err(sqlx::Error::Database(db)) if db.constraint() == Some("orders_idempotency_key") => {
            let mut placed = placed_with_key(&state.pool, checkout.idempotency_key, checkout.cart)
                .await?
                .ok_or(AppError::Internal)?;
            unopened::open(state, placed.number).await?;
            placed.total.currency = currency;
            return Ok(Some(placed));
        }
        Err(sqlx::Error::Database(db)) if db.constraint() == Some("orders_number_key") => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    cancel_closed(state, settled.closed).await;

    if local.is_none() {
        let started = open()
            .await
            .map_err(|error| AppError::internal("the payment provider refused to open a payment", error))?;
        sqlx::query!(
            "update payments set provider_ref = $2, client_secret = $3 where id = $1",
            payment,
            started.provider_ref,
            started.client_secret
        )
        .execute(&state.pool)
        .await?;
    }
    Ok(Some(PlacedOrder {
        number: order.number,
        total: quote.total,
    }))
}
