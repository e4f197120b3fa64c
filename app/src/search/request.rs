//! What every engine is asked and answers: filters, the facets to count, the request, hits
//! and raw facet counts. The engines (`postgres`, `meilisearch`) and their dispatcher (`engine`)
//! all speak it.

use crate::catalog::query::Sort;
use crate::money::Currency;
use std::collections::HashMap;
use uuid::Uuid;

/// Price ranges offered as facets, in whole major units (the last is open-ended).
pub const PRICE_BUCKETS: [(u32, Option<u32>); 5] = [
    (0, Some(25)),
    (25, Some(50)),
    (50, Some(100)),
    (100, Some(200)),
    (200, None),
];

/// `PRICE_BUCKETS` in minor units of `currency`.
pub fn price_buckets(currency: Currency) -> Vec<(i64, Option<i64>)> {
    let unit = 10_i64.pow(currency.exponent());
    PRICE_BUCKETS
        .iter()
        .map(|(low, high)| (*low as i64 * unit, high.map(|h| h as i64 * unit)))
        .collect()
}

/// Most words of a query that are searched for; the rest are ignored.
pub const MAX_WORDS: usize = 8;

/// With fewer products matching every word, products matching some of them are listed too.
pub const FEW_RESULTS: u64 = 5;

/// What narrows a listing. Amounts are minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub text: String,
    /// The page's own scope (a category page's subtree); facet counts stay inside it.
    pub scope: Option<Vec<Uuid>>,
    /// The chosen category facet (its subtree).
    pub category: Option<Vec<Uuid>>,
    /// A vendor page's vendor.
    pub vendor: Option<Uuid>,
    /// Chosen vendor facet values (slugs).
    pub vendors: Vec<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub in_stock: bool,
    pub min_rating: Option<u8>,
    /// Categories (subtrees) the text names, ranked first ("kitchen" means the Kitchen category).
    pub named_categories: Vec<Uuid>,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub filters: Filters,
    pub sort: Sort,
    pub offset: u32,
    pub limit: u32,
    /// `PRICE_BUCKETS` in minor units.
    pub price_buckets: Vec<(i64, Option<i64>)>,
    /// The facets to count: those the page shows. A listing that already has this query's
    /// counts (another page of it) asks for none, only for its page and total.
    pub facets: Counted,
}

/// Which facets are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Counted {
    pub categories: bool,
    pub vendors: bool,
    pub prices: bool,
    pub in_stock: bool,
    pub ratings: bool,
}

impl Counted {
    pub const ALL: Self = Self {
        categories: true,
        vendors: true,
        prices: true,
        in_stock: true,
        ratings: true,
    };
    pub const NONE: Self = Self {
        categories: false,
        vendors: false,
        prices: false,
        in_stock: false,
        ratings: false,
    };
}

/// Facet counts as an engine computes them; `catalog::server` turns them into `Facets`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawFacets {
    /// Per category the products sit in directly (rolled up the tree by the caller).
    pub categories: HashMap<Uuid, u64>,
    /// Per vendor slug.
    pub vendors: HashMap<String, u64>,
    /// One count per price bucket.
    pub prices: Vec<u64>,
    pub in_stock: u64,
    /// Products rated at least 1, 2, 3 and 4 stars.
    pub ratings: [u64; 4],
}

#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub ids: Vec<Uuid>,
    pub total: u64,
    pub facets: RawFacets,
    /// The words searched for, when typo correction changed any.
    pub corrected: Option<String>,
    /// No product matched every word; these match any of them.
    pub any_word: bool,
}

/// A product suggested while typing.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductSuggestion {
    pub slug: String,
    pub title: String,
}
