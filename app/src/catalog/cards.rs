//! Product cards: what a listing shows of each product, loaded for exactly the ids of one
//! page (see `server` and `listing`).

use super::model::{ImageRef, ProductCard, RatingSummary, VendorLink};
use crate::money::{Currency, Money};
use sqlx::PgExecutor;
use uuid::Uuid;

/// Product cards for `ids`, in the order given. Ids that are not on sale are skipped.
pub async fn cards(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
    currency: Currency,
) -> sqlx::Result<Vec<ProductCard>> {
    Ok(cards_by_id(db, ids, currency)
        .await?
        .into_iter()
        .map(|(_, card)| card)
        .collect())
}

/// `cards` with each card's product id (what the catalog cache keeps them by).
pub async fn cards_by_id(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
    currency: Currency,
) -> sqlx::Result<Vec<(Uuid, ProductCard)>> {
    let rows = sqlx::query!(
        r#"select p.id, p.slug, p.title, v.slug as vendor_slug, v.name as vendor_name,
                  p.price_min as "price_min!", p.price_max as "price_max!",
                  (p.rating_avg * 100)::integer as rating_centi, p.review_count, p.in_stock,
                  i.key as "image_key?", i.alt as "image_alt?",
                  i.width as "image_width?", i.height as "image_height?"
             from unnest($1::uuid[]) with ordinality as ids (id, ord)
             join products p on p.id = ids.id
             join vendors v on v.id = p.vendor_id
             left join lateral (
                  select key, alt, width, height from product_images pi
                   where pi.product_id = p.id order by position limit 1) i on true
            where p.status = 'active' and v.status = 'approved' and p.price_min is not null
            order by ids.ord"#,
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let card = ProductCard {
                slug: r.slug,
                title: r.title,
                vendor: VendorLink {
                    slug: r.vendor_slug,
                    name: r.vendor_name,
                },
                price_min: Money::new(r.price_min, currency),
                price_max: Money::new(r.price_max, currency),
                rating: rating(r.rating_centi, r.review_count),
                image: image(r.image_key, r.image_alt, r.image_width, r.image_height),
                in_stock: r.in_stock,
            };
            (r.id, card)
        })
        .collect())
}

pub(super) fn rating(centi: Option<i32>, count: i32) -> Option<RatingSummary> {
    match centi {
        Some(c) if count > 0 => Some(RatingSummary {
            average_centi: c.clamp(0, 500) as u16,
            count: count as u32,
        }),
        _ => None,
    }
}

pub(super) fn image(
    key: Option<String>,
    alt: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
) -> Option<ImageRef> {
    Some(ImageRef {
        key: key?,
        alt: alt.unwrap_or_default(),
        width: width? as u32,
        height: height? as u32,
    })
}
