//! The search page and autocomplete, on whichever engine is configured.

use super::model::{SearchPage, Suggestion, SuggestionKind};
use crate::catalog::listing::{Scope, find};
use crate::catalog::query::ListingQuery;
use crate::error::AppResult;
use crate::state::AppState;
use crate::text::fold;
use std::sync::Arc;

const PRODUCT_SUGGESTIONS: usize = 5;
const CATEGORY_SUGGESTIONS: usize = 3;
const VENDOR_SUGGESTIONS: usize = 2;
/// Suggestions start at this many typed characters.
pub const SUGGEST_MIN_CHARS: usize = 2;

pub async fn search_page(state: &AppState, query: &ListingQuery) -> AppResult<Arc<SearchPage>> {
    state
        .catalog
        .search(query, || load_search_page(state.clone(), query.clone()))
        .await
}

async fn load_search_page(state: AppState, query: ListingQuery) -> AppResult<SearchPage> {
    let tree = state.catalog.tree(state.reads()).await?;
    let found = find(&state, &tree, &Scope::default(), &query).await?;
    let empty = found.listing.items.is_empty();
    let (popular_categories, popular_products) = if empty {
        let home = crate::catalog::server::home_page(&state).await?;
        (
            tree.featured().map(|c| c.link()).collect(),
            home.top_rated.iter().take(4).cloned().collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(SearchPage {
        corrected: found.corrected,
        any_word: found.any_word,
        listing: found.listing,
        facets: found.facets,
        popular_categories,
        popular_products,
    })
}

/// Products, categories and vendors for what has been typed so far.
pub async fn suggest(state: &AppState, text: &str) -> AppResult<Arc<Vec<Suggestion>>> {
    let text: String = fold(text.trim()).chars().take(100).collect();
    if text.chars().count() < SUGGEST_MIN_CHARS {
        return Ok(Arc::default());
    }
    state
        .catalog
        .suggestions(&text, || load_suggestions(state.clone(), text.clone()))
        .await
}

async fn load_suggestions(state: AppState, text: String) -> AppResult<Vec<Suggestion>> {
    let (products, tree, vendors) = tokio::try_join!(
        state.search.suggest(state.reads(), &text, PRODUCT_SUGGESTIONS),
        state.catalog.tree(state.reads()),
        state.catalog.vendor_names(state.reads()),
    )?;
    let needle = text.replace('&', " ");
    let matches = |name: &str| {
        let name = fold(name).replace('&', " ");
        name.starts_with(&needle) || name.split_whitespace().any(|word| word.starts_with(&needle))
    };
    let mut suggestions: Vec<Suggestion> = tree
        .all()
        .iter()
        .filter(|c| matches(&c.name))
        .take(CATEGORY_SUGGESTIONS)
        .map(|c| Suggestion {
            kind: SuggestionKind::Category,
            label: c.name.clone(),
            href: format!("/c/{}", c.slug),
        })
        .collect();
    let mut shops: Vec<(&String, &String)> = vendors.iter().filter(|(_, name)| matches(name)).collect();
    shops.sort_by(|a, b| a.1.cmp(b.1));
    suggestions.extend(
        shops
            .into_iter()
            .take(VENDOR_SUGGESTIONS)
            .map(|(slug, name)| Suggestion {
                kind: SuggestionKind::Vendor,
                label: name.clone(),
                href: format!("/v/{slug}"),
            }),
    );
    suggestions.splice(
        0..0,
        products.into_iter().map(|p| Suggestion {
            kind: SuggestionKind::Product,
            label: p.title,
            href: format!("/p/{}", p.slug),
        }),
    );
    Ok(suggestions)
}
