//! Cancelling what a shop can't send, before it ships: the whole part, or some units of some
//! lines. Either way the units go back on sale, what the shopper paid for them is refunded
//! through the payment provider, and the shopper is mailed.

use super::fulfilment::{close, part};
use super::restock::Restock;
use super::status::VendorOrderStatus;
use crate::accounts::mail::{self, Mail};
use crate::accounts::validate;
use crate::audit::{Action, By};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::money::refunds::{claw_back, refund_in};
use crate::money::shares::{discounted, line_refund};
use crate::state::AppState;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

const NOT_SHIPPED: &str = "Only parts waiting to be shipped can be cancelled; refund shipped ones instead.";

/// Cancels a part that has not shipped: what is left of it is refunded through the payment
/// provider, its items go back on sale, the shopper is mailed. One transaction that takes the
/// order's lock before it looks at the part's status, so a concurrent shipment, payment event
/// or second cancel either comes first (and this one is refused) or waits and finds it
/// cancelled: a part is never both refunded in full and shipped.
pub async fn cancel(state: &AppState, vendor_order: Uuid, reason: &str, by: &By<'_>) -> AppResult<()> {
    let reason = validate::text("reason", reason, 1, 300, "The reason")?;
    let mut tx = state.pool.begin().await?;
    let (_, _, status) = part(&mut tx, vendor_order).await?;
    if status != VendorOrderStatus::AwaitingFulfilment {
        return Err(AppError::Conflict(NOT_SHIPPED.into()));
    }
    let left = sqlx::query_scalar!(
        r#"select total - refunded as "left!" from vendor_orders where id = $1"#,
        vendor_order
    )
    .fetch_one(&mut *tx)
    .await?;
    // A part is cancelled once: its refund has one key whoever asks again.
    let vendor = if left > 0 {
        let ask = (left, Restock::Everything, "cancel");
        Some(refund_in(&mut tx, state, vendor_order, ask, &reason, by.label).await?)
    } else {
        None
    };
    close(
        &mut tx,
        vendor_order,
        VendorOrderStatus::Cancelled,
        by.label,
        &reason,
    )
    .await?;
    let after = json!({"part": vendor_order, "refunded": left, "reason": reason});
    by.log_part(&mut tx, Action::PartCancelled, vendor_order, after)
        .await?;
    let head = head(&mut tx, vendor_order).await?;
    let mail = Mail {
        subject: format!(
            "{} cancelled its part of your order #{}",
            head.vendor, head.number
        ),
        paragraphs: vec![
            format!(
                "{} can't send its items of your order #{}: {reason}",
                head.vendor, head.number
            ),
            "What you paid for them is refunded to your payment method; banks take a few days to show it."
                .into(),
        ],
        action: None,
    };
    mail::enqueue(&mut tx, &head.email, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    if let Some(vendor) = vendor {
        claw_back(state, vendor).await;
    }
    Ok(())
}

/// Cancels `quantity` units of order items (by id) of a part that has not shipped. Their price
/// and the tax on it are refunded (see `shares::line_refund`), the units go back on sale. When
/// nothing of the part would be left, the whole part is cancelled instead (shipping refunded
/// too). Bad input — no units, an item of another part, more units than are left — changes
/// nothing.
pub async fn cancel_lines(
    state: &AppState,
    vendor_order: Uuid,
    lines: &[(Uuid, i32)],
    reason: &str,
    key: &str,
    by: &By<'_>,
) -> AppResult<()> {
    let reason = validate::text("reason", reason, 1, 300, "The reason")?;
    let mut wanted: BTreeMap<Uuid, i32> = BTreeMap::new();
    for (item, quantity) in lines {
        if *quantity < 0 {
            return Err(AppError::invalid("lines", "Quantities can't be negative."));
        }
        *wanted.entry(*item).or_default() += quantity;
    }
    wanted.retain(|_, quantity| *quantity > 0);
    if wanted.is_empty() {
        return Err(AppError::invalid(
            "lines",
            "Choose how many units of which items to cancel.",
        ));
    }
    let mut tx = state.pool.begin().await?;
    let (_, _, status) = part(&mut tx, vendor_order).await?;
    // The same form sent twice: the first one cancelled and refunded.
    if crate::money::refunds::already_made(&mut tx, vendor_order, key).await? {
        return Ok(());
    }
    if status != VendorOrderStatus::AwaitingFulfilment {
        return Err(AppError::Conflict(NOT_SHIPPED.into()));
    }
    let items = sqlx::query!(
        "select id, variant_id, title, options, unit_price, quantity, cancelled_quantity
         from order_items where vendor_order_id = $1 order by id",
        vendor_order
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut what = Vec::new();
    for (id, quantity) in &wanted {
        let item = items
            .iter()
            .find(|i| i.id == *id)
            .ok_or_else(|| AppError::invalid("lines", "That item is not part of this order."))?;
        let left = item.quantity - item.cancelled_quantity;
        if *quantity > left {
            return Err(AppError::invalid(
                "lines",
                format!("Only {left} of “{}” can still be cancelled.", item.title),
            ));
        }
        let options = if item.options.is_empty() {
            String::new()
        } else {
            format!(" ({})", item.options)
        };
        what.push(format!("{quantity} × {}{options}", item.title));
    }
    let left_after: i32 = items
        .iter()
        .map(|i| i.quantity - i.cancelled_quantity - wanted.get(&i.id).copied().unwrap_or(0))
        .sum();
    if left_after == 0 {
        drop(tx);
        return cancel(state, vendor_order, &reason, by).await;
    }
    let totals = sqlx::query!(
        "select subtotal, discount, shipping, tax, total - refunded as \"left!\" from vendor_orders where id = $1",
        vendor_order
    )
    .fetch_one(&mut *tx)
    .await?;
    let cancelled_before: i64 = items
        .iter()
        .map(|i| i.unit_price * i64::from(i.cancelled_quantity))
        .sum();
    let cancelling: i64 = items
        .iter()
        .map(|i| i.unit_price * i64::from(wanted.get(&i.id).copied().unwrap_or(0)))
        .sum();
    // Goods at their list price, as the shopper paid for them after a discount.
    let paid = |goods: i64| discounted(goods, totals.subtotal, totals.discount);
    let amount = line_refund(
        (totals.subtotal - totals.discount, totals.shipping, totals.tax),
        paid(cancelled_before),
        paid(cancelled_before + cancelling) - paid(cancelled_before),
    )
    .min(totals.left);
    let mut restock: Vec<(Uuid, i32)> = Vec::new();
    for (id, quantity) in &wanted {
        let variant = sqlx::query_scalar!(
            "update order_items set cancelled_quantity = cancelled_quantity + $2 where id = $1 returning variant_id",
            id,
            quantity
        )
        .fetch_one(&mut *tx)
        .await?;
        restock.extend(variant.map(|v| (v, *quantity)));
    }
    restock.sort();
    for (variant, quantity) in restock {
        sqlx::query!(
            "update variants set stock_on_hand = stock_on_hand + $2 where id = $1",
            variant,
            quantity
        )
        .execute(&mut *tx)
        .await?;
    }
    let what = what.join(", ");
    let note = format!("cancelled {what}: {reason}");
    let vendor = if amount > 0 {
        let ask = (amount, Restock::Nothing, key);
        Some(refund_in(&mut tx, state, vendor_order, ask, &note, by.label).await?)
    } else {
        None
    };
    let after = json!({"part": vendor_order, "cancelled": what, "refunded": amount, "reason": reason});
    by.log_part(&mut tx, Action::LinesCancelled, vendor_order, after)
        .await?;
    let head = head(&mut tx, vendor_order).await?;
    let refunded = Money::new(amount, state.site.currency);
    let mail = Mail {
        subject: format!(
            "{} cancelled some items of your order #{}",
            head.vendor, head.number
        ),
        paragraphs: vec![
            format!(
                "{} can't send {what} of your order #{}: {reason}",
                head.vendor, head.number
            ),
            format!(
                "{refunded} is refunded to your payment method; banks take a few days to show it. The rest of your order is still coming."
            ),
        ],
        action: None,
    };
    mail::enqueue(&mut tx, &head.email, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    if let Some(vendor) = vendor {
        claw_back(state, vendor).await;
    }
    Ok(())
}

struct Head {
    number: i64,
    email: String,
    vendor: String,
}

/// The order number, the shopper's address and the shop's name, for the mail.
async fn head(tx: &mut sqlx::PgConnection, vendor_order: Uuid) -> AppResult<Head> {
    let row = sqlx::query!(
        r#"select o.number, o.email::text as "email!", v.name as vendor
           from vendor_orders vo join orders o on o.id = vo.order_id join vendors v on v.id = vo.vendor_id
           where vo.id = $1"#,
        vendor_order
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Head {
        number: row.number,
        email: row.email,
        vendor: row.vendor,
    })
}
