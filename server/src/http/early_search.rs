//! `GET /search` begins its search as the request arrives (`app::search::early`), so the
//! engine works while the session is loaded and the page is routed and rendered up to its
//! results. Outside the account layers: a search's results are the same for every visitor.

use super::ServerState;
use app::search::early::EarlySearch;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

pub async fn begin(State(state): State<ServerState>, mut request: Request, next: Next) -> Response {
    if request.method() == Method::GET && request.uri().path() == "/search" {
        let url = request
            .uri()
            .path_and_query()
            .map_or("/search", |url| url.as_str());
        if let Some(search) = EarlySearch::begin(&state.app, url) {
            request.extensions_mut().insert(search);
        }
    }
    next.run(request).await
}
