//! Refunds of a vendor order's part, through the payment provider, and refunds the provider
//! reports that were made elsewhere.

use super::server::{StockMove, lock, move_stock, set_order_status};
use super::status::OrderStatus;
use crate::accounts::model::VendorRole;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use uuid::Uuid;

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
        "select vo.total, vo.refunded, vo.vendor_id, o.total as order_total, o.refunded_total, p.id as payment_id, p.provider_ref
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
    crate::vendors::ledger::book_refund(&mut tx, refund_id, vendor_order, amount, part.refunded).await?;
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
    // A shop already paid out for this sale gives the money back from its transfer.
    if let Err(error) = crate::vendors::payouts::claw_back(state, part.vendor_id).await {
        tracing::error!(?error, %vendor_order, "taking a refund back from a payout failed; the shop's balance shows what it owes");
    }
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

/// Refunds are for the owner of the vendor order's shop and for platform admins.
pub async fn authorize_refund(state: &AppState, vendor_order: Uuid) -> AppResult<()> {
    super::fulfilment::authorize_part(state, vendor_order, VendorRole::Owner).await
}
