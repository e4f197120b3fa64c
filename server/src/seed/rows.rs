//! The demo catalogue as rows, as `generate` builds them and `insert` writes them.

use super::people;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub struct Catalog {
    pub categories: Vec<CategoryRow>,
    pub vendors: Vec<VendorRow>,
    pub products: Vec<ProductRow>,
}

pub struct CategoryRow {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: &'static str,
    pub name: &'static str,
    pub description: String,
    pub position: i32,
    pub featured: bool,
}

pub struct VendorRow {
    pub id: Uuid,
    pub seed: &'static people::VendorSeed,
    pub created_at: DateTime<Utc>,
}

pub struct ProductRow {
    pub id: Uuid,
    pub vendor_id: Uuid,
    pub category_id: Uuid,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub status: &'static str,
    pub option_names: Vec<&'static str>,
    pub created_at: DateTime<Utc>,
    pub variants: Vec<VariantRow>,
    pub images: Vec<(String, String)>,
    pub reviews: Vec<ReviewRow>,
}

pub struct VariantRow {
    pub id: Uuid,
    pub sku: String,
    pub option_values: Vec<&'static str>,
    pub price: i64,
    pub stock: i32,
}

pub struct ReviewRow {
    pub author: &'static str,
    pub rating: i16,
    pub title: &'static str,
    pub body: &'static str,
    pub created_at: DateTime<Utc>,
}
