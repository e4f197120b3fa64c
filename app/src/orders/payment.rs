//! What a payment's outcome does to its order: paid (stock sold, cart emptied, shopper mailed),
//! or closed unpaid (stock released), and the expiry of orders not paid in time.

use super::status::{OrderStatus, VendorOrderStatus};
use super::transitions::{
    StockMove, lock, move_stock, set_order_status, set_vendor_status, take_stock, vendor_orders,
};
use crate::accounts::mail::{self, Mail};
use crate::error::AppResult;
use crate::money::Money;
use crate::money::refunds::refund;
use crate::state::AppState;
use sqlx::PgConnection;
use uuid::Uuid;

/// Applies a successful payment of `order`, once: pending → paid (reservations become sales),
/// vendor orders open for fulfilment, the ordered items leave the cart, the shopper is mailed.
/// A payment that succeeds after the order failed or expired is taken too; when its stock is
/// gone meanwhile the order is refunded in full rather than oversold.
#[tracing::instrument(skip_all, fields(order = %order))]
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
    set_every_part(&mut tx, order, VendorOrderStatus::AwaitingFulfilment, actor).await?;
    crate::money::ledger::book_sale(&mut tx, order).await?;
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
                (part.total, super::restock::Restock::Nothing),
                "Sold out before the payment arrived",
                "sold-out",
                &crate::audit::By::system("system"),
            )
            .await?;
        }
    }
    Ok(())
}

/// Moves every shop's part of `order` to `to`.
async fn set_every_part(
    tx: &mut PgConnection,
    order: Uuid,
    to: VendorOrderStatus,
    actor: &str,
) -> AppResult<()> {
    for (vendor_order, from) in vendor_orders(tx, order).await? {
        set_vendor_status(tx, order, vendor_order, from, to, actor, "").await?;
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
/// (`Expired`) or it was cancelled. The reservation is released, and the use of its discount
/// code, if any. Does nothing when the order
/// is no longer waiting for payment (a failure never undoes a success).
#[tracing::instrument(skip_all, fields(order = %order, to = ?to))]
pub async fn close_unpaid(
    state: &AppState,
    order: Uuid,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<bool> {
    let mut tx = state.pool.begin().await?;
    let Some(provider_ref) = close_unpaid_in(&mut tx, order, to, actor, note).await? else {
        return Ok(false);
    };
    tx.commit().await?;
    if to != OrderStatus::PaymentFailed {
        cancel_at_provider(state, order, provider_ref).await;
    }
    Ok(true)
}

/// `close_unpaid` within `tx`: `None` when the order was no longer waiting for payment, else
/// the provider's reference of its payment, to cancel there once `tx` is committed.
pub(crate) async fn close_unpaid_in(
    tx: &mut PgConnection,
    order: Uuid,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<Option<Option<String>>> {
    let status = lock(tx, order).await?;
    if status != OrderStatus::PendingPayment {
        return Ok(None);
    }
    // The code's row before the variants', as placing an order locks them.
    crate::discounts::redeem::release(tx, order).await?;
    move_stock(tx, order, None, StockMove::Release).await?;
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
    set_order_status(tx, order, status, to, actor, note).await?;
    set_every_part(tx, order, VendorOrderStatus::Cancelled, actor).await?;
    Ok(Some(provider_ref))
}

/// Cancels the payment of a closed order with the provider (after the closing commit).
pub(crate) async fn cancel_at_provider(state: &AppState, order: Uuid, provider_ref: Option<String>) {
    if let Some(reference) = provider_ref
        && let Err(error) = state.payments.cancel(&reference).await
    {
        tracing::warn!(%error, %order, "cancelling the payment with the provider failed");
    }
}

/// Expires orders not paid in time, batch after batch while batches come back full, for up to
/// `budget`: a burst of abandoned checkouts drains as fast as the database allows instead of one
/// batch per run of the job, so their stock is back on sale when it should be. Returns how many
/// were expired.
#[tracing::instrument(skip_all)]
pub async fn expire_backlog(state: &AppState, batch: i64, budget: std::time::Duration) -> AppResult<usize> {
    let started = std::time::Instant::now();
    let mut expired = 0;
    loop {
        let done = expire_due(state, batch).await?;
        expired += done;
        if (done as i64) < batch || started.elapsed() >= budget {
            return Ok(expired);
        }
    }
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

/// The order confirmation, in the outbox of the paying transaction.
pub(crate) async fn confirmation_mail(tx: &mut PgConnection, state: &AppState, order: Uuid) -> AppResult<()> {
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
