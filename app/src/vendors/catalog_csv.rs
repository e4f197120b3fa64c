//! Products and variants as CSV, one row per variant (product columns repeated): exported
//! as they are (text a spreadsheet would run as a formula quoted, see `cells`), imported all
//! or nothing after every row is checked, problems reported by line and column. A product is
//! matched by its handle (the slug in its address).

use crate::error::AppError;
use crate::money::Money;
use crate::state::AppState;
use crate::vendors::model::{ProductInput, RowError, VariantInput};
use crate::vendors::options::{OptionInput, combinations, parse_options, variant_key};
use crate::vendors::products;
use crate::vendors::shop::Shop;
use progress::{Progress, Stage};
use rows::{Row, check_cells, read, row_key};
use std::collections::HashMap;
use uuid::Uuid;

pub mod cells;
pub mod progress;
mod rows;
mod text;

pub use text::{check as check_text, describe};

pub const COLUMNS: [&str; 14] = [
    "handle",
    "title",
    "description",
    "category",
    "status",
    "option1_name",
    "option1_value",
    "option2_name",
    "option2_value",
    "option3_name",
    "option3_value",
    "sku",
    "price",
    "stock",
];
/// A problem with the cell of `column` on `line` (the whole line when `column` is empty).
pub fn problem(line: u64, column: &str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        column: column.to_string(),
        message: message.into(),
    }
}

/// Most problems listed in one report.
const MAX_ERRORS: usize = 200;
pub const MAX_ROWS: usize = 20_000;

/// Every product and variant of the shop.
#[tracing::instrument(skip_all, fields(shop = %shop.id))]
pub async fn export(state: &AppState, shop: &Shop) -> anyhow::Result<Vec<u8>> {
    let rows = sqlx::query!(
        r#"select p.slug, p.title, p.description, c.slug as category, coalesce(p.listed_status, p.status) as "status!", p.option_names,
                  v.option_values, v.sku, v.price, v.stock_on_hand
           from products p join categories c on c.id = p.category_id join variants v on v.product_id = p.id
           where p.vendor_id = $1 order by p.created_at, p.id, v.position, v.sku"#,
        shop.id
    )
    .fetch_all(&state.pool)
    .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for r in rows {
        let mut text = vec![r.slug, r.title, r.description, r.category, r.status];
        for i in 0..3 {
            text.push(r.option_names.get(i).cloned().unwrap_or_default());
            text.push(r.option_values.get(i).cloned().unwrap_or_default());
        }
        text.push(r.sku);
        let mut record: Vec<String> = text
            .iter()
            .map(|cell| cells::neutralise(cell).into_owned())
            .collect();
        // Numbers as they are: prices and stock are never negative (the variants' checks), so
        // they never start like a formula, and a spreadsheet reads them as numbers.
        record.push(Money::new(r.price, state.site.currency).decimal());
        record.push(r.stock_on_hand.to_string());
        out.write_record(&record)?;
    }
    Ok(out.into_inner()?)
}

/// The rows of one product, as the editor would have sent them.
fn product_input(rows: &[&Row]) -> ProductInput {
    let first = rows[0];
    let options = (1..=3)
        .map(|i| {
            let mut values: Vec<&str> = Vec::new();
            for row in rows {
                let value = row.get(&format!("option{i}_value"));
                if !value.is_empty() && !values.contains(&value) {
                    values.push(value);
                }
            }
            OptionInput {
                name: first.get(&format!("option{i}_name")).to_string(),
                values: values.join(", "),
            }
        })
        .collect();
    ProductInput {
        title: first.get("title").into(),
        description: first.get("description").into(),
        category: first.get("category").into(),
        status: match first.get("status") {
            "" => "draft".into(),
            status => status.into(),
        },
        base_price: String::new(),
        options,
        variants: rows
            .iter()
            .map(|row| VariantInput {
                key: row_key(row),
                sku: row.get("sku").into(),
                price: row.get("price").into(),
                stock: row.get("stock").into(),
            })
            .collect(),
    }
}

/// Where an editor field's error belongs in the file: (line, column).
fn locate(field: &str, rows: &[&Row], keys: &[String]) -> (u64, String) {
    let first = rows[0].line;
    let parts: Vec<&str> = field.split('.').collect();
    match parts.as_slice() {
        ["variant", i, column] => {
            let key = i.parse::<usize>().ok().and_then(|i| keys.get(i));
            let line = key
                .and_then(|key| rows.iter().find(|r| row_key(r) == *key))
                .map_or(first, |r| r.line);
            (line, (*column).to_string())
        }
        ["option", i, _] => (
            first,
            format!("option{}_value", i.parse::<usize>().unwrap_or(0) + 1),
        ),
        ["base_price"] => (first, "price".into()),
        _ => (first, field.to_string()),
    }
}

/// Imports `bytes` into the shop: every row checked first, then all applied in one
/// transaction, or nothing. Returns (rows, products) applied, or the problems. `progress`
/// follows it product by product.
#[tracing::instrument(skip_all, fields(shop = %shop.id))]
pub async fn import(
    state: &AppState,
    shop: &Shop,
    bytes: &[u8],
    progress: &Progress,
) -> Result<(usize, usize), Vec<RowError>> {
    let result = import_stages(state, shop, bytes, progress).await;
    progress.finish(result.is_ok());
    result
}

