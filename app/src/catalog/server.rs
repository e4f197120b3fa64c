//! Catalog reads: plain async functions over the pool, called by the server functions and tests.
//!
//! Listings are two steps: a query that picks the ids of one page (filters, sort, total) and
//! `cards`, which loads what a product card shows for exactly those ids.

use super::cards::{cards, image, rating};
use super::listing::{Scope, find};
use super::model::*;
use super::query::ListingQuery;
use super::tree::{Category, CategoryTree};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use sqlx::{PgExecutor, PgPool};
use std::sync::Arc;
use uuid::Uuid;

const RELATED_COUNT: i64 = 8;
const HOME_SECTION_COUNT: usize = 8;
const REVIEWS_SHOWN: i64 = 10;

/// `load_tree` as the catalog cache calls it (`CatalogCache::new`).
pub fn tree_loader(
    pool: sqlx::PgPool,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = AppResult<CategoryTree>> + Send>> {
    Box::pin(async move {
        load_tree(&pool)
            .await
            .map_err(|e| AppError::internal("loading the category tree failed", e))
    })
}

pub async fn load_tree(db: impl PgExecutor<'_>) -> sqlx::Result<CategoryTree> {
    let categories = sqlx::query_as!(
        Category,
        r#"select id, parent_id, slug, name, description, featured
             from categories
            order by position, name"#
    )
    .fetch_all(db)
    .await?;
    Ok(CategoryTree::new(categories))
}

pub async fn category_page(
    state: &AppState,
    slug: &str,
    query: &ListingQuery,
) -> AppResult<Arc<CategoryPage>> {
    state
        .catalog
        .category(slug, query, || {
            load_category_page(state.clone(), slug.to_string(), query.clone())
        })
        .await
}

async fn load_category_page(state: AppState, slug: String, query: ListingQuery) -> AppResult<CategoryPage> {
    let tree = state.catalog.tree(state.reads()).await?;
    let category = tree.by_slug(&slug).ok_or(AppError::NotFound)?;
    let scope = Scope {
        category: Some(category.id),
        vendor: None,
    };
    // The page is the category: a category facet choice inside it is taken from the subtree.
    let query = ListingQuery {
        category: query.category.filter(|c| {
            tree.by_slug(c)
                .is_some_and(|chosen| tree.subtree_ids(category.id).contains(&chosen.id))
        }),
        ..query
    };
    let found = find(&state, &tree, &scope, &query).await?;
    let mut path = tree.path_to(category.id);
    path.pop();
    Ok(CategoryPage {
        category: category.link(),
        description: category.description.clone(),
        ancestors: path.into_iter().map(Category::link).collect(),
        facets: found.facets,
        listing: found.listing,
    })
}

pub async fn home_page(state: &AppState) -> AppResult<Arc<HomePage>> {
    state.catalog.home(|| load_home_page(state.clone())).await
}

async fn load_home_page(state: AppState) -> AppResult<HomePage> {
    let tree = state.catalog.tree(state.reads()).await?;
    let limit = HOME_SECTION_COUNT as i64;
    let (newest, top_rated, per_category) = tokio::try_join!(
        sqlx::query_scalar!(
            r#"select p.id from products p join vendors v on v.id = p.vendor_id
                where p.status = 'active' and v.status = 'approved' and p.price_min is not null
                order by p.created_at desc, p.id limit $1"#,
            limit
        )
        .fetch_all(state.reads()),
        sqlx::query_scalar!(
            r#"select p.id from products p join vendors v on v.id = p.vendor_id
                where p.status = 'active' and v.status = 'approved' and p.price_min is not null
                  and p.review_count >= 3
                order by p.rating_avg desc nulls last, p.review_count desc, p.id limit $1"#,
            limit
        )
        .fetch_all(state.reads()),
        category_summaries(state.reads()),
    )?;
    let currency = state.site.currency;
    let (new_arrivals, top_rated) = tokio::try_join!(
        cards(state.reads(), &newest, currency),
        cards(state.reads(), &top_rated, currency)
    )?;
    let featured = tree
        .featured()
        .map(|c| {
            let subtree = tree.subtree_ids(c.id);
            let in_subtree = || per_category.iter().filter(|s| subtree.contains(&s.category_id));
            CategoryCard {
                slug: c.slug.clone(),
                name: c.name.clone(),
                product_count: in_subtree().map(|s| s.products).sum(),
                image: in_subtree().find_map(|s| s.image.clone()),
            }
        })
        .collect();
    Ok(HomePage {
        featured,
        new_arrivals,
        top_rated,
    })
}

struct CategorySummary {
    category_id: Uuid,
    products: u32,
    image: Option<ImageRef>,
}

/// Products on sale per category, with the cover of its best-reviewed product.
async fn category_summaries(pool: &PgPool) -> sqlx::Result<Vec<CategorySummary>> {
    let rows = sqlx::query!(
        r#"select c.category_id as "category_id!", c.products as "products!",
                  i.key as "image_key?", i.alt as "image_alt?",
                  i.width as "image_width?", i.height as "image_height?"
             from (select p.category_id, count(*) as products,
                          (array_agg(p.id order by p.review_count desc, p.id))[1] as best
                     from products p join vendors v on v.id = p.vendor_id
                    where p.status = 'active' and v.status = 'approved' and p.price_min is not null
                    group by p.category_id) c
             left join lateral (
                  select key, alt, width, height from product_images pi
                   where pi.product_id = c.best order by position limit 1) i on true"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CategorySummary {
            category_id: r.category_id,
            products: r.products as u32,
            image: image(r.image_key, r.image_alt, r.image_width, r.image_height),
        })
        .collect())
}

