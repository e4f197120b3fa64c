//! A shop's products as the portal edits them: the list, the editor (options generate the
//! variants; each has its SKU, price and stock), all checked before anything is written and
//! saved in one transaction. The storefront's caches forget the product; the search outbox
//! (filled by triggers) brings the index along.

use super::model::{ProductEditor, ProductImage, ProductInput, ProductList, ProductRow, VariantInput};
use super::options::variant_key;
pub use super::product_check::{CheckedProduct, CheckedVariant, STATUSES, check};
use super::shop::Shop;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use sqlx::PgConnection;
use uuid::Uuid;

pub const PER_PAGE: i64 = 25;

pub async fn list(state: &AppState, shop: &Shop, q: &str, status: &str, page: u32) -> AppResult<ProductList> {
    let q: String = q.trim().chars().take(100).collect();
    let status = (STATUSES.contains(&status) || status == "hidden").then_some(status);
    let page = page.clamp(1, 10_000);
    let pattern = crate::text::contains_pattern(&q);
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from products
           where vendor_id = $1 and ($2::text is null or status = $2) and title ilike $3"#,
        shop.id,
        status,
        pattern
    )
    .fetch_one(&state.pool)
    .await?;
    let currency = state.site.currency;
    let products = sqlx::query!(
        r#"select p.id, p.slug, p.title, p.status, p.price_min, p.price_max,
                  to_char(p.updated_at at time zone 'UTC', 'YYYY-MM-DD') as "updated!",
                  (select count(*) from variants v where v.product_id = p.id) as "variants!",
                  (select coalesce(sum(v.stock_on_hand - v.stock_reserved), 0) from variants v where v.product_id = p.id)::bigint as "stock!"
           from products p
           where p.vendor_id = $1 and ($2::text is null or p.status = $2) and p.title ilike $3
           order by p.updated_at desc, p.id limit $4 offset $5"#,
        shop.id,
        status,
        pattern,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| ProductRow {
        id: r.id.to_string(),
        slug: r.slug,
        title: r.title,
        status: r.status,
        variants: r.variants,
        stock: r.stock,
        price_min: r.price_min.map(|m| Money::new(m, currency)),
        price_max: r.price_max.map(|m| Money::new(m, currency)),
        updated: r.updated,
    })
    .collect();
    Ok(ProductList {
        membership: shop.membership.clone(),
        products,
        q,
        status: status.unwrap_or_default().to_string(),
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
    })
}

/// Every category as (slug, "Parent › Child"), in tree order.
async fn categories(state: &AppState) -> AppResult<Vec<(String, String)>> {
    Ok(state.catalog.tree(&state.pool).await?.labelled())
}

/// The editor for product `id` of the shop, or for a new one.
pub async fn editor(state: &AppState, shop: &Shop, id: Option<Uuid>) -> AppResult<ProductEditor> {
    let categories = categories(state).await?;
    let Some(id) = id else {
        return Ok(ProductEditor {
            membership: shop.membership.clone(),
            id: None,
            slug: None,
            input: ProductInput {
                status: "draft".into(),
                ..ProductInput::default()
            },
            images: Vec::new(),
            categories,
            hidden: None,
        });
    };
    let product = sqlx::query!(
        r#"select p.slug, p.title, p.description, coalesce(p.listed_status, p.status) as "status!",
                  p.option_names, c.slug as category, p.hidden_reason,
                  to_char(p.hidden_at at time zone 'UTC', 'FMDD Mon YYYY') as hidden_at
           from products p join categories c on c.id = p.category_id
           where p.id = $1 and p.vendor_id = $2"#,
        id,
        shop.id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let currency = state.site.currency;
    let variants = sqlx::query!(
        "select option_values, sku, price, stock_on_hand from variants where product_id = $1 order by position, sku",
        id
    )
    .fetch_all(&state.pool)
    .await?;
    let options = product
        .option_names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut values: Vec<&str> = Vec::new();
            for v in &variants {
                if let Some(value) = v.option_values.get(i)
                    && !values.contains(&value.as_str())
                {
                    values.push(value);
                }
            }
            super::options::OptionInput {
                name: name.clone(),
                values: values.join(", "),
            }
        })
        .collect();
    let images = sqlx::query!(
        "select id, key, alt, width, height from product_images where product_id = $1 order by position, created_at",
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| ProductImage {
        id: r.id.to_string(),
        key: r.key,
        alt: r.alt,
        width: r.width as u32,
        height: r.height as u32,
    })
    .collect();
    Ok(ProductEditor {
        membership: shop.membership.clone(),
        id: Some(id.to_string()),
        slug: Some(product.slug),
        input: ProductInput {
            title: product.title,
            description: product.description,
            category: product.category,
            status: product.status,
            base_price: variants
                .first()
                .map(|v| Money::new(v.price, currency).decimal())
                .unwrap_or_default(),
            options,
            variants: variants
                .iter()
                .map(|v| VariantInput {
                    key: variant_key(&v.option_values),
                    sku: v.sku.clone(),
                    price: Money::new(v.price, currency).decimal(),
                    stock: v.stock_on_hand.to_string(),
                })
                .collect(),
        },
        images,
        categories,
        hidden: product.hidden_at.map(|at| (at, product.hidden_reason)),
    })
}