async fn import_stages(
    state: &AppState,
    shop: &Shop,
    bytes: &[u8],
    progress: &Progress,
) -> Result<(usize, usize), Vec<RowError>> {
    let rows = read(bytes)?;
    if rows.is_empty() {
        return Err(vec![problem(2, "", "The file has no rows under its header.")]);
    }
    let mut errors = Vec::new();
    check_cells(&rows, state.site.currency, &mut errors);
    let mut groups: Vec<(String, Vec<&Row>)> = Vec::new();
    let mut by_handle: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let handle = row.get("handle").to_string();
        let at = *by_handle.entry(handle.clone()).or_insert_with(|| {
            groups.push((handle, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(row);
    }
    let handles: Vec<String> = groups.iter().map(|(h, _)| h.clone()).collect();
    let existing: HashMap<String, (Uuid, Uuid)> = sqlx::query!(
        "select slug, id, vendor_id from products where slug = any($1)",
        &handles
    )
    .fetch_all(&state.pool)
    .await
    .map_err(|_| vec![problem(0, "", "The database could not be read; try again.")])?
    .into_iter()
    .map(|r| (r.slug, (r.id, r.vendor_id)))
    .collect();
    let bad_lines: std::collections::HashSet<u64> = errors.iter().map(|e| e.line).collect();
    let tree = state
        .catalog
        .tree(&state.pool)
        .await
        .map_err(|e| vec![problem(0, "", e.to_string())])?;
    let mut checked = Vec::new();
    progress.stage(Stage::Checking, groups.len());
    for (handle, group) in &groups {
        progress.step();
        let first = group[0].line;
        if group.iter().any(|r| bad_lines.contains(&r.line)) {
            continue; // its rows' own problems are reported already
        }
        let id = match existing.get(handle) {
            Some((id, vendor)) if *vendor == shop.id => Some(*id),
            Some(_) => {
                errors.push(problem(
                    first,
                    "handle",
                    format!("The handle “{handle}” belongs to another shop's product."),
                ));
                continue;
            }
            None => None,
        };
        let input = product_input(group);
        let keys: Vec<String> = parse_options(&input.options)
            .map(|o| combinations(&o).iter().map(|c| variant_key(c)).collect())
            .unwrap_or_default();
        let mut seen: HashMap<&str, u64> = HashMap::new();
        for (row, variant) in group.iter().zip(&input.variants) {
            if let Some(line) = seen.insert(&variant.key, row.line) {
                errors.push(problem(
                    row.line,
                    "option1_value",
                    format!("The same option values as line {line}."),
                ));
            }
        }
        if let Some(missing) = keys.iter().find(|k| !seen.contains_key(k.as_str())) {
            let missing = if missing.is_empty() {
                "the product itself"
            } else {
                missing
            };
            errors.push(problem(
                first,
                "option1_value",
                format!("“{handle}” has no row for {missing}: give every combination of its options a row."),
            ));
            continue;
        }
        match products::check(&tree, state.site.currency, &input) {
            Ok(product) => checked.push((handle, group, keys, id, product)),
            Err(error) if error.is_about_fields() => {
                for (field, message) in error.field_problems() {
                    let (line, column) = locate(field, group, &keys);
                    errors.push(problem(line, &column, message.to_string()));
                }
            }
            Err(other) => errors.push(problem(first, "", other.to_string())),
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        errors.truncate(MAX_ERRORS);
        return Err(errors);
    }
    let failed = |e: AppError| vec![problem(0, "", e.to_string())];
    let mut tx = state.pool.begin().await.map_err(|e| failed(e.into()))?;
    let mut slugs = Vec::new();
    progress.stage(Stage::Saving, checked.len());
    for (handle, group, keys, id, product) in &checked {
        progress.step();
        match products::write(&mut tx, shop.id, *id, product, Some(handle)).await {
            Ok((_, slug)) => slugs.push(slug),
            Err(AppError::Invalid { field, message }) => {
                let (line, column) = locate(&field, group, keys);
                return Err(vec![problem(line, &column, message)]);
            }
            Err(other) => return Err(failed(other)),
        }
    }
    // One entry for the file: which products it created and which it replaced.
    let created: Vec<&String> = checked.iter().filter(|c| c.3.is_none()).map(|c| c.0).collect();
    let updated: Vec<&String> = checked.iter().filter(|c| c.3.is_some()).map(|c| c.0).collect();
    let entry = crate::audit::Entry {
        action: crate::audit::Action::CatalogImported,
        subject: crate::audit::Subject::Vendor(shop.id),
        vendor: Some(shop.id),
        before: None,
        after: Some(serde_json::json!({"rows": rows.len(), "created": created, "updated": updated})),
    };
    crate::audit::record(&mut tx, &shop.audit, entry)
        .await
        .map_err(failed)?;
    tx.commit().await.map_err(|e| failed(e.into()))?;
    for slug in &slugs {
        state.catalog.invalidate_product(slug).await;
    }
    Ok((rows.len(), checked.len()))
}
