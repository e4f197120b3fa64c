//! Whose cart it is: a signed-in shopper's cart is the row with their user id (the same on
//! every device); a guest's cart id is kept in their session, with the guest carts it had
//! before. Logging in merges the guest cart into the account's; guest carts nobody can reach
//! any more are forgotten.

use super::MAX_QUANTITY;
use crate::accounts::identity::{self, session_error};
use crate::accounts::viewer::Viewer;
use crate::error::AppResult;
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

/// Session key of a guest's cart id.
const CART_KEY: &str = "cart";
/// Session key of the guest carts this browser had before its current one (merged at login,
/// or replaced after it was forgotten): orders placed from them stay this browser's to see.
const EARLIER_CARTS_KEY: &str = "earlier_carts";
/// At most this many earlier carts are kept per session.
const EARLIER_CARTS_KEPT: usize = 20;
/// Session key of a message for the next cart page (e.g. after a merge at login).
const NOTICE_KEY: &str = "cart_notice";

/// The viewer's cart's id; with `create`, a cart is made when there is none.
pub async fn cart_id(pool: &PgPool, viewer: &Viewer, create: bool) -> AppResult<Option<Uuid>> {
    if viewer.user().is_some() {
        let user = viewer.signed_in_id()?;
        let id = if create {
            Some(
                sqlx::query_scalar!(
                    "insert into carts (user_id) values ($1)
                     on conflict (user_id) do update set updated_at = now() returning id",
                    user
                )
                .fetch_one(pool)
                .await?,
            )
        } else {
            sqlx::query_scalar!("select id from carts where user_id = $1", user)
                .fetch_optional(pool)
                .await?
        };
        return Ok(id);
    }
    // A guest's cart id lives in their session. Its row outlives the session (see
    // `forget_abandoned`), so the id is trusted without a query; readers of a vanished cart
    // see it empty, and `add` makes a new one.
    let session = viewer.session()?;
    if let Some(id) = session.get::<Uuid>(CART_KEY).await.map_err(session_error)? {
        return Ok(Some(id));
    }
    if !create {
        return Ok(None);
    }
    new_guest_cart(pool, session).await.map(Some)
}

pub(super) async fn new_guest_cart(pool: &PgPool, session: &Session) -> AppResult<Uuid> {
    let id = sqlx::query_scalar!("insert into carts default values returning id")
        .fetch_one(pool)
        .await?;
    // A cart the session named but that is gone (forgotten, see `forget_abandoned`).
    if let Some(previous) = session.get::<Uuid>(CART_KEY).await.map_err(session_error)? {
        retire(session, previous).await?;
    }
    session.insert(CART_KEY, id).await.map_err(session_error)?;
    Ok(id)
}

/// Keeps `cart`, no longer this browser's guest cart, among its earlier ones.
async fn retire(session: &Session, cart: Uuid) -> AppResult<()> {
    identity::keep_id(session, EARLIER_CARTS_KEY, cart, EARLIER_CARTS_KEPT).await
}

/// Whether `cart` is, or was, the viewer's guest cart: a guest's orders are theirs to see
/// through the cart they were placed from, so placing one writes nothing to the session.
pub async fn was_guest_cart(viewer: &Viewer, cart: Uuid) -> AppResult<bool> {
    let session = viewer.session()?;
    if session.get::<Uuid>(CART_KEY).await.map_err(session_error)? == Some(cart) {
        return Ok(true);
    }
    Ok(identity::kept_ids(session, EARLIER_CARTS_KEY)
        .await?
        .contains(&cart))
}

/// The message left for the viewer's next cart page, taken (shown once).
pub async fn take_notice(viewer: &Viewer) -> AppResult<Option<String>> {
    viewer
        .session()?
        .remove::<String>(NOTICE_KEY)
        .await
        .map_err(session_error)
}

/// At login: moves the guest cart of `session` into `user`'s cart. Quantities of the same item
/// are summed and capped by what can be bought; the shopper is told what changed.
pub async fn merge_guest_cart(pool: &PgPool, session: &Session, user: Uuid) -> AppResult<()> {
    let Some(guest) = session.remove::<Uuid>(CART_KEY).await.map_err(session_error)? else {
        return Ok(());
    };
    retire(session, guest).await?;
    let mut tx = pool.begin().await?;
    let lines = sqlx::query!(
        r#"delete from cart_items ci using variants v, products p
           where ci.cart_id = $1 and v.id = ci.variant_id and p.id = v.product_id
             and exists (select 1 from carts where id = $1 and user_id is null)
           returning ci.variant_id, ci.quantity, ci.unit_price, p.title,
                     v.stock_on_hand - v.stock_reserved as "available!""#,
        guest
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!("delete from carts where id = $1 and user_id is null", guest)
        .execute(&mut *tx)
        .await?;
    if lines.is_empty() {
        tx.commit().await?;
        return Ok(());
    }
    let cart = sqlx::query_scalar!(
        "insert into carts (user_id) values ($1)
         on conflict (user_id) do update set updated_at = now() returning id",
        user
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut adjusted = Vec::new();
    let mut moved = 0;
    for line in lines {
        let in_cart = sqlx::query_scalar!(
            "select quantity from cart_items where cart_id = $1 and variant_id = $2 for update",
            cart,
            line.variant_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or(0);
        let wanted = in_cart + line.quantity;
        let kept = wanted
            .min(line.available.max(0))
            .min(MAX_QUANTITY as i32)
            .max(in_cart);
        if kept < wanted {
            adjusted.push(format!("“{}” is limited to {kept}", line.title));
        }
        if kept == 0 {
            continue;
        }
        moved += kept - in_cart;
        sqlx::query!(
            "insert into cart_items (cart_id, variant_id, quantity, unit_price) values ($1, $2, $3, $4)
             on conflict (cart_id, variant_id) do update set quantity = excluded.quantity",
            cart,
            line.variant_id,
            kept,
            line.unit_price
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let mut notice = format!(
        "We added {moved} item{} from before you signed in to your cart.",
        if moved == 1 { "" } else { "s" }
    );
    if !adjusted.is_empty() {
        notice.push_str(&format!(" Not enough stock: {}.", adjusted.join("; ")));
    }
    session.insert(NOTICE_KEY, notice).await.map_err(session_error)
}

/// Deletes guest carts untouched for longer than a session lives (nobody can reach them).
#[tracing::instrument(skip_all)]
pub async fn forget_abandoned(pool: &PgPool) -> AppResult<u64> {
    Ok(
        sqlx::query!("delete from carts where user_id is null and updated_at < now() - interval '15 days'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
