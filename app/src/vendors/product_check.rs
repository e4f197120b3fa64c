//! A product from the editor or a CSV file, checked field by field before anything is
//! written: title, description, category, status, options, and every variant the options make
//! (SKU, price, stock). Every problem is reported, each on its field.

use super::model::{ProductInput, VariantInput};
use super::options::{ProductOption, combinations, parse_options, suggested_sku, valid_sku, variant_key};
use crate::accounts::validate;
use crate::catalog::tree::CategoryTree;
use crate::error::{AppError, AppResult, Problems};
use crate::money::{Currency, Money};
use std::collections::HashMap;
use uuid::Uuid;

pub const STATUSES: [&str; 3] = ["draft", "active", "archived"];
const MAX_STOCK: i32 = 1_000_000;

/// A variant as it will be written.
pub struct CheckedVariant {
    pub values: Vec<String>,
    pub sku: String,
    pub price: i64,
    pub stock: i32,
}

/// A product checked field by field, ready to write.
pub struct CheckedProduct {
    pub title: String,
    pub description: String,
    pub category: Uuid,
    pub status: String,
    pub options: Vec<ProductOption>,
    pub variants: Vec<CheckedVariant>,
}

/// Checks everything the editor sent; every problem is reported at once, each on its field
/// (variant fields are `variant.N.sku|price|stock`, N counting the generated variants from 0).
pub fn check(tree: &CategoryTree, currency: Currency, input: &ProductInput) -> AppResult<CheckedProduct> {
    let mut problems = Problems::default();
    let title = problems.take(validate::text("title", &input.title, 1, 200, "The title"));
    let description = problems.take(validate::multiline(
        "description",
        &input.description,
        0,
        20_000,
        "The description",
    ));
    let category = tree.by_slug(input.category.trim()).map(|c| c.id);
    if category.is_none() {
        problems.add("category", "Choose a category.");
    }
    let status = input.status.trim().to_string();
    if !STATUSES.contains(&status.as_str()) {
        problems.add("status", "Choose draft, active or archived.");
    }
    let money = |field: String, text: &str| {
        Money::parse_major(text.trim(), currency)
            .filter(|m| m.minor >= 0 && m.minor <= 100_000_000)
            .map(|m| m.minor)
            .ok_or_else(|| AppError::invalid(field, "Give a price like 12.50 (0 to 1,000,000)."))
    };
    let base = if input.base_price.trim().is_empty() {
        None
    } else {
        problems.keep(money("base_price".into(), &input.base_price))
    };
    let options = problems.take(parse_options(&input.options));
    let given: HashMap<&str, &VariantInput> = input.variants.iter().map(|v| (v.key.as_str(), v)).collect();
    let mut variants = Vec::new();
    for (i, values) in combinations(&options).into_iter().enumerate() {
        let field = |name: &str| format!("variant.{i}.{name}");
        let entered = given.get(variant_key(&values).as_str());
        let sku = entered
            .map(|v| v.sku.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| suggested_sku(&title, &values));
        if !valid_sku(&sku) {
            problems.add(
                field("sku"),
                format!(
                    "SKU “{}”: up to 64 letters, digits, dots, dashes and underscores, starting with a letter or digit.",
                    sku.chars().take(70).collect::<String>()
                ),
            );
        } else if variants
            .iter()
            .any(|v: &CheckedVariant| v.sku.eq_ignore_ascii_case(&sku))
        {
            problems.add(field("sku"), format!("SKU “{sku}” is used twice."));
        }
        let price = match entered.map(|v| v.price.trim()).filter(|p| !p.is_empty()) {
            Some(price) => problems.take(money(field("price"), price)),
            None => base.unwrap_or_else(|| {
                if !problems.has("base_price") {
                    problems.add("base_price", "Give a price: new variants start with it.");
                }
                0
            }),
        };
        let stock = match entered.map(|v| v.stock.trim()).filter(|s| !s.is_empty()) {
            Some(stock) => match stock.parse::<i32>().ok().filter(|s| (0..=MAX_STOCK).contains(s)) {
                Some(stock) => stock,
                None => {
                    problems.add(field("stock"), "Stock is a whole number from 0 to 1,000,000.");
                    0
                }
            },
            None => 0,
        };
        variants.push(CheckedVariant {
            values,
            sku,
            price,
            stock,
        });
    }
    problems.finish()?;
    let category = category.unwrap_or_default();
    Ok(CheckedProduct {
        title,
        description,
        category,
        status,
        options,
        variants,
    })
}
