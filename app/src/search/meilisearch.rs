//! Meilisearch, when `MEILISEARCH_URL` is set: documents written from the outbox by the job
//! queue, searches answered by Meilisearch (its own typo tolerance), disjunctive facets by as
//! few searches as the chosen filters allow, all in one multi-search request.

use super::request::{FEW_RESULTS, Hits, MAX_WORDS, ProductSuggestion, RawFacets, Request};
use crate::catalog::query::Sort;
use anyhow::Context;
use expressions::{Facet, filter, groups, named_split, sort};
use meilisearch_sdk::errors::Error;
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::{MatchingStrategies, SearchQuery, SearchResults, Selectors};
use serde::Deserialize;
use std::sync::Arc;
use transport::{Client, Http};
use uuid::Uuid;

mod documents;
mod expressions;
mod indexing;
pub mod settings;
mod tasks;
mod transport;

pub use documents::Document;
pub use indexing::REINDEX_BATCH;

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
            client: transport::client(&config.url, config.api_key.as_deref())
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
        let words = words(&request.filters.text);
        let typed = words.join(" ");
        let (hits, _) = self.run(request, &typed, MatchingStrategies::ALL, None).await?;
        if hits.total >= FEW_RESULTS || words.len() < 2 {
            return Ok(hits);
        }
        // Meilisearch lets go of the last word first. Both orders are searched at once, each
        // with a probe of its best product past the `all` that have every word, and the order
        // whose probe keeps more words wins; reversed on a tie. Reversed keeps the last word,
        // usually the thing wanted ("waterproof hiking boots": boots before backpacks); as typed
        // keeps "cast iron" of "cast iron skillet" when no other skillet is cast iron.
        let reversed = words.iter().rev().cloned().collect::<Vec<_>>().join(" ");
        let probe = Some(hits.total);
        let ((as_typed, kept_typed), (as_reversed, kept_reversed)) = futures_util::try_join!(
            self.run(request, &typed, MatchingStrategies::LAST, probe),
            self.run(request, &reversed, MatchingStrategies::LAST, probe),
        )?;
        let broader = if kept_typed > kept_reversed {
            as_typed
        } else {
            as_reversed
        };
        Ok(if broader.total > hits.total {
            Hits {
                any_word: true,
                ..broader
            }
        } else {
            hits
        })
    }

    fn query<'a>(
        &self,
        index: &'a Index<Http>,
        text: &'a str,
        strategy: &MatchingStrategies,
        filter: &'a str,
    ) -> SearchQuery<'a, Http> {
        let mut query = SearchQuery::new(index);
        query.with_query(text).with_matching_strategy(strategy.clone());
        if !filter.is_empty() {
            query.with_filter(filter);
        }
        query
    }

    /// One multi-search: the listing's page and total, and its facets by as few searches as
    /// the filters allow (`groups`). When the text names categories and results are ranked by
    /// relevance, the page lists the products in them first, as on PostgreSQL (a search sent
    /// beside the multi-search, then one for the rest when the page runs past them). With
    /// `probe`, also how many of the words the best product past that many results has (0 if
    /// none).
    async fn run(
        &self,
        request: &Request,
        text: &str,
        strategy: MatchingStrategies,
        probe: Option<u64>,
    ) -> Result<(Hits, u64), Error> {
        let f = &request.filters;
        let groups = groups(f, &request.facets);
        let attributes: Vec<Vec<&str>> = groups
            .iter()
            .map(|(_, facets)| facets.iter().map(|f| f.attribute()).collect())
            .collect();
        let named = (request.sort == Sort::Relevance && !text.is_empty() && !f.named_categories.is_empty())
            .then(|| named_split(&groups[0].0, &f.named_categories));
        let index = self.client.index(&self.index);
        let limit = request.limit.max(1) as usize;
        let page = request.offset as usize / limit + 1;
        let mut multi = self.client.multi_search();
        for (n, (expression, _)) in groups.iter().enumerate() {
            let mut query = self.query(&index, text, &strategy, expression);
            if !attributes[n].is_empty() {
                query.with_facets(Selectors::Some(&attributes[n]));
            }
            if n == 0 && named.is_none() {
                // Page-based, so the total is exact rather than Meilisearch's estimate.
                query
                    .with_page(page)
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
        let every_filter = probe.map(|_| filter(f, Facet::None)).unwrap_or_default();
        if let Some(past) = probe {
            let mut query = self.query(&index, text, &strategy, &every_filter);
            query
                .with_offset(past as usize)
                .with_limit(1)
                .with_show_ranking_score_details(true)
                .with_attributes_to_retrieve(Selectors::Some(&["id"]));
            multi.with_search_query(query);
        }
        // The named categories' products are a search of their own, sent beside the multi-search
        // rather than in it: Meilisearch runs a multi-search's searches one after the other, and
        // two requests side by side.
        let inside = async {
            let Some((inside, _)) = &named else {
                return Ok(None);
            };
            let mut query = self.query(&index, text, &strategy, inside);
            query
                .with_page(page)
                .with_hits_per_page(limit)
                .with_attributes_to_retrieve(Selectors::Some(&["id"]));
            query.execute::<IdOnly>().await.map(Some)
        };
        let (multi, inside) = futures_util::try_join!(multi.execute::<IdOnly>(), inside)?;
        let mut results = multi.results;
        let kept = match probe {
            None => 0,
            Some(_) => results
                .pop()
                .and_then(|probe| probe.hits.into_iter().next())
                .and_then(|hit| hit.ranking_score_details)
                .and_then(|details| details.get("words")?.get("matchingWords")?.as_u64())
                .unwrap_or(0),
        };
        let mut facets = RawFacets {
            prices: vec![0; request.price_buckets.len()],
            ..RawFacets::default()
        };
        for (result, (_, group)) in results.iter().zip(&groups) {
            for facet in group {
                facet.read(result, &mut facets);
            }
        }
        if request.facets.prices && request.price_buckets != *self.buckets {
            // Documents carry the configured buckets only; other ones would be counted wrong.
            tracing::warn!("price buckets differ from the index's: price counts left out");
            facets.prices = vec![0; request.price_buckets.len()];
        }
        let main = results.first().ok_or(Error::InvalidRequest)?;
        let ids = match &named {
            None => main.hits.iter().map(|h| h.result.id).collect(),
            Some((_, outside)) => {
                let inside = inside.as_ref().ok_or(Error::InvalidRequest)?;
                let mut ids: Vec<Uuid> = inside.hits.iter().map(|h| h.result.id).collect();
                // The page runs past the named categories' products: the rest follow.
                let (offset, named_total) = (request.offset as usize, total(inside) as usize);
                if ids.len() < limit && offset + limit > named_total {
                    let from = offset.saturating_sub(named_total);
                    let rest = self
                        .query(&index, text, &strategy, outside)
                        .with_offset(from)
                        .with_limit(limit - ids.len())
                        .with_attributes_to_retrieve(Selectors::Some(&["id"]))
                        .execute::<IdOnly>()
                        .await?;
                    ids.extend(rest.hits.iter().map(|h| h.result.id));
                }
                ids
            }
        };
        let hits = Hits {
            total: total(main),
            ids,
            facets,
            corrected: None,
            any_word: false,
        };
        Ok((hits, kept))
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
