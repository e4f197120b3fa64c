//! Placing again from the same cart (a second tab, a reload, a second click with a new review
//! form): the order still holding its stock for exactly this cart is the answer, so stock is
//! never reserved twice for one cart. When the cart changed since, the earlier order is
//! cancelled, its stock released, in the transaction that places the new one.

use crate::error::AppResult;
use crate::orders::payment::close_unpaid_in;
use crate::orders::status::OrderStatus;
use sqlx::PgConnection;
use uuid::Uuid;

/// What is being placed, to compare with the cart's earlier orders.
pub(super) struct Wanted {
    pub email: String,
    pub total: i64,
    /// (variant, quantity, unit price), in any order.
    pub items: Vec<(Uuid, i32, i64)>,
}

/// The cart's earlier orders, once settled.
#[derive(Default)]
pub(super) struct Settled {
    /// The order still reserved with exactly what is wanted: placing again returns it.
    pub same: Option<i64>,
    /// Orders closed here, with their payment's reference at the provider, to cancel there once
    /// the transaction is committed.
    pub closed: Vec<(Uuid, Option<String>)>,
}

/// Locks `cart` for the placing transaction `tx` (so two places from one cart take turns),
/// then settles its orders still waiting for payment: the one within its reservation whose
/// items, total and email are what is wanted now is kept and named; every other one is closed
/// (cancelled when the cart changed since, expired when its time ran out), its stock released.
pub(super) async fn settle(
    tx: &mut PgConnection,
    cart: Uuid,
    wanted: &Wanted,
    actor: &str,
) -> AppResult<Settled> {
    sqlx::query_scalar!("select id from carts where id = $1 for update", cart)
        .fetch_optional(&mut *tx)
        .await?;
    let pending = sqlx::query!(
        r#"select id, number, total, email::text as "email!", expires_at > now() as "open!"
           from orders where cart_id = $1 and status = 'pending_payment' order by created_at desc"#,
        cart
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut settled = Settled::default();
    let mut wanted_items = wanted.items.clone();
    wanted_items.sort();
    for order in pending {
        if settled.same.is_none()
            && order.open
            && order.total == wanted.total
            && order.email.eq_ignore_ascii_case(&wanted.email)
            && items(tx, order.id).await? == wanted_items
        {
            settled.same = Some(order.number);
            continue;
        }
        let (to, note) = if order.open {
            (OrderStatus::Cancelled, "the cart changed and was ordered again")
        } else {
            (OrderStatus::Expired, "not paid in time")
        };
        if let Some(reference) = close_unpaid_in(tx, order.id, to, actor, note).await? {
            settled.closed.push((order.id, reference));
        }
    }
    Ok(settled)
}

/// The items of `order` as (variant, quantity, unit price), sorted.
async fn items(tx: &mut PgConnection, order: Uuid) -> AppResult<Vec<(Uuid, i32, i64)>> {
    let rows = sqlx::query!(
        r#"select variant_id as "variant_id!", quantity, unit_price from order_items
           where order_id = $1 and variant_id is not null order by 1, 2, 3"#,
        order
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut items: Vec<_> = rows
        .into_iter()
        .map(|r| (r.variant_id, r.quantity, r.unit_price))
        .collect();
    items.sort();
    Ok(items)
}
