//! Changing the cart: adding, setting quantities, counting (whose cart it is, and merging at
//! login, is `owner.rs`; reading it, priced, is `priced.rs`). Lines hold a variant and a
//! quantity.

use super::MAX_QUANTITY;
use super::owner::{cart_id, new_guest_cart};
use crate::accounts::viewer::Viewer;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use sqlx::PgPool;
use uuid::Uuid;

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
pub async fn add(state: &AppState, viewer: &Viewer, sku: &str, quantity: u32) -> AppResult<u32> {
    check_quantity(quantity)?;
    let sku = checked_sku(sku.trim())?;
    let mut cart = match cart_id(&state.pool, viewer, false).await? {
        Some(cart) => cart,
        // No cart yet: an option that can't be added must not leave one behind.
        None => {
            addable(&item(&state.pool, sku).await?, quantity)?;
            cart_id(&state.pool, viewer, true)
                .await?
                .ok_or(AppError::Internal)?
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
                cart = new_guest_cart(&state.pool, viewer.session()?).await?;
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
pub async fn set_quantity(state: &AppState, viewer: &Viewer, sku: &str, quantity: u32) -> AppResult<()> {
    let Some(cart) = cart_id(&state.pool, viewer, false).await? else {
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
pub async fn current_count(state: &AppState, viewer: &Viewer) -> AppResult<u32> {
    match cart_id(&state.pool, viewer, false).await? {
        Some(cart) => count(&state.pool, cart).await,
        None => Ok(0),
    }
}
