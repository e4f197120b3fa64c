//! Placing orders and moving them through their states. Every status change goes through
//! `set_order_status` / `set_vendor_status` (checked against `status.rs`, recorded in
//! `order_events`), and stock moves with it: reserved at placement, sold on payment, released
//! on failure, expiry or cancellation, optionally restocked on refund.

use super::model::PlacedOrder;
use super::status::{OrderStatus, VendorOrderStatus};
use crate::accounts::identity::{self, current_user, session_error};
use crate::accounts::mail::{self, Mail};
use crate::accounts::model::AddressInput;
use crate::cart::model::Destination;
use crate::cart::server as cart;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

/// Session key of the orders this browser may see without an account (placed or looked up).
const ORDERS_KEY: &str = "orders";
/// At most this many such orders are remembered per session.
const ORDERS_REMEMBERED: usize = 20;

/// Who made a change, as recorded in `order_events`.
pub fn actor() -> String {
    match current_user() {
        Some(user) => format!("user:{}", user.id),
        None => "guest".into(),
    }
}

/// Lets this browser see `order` (it placed or looked it up).
pub async fn remember(order: Uuid) -> AppResult<()> {
    let session = identity::session()?;
    let mut known: Vec<Uuid> = session
        .get(ORDERS_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or_default();
    if !known.contains(&order) {
        known.insert(0, order);
        known.truncate(ORDERS_REMEMBERED);
        session.insert(ORDERS_KEY, known).await.map_err(session_error)?;
    }
    Ok(())
}

/// Whether the current request may see the order `id` of `owner`: its owner, a platform admin,
/// or the browser that placed or looked it up. Anyone else is told it does not exist.
pub async fn authorize(id: Uuid, owner: Option<Uuid>) -> AppResult<()> {
    if let Some(user) = current_user()
        && (owner.is_some_and(|o| o.to_string() == user.id) || user.is_admin)
    {
        return Ok(());
    }
    let known: Vec<Uuid> = identity::session()?
        .get(ORDERS_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or_default();
    if known.contains(&id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

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
    let lines = cart::lines(state, checkout.cart).await?;
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
    let destination = Destination {
        country: checkout.address.country.clone(),
        region: checkout.address.region.clone(),
    };
    let vendor_ids: HashMap<String, Uuid> = lines
        .iter()
        .map(|l| (l.vendor.slug.clone(), l.vendor_id))
        .collect();
    let variant_ids: HashMap<String, Uuid> =
        lines.iter().map(|l| (l.line.sku.clone(), l.variant_id)).collect();
    let quote = cart::price(state, lines, destination, checkout.methods).await?;
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
    let local = match state.payments {
        crate::payments::Payments::Test => Some(
            state
                .payments
                .start(
                    payment,
                    quote.total.minor,
                    currency.code(),
                    checkout.idempotency_key,
                )
                .await
                .map_err(|_| AppError::Internal)?,
        ),
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
        let started = state
            .payments
            .start(
                payment,
                quote.total.minor,
                currency.code(),
                checkout.idempotency_key,
            )
            .await
            .map_err(|error| {
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

async fn record(
    tx: &mut PgConnection,
    order: Uuid,
    vendor_order: Option<Uuid>,
    from: Option<&str>,
    to: &str,
    actor: &str,
    note: &str,
) -> AppResult<()> {
    sqlx::query!(
        "insert into order_events (order_id, vendor_order_id, from_status, to_status, actor, note)
         values ($1, $2, $3, $4, $5, $6)",
        order,
        vendor_order,
        from,
        to,
        actor,
        note
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// An update guarded by the status it was read with changed nothing: someone else moved first.
fn unchanged_since_read(changed: u64) -> AppResult<()> {
    if changed == 0 {
        Err(AppError::Conflict(
            "The order changed meanwhile. Reload and try again.".into(),
        ))
    } else {
        Ok(())
    }
}

/// The only way an order's status changes: checked, applied, recorded.
pub async fn set_order_status(
    tx: &mut PgConnection,
    order: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<()> {
    if !from.can_become(to) {
        return Err(AppError::Conflict(format!(
            "An order that is “{}” can't become “{}”.",
            from.label(),
            to.label()
        )));
    }
    let changed = sqlx::query!(
        "update orders set status = $3, paid_at = case when $3 = 'paid' then coalesce(paid_at, now()) else paid_at end
         where id = $1 and status = $2",
        order,
        from.as_str(),
        to.as_str()
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    unchanged_since_read(changed)?;
    record(tx, order, None, Some(from.as_str()), to.as_str(), actor, note).await
}

/// The only way a vendor order's status changes: checked, applied, recorded.
pub async fn set_vendor_status(
    tx: &mut PgConnection,
    order: Uuid,
    vendor_order: Uuid,
    from: VendorOrderStatus,
    to: VendorOrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<()> {
    if !from.can_become(to) {
        return Err(AppError::Conflict(format!(
            "A shipment that is “{}” can't become “{}”.",
            from.label(),
            to.label()
        )));
    }
    let changed = sqlx::query!(
        "update vendor_orders set status = $3,
                shipped_at = case when $3 = 'shipped' then now() else shipped_at end,
                delivered_at = case when $3 = 'delivered' then now() else delivered_at end
         where id = $1 and status = $2",
        vendor_order,
        from.as_str(),
        to.as_str()
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    unchanged_since_read(changed)?;
    record(
        tx,
        order,
        Some(vendor_order),
        Some(from.as_str()),
        to.as_str(),
        actor,
        note,
    )
    .await
}

/// Locks the order and returns its status.
async fn lock(tx: &mut PgConnection, order: Uuid) -> AppResult<OrderStatus> {
    let status = sqlx::query_scalar!("select status from orders where id = $1 for update", order)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    OrderStatus::parse(&status).ok_or(AppError::Internal)
}

/// The units of each variant in `order`, in variant order, with the variants locked.
async fn quantities(
    tx: &mut PgConnection,
    order: Uuid,
    vendor_order: Option<Uuid>,
) -> AppResult<Vec<(Uuid, i32)>> {
    let rows = sqlx::query!(
        r#"select v.id, sum(i.quantity)::integer as "quantity!"
           from order_items i join variants v on v.id = i.variant_id
           where i.order_id = $1 and ($2::uuid is null or i.vendor_order_id = $2)
           group by v.id order by v.id"#,
        order,
        vendor_order
    )
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    sqlx::query!(
        "select id from variants where id = any($1) order by id for update",
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.quantity)).collect())
}

/// How stock moves with a change of status.
#[derive(Clone, Copy, PartialEq)]
enum StockMove {
    /// Reserved units are sold: they leave the shelf and the reservation.
    Sell,
    /// Reserved units go back on sale.
    Release,
    /// Sold units come back (restock on refund or cancellation after payment).
    Restock,
}

async fn move_stock(
    tx: &mut PgConnection,
    order: Uuid,
    vendor_order: Option<Uuid>,
    how: StockMove,
) -> AppResult<()> {
    for (variant, quantity) in quantities(tx, order, vendor_order).await? {
        let (on_hand, reserved) = match how {
            StockMove::Sell => (-quantity, -quantity),
            StockMove::Release => (0, -quantity),
            StockMove::Restock => (quantity, 0),
        };
        sqlx::query!(
            "update variants set stock_on_hand = stock_on_hand + $2, stock_reserved = stock_reserved + $3 where id = $1",
            variant,
            on_hand,
            reserved
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Takes stock for an order whose reservation was already released (a payment that succeeded
/// late). Returns false, changing nothing, when some item is no longer there.
async fn take_stock(tx: &mut PgConnection, order: Uuid) -> AppResult<bool> {
    let wanted = quantities(tx, order, None).await?;
    for (variant, quantity) in &wanted {
        let available = sqlx::query_scalar!(
            r#"select stock_on_hand - stock_reserved as "n!" from variants where id = $1"#,
            variant
        )
        .fetch_one(&mut *tx)
        .await?;
        if available < *quantity {
            return Ok(false);
        }
    }
    for (variant, quantity) in wanted {
        sqlx::query!(
            "update variants set stock_on_hand = stock_on_hand - $2 where id = $1",
            variant,
            quantity
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(true)
}

async fn vendor_orders(tx: &mut PgConnection, order: Uuid) -> AppResult<Vec<(Uuid, VendorOrderStatus)>> {
    let rows = sqlx::query!(
        "select id, status from vendor_orders where order_id = $1 order by id",
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.id,
                VendorOrderStatus::parse(&r.status).ok_or(AppError::Internal)?,
            ))
        })
        .collect()
}

/// Applies a successful payment of `order`, once: pending → paid (reservations become sales),
/// vendor orders open for fulfilment, the ordered items leave the cart, the shopper is mailed.
/// A payment that succeeds after the order failed or expired is taken too; when its stock is
/// gone meanwhile the order is refunded in full rather than oversold.
pub async fn payment_succeeded(state: &AppState, order: Uuid, actor: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let status = lock(&mut tx, order).await?;
    if status.is_paid() {
        return Ok(()); // already applied
    }
    let mut refund_all = false;
    if status == OrderStatus::PendingPayment {
        move_stock(&mut tx, order, None, StockMove::Sell).await?;
    } else if !take_stock(&mut tx, order).await? {
        refund_all = true;
    }
    sqlx::query!(
        "update payments set status = 'succeeded', failure_message = null where order_id = $1",
        order
    )
    .execute(&mut *tx)
    .await?;
    let note = if status == OrderStatus::PendingPayment {
        ""
    } else {
        "payment succeeded after the order had closed"
    };
    set_order_status(&mut tx, order, status, OrderStatus::Paid, actor, note).await?;
    for (vendor_order, vendor_status) in vendor_orders(&mut tx, order).await? {
        set_vendor_status(
            &mut tx,
            order,
            vendor_order,
            vendor_status,
            VendorOrderStatus::AwaitingFulfilment,
            actor,
            "",
        )
        .await?;
    }
    clear_ordered_items(&mut tx, order).await?;
    confirmation_mail(&mut tx, state, order).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    if refund_all {
        tracing::warn!(%order, "late payment for stock that is gone: refunding in full");
        let parts = sqlx::query!("select id, total from vendor_orders where order_id = $1", order)
            .fetch_all(&state.pool)
            .await?;
        for part in parts {
            refund(
                state,
                part.id,
                part.total,
                false,
                "Sold out before the payment arrived",
                "system",
            )
            .await?;
        }
    }
    Ok(())
}

/// Removes what was ordered from the cart it was ordered from.
async fn clear_ordered_items(tx: &mut PgConnection, order: Uuid) -> AppResult<()> {
    sqlx::query!(
        "delete from cart_items ci using orders o,
                (select variant_id, sum(quantity) as q from order_items where order_id = $1 group by variant_id) i
         where o.id = $1 and ci.cart_id = o.cart_id and ci.variant_id = i.variant_id and ci.quantity <= i.q",
        order
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update cart_items ci set quantity = ci.quantity - i.q from orders o,
                (select variant_id, sum(quantity)::integer as q from order_items where order_id = $1 group by variant_id) i
         where o.id = $1 and ci.cart_id = o.cart_id and ci.variant_id = i.variant_id",
        order
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Closes an unpaid order: its payment failed (`PaymentFailed`), it was not paid in time
/// (`Expired`) or it was cancelled. The reservation is released. Does nothing when the order
/// is no longer waiting for payment (a failure never undoes a success).
pub async fn close_unpaid(
    state: &AppState,
    order: Uuid,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<bool> {
    let mut tx = state.pool.begin().await?;
    let status = lock(&mut tx, order).await?;
    if status != OrderStatus::PendingPayment {
        return Ok(false);
    }
    move_stock(&mut tx, order, None, StockMove::Release).await?;
    let payment_status = if to == OrderStatus::PaymentFailed {
        "failed"
    } else {
        "canceled"
    };
    let provider_ref = sqlx::query_scalar!(
        "update payments set status = $2, failure_message = nullif($3, '') where order_id = $1 returning provider_ref",
        order,
        payment_status,
        note
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    set_order_status(&mut tx, order, status, to, actor, note).await?;
    for (vendor_order, vendor_status) in vendor_orders(&mut tx, order).await? {
        set_vendor_status(
            &mut tx,
            order,
            vendor_order,
            vendor_status,
            VendorOrderStatus::Cancelled,
            actor,
            "",
        )
        .await?;
    }
    tx.commit().await?;
    if to != OrderStatus::PaymentFailed
        && let Some(reference) = provider_ref
        && let Err(error) = state.payments.cancel(&reference).await
    {
        tracing::warn!(%error, %order, "cancelling the payment with the provider failed");
    }
    Ok(true)
}

/// Expires orders not paid in time, a batch at a time; safe with several instances.
pub async fn expire_due(state: &AppState, limit: i64) -> AppResult<usize> {
    let due = sqlx::query_scalar!(
        "select id from orders where status = 'pending_payment' and expires_at < now()
         order by expires_at limit $1",
        limit
    )
    .fetch_all(&state.pool)
    .await?;
    let mut expired = 0;
    for order in due {
        if close_unpaid(
            state,
            order,
            OrderStatus::Expired,
            "job:expiry",
            "not paid in time",
        )
        .await?
        {
            expired += 1;
        }
    }
    Ok(expired)
}

/// Refunds `amount` of one vendor order through the payment provider. With `restock`, its
/// items go back on sale. The order becomes refunded or partially refunded.
pub async fn refund(
    state: &AppState,
    vendor_order: Uuid,
    amount: i64,
    restock: bool,
    reason: &str,
    actor: &str,
) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let order = sqlx::query_scalar!("select order_id from vendor_orders where id = $1", vendor_order)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = lock(&mut tx, order).await?;
    if !status.is_paid() {
        return Err(AppError::Conflict("Only paid orders can be refunded.".into()));
    }
    let part = sqlx::query!(
        "select vo.total, vo.refunded, o.total as order_total, o.refunded_total, p.id as payment_id, p.provider_ref
         from vendor_orders vo join orders o on o.id = vo.order_id join payments p on p.order_id = o.id
         where vo.id = $1",
        vendor_order
    )
    .fetch_one(&mut *tx)
    .await?;
    let refundable = part.total - part.refunded;
    if amount <= 0 || amount > refundable {
        return Err(AppError::invalid(
            "amount",
            format!(
                "Refund between 0.01 and {} (what is left of this part of the order).",
                Money::new(refundable, state.site.currency)
            ),
        ));
    }
    let reason = reason.trim();
    let refund_id = Uuid::now_v7();
    let provider_ref = state
        .payments
        .refund(
            part.provider_ref.as_deref().unwrap_or_default(),
            amount,
            refund_id,
        )
        .await
        .map_err(|error| {
            tracing::error!(%error, "the payment provider refused a refund");
            AppError::Conflict("The payment provider refused the refund. Try again later.".into())
        })?;
    sqlx::query!(
        "insert into refunds (id, payment_id, vendor_order_id, amount, reason, restock, provider_ref, actor)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        refund_id,
        part.payment_id,
        vendor_order,
        amount,
        reason,
        restock,
        provider_ref,
        actor
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update vendor_orders set refunded = refunded + $2 where id = $1",
        vendor_order,
        amount
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update orders set refunded_total = refunded_total + $2 where id = $1",
        order,
        amount
    )
    .execute(&mut *tx)
    .await?;
    if restock {
        move_stock(&mut tx, order, Some(vendor_order), StockMove::Restock).await?;
    }
    let to = if part.refunded_total + amount == part.order_total {
        OrderStatus::Refunded
    } else {
        OrderStatus::PartiallyRefunded
    };
    let note = format!("refund of {}: {reason}", Money::new(amount, state.site.currency));
    set_order_status(&mut tx, order, status, to, actor, &note).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a refund made at the provider (its dashboard) rather than through us: `cumulative` is
/// everything refunded on the payment so far. Refunds we made are already counted, so their
/// echo changes nothing. Booked on the order as a whole; which shop it concerns is for people.
pub async fn refunded_elsewhere(
    state: &AppState,
    order: Uuid,
    cumulative: i64,
    actor: &str,
) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let status = lock(&mut tx, order).await?;
    let (total, refunded) =
        sqlx::query_as::<_, (i64, i64)>("select total, refunded_total from orders where id = $1")
            .bind(order)
            .fetch_one(&mut *tx)
            .await?;
    let cumulative = cumulative.min(total);
    if cumulative <= refunded || !status.is_paid() {
        return Ok(());
    }
    sqlx::query!(
        "update orders set refunded_total = $2 where id = $1",
        order,
        cumulative
    )
    .execute(&mut *tx)
    .await?;
    let to = if cumulative == total {
        OrderStatus::Refunded
    } else {
        OrderStatus::PartiallyRefunded
    };
    let note = format!(
        "refund of {} made at the payment provider",
        Money::new(cumulative - refunded, state.site.currency)
    );
    set_order_status(&mut tx, order, status, to, actor, &note).await?;
    tx.commit().await?;
    Ok(())
}

/// The order confirmation, in the outbox of the paying transaction.
async fn confirmation_mail(tx: &mut PgConnection, state: &AppState, order: Uuid) -> AppResult<()> {
    let head = sqlx::query!(
        "select number, email::text as \"email!\", total, user_id from orders where id = $1",
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    let items = sqlx::query!(
        "select i.title, i.options, i.quantity, i.line_total, v.name as vendor
         from order_items i join vendor_orders vo on vo.id = i.vendor_order_id join vendors v on v.id = vo.vendor_id
         where i.order_id = $1 order by v.name, i.title",
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    let currency = state.site.currency;
    let mut paragraphs = vec![format!(
        "Thank you for your order #{}. We've received your payment of {}.",
        head.number,
        Money::new(head.total, currency)
    )];
    for item in items {
        let options = if item.options.is_empty() {
            String::new()
        } else {
            format!(" ({})", item.options)
        };
        paragraphs.push(format!(
            "{} × {}{} from {}: {}",
            item.quantity,
            item.title,
            options,
            item.vendor,
            Money::new(item.line_total, currency)
        ));
    }
    paragraphs.push("Each shop ships its part separately; we'll write when it is on its way.".into());
    let link = if head.user_id.is_some() {
        format!("{}/orders/{}", state.site.public_url, head.number)
    } else {
        format!("{}/orders/lookup?number={}", state.site.public_url, head.number)
    };
    let mail = Mail {
        subject: format!("Your order #{} is confirmed", head.number),
        paragraphs,
        action: Some(("See your order".into(), link)),
    };
    mail::enqueue(tx, &head.email, &mail).await
}

/// Refunds are for the owner of the vendor order's shop and for platform admins. Anyone else
/// is told the order part does not exist.
pub async fn authorize_refund(state: &AppState, vendor_order: Uuid) -> AppResult<()> {
    let user = identity::require_user()?;
    let vendor = sqlx::query_scalar!(
        "select v.slug from vendor_orders vo join vendors v on v.id = vo.vendor_id where vo.id = $1",
        vendor_order
    )
    .fetch_optional(&state.pool)
    .await?;
    if user.is_admin {
        identity::require_admin()?;
        return vendor.map(|_| ()).ok_or(AppError::NotFound);
    }
    match vendor.and_then(|slug| user.membership(&slug).cloned()) {
        Some(m) if m.role == crate::accounts::model::VendorRole::Owner => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}
