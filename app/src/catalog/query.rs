//! What a shopper asked a listing for (sort, filters, page), read from the URL's query string.
//! Malformed values are clamped or dropped, never an error: a shared link always shows something.

use crate::slug::Slug;
use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

pub const PER_PAGE_DEFAULT: u32 = 24;
pub const PER_PAGE_MAX: u32 = 60;
/// Deep pages cost an ever larger OFFSET; nobody browses past this one.
pub const PAGE_MAX: u32 = 200;
const VENDOR_FILTER_MAX: usize = 20;
const PRICE_FILTER_MAX: u32 = 10_000_000;
/// Longest search text kept; the rest of a longer query is ignored.
pub const QUERY_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Sort {
    /// Best match first: the default when there is search text.
    Relevance,
    /// The default without search text.
    #[default]
    Newest,
    PriceAsc,
    PriceDesc,
    Rating,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Relevance,
        Sort::Newest,
        Sort::PriceAsc,
        Sort::PriceDesc,
        Sort::Rating,
    ];

    /// The value in the URL.
    pub fn param(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::PriceAsc => "price-asc",
            Sort::PriceDesc => "price-desc",
            Sort::Rating => "rating",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "Best match",
            Sort::Newest => "Newest",
            Sort::PriceAsc => "Price: low to high",
            Sort::PriceDesc => "Price: high to low",
            Sort::Rating => "Top rated",
        }
    }

    /// The sort a listing gets when none is asked for.
    pub fn default_for(text: &str) -> Self {
        if text.trim().is_empty() {
            Sort::Newest
        } else {
            Sort::Relevance
        }
    }

    pub fn from_param(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.param() == value)
    }
}

/// A listing request: the same shape for search, category and vendor pages. Built only from
/// `ListingInput` (a URL's query string or a server function's JSON), so every door clamps
/// and drops out-of-range values the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(from = "ListingInput")]
pub struct ListingQuery {
    /// Search text, tidied and capped at `QUERY_MAX_CHARS`; empty on plain listings.
    pub q: String,
    /// A category slug narrowing the results (the search page's category facet).
    pub category: Option<String>,
    /// 1-based, at most `PAGE_MAX`.
    pub page: u32,
    /// 1 to `PER_PAGE_MAX`.
    pub per_page: u32,
    pub sort: Sort,
    /// Price bounds in whole major units (dollars), as shoppers type them; min ≤ max.
    pub min_price: Option<u32>,
    pub max_price: Option<u32>,
    /// Vendor slugs, sorted, at most `VENDOR_FILTER_MAX`; empty means all vendors.
    pub vendors: Vec<String>,
    pub in_stock: bool,
    /// Only products rated at least this many stars (1–4).
    pub rating: Option<u8>,
}

/// A listing request as it arrives, before `ListingQuery` clamps it. Missing fields take their
/// defaults; values of the wrong type are refused by the decoder (a 400 for JSON).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListingInput {
    pub q: String,
    pub category: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub sort: Option<Sort>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub vendors: Vec<String>,
    pub in_stock: bool,
    pub rating: Option<i64>,
}

impl From<ListingInput> for ListingQuery {
    fn from(input: ListingInput) -> Self {
        let page = input.page.unwrap_or(1).clamp(1, PAGE_MAX as i64) as u32;
        let per_page = input
            .per_page
            .unwrap_or(PER_PAGE_DEFAULT as i64)
            .clamp(1, PER_PAGE_MAX as i64) as u32;
        let price = |value: Option<i64>| {
            value
                .filter(|v| *v >= 0)
                .map(|v| v.min(PRICE_FILTER_MAX as i64) as u32)
        };
        let (mut min_price, mut max_price) = (price(input.min_price), price(input.max_price));
        if let (Some(lo), Some(hi)) = (min_price, max_price)
            && lo > hi
        {
            (min_price, max_price) = (Some(hi), Some(lo));
        }
        let mut vendors: Vec<String> = input
            .vendors
            .into_iter()
            .filter(|slug| Slug::is_valid(slug))
            .take(VENDOR_FILTER_MAX)
            .collect();
        vendors.sort();
        vendors.dedup();
        let q: String = input
            .q
            .chars()
            .take(QUERY_MAX_CHARS * 4)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(QUERY_MAX_CHARS)
            .collect();
        Self {
            sort: input.sort.unwrap_or_else(|| Sort::default_for(&q)),
            q,
            category: input.category.filter(|c| Slug::is_valid(c)),
            page,
            per_page,
            min_price,
            max_price,
            vendors,
            in_stock: input.in_stock,
            rating: input.rating.filter(|r| (1..=4).contains(r)).map(|r| r as u8),
        }
    }
}

