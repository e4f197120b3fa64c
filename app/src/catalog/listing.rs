//! Listings of every kind (search, category, vendor) through the search engine, and their
//! facets as shoppers see them: category counts rolled up the tree, vendor names, price ranges.

use super::cards::cards_by_id;
use super::model::{CategoryLink, Listing};
use super::query::ListingQuery;
use super::tree::{Category, CategoryTree};
use crate::error::AppResult;
use crate::money::{Currency, Money};
use crate::search::model::{FacetCount, Facets, PriceFacet, RatingFacet};
use crate::search::request::{Counted, Filters, PRICE_BUCKETS, RawFacets, Request, price_buckets};
use crate::state::AppState;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// What a page lists before the shopper's own filters: a category's subtree or one vendor.
#[derive(Debug, Default)]
pub struct Scope {
    /// The page's category, whose children are offered as the category facet.
    pub category: Option<Uuid>,
    pub vendor: Option<Uuid>,
}

/// One page of a listing with its facets.
pub struct Found {
    pub listing: Listing,
    pub facets: Facets,
    pub corrected: Option<String>,
    pub any_word: bool,
}

pub async fn find(
    state: &AppState,
    tree: &CategoryTree,
    scope: &Scope,
    query: &ListingQuery,
) -> AppResult<Found> {
    let currency = state.site.currency;
    let unit = 10_i64.pow(currency.exponent());
    let chosen = query.category.as_deref().and_then(|slug| tree.by_slug(slug));
    let filters = Filters {
        text: query.q.clone(),
        scope: scope.category.map(|id| tree.subtree_ids(id)),
        category: chosen.map(|c| tree.subtree_ids(c.id)),
        vendor: scope.vendor,
        vendors: query.vendors.clone(),
        min_price: query.min_price.map(|v| v as i64 * unit),
        max_price: query.max_price.map(|v| v as i64 * unit),
        in_stock: query.in_stock,
        min_rating: query.rating,
        named_categories: tree.named(&query.q),
    };
    // The category facet offers the level below the chosen category, else below the page's.
    let level = chosen.map(|c| c.id).or(scope.category);
    // Only the facets the page shows: subcategories when there are any, vendors off a shop's
    // own page. Another page (or sort order) of a listing counted moments ago has its counts.
    let shown = Counted {
        categories: tree.children(level).next().is_some(),
        vendors: scope.vendor.is_none(),
        ..Counted::ALL
    };
    let known = state.catalog.facet_counts(&filters).await;
    let request = Request {
        filters,
        sort: query.sort,
        offset: query.offset(),
        limit: query.per_page,
        price_buckets: price_buckets(currency),
        facets: if known.is_none() { shown } else { Counted::NONE },
    };
    let hits = state.search.search(state.reads(), &request).await?;
    let raw = match known {
        Some(counts) => counts,
        None => {
            let counts = Arc::new(hits.facets);
            state
                .catalog
                .keep_facet_counts(request.filters, counts.clone())
                .await;
            counts
        }
    };
    let (items, vendor_names) = tokio::try_join!(
        async {
            let load = |ids: Vec<Uuid>| async move { cards_by_id(state.reads(), &ids, currency).await };
            Ok(state.catalog.cards(&hits.ids, load).await?)
        },
        state.catalog.vendor_names(state.reads())
    )?;
    let facets = facets(tree, &raw, query, level, scope.category, &vendor_names, currency);
    Ok(Found {
        listing: Listing {
            items,
            total: hits.total,
            page: query.page,
            per_page: query.per_page,
        },
        facets,
        corrected: hits.corrected,
        any_word: hits.any_word,
    })
}

/// Vendors the vendor facet offers at most (those chosen always among them).
pub const VENDOR_VALUES: usize = 20;

