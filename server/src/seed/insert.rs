//! Writes a generated catalog with a few large `unnest` inserts per table.

use super::images::SIZE;
use super::rows::Catalog;
use chrono::{DateTime, Utc};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// Products per insert batch; their variants, images and reviews go in the same round.
const BATCH: usize = 5_000;
/// Joins option names/values for transport; split again by `string_to_array` in SQL.
const SEP: &str = "\u{1f}";

/// Deletes the whole catalog.
pub async fn clear(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<()> {
    sqlx::query!(
        "truncate search_outbox, reviews, product_images, variants, products, categories, vendors cascade"
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn all(tx: &mut Transaction<'_, Postgres>, catalog: &Catalog) -> sqlx::Result<()> {
    for v in &catalog.vendors {
        sqlx::query!(
            r#"insert into vendors (id, slug, name, tagline, description, country, status, created_at, updated_at)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $8)"#,
            v.id,
            v.seed.slug,
            v.seed.name,
            v.seed.tagline,
            v.seed.description,
            v.seed.country,
            v.seed.status,
            v.created_at as _,
        )
        .execute(&mut **tx)
        .await?;
    }
    // Every shop ships Standard (free over 50) and Express.
    sqlx::query!(
        "insert into shipping_methods (vendor_id, name, price, free_over, min_days, max_days, position)
         select v.id, m.name, m.price, m.free_over, m.min_days, m.max_days, m.position
         from vendors v
         cross join (values ('Standard', 499::bigint, 5000::bigint, 3, 5, 0),
                            ('Express', 1499::bigint, null::bigint, 1, 2, 1))
                    as m (name, price, free_over, min_days, max_days, position)
         where not exists (select 1 from shipping_methods s where s.vendor_id = v.id)"
    )
    .execute(&mut **tx)
    .await?;
    // Parents before children: the tree is generated in that order.
    for c in &catalog.categories {
        sqlx::query!(
            r#"insert into categories (id, parent_id, slug, name, description, position, featured)
               values ($1, $2, $3, $4, $5, $6, $7)"#,
            c.id,
            c.parent_id,
            c.slug,
            c.name,
            c.description,
            c.position,
            c.featured,
        )
        .execute(&mut **tx)
        .await?;
    }
    for batch in catalog.products.chunks(BATCH) {
        products(tx, batch).await?;
    }
    Ok(())
}

async fn products(tx: &mut Transaction<'_, Postgres>, batch: &[super::rows::ProductRow]) -> sqlx::Result<()> {
    let mut p = ProductColumns::default();
    let mut v = VariantColumns::default();
    let mut i = ImageColumns::default();
    let mut r = ReviewColumns::default();
    for product in batch {
        p.id.push(product.id);
        p.vendor_id.push(product.vendor_id);
        p.category_id.push(product.category_id);
        p.slug.push(product.slug.clone());
        p.title.push(product.title.clone());
        p.description.push(product.description.clone());
        p.status.push(product.status.to_string());
        p.option_names.push(product.option_names.join(SEP));
        p.created_at.push(product.created_at);
        for (position, variant) in product.variants.iter().enumerate() {
            v.id.push(variant.id);
            v.product_id.push(product.id);
            v.sku.push(variant.sku.clone());
            v.option_values.push(variant.option_values.join(SEP));
            v.price.push(variant.price);
            v.stock.push(variant.stock);
            v.position.push(position as i32);
        }
        for (position, (key, alt)) in product.images.iter().enumerate() {
            i.product_id.push(product.id);
            i.key.push(key.clone());
            i.alt.push(alt.clone());
            i.position.push(position as i32);
        }
        for review in &product.reviews {
            r.product_id.push(product.id);
            r.author.push(review.author.to_string());
            r.rating.push(review.rating);
            r.title.push(review.title.to_string());
            r.body.push(review.body.to_string());
            r.created_at.push(review.created_at);
        }
    }

    sqlx::query!(
        r#"insert into products (id, vendor_id, category_id, slug, title, description, status,
                                 option_names, created_at, updated_at)
           select id, vendor_id, category_id, slug, title, description, status,
                  string_to_array(option_names, $10), created_at, created_at
             from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::timestamptz[])
                  as t (id, vendor_id, category_id, slug, title, description, status, option_names, created_at)"#,
        &p.id,
        &p.vendor_id,
        &p.category_id,
        &p.slug,
        &p.title,
        &p.description,
        &p.status,
        &p.option_names,
        &p.created_at as _,
        SEP,
    )
    .execute(&mut **tx)
    .await?;

    sqlx::query!(
        r#"insert into variants (id, product_id, sku, option_values, price, stock_on_hand, position)
           select id, product_id, sku, string_to_array(option_values, $8), price, stock, position
             from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::integer[],
                         $7::integer[])
                  as t (id, product_id, sku, option_values, price, stock, position)"#,
        &v.id,
        &v.product_id,
        &v.sku,
        &v.option_values,
        &v.price,
        &v.stock,
        &v.position,
        SEP,
    )
    .execute(&mut **tx)
    .await?;

    sqlx::query!(
        r#"insert into product_images (product_id, key, alt, width, height, position)
           select product_id, key, alt, $5, $5, position
             from unnest($1::uuid[], $2::text[], $3::text[], $4::integer[])
                  as t (product_id, key, alt, position)"#,
        &i.product_id,
        &i.key,
        &i.alt,
        &i.position,
        SIZE as i32,
    )
    .execute(&mut **tx)
    .await?;

    sqlx::query!(
        r#"insert into reviews (product_id, author_name, rating, title, body, created_at, updated_at)
           select product_id, author, rating, title, body, created_at, created_at
             from unnest($1::uuid[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::timestamptz[])
                  as t (product_id, author, rating, title, body, created_at)"#,
        &r.product_id,
        &r.author,
        &r.rating,
        &r.title,
        &r.body,
        &r.created_at as _,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Default)]
struct ProductColumns {
    id: Vec<Uuid>,
    vendor_id: Vec<Uuid>,
    category_id: Vec<Uuid>,
    slug: Vec<String>,
    title: Vec<String>,
    description: Vec<String>,
    status: Vec<String>,
    option_names: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
}

#[derive(Default)]
struct VariantColumns {
    id: Vec<Uuid>,
    product_id: Vec<Uuid>,
    sku: Vec<String>,
    option_values: Vec<String>,
    price: Vec<i64>,
    stock: Vec<i32>,
    position: Vec<i32>,
}

#[derive(Default)]
struct ImageColumns {
    product_id: Vec<Uuid>,
    key: Vec<String>,
    alt: Vec<String>,
    position: Vec<i32>,
}

#[derive(Default)]
struct ReviewColumns {
    product_id: Vec<Uuid>,
    author: Vec<String>,
    rating: Vec<i16>,
    title: Vec<String>,
    body: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
}
