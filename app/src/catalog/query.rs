//! What a shopper asked a listing for (sort, filters, page), read from the URL's query string.
//! Malformed values are clamped or dropped, never an error: a shared link always shows something.

use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

pub const PER_PAGE_DEFAULT: u32 = 24;
pub const PER_PAGE_MAX: u32 = 60;
/// Deep pages cost an ever larger OFFSET; nobody browses past this one.
pub const PAGE_MAX: u32 = 200;
const VENDOR_FILTER_MAX: usize = 20;
const PRICE_FILTER_MAX: u32 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    PriceAsc,
    PriceDesc,
    Rating,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::PriceAsc, Sort::PriceDesc, Sort::Rating];

    /// The value in the URL.
    pub fn param(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::PriceAsc => "price-asc",
            Sort::PriceDesc => "price-desc",
            Sort::Rating => "rating",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "Newest",
            Sort::PriceAsc => "Price: low to high",
            Sort::PriceDesc => "Price: high to low",
            Sort::Rating => "Top rated",
        }
    }

    pub fn from_param(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.param() == value)
    }
}

/// A listing request: the same shape for category, vendor and (later) search pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ListingQuery {
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub sort: Sort,
    /// Price bounds in whole major units (dollars), as shoppers type them.
    pub min_price: Option<u32>,
    pub max_price: Option<u32>,
    /// Vendor slugs; empty means all vendors.
    pub vendors: Vec<String>,
    pub in_stock: bool,
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
        let page = number("page").unwrap_or(1).clamp(1, PAGE_MAX as i64) as u32;
        let per_page = number("per_page")
            .unwrap_or(PER_PAGE_DEFAULT as i64)
            .clamp(1, PER_PAGE_MAX as i64) as u32;
        let price = |key| {
            number(key)
                .filter(|v| *v >= 0)
                .map(|v| v.min(PRICE_FILTER_MAX as i64) as u32)
        };
        let (mut min_price, mut max_price) = (price("min_price"), price("max_price"));
        if let (Some(lo), Some(hi)) = (min_price, max_price)
            && lo > hi
        {
            (min_price, max_price) = (Some(hi), Some(lo));
        }
        let mut vendors: Vec<String> = params
            .get_all("vendor")
            .unwrap_or_default()
            .into_iter()
            .filter(|slug| is_slug(slug))
            .take(VENDOR_FILTER_MAX)
            .collect();
        vendors.sort();
        vendors.dedup();
        Self {
            page,
            per_page,
            sort: params
                .get_str("sort")
                .and_then(Sort::from_param)
                .unwrap_or_default(),
            min_price,
            max_price,
            vendors,
            in_stock: matches!(params.get_str("in_stock"), Some("1" | "true" | "on")),
        }
    }

    /// The query string for these settings (without `?`), leaving out defaults.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.sort != Sort::default() {
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
        if self.per_page != PER_PAGE_DEFAULT {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect::<Vec<_>>()
            .join("&")
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
        self.min_price.is_some() || self.max_price.is_some() || !self.vendors.is_empty() || self.in_stock
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u32 {
        (self.page.max(1) - 1) * self.per_page
    }
}

/// Lower-case ASCII letters, digits and single dashes: the shape of every slug.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 120
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--")
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters pass through).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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
    fn slugs() {
        assert!(is_slug("t-shirts-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "é"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }
}
