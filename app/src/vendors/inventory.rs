//! Stock of every variant of a shop: the inventory page's list, edits of many variants at
//! once (all or nothing), and the threshold below which a variant counts as low. Each change
//! is in the audit log with the values it replaced.

use super::model::{Inventory, StockRow};
use super::shop::Shop;
use crate::audit::{self, Action, Entry, Subject};
use crate::error::{AppError, AppResult, Problems};
use crate::state::AppState;

pub const PER_PAGE: i64 = 50;

/// The most characters of a search the inventory reads.
const SEARCH_MAX: usize = 64;

/// The shop's variants (only the low ones with `low_only`; those whose SKU or product title
/// contains `search`), page `page`.
pub async fn list(
    state: &AppState,
    shop: &Shop,
    low_only: bool,
    page: u32,
    search: &str,
) -> AppResult<Inventory> {
    let page = page.clamp(1, 10_000);
    let search: String = search.trim().chars().take(SEARCH_MAX).collect();
    // `like` reads `%`, `_` and `\` as patterns: the shopkeeper's text is matched as text.
    let pattern = crate::text::contains_pattern(&search);
    let threshold = sqlx::query_scalar!("select low_stock_threshold from vendors where id = $1", shop.id)
        .fetch_one(&state.pool)
        .await?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from variants v join products p on p.id = v.product_id
           where p.vendor_id = $1 and p.status <> 'archived'
             and (not $2 or v.stock_on_hand - v.stock_reserved <= $3)
             and (v.sku ilike $4 or p.title ilike $4)"#,
        shop.id,
        low_only,
        threshold,
        pattern
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select p.id, p.title, array_to_string(v.option_values, ' / ') as "options!", v.sku,
                  v.stock_on_hand, v.stock_reserved
           from variants v join products p on p.id = v.product_id
           where p.vendor_id = $1 and p.status <> 'archived'
             and (not $2 or v.stock_on_hand - v.stock_reserved <= $3)
             and (v.sku ilike $6 or p.title ilike $6)
           order by p.title, p.id, v.position, v.sku limit $4 offset $5"#,
        shop.id,
        low_only,
        threshold,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE,
        pattern
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| StockRow {
        product_id: r.id.to_string(),
        title: r.title,
        options: r.options,
        sku: r.sku,
        on_hand: r.stock_on_hand,
        reserved: r.stock_reserved,
    })
    .collect();
    Ok(Inventory {
        membership: shop.membership.clone(),
        rows,
        threshold,
        low_only,
        search,
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
    })
}

/// The most variants one inventory save may change (a shop's whole inventory page is far less).
const CHANGES_MAX: usize = 5_000;

/// Sets the stock on hand of the shop's variants named by SKU. Every value is checked first,
/// and every problem reported; one bad value changes nothing.
pub async fn set_stock(state: &AppState, shop: &Shop, changes: &[(String, String)]) -> AppResult<usize> {
    let mut skus = Vec::with_capacity(changes.len());
    let mut stocks = Vec::with_capacity(changes.len());
    if changes.len() > CHANGES_MAX {
        return Err(AppError::BadRequest(format!(
            "At most {CHANGES_MAX} variants can be saved at once."
        )));
    }
    let mut problems = Problems::default();
    for (sku, stock) in changes {
        // Checked before it is named in a message: the text is the sender's.
        if !super::options::valid_sku(sku) {
            return Err(AppError::invalid(
                "stock",
                "A SKU in the list is not a variant of this shop.",
            ));
        }
        let parsed = stock
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|s| (0..=1_000_000).contains(s));
        match parsed {
            Some(stock) => {
                skus.push(sku.clone());
                stocks.push(stock);
            }
            None => problems.add(
                format!("stock.{sku}"),
                format!("{sku}: stock is a whole number from 0 to 1,000,000."),
            ),
        }
    }
    let mut tx = state.pool.begin().await?;
    let rows = sqlx::query!(
        r#"select v.sku, v.stock_reserved from variants v join products p on p.id = v.product_id
           where p.vendor_id = $1 and v.sku = any($2) for update of v"#,
        shop.id,
        &skus
    )
    .fetch_all(&mut *tx)
    .await?;
    for (sku, stock) in skus.iter().zip(&stocks) {
        let field = format!("stock.{sku}");
        match rows.iter().find(|r| &r.sku == sku) {
            // Another shop's SKU or none: the same answer either way.
            None => problems.add(field, format!("{sku} is not a variant of this shop.")),
            Some(row) if *stock < row.stock_reserved => problems.add(
                field,
                format!(
                    "{sku}: {} units are reserved by unpaid orders; stock can't go below that.",
                    row.stock_reserved
                ),
            ),
            Some(_) => {}
        }
    }
    // Every bad row is reported at once; one bad row changes nothing.
    problems.finish()?;
    // The rows are locked above: the old values read here are the ones replaced.
    let changed = sqlx::query!(
        "update variants v set stock_on_hand = c.stock
         from unnest($1::text[], $2::int[]) c(sku, stock), variants o
         where v.sku = c.sku and o.id = v.id and v.stock_on_hand <> c.stock
         returning v.sku, o.stock_on_hand as before, v.stock_on_hand as after",
        &skus,
        &stocks
    )
    .fetch_all(&mut *tx)
    .await?;
    if !changed.is_empty() {
        let (mut before, mut after) = (serde_json::Map::new(), serde_json::Map::new());
        for row in &changed {
            before.insert(row.sku.clone(), row.before.into());
            after.insert(row.sku.clone(), row.after.into());
        }
        let entry = Entry {
            action: Action::StockChanged,
            subject: Subject::Vendor(shop.id),
            vendor: Some(shop.id),
            before: Some(before.into()),
            after: Some(after.into()),
        };
        audit::record(&mut tx, &shop.audit, entry).await?;
        tx.commit().await?;
        state.catalog.invalidate_listings().await;
        return Ok(changed.len());
    }
    tx.commit().await?;
    Ok(0)
}

pub async fn set_threshold(state: &AppState, shop: &Shop, threshold: &str) -> AppResult<()> {
    let threshold = threshold
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|t| (0..=100_000).contains(t))
        .ok_or_else(|| AppError::invalid("threshold", "A whole number from 0 to 100,000."))?;
    let mut tx = state.pool.begin().await?;
    let before = sqlx::query_scalar!(
        "update vendors v set low_stock_threshold = $2 from vendors o where v.id = $1 and o.id = v.id
         returning o.low_stock_threshold",
        shop.id,
        threshold
    )
    .fetch_one(&mut *tx)
    .await?;
    if before != threshold {
        let entry = Entry {
            action: Action::LowStockThreshold,
            subject: Subject::Vendor(shop.id),
            vendor: Some(shop.id),
            before: Some(serde_json::json!({"low_stock_threshold": before})),
            after: Some(serde_json::json!({"low_stock_threshold": threshold})),
        };
        audit::record(&mut tx, &shop.audit, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}
