//! A search begun as its page's request arrives, before the page is rendered.
//!
//! The server starts the search for `GET /search` as soon as the request is in
//! (`EarlySearch::begin`, from the server's middleware) and puts the handle in the request; the
//! page's server function takes it instead of searching (`EarlySearch::taken`). So the engine's
//! work (a Meilisearch request, or PostgreSQL's) overlaps the session, routing and rendering
//! that come before the page asks for its results. The page finds the search its own request
//! began, never another request's, and each begun search is taken once: a search that has
//! already finished is not run again.

use super::model::SearchPage;
use super::server::search_page;
use crate::catalog::query::ListingQuery;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use leptos_router::location::RequestUrl;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;
use tracing::Instrument;

type Answer = JoinHandle<AppResult<Arc<SearchPage>>>;

/// The search begun for one request, kept in its extensions.
#[derive(Clone)]
pub struct EarlySearch {
    query: ListingQuery,
    answer: Arc<Mutex<Option<Answer>>>,
}

impl EarlySearch {
    /// Begins the search that `path_and_query` (`/search?q=…`) will show, read from the query
    /// string as the page reads it.
    pub fn begin(state: &AppState, path_and_query: &str) -> Option<Self> {
        let url = RequestUrl::new(path_and_query).parse().ok()?;
        let query = ListingQuery::from_params(url.search_params());
        let task = {
            let (state, query) = (state.clone(), query.clone());
            tokio::spawn(async move { search_page(&state, &query).await }.in_current_span())
        };
        Some(Self::new(query, task))
    }

    fn new(query: ListingQuery, task: Answer) -> Self {
        Self {
            query,
            answer: Arc::new(Mutex::new(Some(task))),
        }
    }

    /// The answer for `query`, when the request being rendered began the search for it and
    /// nothing has taken it yet.
    pub async fn taken(query: &ListingQuery) -> Option<AppResult<Arc<SearchPage>>> {
        let task = Self::claim(query)?;
        Some(task.await.unwrap_or_else(|failed| {
            tracing::error!(error = %failed, "the early search did not finish");
            Err(AppError::Internal)
        }))
    }

    /// The request's search for `query`, taken from it (so nothing else takes it).
    fn claim(query: &ListingQuery) -> Option<Answer> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let begun = parts.extensions.get::<Self>()?;
        if begun.query != *query {
            return None;
        }
        begun.answer.lock().ok()?.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::prelude::{Owner, provide_context};

    fn query(text: &str) -> ListingQuery {
        ListingQuery {
            q: text.into(),
            ..ListingQuery::default()
        }
    }

    /// A request being rendered, with `search` begun for it.
    fn request_with(search: EarlySearch) -> Owner {
        let owner = Owner::new();
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.extensions.insert(search);
        owner.with(|| provide_context(parts));
        owner
    }

    #[tokio::test]
    async fn a_page_takes_the_search_its_request_began_once() {
        let answer = Err(AppError::BadRequest("the answer for candle".into()));
        let task = tokio::spawn(std::future::ready(answer.clone()));
        let request = request_with(EarlySearch::new(query("candle"), task));

        assert!(
            request.with(|| EarlySearch::claim(&query("lamp"))).is_none(),
            "another query's search"
        );
        let claimed = request.with(|| EarlySearch::claim(&query("candle")));
        assert_eq!(claimed.expect("its own query's search").await.unwrap(), answer);
        assert!(
            request.with(|| EarlySearch::claim(&query("candle"))).is_none(),
            "taken twice"
        );
    }

    #[test]
    fn without_a_begun_search_the_page_searches_itself() {
        let (parts, ()) = http::Request::new(()).into_parts();
        let owner = Owner::new();
        owner.with(|| provide_context(parts));
        assert!(owner.with(|| EarlySearch::claim(&query("candle"))).is_none());
        assert!(
            Owner::new()
                .with(|| EarlySearch::claim(&query("candle")))
                .is_none()
        );
    }
}
