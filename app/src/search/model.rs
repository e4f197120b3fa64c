//! Wire types of search: facets with counts, the results page, suggestions.

use crate::catalog::model::{CategoryLink, Listing, ProductCard};
pub use crate::catalog::model::{FacetCount, Facets, PriceFacet, RatingFacet};
use serde::{Deserialize, Serialize};

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