fn facets(
    tree: &CategoryTree,
    raw: &RawFacets,
    query: &ListingQuery,
    level: Option<Uuid>,
    page_category: Option<Uuid>,
    vendor_names: &HashMap<String, String>,
    currency: Currency,
) -> Facets {
    // Counts are per category products sit in; a category counts its whole subtree.
    let subtree_count = |c: &Category| -> u64 {
        tree.subtree_ids(c.id)
            .iter()
            .filter_map(|id| raw.categories.get(id))
            .sum()
    };
    let categories = tree
        .children(level)
        .map(|c| FacetCount {
            value: c.slug.clone(),
            label: c.name.clone(),
            count: subtree_count(c),
            selected: false,
        })
        .filter(|f| f.count > 0)
        .collect();
    let category_trail: Vec<CategoryLink> = match (
        query.category.as_deref().and_then(|s| tree.by_slug(s)),
        page_category,
    ) {
        (Some(chosen), None) => tree.path_to(chosen.id).into_iter().map(Category::link).collect(),
        _ => Vec::new(),
    };

    let mut vendors: Vec<FacetCount> = raw
        .vendors
        .iter()
        .map(|(slug, count)| FacetCount {
            value: slug.clone(),
            label: vendor_names.get(slug).cloned().unwrap_or_else(|| slug.clone()),
            count: *count,
            selected: query.vendors.contains(slug),
        })
        .collect();
    // A chosen vendor stays on the list (to be unchosen) even when nothing matches it now.
    for slug in &query.vendors {
        if !vendors.iter().any(|v| &v.value == slug) && vendor_names.contains_key(slug) {
            vendors.push(FacetCount {
                value: slug.clone(),
                label: vendor_names[slug].clone(),
                count: 0,
                selected: true,
            });
        }
    }
    // The busiest shops among the matches, by name; a marketplace's hundreds would bury the
    // list.
    vendors.sort_by(|a, b| b.selected.cmp(&a.selected).then(b.count.cmp(&a.count)));
    vendors.truncate(VENDOR_VALUES.max(query.vendors.len()));
    vendors.sort_by(|a, b| a.label.cmp(&b.label));

    let prices = PRICE_BUCKETS
        .iter()
        .zip(raw.prices.iter().chain(std::iter::repeat(&0)))
        .map(|((min, max), count)| PriceFacet {
            min: *min,
            max: *max,
            label: price_label(*min, *max, currency),
            count: *count,
            selected: query.min_price == Some(*min) && query.max_price == *max,
        })
        .collect();
    let ratings = (1..=4u8)
        .rev()
        .map(|stars| RatingFacet {
            stars,
            count: raw.ratings[stars as usize - 1],
            selected: query.rating == Some(stars),
        })
        .collect();
    Facets {
        category_trail,
        categories,
        vendors,
        prices,
        ratings,
        in_stock: raw.in_stock,
        currency,
    }
}

fn price_label(min: u32, max: Option<u32>, currency: Currency) -> String {
    let whole = |v: u32| {
        let text = Money::new(v as i64 * 10_i64.pow(currency.exponent()), currency).to_string();
        text.strip_suffix(".00").map(str::to_string).unwrap_or(text)
    };
    match (min, max) {
        (0, Some(max)) => format!("Under {}", whole(max)),
        (min, Some(max)) => format!("{} to {}", whole(min), whole(max)),
        (min, None) => format!("{} and up", whole(min)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendor_facet_offers_the_busiest_shops_and_those_chosen() {
        let tree = CategoryTree::default();
        let names: HashMap<String, String> = (0..30)
            .map(|n| (format!("shop-{n:02}"), format!("Shop {n:02}")))
            .collect();
        let raw = RawFacets {
            vendors: (0..30)
                .map(|n| (format!("shop-{n:02}"), 100 + n as u64))
                .collect(),
            prices: vec![0; PRICE_BUCKETS.len()],
            ..RawFacets::default()
        };
        let query = ListingQuery {
            vendors: vec!["shop-00".into()],
            ..ListingQuery::default()
        };
        let facets = facets(&tree, &raw, &query, None, None, &names, Currency::Usd);
        let shown: Vec<&str> = facets.vendors.iter().map(|v| v.value.as_str()).collect();
        let mut expected = vec!["shop-00"];
        let busiest: Vec<String> = (11..30).map(|n| format!("shop-{n:02}")).collect();
        expected.extend(busiest.iter().map(String::as_str));
        assert_eq!(shown, expected, "the chosen one, then the 19 busiest, by name");
    }

    #[test]
    fn price_labels_read_naturally() {
        assert_eq!(price_label(0, Some(25), Currency::Usd), "Under $25");
        assert_eq!(price_label(25, Some(50), Currency::Usd), "$25 to $50");
        assert_eq!(price_label(200, None, Currency::Eur), "€200 and up");
    }
}
