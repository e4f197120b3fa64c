//! Wire types of search: facets with counts, the results page, suggestions.

use crate::catalog::model::{CategoryLink, Listing, ProductCard};
use serde::{Deserialize, Serialize};

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    /// The words searched for after correction, when any was corrected ("wireless headphones").
    pub corrected: Option<String>,
    /// Whether the results match any (not all) of the words, because none matched them all.
    pub any_word: bool,
    pub listing: Listing,
    pub facets: Facets,
    /// For an empty result: categories worth a look and well-rated products.
    pub popular_categories: Vec<CategoryLink>,
    pub popular_products: Vec<ProductCard>,
}

/// What kind of thing a suggestion leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SuggestionKind {
    Product,
    Category,
    Vendor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub label: String,
    pub href: String,
}
