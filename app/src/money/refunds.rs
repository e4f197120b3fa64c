//! Refunds of a vendor order's part, through the payment provider, and refunds the provider
//! reports that were made elsewhere (spread over the order's parts).

use super::shares::spread;
use crate::accounts::model::VendorRole;
use crate::accounts::viewer::Viewer;
use crate::audit::{Action, By};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders::restock::{Restock, put_back};
use crate::orders::status::OrderStatus;
use crate::orders::transitions::{lock, set_order_status};
use crate::state::AppState;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

/// Refunds `amount` of one vendor order through the payment provider; `restock` names the
/// units that go back on sale (each unit at most once). The order becomes refunded or partially
/// refunded. `key` names this refund (the refund form's token): asked again with the same key,
/// it is refunded once (and logged once, when a person asked: `by`).
#[tracing::instrument(skip_all, fields(vendor_order = %vendor_order, amount = amount))]
pub async fn refund(
    state: &AppState,
    vendor_order: Uuid,
    (amount, restock): (i64, Restock<'_>),
    reason: &str,
    key: &str,
    by: &By<'_>,
) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let repeat = already_made(&mut tx, vendor_order, key).await?;
    let restocked = restock.any();
    let ask = (amount, restock, key);
    let vendor = refund_in(&mut tx, state, vendor_order, ask, reason, by.label).await?;
    if !repeat {
        let after =
            json!({"part": vendor_order, "amount": amount, "reason": reason.trim(), "restocked": restocked});
        by.log_part(&mut tx, Action::OrderRefunded, vendor_order, after)
            .await?;
    }
    tx.commit().await?;
    claw_back(state, vendor).await;
    Ok(())
}

/// A fresh key for a refund that is its own operation (one call, no form behind it).
pub fn new_key() -> String {
    Uuid::now_v7().to_string()
}

/// Checks a refund key sent by a client: letters, digits and dashes, at most 64.
pub fn check_key(key: &str) -> AppResult<()> {
    if (1..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "This refund form is out of date. Reload the page.".into(),
        ))
    }
}

