//! Reading the catalogue for the console: every product of every shop, searched and filtered
//! (shop, category with its descendants, status, open reports), and one product with its
//! reports and the log's entries about it.

use super::model::{ModeratedList, ModeratedProduct, ModeratedRow, ReportReason, ReportRow, StatusFilter};
use crate::error::{AppError, AppResult};
use crate::money::{Currency, Money};
use crate::state::AppState;
use uuid::Uuid;

pub const PER_PAGE: i64 = 50;

/// What the console searches by.
pub struct Search {
    /// Part of the title, the handle or a SKU.
    pub q: String,
    /// Part of the shop's name.
    pub shop: String,
    /// A category's slug.
    pub category: String,
    pub status: StatusFilter,
    pub reported: bool,
}

fn price(min: Option<i64>, max: Option<i64>, currency: Currency) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min != max => {
            format!("{} – {}", Money::new(min, currency), Money::new(max, currency))
        }
        (Some(min), _) => Money::new(min, currency).to_string(),
        _ => "—".into(),
    }
}

/// Page `page` of the products that match `search`, newest first.
pub async fn list(state: &AppState, search: Search, page: u32) -> AppResult<ModeratedList> {
    let q: String = search.q.trim().chars().take(100).collect();
    let shop: String = search.shop.trim().chars().take(100).collect();
    let tree = state.catalog.tree(&state.pool).await?;
    // An unknown category is no filter (the list says which one is chosen).
    let chosen = tree.by_slug(&search.category);
    let category = chosen.map(|c| c.slug.clone()).unwrap_or_default();
    let categories: Option<Vec<Uuid>> = chosen.map(|c| tree.subtree_ids(c.id));
    let page = page.clamp(1, 10_000);
    let (pattern, shop_pattern) = (
        crate::text::contains_pattern(&q),
        crate::text::contains_pattern(&shop),
    );
    let status = search.status.key();
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from products p join vendors v on v.id = p.vendor_id
           where ($1 = '' or p.title ilike $2 or p.slug ilike $2
                  or exists (select 1 from variants s where s.product_id = p.id and s.sku ilike $2))
             and ($3 = '' or v.name ilike $4)
             and ($5::uuid[] is null or p.category_id = any($5))
             and ($6 = '' or p.status = $6)
             and (not $7 or exists (select 1 from product_reports r where r.product_id = p.id and r.closed_at is null))"#,
        q,
        pattern,
        shop,
        shop_pattern,
        categories.as_deref(),
        status,
        search.reported
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select p.id, p.slug, p.title, v.name as shop, c.name as category, p.status, p.price_min, p.price_max,
                  p.in_stock, to_char(p.created_at at time zone 'UTC', 'FMDD Mon YYYY') as "created!",
                  (select count(*) from product_reports r where r.product_id = p.id and r.closed_at is null) as "reports!"
           from products p join vendors v on v.id = p.vendor_id join categories c on c.id = p.category_id
           where ($1 = '' or p.title ilike $2 or p.slug ilike $2
                  or exists (select 1 from variants s where s.product_id = p.id and s.sku ilike $2))
             and ($3 = '' or v.name ilike $4)
             and ($5::uuid[] is null or p.category_id = any($5))
             and ($6 = '' or p.status = $6)
             and (not $7 or exists (select 1 from product_reports r where r.product_id = p.id and r.closed_at is null))
           order by p.created_at desc, p.id limit $8 offset $9"#,
        q,
        pattern,
        shop,
        shop_pattern,
        categories.as_deref(),
        status,
        search.reported,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?;
    let currency = state.site.currency;
    Ok(ModeratedList {
        rows: rows
            .into_iter()
            .map(|r| ModeratedRow {
                id: r.id.to_string(),
                slug: r.slug,
                title: r.title,
                shop: r.shop,
                category: r.category,
                status: r.status,
                price: price(r.price_min, r.price_max, currency),
                in_stock: r.in_stock,
                open_reports: r.reports,
                created: r.created,
            })
            .collect(),
        total,
        q,
        shop,
        category,
        status: search.status,
        reported: search.reported,
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
        categories: tree.labelled(),
    })
}

/// The product `id` with its reports (open first, then the newest) and its log.
pub async fn detail(state: &AppState, id: Uuid) -> AppResult<ModeratedProduct> {
    let r = sqlx::query!(
        r#"select p.id, p.slug, p.title, v.name as shop, v.slug as vendor_slug, c.name as category, p.status,
                  p.price_min, p.price_max, p.in_stock, p.hidden_reason,
                  coalesce(p.listed_status, p.status) as "listed!",
                  to_char(p.created_at at time zone 'UTC', 'FMDD Mon YYYY') as "created!",
                  to_char(p.hidden_at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') as hidden_at,
                  (select count(*) from product_reports r where r.product_id = p.id and r.closed_at is null) as "reports!"
           from products p join vendors v on v.id = p.vendor_id join categories c on c.id = p.category_id
           where p.id = $1"#,
        id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let reports = sqlx::query!(
        r#"select to_char(r.created_at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') as "at!",
                  coalesce(u.email::text, '') as "reporter!", r.reason, r.note, r.outcome,
                  to_char(r.closed_at at time zone 'UTC', 'FMDD Mon YYYY') as closed_at,
                  coalesce(c.email::text, '') as "closer!"
           from product_reports r
           left join users u on u.id = r.reporter_id
           left join users c on c.id = r.closed_by
           where r.product_id = $1
           order by r.closed_at is not null, r.created_at desc limit 100"#,
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| ReportRow {
        at: r.at,
        reporter: r.reporter,
        reason: ReportReason::from_key(&r.reason).map_or(r.reason, |reason| reason.label().to_string()),
        note: r.note,
        closed: match (r.outcome.as_deref(), r.closed_at) {
            (Some(outcome), Some(at)) => {
                let what = if outcome == "hidden" {
                    "Hidden"
                } else {
                    "Dismissed"
                };
                let by = if r.closer.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", r.closer)
                };
                format!("{what} on {at}{by}")
            }
            _ => String::new(),
        },
    })
    .collect();
    let audit = crate::audit::list::list(state, "", "", Some(("product", id.to_string())), None, 1)
        .await?
        .rows;
    Ok(ModeratedProduct {
        row: ModeratedRow {
            id: r.id.to_string(),
            slug: r.slug,
            title: r.title,
            shop: r.shop,
            category: r.category,
            status: r.status,
            price: price(r.price_min, r.price_max, state.site.currency),
            in_stock: r.in_stock,
            open_reports: r.reports,
            created: r.created,
        },
        vendor_slug: r.vendor_slug,
        hidden: r.hidden_at.map(|at| (at, r.hidden_reason)),
        listed_status: r.listed,
        reports,
        audit,
    })
}
