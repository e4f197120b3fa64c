//! Facets, filters and sort orders in Meilisearch's terms: every facet's count is asked with
//! the filter of every other facet (disjunctive facets), facets that share a filter are counted
//! by one search, and each facet's distribution is read back into our counts.

use crate::catalog::query::Sort;
use crate::search::request::{Counted, Filters, RawFacets};
use meilisearch_sdk::search::SearchResults;
use std::collections::HashMap;
use uuid::Uuid;

/// A facet, or (as `None`) no facet: which condition to leave out of a filter expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Facet {
    None,
    Category,
    Vendor,
    Price,
    Stock,
    Rating,
}

impl Facet {
    pub(super) const ALL: [Facet; 5] = [
        Facet::Category,
        Facet::Vendor,
        Facet::Price,
        Facet::Stock,
        Facet::Rating,
    ];

    /// Whether `counted` asks for this facet.
    pub(super) fn counted(self, counted: &Counted) -> bool {
        match self {
            Facet::Category => counted.categories,
            Facet::Vendor => counted.vendors,
            Facet::Price => counted.prices,
            Facet::Stock => counted.in_stock,
            Facet::Rating => counted.ratings,
            Facet::None => false,
        }
    }

    /// The attribute whose distribution is this facet's counts.
    pub(super) fn attribute(self) -> &'static str {
        match self {
            Facet::Category => "category_id",
            Facet::Vendor => "vendor_slug",
            Facet::Price => "price_bands",
            Facet::Stock => "in_stock",
            Facet::Rating => "stars",
            Facet::None => "",
        }
    }

    /// Copies this facet's counts from `result` into `facets`.
    pub(super) fn read<T>(self, result: &SearchResults<T>, facets: &mut RawFacets) {
        let empty = HashMap::new();
        let distribution = result
            .facet_distribution
            .as_ref()
            .and_then(|d| d.get(self.attribute()))
            .unwrap_or(&empty);
        let numbered = |value: &str| value.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
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
            Facet::Price => {
                for (band, n) in distribution {
                    if let Some(slot) = numbered(band).and_then(|i| facets.prices.get_mut(i)) {
                        *slot = *n as u64;
                    }
                }
            }
            Facet::Stock => facets.in_stock = distribution.get("true").copied().unwrap_or(0) as u64,
            Facet::Rating => {
                for (stars, n) in distribution {
                    if let Some(slot) = numbered(stars).and_then(|i| facets.ratings.get_mut(i)) {
                        *slot = *n as u64;
                    }
                }
            }
            Facet::None => {}
        }
    }
}

/// A Meilisearch filter expression for `f`, leaving out `except`'s own condition. Values are
/// ids, slugs and numbers: nothing to escape.
pub(super) fn filter(f: &Filters, except: Facet) -> String {
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
    if except != Facet::Price {
        if let Some(min) = f.min_price {
            all.push(format!("price_min >= {min}"));
        }
        if let Some(max) = f.max_price {
            all.push(format!("price_min <= {max}"));
        }
    }
    if except != Facet::Stock && f.in_stock {
        all.push("in_stock = true".into());
    }
    if except != Facet::Rating
        && let Some(rating) = f.min_rating
    {
        all.push(format!("stars = {rating}"));
    }
    all.join(" AND ")
}

/// `filter` narrowed to the products in `categories`, and to those outside them.
pub(super) fn named_split(filter: &str, categories: &[Uuid]) -> (String, String) {
    let ids = categories
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let with = |condition: String| match filter.is_empty() {
        true => condition,
        false => format!("{filter} AND {condition}"),
    };
    (
        with(format!("category_id IN [{ids}]")),
        with(format!("category_id NOT IN [{ids}]")),
    )
}

/// Facets grouped by the filter they are counted under, the listing's own filter first (its
/// facets are counted by the search that pages results). With nothing chosen every facet is
/// counted by that one search; each chosen facet adds one search.
pub(super) fn groups(f: &Filters, counted: &Counted) -> Vec<(String, Vec<Facet>)> {
    let mut groups: Vec<(String, Vec<Facet>)> = vec![(filter(f, Facet::None), Vec::new())];
    for facet in Facet::ALL.into_iter().filter(|facet| facet.counted(counted)) {
        let expression = filter(f, facet);
        match groups.iter_mut().find(|(e, _)| *e == expression) {
            Some((_, facets)) => facets.push(facet),
            None => groups.push((expression, vec![facet])),
        }
    }
    groups
}

/// Sort orders with PostgreSQL's tie-breakers (newest, then id), so both engines list the
/// same products in the same order.
pub(super) fn sort(sort: Sort) -> &'static [&'static str] {
    match sort {
        Sort::Relevance => &[],
        Sort::Newest => &["created_at:desc", "id:asc"],
        Sort::PriceAsc => &["price_min:asc", "created_at:desc", "id:asc"],
        Sort::PriceDesc => &["price_min:desc", "created_at:desc", "id:asc"],
        Sort::Rating => &["rating:desc", "review_count:desc", "created_at:desc", "id:asc"],
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
            filter(&f, Facet::None),
            r#"vendor_slug IN ["acme"] AND price_min >= 1000 AND in_stock = true AND stars = 4"#
        );
        assert_eq!(
            filter(&f, Facet::Vendor),
            "price_min >= 1000 AND in_stock = true AND stars = 4"
        );
        assert_eq!(
            filter(&f, Facet::Price),
            r#"vendor_slug IN ["acme"] AND in_stock = true AND stars = 4"#
        );
    }

    #[test]
    fn facets_nothing_narrows_are_counted_by_the_listing_search() {
        let plain = groups(&Filters::default(), &Counted::ALL);
        assert_eq!(plain, [(String::new(), Facet::ALL.to_vec())]);
        let in_stock = groups(
            &Filters {
                in_stock: true,
                ..Filters::default()
            },
            &Counted::ALL,
        );
        assert_eq!(
            in_stock,
            [
                (
                    "in_stock = true".to_string(),
                    vec![Facet::Category, Facet::Vendor, Facet::Price, Facet::Rating]
                ),
                (String::new(), vec![Facet::Stock]),
            ]
        );
    }
}
