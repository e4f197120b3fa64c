//! Wire types of the catalog: what pages receive from the server.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A link to a category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
}

/// A node of the category menu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub slug: String,
    pub name: String,
    pub children: Vec<CategoryNode>,
}

/// A link to a vendor's shop.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VendorLink {
    pub slug: String,
    pub name: String,
}

/// A stored image. Renditions of several widths live beside it (see `ui::image`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageRef {
    pub key: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// Average rating and how many reviews it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RatingSummary {
    /// Average in hundredths of a star (e.g. 435 = 4.35 stars).
    pub average_centi: u16,
    pub count: u32,
}

impl RatingSummary {
    /// "4.4", one decimal, for display.
    pub fn average_label(&self) -> String {
        let tenths = (self.average_centi + 5) / 10;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A product in a grid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub title: String,
    pub vendor: VendorLink,
    pub price_min: Money,
    pub price_max: Money,
    pub rating: Option<RatingSummary>,
    pub image: Option<ImageRef>,
    pub in_stock: bool,
}

/// A featured category on the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryCard {
    pub slug: String,
    pub name: String,
    pub product_count: u32,
    pub image: Option<ImageRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    pub featured: Vec<CategoryCard>,
    pub new_arrivals: Vec<ProductCard>,
    pub top_rated: Vec<ProductCard>,
}

/// One page of products and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub items: Vec<ProductCard>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl Listing {
    pub fn page_count(&self) -> u32 {
        (self.total.div_ceil(self.per_page.max(1) as u64)).max(1) as u32
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub category: CategoryLink,
    pub description: String,
    /// From the root down to the parent of this category.
    pub ancestors: Vec<CategoryLink>,
    pub facets: Facets,
    pub listing: Listing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub sku: String,
    pub option_values: Vec<String>,
    pub price: Money,
    /// Units a shopper can buy now.
    pub available: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub author: String,
    pub rating: u8,
    pub title: String,
    pub body: String,
    /// ISO date (YYYY-MM-DD).
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub vendor: VendorLink,
    /// From the root down to the product's own category.
    pub categories: Vec<CategoryLink>,
    pub option_names: Vec<String>,
    pub variants: Vec<Variant>,
    pub images: Vec<ImageRef>,
    pub rating: Option<RatingSummary>,
    pub reviews: Vec<Review>,
    pub related: Vec<ProductCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorProfile {
    pub slug: String,
    pub name: String,
    pub tagline: String,
    pub description: String,
    pub country: String,
    /// Storage key of the shop's logo (renditions as for product images).
    #[serde(default)]
    pub logo_key: Option<String>,
    pub since_year: i32,
    pub product_count: u64,
    pub rating: Option<RatingSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorPage {
    pub vendor: VendorProfile,
    pub facets: Facets,
    pub listing: Listing,
}

/// One value of a facet: what it filters by, its label, how many results it would give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// A price range offered as a facet (whole major units; `max: None` is open-ended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceFacet {
    pub min: u32,
    pub max: Option<u32>,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// "4 stars & up" and its count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingFacet {
    pub stars: u8,
    pub count: u64,
    pub selected: bool,
}

/// Every facet of a listing. Each count applies every other chosen filter, so choosing a
/// value gives exactly that many results.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Facets {
    /// The chosen category's path (search page), from the root.
    pub category_trail: Vec<CategoryLink>,
    /// Categories one level below the current one, with counts that include their subtrees.
    pub categories: Vec<FacetCount>,
    pub vendors: Vec<FacetCount>,
    pub prices: Vec<PriceFacet>,
    pub ratings: Vec<RatingFacet>,
    pub in_stock: u64,
    /// The shop's currency, for the prices the shopper filters by.
    pub currency: crate::money::Currency,
}