pub async fn product_page(state: &AppState, slug: &str) -> AppResult<Arc<ProductPage>> {
    state
        .catalog
        .product(slug, || load_product_page(state.clone(), slug.to_string()))
        .await
}

async fn load_product_page(state: AppState, slug: String) -> AppResult<ProductPage> {
    let pool = state.reads();
    let currency = state.site.currency;
    let product = sqlx::query!(
        r#"select p.id, p.slug, p.title, p.description, p.option_names, p.category_id,
                  (p.rating_avg * 100)::integer as rating_centi, p.review_count,
                  v.slug as vendor_slug, v.name as vendor_name
             from products p join vendors v on v.id = p.vendor_id
            where p.slug = $1 and p.status = 'active' and v.status = 'approved'"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;

    let (tree, variants, images, reviews, related) = tokio::try_join!(
        state.catalog.tree(pool),
        async {
            sqlx::query!(
                r#"select sku, option_values, price, stock_on_hand - stock_reserved as "available!"
                     from variants where product_id = $1 order by position, sku"#,
                product.id
            )
            .fetch_all(pool)
            .await
            .map_err(AppError::from)
        },
        async {
            sqlx::query!(
                r#"select key, alt, width, height from product_images
                    where product_id = $1 order by position"#,
                product.id
            )
            .fetch_all(pool)
            .await
            .map_err(AppError::from)
        },
        async {
            sqlx::query!(
                r#"select author_name, rating, title, body, created_at as "created_at: chrono::DateTime<chrono::Utc>" from reviews
                    where product_id = $1 order by created_at desc, id limit $2"#,
                product.id,
                REVIEWS_SHOWN
            )
            .fetch_all(pool)
            .await
            .map_err(AppError::from)
        },
        async {
            let ids = sqlx::query_scalar!(
                r#"select p.id from products p join vendors v on v.id = p.vendor_id
                    where p.category_id = $1 and p.id <> $2
                      and p.status = 'active' and v.status = 'approved' and p.price_min is not null
                    order by p.rating_avg desc nulls last, p.review_count desc, p.id
                    limit $3"#,
                product.category_id,
                product.id,
                RELATED_COUNT
            )
            .fetch_all(pool)
            .await?;
            Ok::<_, AppError>(cards(pool, &ids, currency).await?)
        },
    )?;

    Ok(ProductPage {
        slug: product.slug,
        title: product.title,
        description: product.description,
        vendor: VendorLink {
            slug: product.vendor_slug,
            name: product.vendor_name,
        },
        categories: tree
            .path_to(product.category_id)
            .into_iter()
            .map(Category::link)
            .collect(),
        option_names: product.option_names,
        variants: variants
            .into_iter()
            .map(|v| Variant {
                sku: v.sku,
                option_values: v.option_values,
                price: Money::new(v.price, currency),
                available: v.available.max(0) as u32,
            })
            .collect(),
        images: images
            .into_iter()
            .map(|i| ImageRef {
                key: i.key,
                alt: i.alt,
                width: i.width as u32,
                height: i.height as u32,
            })
            .collect(),
        rating: rating(product.rating_centi, product.review_count),
        reviews: reviews
            .into_iter()
            .map(|r| Review {
                author: r.author_name,
                rating: r.rating.clamp(1, 5) as u8,
                title: r.title,
                body: r.body,
                date: r.created_at.date_naive().to_string(),
            })
            .collect(),
        related,
    })
}

pub async fn vendor_page(state: &AppState, slug: &str, query: &ListingQuery) -> AppResult<Arc<VendorPage>> {
    state
        .catalog
        .vendor(slug, query, || {
            load_vendor_page(state.clone(), slug.to_string(), query.clone())
        })
        .await
}

async fn load_vendor_page(state: AppState, slug: String, query: ListingQuery) -> AppResult<VendorPage> {
    let vendor = sqlx::query!(
        r#"select v.id, v.slug, v.name, v.tagline, v.description, v.country, v.logo_key,
                  extract(year from v.created_at)::integer as "since_year!",
                  (select count(*) from products p
                    where p.vendor_id = v.id and p.status = 'active' and p.price_min is not null) as "product_count!",
                  (select (sum(p.rating_avg * p.review_count) / nullif(sum(p.review_count), 0) * 100)::integer
                     from products p where p.vendor_id = v.id and p.status = 'active') as rating_centi,
                  (select coalesce(sum(p.review_count), 0)::integer
                     from products p where p.vendor_id = v.id and p.status = 'active') as "review_count!"
             from vendors v
            where v.slug = $1 and v.status = 'approved'"#,
        slug
    )
    .fetch_optional(state.reads())
    .await?
    .ok_or(AppError::NotFound)?;
    let scope = Scope {
        category: None,
        vendor: Some(vendor.id),
    };
    let query = ListingQuery {
        vendors: Vec::new(),
        ..query
    };
    let tree = state.catalog.tree(state.reads()).await?;
    // One shop's page: no vendor facet (`find` counts none for a shop's scope).
    let found = find(&state, &tree, &scope, &query).await?;
    Ok(VendorPage {
        vendor: VendorProfile {
            slug: vendor.slug,
            name: vendor.name,
            tagline: vendor.tagline,
            description: vendor.description,
            country: vendor.country,
            logo_key: vendor.logo_key,
            since_year: vendor.since_year,
            product_count: vendor.product_count as u64,
            rating: rating(vendor.rating_centi, vendor.review_count),
        },
        facets: found.facets,
        listing: found.listing,
    })
}
