//! Server functions of search: thin wrappers over `server.rs`.

use super::model::{SearchPage, Suggestion};
use crate::catalog::query::ListingQuery;
use crate::error::AppError;
use leptos::prelude::*;
use std::sync::Arc;

#[server(prefix = "/api", endpoint = "search", input = server_fn::codec::Json)]
pub async fn get_search_page(query: ListingQuery) -> Result<Arc<SearchPage>, AppError> {
    if let Some(answer) = super::early::EarlySearch::taken(&query).await {
        return answer;
    }
    let state = crate::state::app_state()?;
    super::server::search_page(&state, &query).await
}

/// Autocomplete suggestions; a GET so browsers and proxies may cache them briefly.
#[server(prefix = "/api", endpoint = "suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest(q: String) -> Result<Arc<Vec<Suggestion>>, AppError> {
    let state = crate::state::app_state()?;
    super::server::suggest(&state, &q).await
}
