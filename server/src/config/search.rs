//! Which search engine answers, and how the server reaches Meilisearch when it is configured.

use app::money::Currency;
use app::search::engine::SearchEngine;
use app::search::meilisearch::MeilisearchConfig;
use clap::Args;
use std::time::Duration;

#[derive(Clone, Args)]
pub struct SearchConfig {
    /// Meilisearch server; without it search runs on PostgreSQL.
    #[arg(long, env = "MEILISEARCH_URL")]
    pub meilisearch_url: Option<String>,

    /// Meilisearch API key (admin key: the server applies settings and writes documents).
    #[arg(long, env = "MEILISEARCH_API_KEY", hide_env_values = true)]
    pub meilisearch_api_key: Option<String>,

    /// Name of the Meilisearch index.
    #[arg(long, env = "MEILISEARCH_INDEX", default_value = "products")]
    pub meilisearch_index: String,

    /// How long a search waits for Meilisearch before PostgreSQL answers it instead.
    #[arg(long, env = "MEILISEARCH_TIMEOUT_MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub meilisearch_timeout_ms: u64,

    /// How many searches PostgreSQL runs at once (its own engine, or answering for
    /// Meilisearch); the rest wait their turn (`search_postgres_waiting` in `/metrics`).
    /// Default: one per core, plus one. Where PostgreSQL runs on a machine of its own, set it to
    /// that machine's cores plus one.
    #[arg(long, env = "SEARCH_CONCURRENCY", default_value_t = default_search_concurrency(),
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub search_concurrency: u32,
}

/// One search per core, and one more for the moments a search waits on a round trip: more at
/// once only share the cores, and the longest searches then wait behind all the others
/// (docs/PERFORMANCE.md, "Searches take turns").
fn default_search_concurrency() -> u32 {
    super::cores() + 1
}

impl SearchConfig {
    /// Meilisearch when `MEILISEARCH_URL` is set, otherwise PostgreSQL.
    pub fn engine(&self, currency: Currency) -> anyhow::Result<SearchEngine> {
        match self.meilisearch_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => SearchEngine::meilisearch(
                &MeilisearchConfig {
                    url: url.trim().to_string(),
                    api_key: self.meilisearch_api_key.clone().filter(|k| !k.is_empty()),
                    index: self.meilisearch_index.clone(),
                    price_buckets: app::search::request::price_buckets(currency),
                },
                Duration::from_millis(self.meilisearch_timeout_ms),
                self.search_concurrency as usize,
            ),
            None => Ok(SearchEngine::postgres(self.search_concurrency as usize)),
        }
    }
}