/// The id of the refund asked for with `key` on `vendor_order`: the same for every repeat of the
/// ask, so the refund is recorded once, and the provider (whose idempotency key is made from it)
/// refunds once, also when its first answer never arrived.
fn refund_id(vendor_order: Uuid, key: &str) -> Uuid {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(format!("refund:{vendor_order}:{key}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Whether the ask named `key` was already refunded on `vendor_order` (a repeated form).
pub(crate) async fn already_made(tx: &mut PgConnection, vendor_order: Uuid, key: &str) -> AppResult<bool> {
    let id = refund_id(vendor_order, key);
    Ok(sqlx::query_scalar!("select id from refunds where id = $1", id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some())
}

/// A refund of `amount` of one part, within `tx`: checked against what is left of the part,
/// made at the provider, recorded and booked. A repeat of an ask already made (same `key`)
/// changes nothing. Returns the part's shop. The caller commits, then claws back.
pub(crate) async fn refund_in(
    tx: &mut PgConnection,
    state: &AppState,
    vendor_order: Uuid,
    (amount, restock, key): (i64, Restock<'_>, &str),
    reason: &str,
    actor: &str,
) -> AppResult<Uuid> {
    let order = sqlx::query_scalar!("select order_id from vendor_orders where id = $1", vendor_order)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = lock(tx, order).await?;
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
    let refund_id = refund_id(vendor_order, key);
    // The order's lock is held: a double submit waits here, then finds the first one's refund.
    if let Some(done) = sqlx::query_scalar!("select amount from refunds where id = $1", refund_id)
        .fetch_optional(&mut *tx)
        .await?
    {
        return if done == amount {
            Ok(part.vendor_id)
        } else {
            Err(AppError::BadRequest(
                "This refund form was already used. Reload the page.".into(),
            ))
        };
    }
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
    // Checked and applied before the provider is asked: refused units refund nothing.
    put_back(tx, vendor_order, restock).await?;
    let provider_ref = state
        .payments
        .refund(
            part.provider_ref.as_deref().unwrap_or_default(),
            amount,
            refund_id,
        )
        .await
        .map_err(|error| {
            // Nothing is recorded either way; an unclear answer may have refunded, so the same
            // ask again (same key) is what settles it, without refunding twice.
            if crate::payments::stripe::is_definite(&error) {
                tracing::error!(%error, "the payment provider refused a refund");
                AppError::Conflict("The payment provider refused the refund.".into())
            } else {
                tracing::error!(%error, %refund_id, "the payment provider did not answer a refund");
                AppError::Conflict(
                    "The payment provider did not answer. Send the same refund again: it is not refunded twice."
                        .into(),
                )
            }
        })?;
    let row = RefundRow {
        id: refund_id,
        payment: part.payment_id,
        vendor_order,
        amount,
        refunded_before: part.refunded,
        reason,
        restock: restock.any(),
        provider_ref: Some(provider_ref),
        actor,
    };
    record(tx, &row).await?;
    let note = format!("refund of {}: {reason}", Money::new(amount, state.site.currency));
    let refunded = (part.refunded_total + amount, part.order_total);
    set_refunded(tx, order, status, refunded, actor, &note).await?;
    Ok(part.vendor_id)
}

/// A refund of one part, made: its row, the shop's ledger entries, the part's refunded sum.
struct RefundRow<'a> {
    id: Uuid,
    payment: Uuid,
    vendor_order: Uuid,
    amount: i64,
    refunded_before: i64,
    reason: &'a str,
    restock: bool,
    provider_ref: Option<String>,
    actor: &'a str,
}

async fn record(tx: &mut PgConnection, row: &RefundRow<'_>) -> AppResult<()> {
    sqlx::query!(
        "insert into refunds (id, payment_id, vendor_order_id, amount, reason, restock, provider_ref, actor)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        row.id,
        row.payment,
        row.vendor_order,
        row.amount,
        row.reason,
        row.restock,
        row.provider_ref,
        row.actor
    )
    .execute(&mut *tx)
    .await?;
    super::ledger::book_refund(tx, row.id, row.vendor_order, row.amount, row.refunded_before).await?;
    sqlx::query!(
        "update vendor_orders set refunded = refunded + $2 where id = $1",
        row.vendor_order,
        row.amount
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A shop already paid out for a sale gives a refund back from its transfer.
pub(crate) async fn claw_back(state: &AppState, vendor: Uuid) {
    if let Err(error) = super::clawback::claw_back(state, vendor).await {
        tracing::error!(?error, %vendor, "taking a refund back from a payout failed; the shop's balance shows what it owes");
    }
}

/// Records a refund made at the provider (its dashboard) rather than through us: `cumulative` is
/// everything refunded on the payment so far. Refunds we made are already counted, so their
/// echo changes nothing. The provider knows nothing of shops, so the new amount is spread over
/// the order's parts in proportion to what is left of each, and booked in their ledgers.
pub async fn refunded_elsewhere(
    state: &AppState,
    order: Uuid,
    cumulative: i64,
    actor: &str,
) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let status = lock(&mut tx, order).await?;
    let head = sqlx::query!(
        "select o.total, o.refunded_total, p.id as payment_id
         from orders o join payments p on p.order_id = o.id where o.id = $1",
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    let cumulative = cumulative.min(head.total);
    if cumulative <= head.refunded_total || !status.is_paid() {
        return Ok(());
    }
    let new = cumulative - head.refunded_total;
    let parts = sqlx::query!(
        "select id, vendor_id, refunded, total - refunded as \"left!\" from vendor_orders where order_id = $1 order by id",
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    let left: Vec<i64> = parts.iter().map(|p| p.left).collect();
    let reason = "made at the payment provider";
    let mut shops = Vec::new();
    for (part, amount) in parts.iter().zip(spread(new, &left)) {
        if amount == 0 {
            continue;
        }
        shops.push(part.vendor_id);
        let row = RefundRow {
            id: Uuid::now_v7(),
            payment: head.payment_id,
            vendor_order: part.id,
            amount,
            refunded_before: part.refunded,
            reason,
            restock: false,
            provider_ref: None,
            actor,
        };
        record(&mut tx, &row).await?;
    }
    let note = format!("refund of {} {reason}", Money::new(new, state.site.currency));
    set_refunded(&mut tx, order, status, (cumulative, head.total), actor, &note).await?;
    tx.commit().await?;
    for shop in shops {
        claw_back(state, shop).await;
    }
    Ok(())
}

/// The order's refunded total becomes `refunded` of its `total`: it is refunded, in full or in
/// part, recorded with `note`.
async fn set_refunded(
    tx: &mut PgConnection,
    order: Uuid,
    status: OrderStatus,
    (refunded, total): (i64, i64),
    actor: &str,
    note: &str,
) -> AppResult<()> {
    sqlx::query!(
        "update orders set refunded_total = $2 where id = $1",
        order,
        refunded
    )
    .execute(&mut *tx)
    .await?;
    let to = if refunded == total {
        OrderStatus::Refunded
    } else {
        OrderStatus::PartiallyRefunded
    };
    set_order_status(tx, order, status, to, actor, note).await
}

/// Refunds (and cancellations, which refund) are for the owner of the vendor order's shop and
/// for platform admins, in a session that passed a second factor or confirmed who it is lately.
pub async fn authorize_refund(state: &AppState, viewer: &Viewer, vendor_order: Uuid) -> AppResult<()> {
    crate::orders::fulfilment::authorize_part(state, viewer, vendor_order, VendorRole::Owner).await?;
    viewer.confirmed().map(|_| ())
}