/// Saves a checked product of the shop (new when `id` is None, at `slug` when given, else
/// at a free slug from its title) in the caller's transaction; returns its id and slug.
pub async fn write(
    tx: &mut PgConnection,
    shop: Uuid,
    id: Option<Uuid>,
    p: &CheckedProduct,
    slug: Option<&str>,
) -> AppResult<(Uuid, String)> {
    let names: Vec<String> = p.options.iter().map(|o| o.name.clone()).collect();
    let skus: Vec<String> = p.variants.iter().map(|v| v.sku.clone()).collect();
    let taken = sqlx::query_scalar!(
        "select sku from variants where sku = any($1) and product_id is distinct from $2 limit 1",
        &skus,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(sku) = taken {
        let i = skus.iter().position(|s| *s == sku).unwrap_or(0);
        return Err(AppError::invalid(
            format!("variant.{i}.sku"),
            format!("SKU “{sku}” belongs to another product; SKUs are unique across the marketplace."),
        ));
    }
    let existing = id.is_some();
    let (id, slug) = match id {
        Some(id) => {
            let slug = sqlx::query_scalar!(
                "update products set title = $3, description = $4, category_id = $5, status = $6, option_names = $7
                 where id = $1 and vendor_id = $2 returning slug",
                id,
                shop,
                p.title,
                p.description,
                p.category,
                p.status,
                &names
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
            (id, slug)
        }
        None => insert(tx, shop, p, &names, slug).await?,
    };
    if existing {
        let keep: Vec<String> = p.variants.iter().map(|v| variant_key(&v.values)).collect();
        // Variants whose combination is gone go (carts lose them; orders keep their snapshot).
        sqlx::query!(
            "delete from variants where product_id = $1 and not (array_to_string(option_values, ' / ') = any($2))",
            id,
            &keep
        )
        .execute(&mut *tx)
        .await?;
        // Unique SKUs may swap between variants of this product: park them first.
        sqlx::query!(
            "update variants set sku = 'tmp-' || replace(id::text, '-', '') where product_id = $1",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    // Every variant in one statement (the listing and search triggers then run once).
    let rows: Vec<serde_json::Value> = p
        .variants
        .iter()
        .enumerate()
        .map(|(position, v)| {
            serde_json::json!({"sku": v.sku, "vals": v.values, "price": v.price, "stock": v.stock, "position": position})
        })
        .collect();
    let written = sqlx::query!(
        r#"insert into variants (product_id, sku, option_values, price, stock_on_hand, position)
           select $1, r.sku, array(select jsonb_array_elements_text(r.vals)), r.price, r.stock, r.position
           from jsonb_to_recordset($2) as r(sku text, vals jsonb, price bigint, stock int, position int)
           on conflict (product_id, option_values) do update
               set sku = excluded.sku, price = excluded.price, position = excluded.position,
                   stock_on_hand = greatest(excluded.stock_on_hand, variants.stock_reserved)
           returning sku, stock_on_hand"#,
        id,
        serde_json::Value::Array(rows)
    )
    .fetch_all(&mut *tx)
    .await?;
    for (position, v) in p.variants.iter().enumerate() {
        if written
            .iter()
            .any(|w| w.sku == v.sku && w.stock_on_hand != v.stock)
        {
            return Err(AppError::invalid(
                format!("variant.{position}.stock"),
                format!("{}: more units than that are reserved by unpaid orders.", v.sku),
            ));
        }
    }
    Ok((id, slug))
}

/// A new product with a free slug from its title.
async fn insert(
    tx: &mut PgConnection,
    shop: Uuid,
    p: &CheckedProduct,
    names: &[String],
    wanted: Option<&str>,
) -> AppResult<(Uuid, String)> {
    let base: String = wanted
        .map(str::to_string)
        .unwrap_or_else(|| crate::text::slugify(&p.title).chars().take(100).collect());
    let base = if base.is_empty() {
        "product".to_string()
    } else {
        base.trim_end_matches('-').to_string()
    };
    for attempt in 0..5 {
        let slug = if attempt == 0 {
            base.clone()
        } else {
            format!("{base}-{}", &Uuid::new_v4().simple().to_string()[..6])
        };
        let id = sqlx::query_scalar!(
            "insert into products (vendor_id, category_id, slug, title, description, status, option_names)
             values ($1, $2, $3, $4, $5, $6, $7) on conflict (slug) do nothing returning id",
            shop,
            p.category,
            slug,
            p.title,
            p.description,
            p.status,
            names
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = id {
            return Ok((id, slug));
        }
        if wanted.is_some() {
            return Err(AppError::invalid(
                "handle",
                format!("The handle “{slug}” is taken by another product."),
            ));
        }
    }
    Err(AppError::Conflict(
        "Could not find a free address for this product; change its title.".into(),
    ))
}

/// Checks and saves a product from the editor; returns its id.
pub async fn save(state: &AppState, shop: &Shop, id: Option<Uuid>, input: &ProductInput) -> AppResult<Uuid> {
    let tree = state.catalog.tree(&state.pool).await?;
    let checked = check(&tree, state.site.currency, input)?;
    let mut tx = state.pool.begin().await?;
    let before = match id {
        Some(id) => super::product_audit::snapshot(&mut tx, id).await?,
        None => None,
    };
    let (id, slug) = write(&mut tx, shop.id, id, &checked, None).await?;
    super::product_audit::record(&mut tx, shop, crate::audit::Action::ProductSaved, id, before).await?;
    tx.commit().await?;
    state.catalog.invalidate_product(&slug).await;
    Ok(id)
}