impl ListingQuery {
    /// Reads the query string, clamping or dropping whatever is out of range.
    pub fn from_params(params: &ParamsMap) -> Self {
        let number = |key: &str| {
            params
                .get_str(key)
                .and_then(|v| v.trim().split('.').next())
                .and_then(|v| v.parse::<i64>().ok())
        };
        ListingInput {
            q: params.get_str("q").unwrap_or_default().to_string(),
            category: params.get_str("category").map(str::to_string),
            page: number("page"),
            per_page: number("per_page"),
            sort: params.get_str("sort").and_then(Sort::from_param),
            min_price: number("min_price"),
            max_price: number("max_price"),
            vendors: params.get_all("vendor").unwrap_or_default(),
            in_stock: matches!(params.get_str("in_stock"), Some("1" | "true" | "on")),
            rating: number("rating"),
        }
        .into()
    }

    /// The query string for these settings (without `?`), leaving out defaults.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(category) = &self.category {
            pairs.push(("category", category.clone()));
        }
        if self.sort != Sort::default_for(&self.q) {
            pairs.push(("sort", self.sort.param().into()));
        }
        if let Some(v) = self.min_price {
            pairs.push(("min_price", v.to_string()));
        }
        if let Some(v) = self.max_price {
            pairs.push(("max_price", v.to_string()));
        }
        for vendor in &self.vendors {
            pairs.push(("vendor", vendor.clone()));
        }
        if self.in_stock {
            pairs.push(("in_stock", "1".into()));
        }
        if let Some(rating) = self.rating {
            pairs.push(("rating", rating.to_string()));
        }
        if self.per_page != PER_PAGE_DEFAULT {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::text::encode_component(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The link to `path` with these settings changed by `change`, back on the first page.
    pub fn href_with(&self, path: &str, change: impl FnOnce(&mut Self)) -> String {
        let mut next = Self {
            page: 1,
            ..self.clone()
        };
        change(&mut next);
        next.href_for_page(path, 1)
    }

    /// The link to another page of the same listing.
    pub fn href_for_page(&self, path: &str, page: u32) -> String {
        let query = Self { page, ..self.clone() }.to_query_string();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }

    /// Whether any filter narrows the listing.
    pub fn is_filtered(&self) -> bool {
        self.min_price.is_some()
            || self.max_price.is_some()
            || !self.vendors.is_empty()
            || self.in_stock
            || self.rating.is_some()
            || self.category.is_some()
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u32 {
        (self.page.max(1) - 1) * self.per_page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&'static str, &str)]) -> ListingQuery {
        let map: ParamsMap = pairs.iter().map(|(k, v)| (*k, v.to_string())).collect();
        ListingQuery::from_params(&map)
    }

    #[test]
    fn defaults_when_empty() {
        let q = parse(&[]);
        assert_eq!((q.page, q.per_page, q.sort), (1, PER_PAGE_DEFAULT, Sort::Newest));
        assert!(!q.is_filtered());
        assert_eq!(q.to_query_string(), "");
    }

    #[test]
    fn clamps_malformed_numbers() {
        let q = parse(&[("page", "-4"), ("per_page", "100000")]);
        assert_eq!((q.page, q.per_page), (1, PER_PAGE_MAX));
        let q = parse(&[("page", "99999999999999999999"), ("per_page", "0")]);
        assert_eq!((q.page, q.per_page), (1, 1));
        let q = parse(&[("page", "1e3"), ("per_page", "abc")]);
        assert_eq!((q.page, q.per_page), (1, PER_PAGE_DEFAULT));
        let q = parse(&[("page", "5000")]);
        assert_eq!(q.page, PAGE_MAX);
    }

    #[test]
    fn search_text_is_tidied_and_capped_and_changes_the_default_sort() {
        let q = parse(&[("q", "  wireless \t headphones  ")]);
        assert_eq!((q.q.as_str(), q.sort), ("wireless headphones", Sort::Relevance));
        assert_eq!(q.to_query_string(), "q=wireless%20headphones");
        assert_eq!(
            parse(&[("q", "a\0b\u{7}c")]).q,
            "a b c",
            "control characters never reach the database"
        );
        let long = "x".repeat(10_000);
        assert_eq!(parse(&[("q", &long)]).q.len(), QUERY_MAX_CHARS);
        let q = parse(&[
            ("q", "shoes"),
            ("sort", "newest"),
            ("rating", "9"),
            ("category", "Bad Slug"),
        ]);
        assert_eq!((q.sort, q.rating, q.category), (Sort::Newest, None, None));
        assert_eq!(parse(&[("rating", "4")]).rating, Some(4));
    }

    #[test]
    fn unknown_sort_falls_back_to_newest() {
        assert_eq!(parse(&[("sort", "'; drop table products")]).sort, Sort::Newest);
        assert_eq!(parse(&[("sort", "price-desc")]).sort, Sort::PriceDesc);
    }

    #[test]
    fn price_bounds_are_ordered_and_non_negative() {
        let q = parse(&[("min_price", "80"), ("max_price", "20")]);
        assert_eq!((q.min_price, q.max_price), (Some(20), Some(80)));
        let q = parse(&[("min_price", "-5"), ("max_price", "12.99")]);
        assert_eq!((q.min_price, q.max_price), (None, Some(12)));
    }

    #[test]
    fn vendor_filter_keeps_only_slugs() {
        let q = parse(&[
            ("vendor", "north-star"),
            ("vendor", "<script>"),
            ("vendor", "acme"),
            ("vendor", "acme"),
        ]);
        assert_eq!(q.vendors, vec!["acme".to_string(), "north-star".to_string()]);
    }

    #[test]
    fn query_string_round_trips() {
        let q = parse(&[
            ("sort", "rating"),
            ("min_price", "10"),
            ("vendor", "acme"),
            ("in_stock", "1"),
            ("page", "3"),
        ]);
        assert_eq!(
            q.to_query_string(),
            "sort=rating&min_price=10&vendor=acme&in_stock=1&page=3"
        );
        let pairs: Vec<(String, String)> = q
            .to_query_string()
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        let map: ParamsMap = pairs.into_iter().collect();
        assert_eq!(ListingQuery::from_params(&map), q);
        assert_eq!(
            q.href_for_page("/c/shoes", 1),
            "/c/shoes?sort=rating&min_price=10&vendor=acme&in_stock=1"
        );
    }

    #[test]
    fn the_json_door_clamps_like_the_url() {
        let hostile = serde_json::json!({
            "q": "x".repeat(100_000), "page": 4_000_000_000u64, "per_page": 4_000_000_000u64,
            "vendors": (0..1000).map(|i| format!("shop-{i}")).chain(["<b>".to_string()]).collect::<Vec<_>>(),
            "category": "Not A Slug", "rating": 99, "min_price": -3, "max_price": 1_000_000_000_000i64,
        });
        let q: ListingQuery = serde_json::from_value(hostile).unwrap();
        assert_eq!((q.page, q.per_page), (PAGE_MAX, PER_PAGE_MAX));
        assert_eq!(q.q.chars().count(), QUERY_MAX_CHARS);
        assert_eq!(q.vendors.len(), VENDOR_FILTER_MAX);
        assert_eq!((&q.category, q.rating, q.min_price), (&None, None, None));
        assert_eq!(q.max_price, Some(PRICE_FILTER_MAX));
        let wrong_type = serde_json::json!({"page": "two"});
        assert!(serde_json::from_value::<ListingQuery>(wrong_type).is_err());
        let round_trip: ListingQuery = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(round_trip, q, "what the browser sends back is read the same");
        let empty: ListingQuery = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, parse(&[]));
    }
}
