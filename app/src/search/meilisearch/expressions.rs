//! Facets, filters and sort orders in Meilisearch's terms: every facet's count is asked with
//! the filter of every other facet (disjunctive facets), price buckets as ranges, and each
//! facet's distribution is read back into our counts.

use crate::catalog::query::Sort;
use crate::search::request::{Filters, RawFacets};
use meilisearch_sdk::search::SearchResults;
use std::collections::HashMap;
use uuid::Uuid;

/// Which facet's own filter to leave out of an expression.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Facet {
    None,
    Category,
    Vendor,
    Price,
    Stock,
    Rating,
}

impl Facet {
    pub(super) fn attributes(self) -> &'static [&'static str] {
        match self {
            Facet::Category => &["category_id"],
            Facet::Vendor => &["vendor_slug"],
            Facet::Stock => &["in_stock"],
            Facet::Rating => &["rating"],
            Facet::None | Facet::Price => &[],
        }
    }

    pub(super) fn read<T>(self, result: &SearchResults<T>, facets: &mut RawFacets) {
        let empty = HashMap::new();
        let distribution = result
            .facet_distribution
            .as_ref()
            .and_then(|d| self.attributes().first().and_then(|a| d.get(*a)))
            .unwrap_or(&empty);
        match self {
            Facet::Category => {
                facets.categories = distribution
                    .iter()
                    .filter_map(|(id, n)| Some((id.parse().ok()?, *n as u64)))
                    .collect();
            }
            Facet::Vendor => {
                facets.vendors = distribution
                    .iter()
                    .map(|(slug, n)| (slug.clone(), *n as u64))
                    .collect();
            }
            Facet::Stock => facets.in_stock = distribution.get("true").copied().unwrap_or(0) as u64,
            Facet::Rating => {
                // Ratings are averages (4.35); "at least N stars" sums every value from N up.
                for (value, n) in distribution {
                    let rating: f64 = value.parse().unwrap_or(0.0);
                    for stars in 1..=4 {
                        if rating >= stars as f64 {
                            facets.ratings[stars - 1] += *n as u64;
                        }
                    }
                }
            }
            Facet::None | Facet::Price => {}
        }
    }
}

/// A Meilisearch filter expression for `f`, leaving out `except`'s own condition; `bucket`
/// replaces the price condition. Values are ids, slugs and numbers: nothing to escape.
pub(super) fn filter(f: &Filters, except: Facet, bucket: Option<(i64, Option<i64>)>) -> String {
    let mut all: Vec<String> = Vec::new();
    let list = |ids: &[Uuid]| {
        ids.iter()
            .map(|id| format!("\"{id}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(scope) = &f.scope {
        all.push(format!("category_id IN [{}]", list(scope)));
    }
    if let Some(vendor) = f.vendor {
        all.push(format!("vendor_id = \"{vendor}\""));
    }
    if except != Facet::Category
        && let Some(category) = &f.category
    {
        all.push(format!("category_id IN [{}]", list(category)));
    }
    if except != Facet::Vendor && !f.vendors.is_empty() {
        let slugs: Vec<String> = f.vendors.iter().map(|s| format!("\"{s}\"")).collect();
        all.push(format!("vendor_slug IN [{}]", slugs.join(", ")));
    }
    match bucket {
        Some((low, high)) => {
            all.push(format!("price_min >= {low}"));
            if let Some(high) = high {
                all.push(format!("price_min <= {high}"));
            }
        }
        None if except != Facet::Price => {
            if let Some(min) = f.min_price {
                all.push(format!("price_min >= {min}"));
            }
            if let Some(max) = f.max_price {
                all.push(format!("price_min <= {max}"));
            }
        }
        None => {}
    }
    if except != Facet::Stock && f.in_stock {
        all.push("in_stock = true".into());
    }
    if except != Facet::Rating
        && let Some(rating) = f.min_rating
    {
        all.push(format!("rating >= {rating}"));
    }
    all.join(" AND ")
}

pub(super) fn sort(sort: Sort) -> Vec<&'static str> {
    match sort {
        Sort::Relevance => vec![],
        Sort::Newest => vec!["created_at:desc"],
        Sort::PriceAsc => vec!["price_min:asc"],
        Sort::PriceDesc => vec!["price_min:desc"],
        Sort::Rating => vec!["rating:desc", "review_count:desc"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_filters_leave_out_their_own_condition() {
        let f = Filters {
            vendors: vec!["acme".into()],
            min_price: Some(1000),
            in_stock: true,
            min_rating: Some(4),
            ..Filters::default()
        };
        assert_eq!(
            filter(&f, Facet::None, None),
            r#"vendor_slug IN ["acme"] AND price_min >= 1000 AND in_stock = true AND rating >= 4"#
        );
        assert_eq!(
            filter(&f, Facet::Vendor, None),
            "price_min >= 1000 AND in_stock = true AND rating >= 4"
        );
        assert_eq!(
            filter(&f, Facet::Price, Some((2500, Some(5000)))),
            r#"vendor_slug IN ["acme"] AND price_min >= 2500 AND price_min <= 5000 AND in_stock = true AND rating >= 4"#
        );
    }
}
