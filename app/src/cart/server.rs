//! The cart on the server: which cart is the shopper's, changing it, and merging at login
//! (reading it, priced, is `priced.rs`). A signed-in shopper's cart is the row with their user
//! id (the same on every device); a guest's cart id is kept in their session. Lines hold a
//! variant and a quantity.

use super::MAX_QUANTITY;
use crate::accounts::identity::{self, current_user, session_error};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
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

fn user_uuid() -> AppResult<Option<Uuid>> {
    current_user()
        .map(|u| u.id.parse().map_err(|_| AppError::Internal))
        .transpose()
}

/// The current cart's id; with `create`, a cart is made when there is none.
pub async fn cart_id(pool: &PgPool, create: bool) -> AppResult<Option<Uuid>> {
    if let Some(user) = user_uuid()? {
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
    let session = identity::session()?;
    if let Some(id) = session.get::<Uuid>(CART_KEY).await.map_err(session_error)? {
        return Ok(Some(id));
    }
    if !create {
        return Ok(None);
    }
    new_guest_cart(pool, &session).await.map(Some)
}

async fn new_guest_cart(pool: &PgPool, session: &Session) -> AppResult<Uuid> {
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

/// Whether `cart` is, or was, this browser's guest cart: a guest's orders are theirs to see
/// through the cart they were placed from, so placing one writes nothing to the session.
pub async fn was_guest_cart(cart: Uuid) -> AppResult<bool> {
    let session = identity::session()?;
    if session.get::<Uuid>(CART_KEY).await.map_err(session_error)? == Some(cart) {
        return Ok(true);
    }
    Ok(identity::kept_ids(&session, EARLIER_CARTS_KEY)
        .await?
        .contains(&cart))
}

fn check_quantity(quantity: u32) -> AppResult<()> {
    if (1..=MAX_QUANTITY).contains(&quantity) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "quantity",
            format!("Choose a quantity between 1 and {MAX_QUANTITY}."),
        ))
    }
}

/// A variant as the cart needs it.
struct Item {
    id: Uuid,
    title: String,
    price: i64,
    available: i32,
    orderable: bool,
}

fn checked_sku(sku: &str) -> AppResult<&str> {
    if sku.is_empty() || sku.len() > 64 {
        return Err(AppError::invalid("sku", "Choose a product option first."));
    }
    Ok(sku)
}

fn gone() -> AppError {
    AppError::invalid("sku", "That product option doesn't exist any more.")
}

async fn item(db: impl sqlx::PgExecutor<'_>, sku: &str) -> AppResult<Item> {
    let sku = checked_sku(sku)?;
    sqlx::query_as!(
        Item,
        r#"select v.id, p.title, v.price, v.stock_on_hand - v.stock_reserved as "available!",
                  (p.status = 'active' and ven.status = 'approved') as "orderable!"
           from variants v join products p on p.id = v.product_id join vendors ven on ven.id = p.vendor_id
           where v.sku = $1"#,
        sku
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(gone)
}

fn too_many(item: &Item, in_cart: i32) -> AppError {
    let available = item.available.max(0);
    let message = match (available, in_cart) {
        (0, _) => format!("“{}” is sold out.", item.title),
        (n, 0) => format!("Only {n} of “{}” left.", item.title),
        (n, c) => format!(
            "Only {n} of “{}” left, and {c} are already in your cart.",
            item.title
        ),
    };
    AppError::Conflict(message)
}

/// Whether `quantity` of `item` could go in an empty cart.
fn addable(item: &Item, quantity: u32) -> AppResult<()> {
    if !item.orderable {
        return Err(AppError::Conflict(format!(
            "“{}” is not for sale any more.",
            item.title
        )));
    }
    if quantity as i32 > item.available {
        return Err(too_many(item, 0));
    }
    Ok(())
}

/// Adds `quantity` of `sku`; refuses more than can be bought. Returns the cart's item count.
/// One statement adds the line or raises its quantity only while the total stays within what
/// can be bought, so two tabs adding at once can't pass the limit together.
pub async fn add(state: &AppState, sku: &str, quantity: u32) -> AppResult<u32> {
    check_quantity(quantity)?;
    let sku = checked_sku(sku.trim())?;
    let mut cart = match cart_id(&state.pool, false).await? {
        Some(cart) => cart,
        // No cart yet: an option that can't be added must not leave one behind.
        None => {
            addable(&item(&state.pool, sku).await?, quantity)?;
            cart_id(&state.pool, true).await?.ok_or(AppError::Internal)?
        }
    };
    // One statement reads the variant, adds the line only while the cart's total of it stays
    // within stock, touches the cart (hourly, as `touch`) and sums the rest; `in_cart` is the
    // line before this add (a statement sees the rows as they were when it began).
    let added = loop {
        let result = sqlx::query!(
            r#"with item as (
                   select v.id, p.title, v.price, v.stock_on_hand - v.stock_reserved as available,
                          (p.status = 'active' and ven.status = 'approved') as orderable
                     from variants v join products p on p.id = v.product_id
                     join vendors ven on ven.id = p.vendor_id
                    where v.sku = $2),
               up as (
                   insert into cart_items (cart_id, variant_id, quantity, unit_price)
                   select $1, item.id, $3, item.price from item where item.orderable and $3 <= item.available
                   on conflict (cart_id, variant_id) do update
                   set quantity = cart_items.quantity + excluded.quantity, unit_price = excluded.unit_price
                   where cart_items.quantity + excluded.quantity <= least($4, (select available from item))
                   returning quantity),
               touched as (update carts set updated_at = now()
                            where id = $1 and updated_at < now() - interval '1 hour' and exists (select 1 from up))
               select item.id, item.title, item.price, item.available as "available!",
                      item.orderable as "orderable!",
                      (select quantity from up) as "quantity?",
                      (select quantity from cart_items where cart_id = $1 and variant_id = item.id) as "in_cart?",
                      (select coalesce(sum(quantity), 0)::integer from cart_items
                        where cart_id = $1 and variant_id <> item.id) as "others!"
                 from item"#,
            cart,
            sku,
            quantity as i32,
            MAX_QUANTITY as i32,
        )
        .fetch_optional(&state.pool)
        .await;
        match result {
            // The session named a cart that is gone: start a new one.
            Err(sqlx::Error::Database(db)) if db.constraint() == Some("cart_items_cart_id_fkey") => {
                cart = new_guest_cart(&state.pool, &identity::session()?).await?;
            }
            other => break other?.ok_or_else(gone)?,
        }
    };
    let item = Item {
        id: added.id,
        title: added.title,
        price: added.price,
        available: added.available,
        orderable: added.orderable,
    };
    addable(&item, quantity)?;
    match added.quantity {
        Some(total) => Ok((total + added.others) as u32),
        None => {
            let in_cart = added.in_cart.unwrap_or(0);
            if in_cart + quantity as i32 > item.available {
                Err(too_many(&item, in_cart))
            } else {
                Err(AppError::invalid(
                    "quantity",
                    format!("At most {MAX_QUANTITY} of one item per order."),
                ))
            }
        }
    }
}

