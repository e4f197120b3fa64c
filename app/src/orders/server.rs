//! Moving orders through their states. Every status change goes through `set_order_status` /
//! `set_vendor_status` (checked against `status.rs`, recorded in `order_events`), and stock
//! moves with it: reserved at placement (`checkout::place`), sold on payment, released on
//! failure, expiry or cancellation (`payment.rs`), put back on refund or cancellation
//! (`restock.rs`). Refunds themselves are `money::refunds`.

pub use super::cancellation::{cancel, cancel_lines};
pub use super::fulfilment::{authorize_part, deliver, ship};
pub use super::payment::{close_unpaid, expire_backlog, expire_due, payment_succeeded};
pub use super::restock::Restock;
pub use super::transitions::{set_order_status, set_vendor_status};

use crate::accounts::identity;
use crate::accounts::viewer::Viewer;
use crate::error::{AppError, AppResult};
use uuid::Uuid;

/// Session key of the orders this browser may see without an account (placed or looked up).
const ORDERS_KEY: &str = "orders";
/// At most this many such orders are remembered per session.
const ORDERS_REMEMBERED: usize = 20;

/// Lets the viewer's browser see `order`, which it looked up by number and email.
pub async fn remember(viewer: &Viewer, order: Uuid) -> AppResult<()> {
    identity::keep_id(viewer.session()?, ORDERS_KEY, order, ORDERS_REMEMBERED).await
}

/// Whether the viewer may see the order `id` of `owner`, placed from `cart`: its
/// owner, a platform admin, the guest browser whose cart it was placed from (see
/// `cart::owner::was_guest_cart`), or the browser that looked it up. Anyone else is told it
/// does not exist.
pub async fn authorize(viewer: &Viewer, id: Uuid, owner: Option<Uuid>, cart: Option<Uuid>) -> AppResult<()> {
    if let Some(user) = viewer.user() {
        if owner.is_some_and(|o| user.id == o) {
            return Ok(());
        }
        if user.is_admin {
            return viewer.admin().map(|_| ());
        }
    }
    if owner.is_none()
        && let Some(cart) = cart
        && crate::cart::owner::was_guest_cart(viewer, cart).await?
    {
        return Ok(());
    }
    if identity::kept_ids(viewer.session()?, ORDERS_KEY)
        .await?
        .contains(&id)
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
