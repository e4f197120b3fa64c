//! The primitives every status change and stock move is made of: recording an event, setting an
//! order's or a shop part's status (checked against `status.rs`), locking an order, and moving
//! its stock. `payment`, `fulfilment`, `cancellation` and `money::refunds` build on them.

use super::status::{OrderStatus, VendorOrderStatus};
use crate::error::{AppError, AppResult};
use sqlx::PgConnection;
use uuid::Uuid;

pub(super) async fn record(
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
pub(crate) async fn lock(tx: &mut PgConnection, order: Uuid) -> AppResult<OrderStatus> {
    sqlx::query_scalar!(
        r#"select status as "status: OrderStatus" from orders where id = $1 for update"#,
        order
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)
}

/// The units of each variant in `order`, in variant order, with the variants locked.
pub(super) async fn quantities(
    tx: &mut PgConnection,
    order: Uuid,
    vendor_order: Option<Uuid>,
) -> AppResult<Vec<(Uuid, i32)>> {
    let rows = sqlx::query!(
        r#"select v.id, sum(i.quantity - i.cancelled_quantity)::integer as "quantity!"
           from order_items i join variants v on v.id = i.variant_id
           where i.order_id = $1 and ($2::uuid is null or i.vendor_order_id = $2)
             and i.quantity > i.cancelled_quantity
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
pub(super) enum StockMove {
    /// Reserved units are sold: they leave the shelf and the reservation.
    Sell,
    /// Reserved units go back on sale.
    Release,
}

pub(super) async fn move_stock(
    tx: &mut PgConnection,
    order: Uuid,
    vendor_order: Option<Uuid>,
    how: StockMove,
) -> AppResult<()> {
    for (variant, quantity) in quantities(tx, order, vendor_order).await? {
        let (on_hand, reserved) = match how {
            StockMove::Sell => (-quantity, -quantity),
            StockMove::Release => (0, -quantity),
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
pub(super) async fn take_stock(tx: &mut PgConnection, order: Uuid) -> AppResult<bool> {
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

pub(super) async fn vendor_orders(
    tx: &mut PgConnection,
    order: Uuid,
) -> AppResult<Vec<(Uuid, VendorOrderStatus)>> {
    let rows = sqlx::query!(
        r#"select id, status as "status: VendorOrderStatus" from vendor_orders where order_id = $1 order by id"#,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.status)).collect())
}