/// Sets the quantity of `sku` (0 removes it).
pub async fn set_quantity(state: &AppState, sku: &str, quantity: u32) -> AppResult<()> {
    let Some(cart) = cart_id(&state.pool, false).await? else {
        return Err(AppError::NotFound);
    };
    let mut tx = state.pool.begin().await?;
    let item = item(&mut *tx, sku.trim()).await?;
    if quantity == 0 {
        sqlx::query!(
            "delete from cart_items where cart_id = $1 and variant_id = $2",
            cart,
            item.id
        )
        .execute(&mut *tx)
        .await?;
    } else {
        check_quantity(quantity)?;
        if quantity as i32 > item.available {
            return Err(too_many(&item, 0));
        }
        // The shopper has seen the current price now.
        let changed = sqlx::query!(
            "update cart_items set quantity = $3, unit_price = $4 where cart_id = $1 and variant_id = $2",
            cart,
            item.id,
            quantity as i32,
            item.price
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::BadRequest("That item is not in your cart.".into()));
        }
    }
    touch(&mut tx, cart).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks the cart as in use, at most once an hour: `updated_at` only decides when an abandoned
/// guest cart is forgotten (after 15 days), and rewriting the row on every change would update
/// its indexes each time.
async fn touch(tx: &mut sqlx::PgConnection, cart: Uuid) -> AppResult<()> {
    sqlx::query!(
        "update carts set updated_at = now() where id = $1 and updated_at < now() - interval '1 hour'",
        cart
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Units in the cart.
pub async fn count(pool: &PgPool, cart: Uuid) -> AppResult<u32> {
    let n = sqlx::query_scalar!(
        r#"select coalesce(sum(quantity), 0)::integer as "n!" from cart_items where cart_id = $1"#,
        cart
    )
    .fetch_one(pool)
    .await?;
    Ok(n as u32)
}

/// Units in the current cart, without creating one.
pub async fn current_count(state: &AppState) -> AppResult<u32> {
    match cart_id(&state.pool, false).await? {
        Some(cart) => count(&state.pool, cart).await,
        None => Ok(0),
    }
}

/// The message left for the next cart page, taken (shown once).
pub async fn take_notice() -> AppResult<Option<String>> {
    let session = identity::session()?;
    session.remove::<String>(NOTICE_KEY).await.map_err(session_error)
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
pub async fn forget_abandoned(pool: &PgPool) -> AppResult<u64> {
    Ok(
        sqlx::query!("delete from carts where user_id is null and updated_at < now() - interval '15 days'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
