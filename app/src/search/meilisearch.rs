//! Meilisearch, when `MEILISEARCH_URL` is set: documents written from the outbox by the job
//! queue, searches answered by Meilisearch (its own typo tolerance), disjunctive facets by as
//! few searches as the chosen filters allow, all in one multi-search request.

use super::engine::{FEW_RESULTS, Hits, MAX_WORDS, ProductSuggestion, RawFacets, Request};
use anyhow::Context;
use expressions::{Facet, filter, groups, sort};
use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::Error;
use meilisearch_sdk::search::{MatchingStrategies, SearchQuery, SearchResults, Selectors};
use serde::Deserialize;
use std::sync::Arc;
use uuid::Uuid;

mod documents;
mod expressions;
mod indexing;
pub mod settings;
mod tasks;

pub use documents::Document;

/// Where Meilisearch is and how the index is laid out.
#[derive(Debug, Clone)]
pub struct MeilisearchConfig {
    pub url: String,
    pub api_key: Option<String>,
    pub index: String,
    /// The price facet's buckets in minor units (documents carry the ones they fall in).
    pub price_buckets: Vec<(i64, Option<i64>)>,
}

#[derive(Clone)]
pub struct Meilisearch {
    client: Client,
    index: String,
    buckets: Arc<Vec<(i64, Option<i64>)>>,
}

impl Meilisearch {
    pub fn new(config: &MeilisearchConfig) -> anyhow::Result<Self> {
        Ok(Self {
            client: Client::new(&config.url, config.api_key.as_deref())
                .context("MEILISEARCH_URL is not usable")?,
            index: config.index.clone(),
            buckets: Arc::new(config.price_buckets.clone()),
        })
    }

    /// The live index's name.
    pub fn index(&self) -> &str {
        &self.index
    }

    /// Whether Meilisearch answers and has the index, for `/readyz`.
    pub async fn check(&self) -> Result<(), String> {
        self.client
            .health()
            .await
            .map_err(|e| format!("Meilisearch does not answer: {e}"))?;
        self.client
            .get_raw_index(&self.index)
            .await
            .map(|_| ())
            .map_err(|e| format!("Meilisearch index {} is not usable: {e}", self.index))
    }

    /// Creates the index if needed and brings its settings to what search expects; changes
    /// nothing when they already are. Returns whether anything changed.
    pub async fn configure(&self) -> anyhow::Result<bool> {
        settings::apply(&self.client, &self.index).await
    }

    /// One page of results with every facet, like the PostgreSQL engine: all the words first,
    /// and when fewer than `FEW_RESULTS` products have them all, those with the most of them.
    pub async fn search(&self, request: &Request) -> Result<Hits, Error> {
        let text = words(&request.filters.text).join(" ");
        let mut hits = self.run(request, &text, MatchingStrategies::ALL).await?;
        if hits.total < FEW_RESULTS && text.contains(' ') {
            let broader = self.run(request, &text, MatchingStrategies::LAST).await?;
            if broader.total > hits.total {
                hits = Hits {
                    any_word: true,
                    ..broader
                };
            }
        }
        Ok(hits)
    }

    async fn run(&self, request: &Request, text: &str, strategy: MatchingStrategies) -> Result<Hits, Error> {
        let f = &request.filters;
        let groups = if request.count_facets {
            groups(f)
        } else {
            vec![(filter(f, Facet::None), Vec::new())]
        };
        let attributes: Vec<Vec<&str>> = groups
            .iter()
            .map(|(_, facets)| facets.iter().map(|f| f.attribute()).collect())
            .collect();
        let index = self.client.index(&self.index);
        let limit = request.limit.max(1) as usize;
        let mut multi = self.client.multi_search();
        for (n, (expression, _)) in groups.iter().enumerate() {
            let mut query = SearchQuery::new(&index);
            query.with_query(text).with_matching_strategy(strategy.clone());
            if !expression.is_empty() {
                query.with_filter(expression);
            }
            if !attributes[n].is_empty() {
                query.with_facets(Selectors::Some(&attributes[n]));
            }
            if n == 0 {
                // Page-based, so the total is exact rather than Meilisearch's estimate.
                query
                    .with_page(request.offset as usize / limit + 1)
                    .with_hits_per_page(limit)
                    .with_attributes_to_retrieve(Selectors::Some(&["id"]));
                if !sort(request.sort).is_empty() {
                    query.with_sort(sort(request.sort));
                }
            } else {
                query.with_page(1).with_hits_per_page(0);
            }
            multi.with_search_query(query);
        }
        let response = multi.execute::<IdOnly>().await?;
        let mut facets = RawFacets {
            prices: vec![0; request.price_buckets.len()],
            ..RawFacets::default()
        };
        let mut results = response.results.into_iter();
        let main = results.next().ok_or(Error::InvalidRequest)?;
        for (result, (_, group)) in std::iter::once(&main).chain(results.as_slice()).zip(&groups) {
            for facet in group {
                facet.read(result, &mut facets);
            }
        }
        if request.count_facets && request.price_buckets != *self.buckets {
            // Documents carry the configured buckets only; other ones would be counted wrong.
            tracing::warn!("price buckets differ from the index's: price counts left out");
            facets.prices = vec![0; request.price_buckets.len()];
        }
        Ok(Hits {
            total: total(&main),
            ids: main.hits.into_iter().map(|h| h.result.id).collect(),
            facets,
            corrected: None,
            any_word: false,
        })
    }

    /// Products whose title has the words typed, the most reviewed first (as on PostgreSQL).
    pub async fn suggest(&self, text: &str, limit: usize) -> Result<Vec<ProductSuggestion>, Error> {
        #[derive(Deserialize)]
        struct Hit {
            slug: String,
            title: String,
        }
        let text = words(text).join(" ");
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let index = self.client.index(&self.index);
        let results = index
            .search()
            .with_query(&text)
            .with_limit(limit)
            .with_attributes_to_search_on(&["title", "title_joined"])
            .with_sort(&["review_count:desc", "rating:desc"])
            .with_attributes_to_retrieve(Selectors::Some(&["slug", "title"]))
            .execute::<Hit>()
            .await?;
        Ok(results
            .hits
            .into_iter()
            .map(|h| ProductSuggestion {
                slug: h.result.slug,
                title: h.result.title,
            })
            .collect())
    }
}

/// The words of `text` as the PostgreSQL engine reads them (lower case, unaccented, letters,
/// digits and hyphens, at most `MAX_WORDS`), so quotes and a leading `-` are never read as
/// Meilisearch's phrase and negation operators.
fn words(text: &str) -> Vec<String> {
    crate::text::fold(text)
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| (1..=40).contains(&w.replace('-', "").len()))
        .take(MAX_WORDS)
        .map(str::to_string)
        .collect()
}

#[derive(Deserialize)]
struct IdOnly {
    id: Uuid,
}

fn total<T>(results: &SearchResults<T>) -> u64 {
    results.total_hits.or(results.estimated_total_hits).unwrap_or(0) as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_read_as_postgresql_reads_them() {
        assert_eq!(
            super::words("\"Crème\" -brûlée T-Shirt!! 日本 a--b"),
            ["creme", "brulee", "t-shirt", "a--b"]
        );
        assert_eq!(super::words("x ".repeat(20).as_str()).len(), super::MAX_WORDS);
        assert!(super::words("' % _ \\ & | ! ( ) : *").is_empty());
    }
}
