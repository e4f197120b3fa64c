//! A shop's part of an order on its way: shipped with carrier and tracking number (the shopper
//! is mailed), then delivered; the order completes when every part is delivered or cancelled
//! (see `cancellation`).

use super::status::{OrderStatus, VendorOrderStatus};
use super::transitions::{lock, set_order_status, set_vendor_status};
use crate::accounts::mail::{self, Mail};
use crate::accounts::model::VendorRole;
use crate::accounts::validate;
use crate::accounts::viewer::Viewer;
use crate::error::{AppError, AppResult, Problems};
use crate::state::AppState;
use uuid::Uuid;

/// A member of the part's shop with at least `role` (staff: any member), or a platform admin.
/// Anyone else is told the part does not exist. Members of a suspended or rejected shop change
/// nothing (its orders stay readable in the portal); platform admins still can.
pub async fn authorize_part(
    state: &AppState,
    viewer: &Viewer,
    vendor_order: Uuid,
    role: VendorRole,
) -> AppResult<()> {
    let user = viewer.signed_in()?;
    let vendor = sqlx::query_scalar!(
        "select v.slug from vendor_orders vo join vendors v on v.id = vo.vendor_id where vo.id = $1",
        vendor_order
    )
    .fetch_optional(&state.pool)
    .await?;
    if user.is_admin {
        viewer.admin()?;
        return vendor.map(|_| ()).ok_or(AppError::NotFound);
    }
    match vendor.and_then(|slug| user.membership(&slug).cloned()) {
        Some(m) if !m.can_edit() => Err(crate::vendors::shop::read_only(&m)),
        Some(m) if role == VendorRole::Staff || m.role == VendorRole::Owner => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}

/// The part's order and its status, locked, and the part's own status.
pub(super) async fn part(
    tx: &mut sqlx::PgConnection,
    vendor_order: Uuid,
) -> AppResult<(Uuid, OrderStatus, VendorOrderStatus)> {
    let order = sqlx::query_scalar!("select order_id from vendor_orders where id = $1", vendor_order)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let order_status = lock(tx, order).await?;
    let status = sqlx::query_scalar!(
        r#"select status as "status: VendorOrderStatus" from vendor_orders where id = $1"#,
        vendor_order
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok((order, order_status, status))
}

/// Marks a part shipped with its carrier and tracking number, and mails the shopper.
#[tracing::instrument(skip_all, fields(vendor_order = %vendor_order))]
pub async fn ship(
    state: &AppState,
    vendor_order: Uuid,
    carrier: &str,
    tracking: &str,
    actor: &str,
) -> AppResult<()> {
    let mut problems = Problems::default();
    let carrier = problems.take(validate::text("carrier", carrier, 1, 60, "Carrier"));
    let tracking = problems.take(validate::text(
        "tracking_number",
        tracking,
        1,
        80,
        "Tracking number",
    ));
    if !tracking
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
    {
        problems.add(
            "tracking_number",
            "A tracking number has letters, digits, spaces and dashes only.",
        );
    }
    problems.finish()?;
    let mut tx = state.pool.begin().await?;
    let (order, _, status) = part(&mut tx, vendor_order).await?;
    set_vendor_status(
        &mut tx,
        order,
        vendor_order,
        status,
        VendorOrderStatus::Shipped,
        actor,
        "",
    )
    .await?;
    let head = sqlx::query!(
        r#"update vendor_orders vo set carrier = $2, tracking_number = $3 from orders o, vendors v
           where vo.id = $1 and o.id = vo.order_id and v.id = vo.vendor_id
           returning o.number, o.email::text as "email!", o.user_id, v.name as vendor"#,
        vendor_order,
        carrier,
        tracking
    )
    .fetch_one(&mut *tx)
    .await?;
    let link = if head.user_id.is_some() {
        format!("{}/orders/{}", state.site.public_url, head.number)
    } else {
        format!("{}/orders/lookup?number={}", state.site.public_url, head.number)
    };
    let mail = Mail {
        subject: format!("Your order #{} from {} is on its way", head.number, head.vendor),
        paragraphs: vec![
            format!(
                "{} has shipped its part of your order #{}.",
                head.vendor, head.number
            ),
            format!("Carrier: {carrier}. Tracking number: {tracking}."),
        ],
        action: Some(("See your order".into(), link)),
    };
    mail::enqueue(&mut tx, &head.email, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Marks a shipped part delivered; the order completes when no part is still on its way.
#[tracing::instrument(skip_all, fields(vendor_order = %vendor_order))]
pub async fn deliver(state: &AppState, vendor_order: Uuid, actor: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    close(&mut tx, vendor_order, VendorOrderStatus::Delivered, actor, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a part (delivered or cancelled), recorded with `note`; the order completes when no part
/// is still to ship or on its way.
pub(super) async fn close(
    tx: &mut sqlx::PgConnection,
    vendor_order: Uuid,
    to: VendorOrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<()> {
    let (order, order_status, status) = part(tx, vendor_order).await?;
    set_vendor_status(tx, order, vendor_order, status, to, actor, note).await?;
    complete_if_done(tx, order, order_status, actor).await
}

/// Completes the order when no part of it is still to ship or on its way.
async fn complete_if_done(
    tx: &mut sqlx::PgConnection,
    order: Uuid,
    order_status: OrderStatus,
    actor: &str,
) -> AppResult<()> {
    let open = sqlx::query_scalar!(
        r#"select count(*) as "n!" from vendor_orders where order_id = $1 and status not in ('delivered', 'cancelled')"#,
        order
    )
    .fetch_one(&mut *tx)
    .await?;
    if open == 0 && order_status.can_become(OrderStatus::Completed) {
        set_order_status(tx, order, order_status, OrderStatus::Completed, actor, "").await?;
    }
    Ok(())
}
