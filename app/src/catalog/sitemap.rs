//! The URLs the sitemaps list.

use sqlx::PgPool;

/// A sitemap entry: path and last modification.
pub type SitemapEntry = (String, chrono::DateTime<chrono::Utc>);

/// Categories and vendors for the sitemap.
pub async fn sitemap_pages(pool: &PgPool) -> sqlx::Result<Vec<SitemapEntry>> {
    let rows = sqlx::query!(
        r#"select '/c/' || slug as "path!", updated_at as "updated_at!: chrono::DateTime<chrono::Utc>" from categories
           union all
           select '/v/' || slug, updated_at from vendors where status = 'approved'"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.path, r.updated_at)).collect())
}

/// How many products are on sale, to split the product sitemap into files.
pub async fn sitemap_product_count(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from products p join vendors v on v.id = p.vendor_id
            where p.status = 'active' and v.status = 'approved'"#
    )
    .fetch_one(pool)
    .await
}

/// One file's worth of product URLs, in a stable order.
pub async fn sitemap_products(pool: &PgPool, offset: i64, limit: i64) -> sqlx::Result<Vec<SitemapEntry>> {
    let rows = sqlx::query!(
        r#"select '/p/' || p.slug as "path!", p.updated_at as "updated_at: chrono::DateTime<chrono::Utc>"
             from products p join vendors v on v.id = p.vendor_id
            where p.status = 'active' and v.status = 'approved'
            order by p.id limit $1 offset $2"#,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.path, r.updated_at)).collect())
}
