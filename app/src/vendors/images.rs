//! A product's images as rows: added after the server stored the renditions, described,
//! ordered (the first is the main one), removed with their files. Only the product's shop may
//! do any of it.

use super::shop::Shop;

pub mod intake;
pub mod upload;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::ui::IMAGE_WIDTHS;
use object_store::path::Path as StorePath;
use serde_json::json;
use uuid::Uuid;

/// The slug of the shop's product `product`, or NotFound (also for another shop's product).
pub async fn product_slug(state: &AppState, shop: &Shop, product: Uuid) -> AppResult<String> {
    sqlx::query_scalar!(
        "select slug from products where id = $1 and vendor_id = $2",
        product,
        shop.id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The storage key for a new image of the shop.
pub fn new_key(shop: &Shop) -> String {
    format!("uploads/{}/{}", shop.id.simple(), Uuid::now_v7().simple())
}

/// Records an image whose renditions are stored under `key`, last in the product's order.
pub async fn add(
    state: &AppState,
    shop: &Shop,
    product: Uuid,
    key: &str,
    (width, height): (u32, u32),
    alt: &str,
) -> AppResult<()> {
    let alt = crate::accounts::validate::text("alt", alt, 0, 200, "The description")?;
    let slug = product_slug(state, shop, product).await?;
    let mut tx = state.pool.begin().await?;
    let image = sqlx::query_scalar!(
        "insert into product_images (product_id, key, alt, width, height, position)
         select $1, $2, $3, $4, $5, coalesce(max(position) + 1, 0) from product_images where product_id = $1
         returning id",
        product,
        key,
        alt,
        width as i32,
        height as i32
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({"image": image, "added": true, "alt": alt});
    super::product_audit::image(&mut tx, shop, product, json!(null), after).await?;
    tx.commit().await?;
    state.catalog.invalidate_product(&slug).await;
    Ok(())
}

/// The storage key for a new logo of the shop.
pub fn new_logo_key(shop: &Shop) -> String {
    format!("logos/{}/{}", shop.id.simple(), Uuid::now_v7().simple())
}

/// Makes the image stored under `key` the shop's logo; the old one's files are removed.
pub async fn set_logo(state: &AppState, shop: &Shop, key: &str) -> AppResult<()> {
    let old = sqlx::query_scalar!(
        "update vendors v set logo_key = $2 from vendors o where v.id = $1 and o.id = v.id returning o.logo_key",
        shop.id,
        key
    )
    .fetch_one(&state.pool)
    .await?;
    if let Some(old) = old {
        remove_files(state, &old).await;
    }
    state.catalog.invalidate_listings().await;
    Ok(())
}

/// Removes an image of the shop's products, and its files.
pub async fn delete(state: &AppState, shop: &Shop, image: Uuid) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        "delete from product_images i using products p
         where i.id = $1 and p.id = i.product_id and p.vendor_id = $2 returning i.key, i.alt, p.id, p.slug",
        image,
        shop.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = json!({"image": image, "alt": row.alt});
    super::product_audit::image(
        &mut tx,
        shop,
        row.id,
        before,
        json!({"image": image, "deleted": true}),
    )
    .await?;
    tx.commit().await?;
    remove_files(state, &row.key).await;
    state.catalog.invalidate_product(&row.slug).await;
    Ok(())
}

/// Changes an image's description (alt text).
pub async fn set_alt(state: &AppState, shop: &Shop, image: Uuid, alt: &str) -> AppResult<()> {
    let alt = crate::accounts::validate::text("alt", alt, 0, 200, "The description")?;
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        "update product_images i set alt = $3 from products p, product_images o
         where i.id = $1 and p.id = i.product_id and p.vendor_id = $2 and o.id = i.id
         returning p.id, p.slug, o.alt as before",
        image,
        shop.id,
        alt
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.before != alt {
        let (before, after) = (
            json!({"image": image, "alt": row.before}),
            json!({"image": image, "alt": alt}),
        );
        super::product_audit::image(&mut tx, shop, row.id, before, after).await?;
    }
    tx.commit().await?;
    state.catalog.invalidate_product(&row.slug).await;
    Ok(())
}

/// Moves an image one place `earlier` (towards the main image, which comes first) or later in
/// its product's order. The product's images are numbered again from 0 under the product's
/// lock, so two moves at once can't leave two images in one place.
pub async fn shift(state: &AppState, shop: &Shop, image: Uuid, earlier: bool) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let product = sqlx::query!(
        "select p.id, p.slug from product_images i join products p on p.id = i.product_id
         where i.id = $1 and p.vendor_id = $2 for update of p",
        image,
        shop.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut order = sqlx::query_scalar!(
        "select id from product_images where product_id = $1 order by position, created_at",
        product.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let at = order
        .iter()
        .position(|id| *id == image)
        .ok_or(AppError::NotFound)?;
    let to = if earlier {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|to| *to < order.len())
    };
    let Some(to) = to else {
        return Ok(()); // already first (or last): nothing to move
    };
    order.swap(at, to);
    sqlx::query!(
        "update product_images i set position = n.position - 1
         from unnest($1::uuid[]) with ordinality as n(id, position) where i.id = n.id",
        &order
    )
    .execute(&mut *tx)
    .await?;
    let after = json!({"image": image, "position": to});
    super::product_audit::image(
        &mut tx,
        shop,
        product.id,
        json!({"image": image, "position": at}),
        after,
    )
    .await?;
    tx.commit().await?;
    state.catalog.invalidate_product(&product.slug).await;
    Ok(())
}

/// Deletes every rendition of `key`; missing files are fine, other failures are logged (the
/// row is gone, so nothing links to them).
pub async fn remove_files(state: &AppState, key: &str) {
    for width in IMAGE_WIDTHS {
        let path = StorePath::from(format!("{key}-{width}.jpg"));
        if let Err(error) = state.media.delete(&path).await
            && !matches!(error, object_store::Error::NotFound { .. })
        {
            tracing::warn!(%error, key, "could not delete an image rendition");
        }
    }
}
