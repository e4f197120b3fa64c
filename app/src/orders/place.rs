//! Placing an order: one transaction that reserves every line's stock or creates nothing.

use super::model::PlacedOrder;
use super::server::{actor, remember};
use crate::accounts::identity::current_user;
use crate::accounts::model::AddressInput;
use crate::cart::model::Destination;
use crate::cart::priced;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// What the shopper chose at checkout.
pub struct Checkout<'a> {
    pub cart: Uuid,
    pub email: &'a str,
    pub address: &'a AddressInput,
    pub methods: &'a HashMap<String, String>,
    /// One per checkout page: a second submit with the same key returns the same order.
    pub idempotency_key: &'a str,
}

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
async fn placed_with_key(pool: &PgPool, key: &str, cart: Uuid) -> AppResult<Option<(Uuid, PlacedOrder)>> {
    let Some(row) = sqlx::query!(
        "select id, number, total, cart_id from orders where idempotency_key = $1",
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
    Ok(Some((
        row.id,
        PlacedOrder {
            number: row.number,
            total: Money::new(row.total, Default::default()),
        },
    )))
}

/// Places the order of `checkout`: one transaction reserves the stock of every line (in
/// variant order, never below zero), creates the order, one vendor order per vendor, the items
/// with their price and title as they are now, and the payment. Out of stock → a message naming
/// the item, and nothing is created.
pub async fn place(state: &AppState, checkout: Checkout<'_>) -> AppResult<PlacedOrder> {
    check_key(checkout.idempotency_key)?;
    let currency = state.site.currency;
    let lines = priced::lines(state, checkout.cart).await?;
    // A repeat after the order was paid finds the cart emptied: answer with that order.
    if lines.is_empty()
        && let Some((id, mut placed)) =
            placed_with_key(&state.pool, checkout.idempotency_key, checkout.cart).await?
    {
        remember(id).await?;
        placed.total.currency = currency;
        return Ok(placed);
    }
    if lines.is_empty() {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    }
    let mut variants: Vec<(Uuid, i32, i64, String)> = lines
        .iter()
        .map(|l| {
            let label = if l.line.options.is_empty() {
                format!("“{}”", l.line.title)
            } else {
                format!("“{}” ({})", l.line.title, l.line.options)
            };
            (
                l.variant_id,
                l.line.quantity as i32,
                l.line.unit_price.minor,
                label,
            )
        })
        .collect();
    variants.sort_by_key(|v| v.0);
    let destination = Destination::of(checkout.address);
    let vendor_ids: HashMap<String, Uuid> = lines
        .iter()
        .map(|l| (l.vendor.slug.clone(), l.vendor_id))
        .collect();
    let variant_ids: HashMap<String, Uuid> =
        lines.iter().map(|l| (l.line.sku.clone(), l.variant_id)).collect();
    let quote = priced::price(state, lines, destination, checkout.methods).await?;
    if let Some((title, problem)) = quote.problems().into_iter().next() {
        return Err(AppError::Conflict(format!("“{title}”: {problem}")));
    }
    let user: Option<Uuid> = current_user().and_then(|u| u.id.parse().ok());
    let minutes = i32::try_from(state.site.reservation_minutes).unwrap_or(30);

    let mut tx = state.pool.begin().await?;
    // The order row first: a concurrent double submit waits here on the unique key, then fails.
    let inserted = sqlx::query!(
        "insert into orders (user_id, cart_id, idempotency_key, email, currency, subtotal, shipping_total,
                             tax_total, total, shipping_address, tax_lines, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(mins => $12))
         returning id, number",
        user,
        checkout.cart,
        checkout.idempotency_key,
        checkout.email,
        currency.code(),
        quote.subtotal.minor,
        quote.shipping.minor,
        quote.tax.minor,
        quote.total.minor,
        serde_json::to_value(checkout.address).map_err(|_| AppError::Internal)?,
        serde_json::to_value(&quote.tax_lines).map_err(|_| AppError::Internal)?,
        minutes
    )
    .fetch_one(&mut *tx)
    .await;
    let order = match inserted {
        Ok(row) => row,
        Err(sqlx::Error::Database(db)) if db.constraint() == Some("orders_idempotency_key") => {
            drop(tx);
            let (id, mut placed) = placed_with_key(&state.pool, checkout.idempotency_key, checkout.cart)
                .await?
                .ok_or(AppError::Internal)?;
            remember(id).await?;
            placed.total.currency = currency;
            return Ok(placed);
        }
        Err(error) => return Err(error.into()),
    };
    // Lock the lines' variants in id order (concurrent carts never deadlock), then reserve all
    // of them in one statement that only touches rows with enough left.
    let ids: Vec<Uuid> = variants.iter().map(|v| v.0).collect();
    let quantities: Vec<i32> = variants.iter().map(|v| v.1).collect();
    sqlx::query!(
        "select id from variants where id = any($1) order by id for update",
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let reserved = sqlx::query!(
        r#"update variants v set stock_reserved = v.stock_reserved + x.quantity
           from unnest($1::uuid[], $2::integer[]) as x (id, quantity)
           where v.id = x.id and v.stock_on_hand - v.stock_reserved >= x.quantity
           returning v.id, v.price"#,
        &ids,
        &quantities
    )
    .fetch_all(&mut *tx)
    .await?;
    for (variant, _, price, label) in &variants {
        match reserved.iter().find(|r| r.id == *variant) {
            None => {
                let left = sqlx::query_scalar!(
                    r#"select greatest(stock_on_hand - stock_reserved, 0) as "n!" from variants where id = $1"#,
                    variant
                )
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or(0);
                let message = if left == 0 {
                    format!("{label} is out of stock now. Remove it from your cart to order the rest.")
                } else {
                    format!("Only {left} of {label} left now. Lower the quantity in your cart to order.")
                };
                return Err(AppError::Conflict(message));
            }
            Some(row) if row.price != *price => {
                return Err(AppError::Conflict(format!(
                    "The price of {label} has just changed. Check your cart and review again."
                )));
            }
            Some(_) => {}
        }
    }
    // One vendor order per shop, then every item, each in one statement.
    let methods: Vec<String> = quote
        .vendors
        .iter()
        .map(|v| {
            v.methods
                .iter()
                .find(|m| m.id == v.method_id)
                .map_or_else(|| "Standard".to_string(), |m| m.name.clone())
        })
        .collect();
    let column =
        |f: fn(&crate::cart::model::VendorQuote) -> i64| quote.vendors.iter().map(f).collect::<Vec<i64>>();
    let parts = sqlx::query!(
        "insert into vendor_orders (order_id, vendor_id, shipping_method, subtotal, shipping, tax, total)
         select $1, * from unnest($2::uuid[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
         returning id, vendor_id",
        order.id,
        &quote.vendors.iter().map(|v| vendor_ids[&v.vendor.slug]).collect::<Vec<_>>(),
        &methods,
        &column(|v| v.subtotal.minor),
        &column(|v| v.shipping.minor),
        &column(|v| v.tax.minor),
        &column(|v| v.total.minor),
    )
    .fetch_all(&mut *tx)
    .await?;
    let lines: Vec<(Uuid, &crate::cart::model::CartLine)> = quote
        .vendors
        .iter()
        .flat_map(|v| {
            let vendor = vendor_ids[&v.vendor.slug];
            let part = parts.iter().find(|p| p.vendor_id == vendor).map(|p| p.id);
            v.lines.iter().map(move |l| (part.unwrap_or_default(), l))
        })
        .collect();
    sqlx::query!(
        "insert into order_items (order_id, vendor_order_id, variant_id, product_slug, title, options, sku,
                                  unit_price, quantity, line_total)
         select $1, * from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                                  $8::bigint[], $9::integer[], $10::bigint[])",
        order.id,
        &lines.iter().map(|(part, _)| *part).collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| variant_ids[&l.sku]).collect::<Vec<_>>(),
        &lines
            .iter()
            .map(|(_, l)| l.product_slug.clone())
            .collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| l.title.clone()).collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| l.options.clone()).collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| l.sku.clone()).collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| l.unit_price.minor).collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| l.quantity as i32).collect::<Vec<_>>(),
        &lines.iter().map(|(_, l)| l.line_total.minor).collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    // The payment and the order's first event together. A local provider (test) opens its
    // payment here; a remote one (Stripe) is called after the commit, never holding locks.
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
        crate::payments::Payments::Test => Some(open().await.map_err(|_| AppError::Internal)?),
        _ => None,
    };
    sqlx::query!(
        "with paying as (
             insert into payments (id, order_id, provider, amount, currency, provider_ref)
             values ($1, $2, $3, $4, $5, $6))
         insert into order_events (order_id, to_status, actor) values ($2, 'pending_payment', $7)",
        payment,
        order.id,
        state.payments.provider(),
        quote.total.minor,
        currency.code(),
        local.as_ref().map(|l| l.provider_ref.clone()),
        actor()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    if local.is_none() {
        let started = open().await.map_err(|error| {
            tracing::error!(%error, "the payment provider refused to open a payment");
            AppError::Internal
        })?;
        sqlx::query!(
            "update payments set provider_ref = $2, client_secret = $3 where id = $1",
            payment,
            started.provider_ref,
            started.client_secret
        )
        .execute(&state.pool)
        .await?;
    }
    remember(order.id).await?;
    Ok(PlacedOrder {
        number: order.number,
        total: quote.total,
    })
}
