//! Meilisearch, when `MEILISEARCH_URL` is set: documents written from the outbox by the job
//! queue, searches answered by Meilisearch (its own typo tolerance), disjunctive facets by one
//! multi-search per request.

use super::request::{Hits, ProductSuggestion, RawFacets, Request};
use crate::error::{AppError, AppResult};
use anyhow::Context;
use expressions::{Facet, filter, sort};
use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::search::{SearchQuery, SearchResults, Selectors};
use meilisearch_sdk::settings::Settings;
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres as Pg, Transaction};
use std::time::Duration;
use uuid::Uuid;

mod expressions;

const TASK_TIMEOUT: Duration = Duration::from_secs(60);
const REINDEX_BATCH: i64 = 5_000;

/// What Meilisearch stores per product on sale.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub description: String,
    /// Category names from the root down.
    pub categories: Vec<String>,
    pub category_id: Uuid,
    pub vendor: String,
    pub vendor_slug: String,
    pub vendor_id: Uuid,
    pub options: Vec<String>,
    pub price_min: i64,
    pub in_stock: bool,
    pub rating: f64,
    pub review_count: i32,
    /// Unix seconds.
    pub created_at: i64,
}

#[derive(Clone)]
pub struct Meilisearch {
    client: Client,
    index: String,
}

fn unavailable(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "Meilisearch request failed");
    AppError::Internal
}

impl Meilisearch {
    pub fn new(url: &str, key: Option<&str>, index: &str) -> anyhow::Result<Self> {
        Ok(Self {
            client: Client::new(url, key).context("MEILISEARCH_URL is not usable")?,
            index: index.to_string(),
        })
    }

    pub async fn check(&self) -> Result<(), String> {
        self.client
            .health()
            .await
            .map(|_| ())
            .map_err(|e| format!("Meilisearch does not answer: {e}"))
    }

    /// Searchable, filterable and sortable attributes and ranking rules, applied at start.
    pub async fn configure(&self) -> anyhow::Result<()> {
        configure_index(&self.client, &self.index).await
    }

    pub async fn search(&self, request: &Request) -> AppResult<Hits> {
        let f = &request.filters;
        let full = filter(f, Facet::None, None);
        let except: Vec<(Facet, String)> = [Facet::Category, Facet::Vendor, Facet::Stock, Facet::Rating]
            .into_iter()
            .map(|facet| (facet, filter(f, facet, None)))
            .collect();
        let buckets: Vec<String> = request
            .price_buckets
            .iter()
            .map(|bucket| filter(f, Facet::Price, Some(*bucket)))
            .collect();
        let sort = sort(request.sort);
        let index = self.client.index(&self.index);
        let text = f.text.as_str();

        let mut main = SearchQuery::new(&index);
        main.with_query(text)
            .with_filter(&full)
            .with_page(request.offset as usize / request.limit.max(1) as usize + 1)
            .with_hits_per_page(request.limit as usize)
            .with_attributes_to_retrieve(Selectors::Some(&["id"]));
        if !sort.is_empty() {
            main.with_sort(&sort);
        }
        let mut multi = self.client.multi_search();
        multi.with_search_query(main);
        for (facet, expression) in &except {
            let mut query = SearchQuery::new(&index);
            query
                .with_query(text)
                .with_filter(expression)
                .with_hits_per_page(0)
                .with_facets(Selectors::Some(facet.attributes()));
            multi.with_search_query(query);
        }
        for expression in &buckets {
            let mut query = SearchQuery::new(&index);
            query
                .with_query(text)
                .with_filter(expression)
                .with_hits_per_page(0);
            multi.with_search_query(query);
        }
        let response = multi.execute::<IdOnly>().await.map_err(unavailable)?;
        let mut results = response.results.into_iter();
        let main = results.next().ok_or(AppError::Internal)?;
        let mut facets = RawFacets {
            prices: Vec::with_capacity(buckets.len()),
            ..RawFacets::default()
        };
        for (facet, _) in &except {
            let result = results.next().ok_or(AppError::Internal)?;
            facet.read(&result, &mut facets);
        }
        for result in results {
            facets.prices.push(total(&result));
        }
        Ok(Hits {
            total: total(&main),
            ids: main.hits.into_iter().map(|h| h.result.id).collect(),
            facets,
            corrected: None,
            any_word: false,
        })
    }

    pub async fn suggest(&self, text: &str, limit: usize) -> AppResult<Vec<ProductSuggestion>> {
        #[derive(Deserialize)]
        struct Hit {
            slug: String,
            title: String,
        }
        let index = self.client.index(&self.index);
        let results = index
            .search()
            .with_query(text)
            .with_limit(limit)
            .with_attributes_to_search_on(&["title"])
            .with_attributes_to_retrieve(Selectors::Some(&["slug", "title"]))
            .execute::<Hit>()
            .await
            .map_err(unavailable)?;
        Ok(results
            .hits
            .into_iter()
            .map(|h| ProductSuggestion {
                slug: h.result.slug,
                title: h.result.title,
            })
            .collect())
    }

    /// Writes the documents of `ids` (those on sale) and removes the rest, waiting until
    /// Meilisearch has applied both, so the caller may then clear them from the outbox.
    pub async fn apply(&self, tx: &mut Transaction<'_, Pg>, ids: &[Uuid]) -> anyhow::Result<()> {
        let documents = documents(&mut **tx, Some(ids), None, i64::MAX).await?;
        let gone: Vec<String> = ids
            .iter()
            .filter(|id| !documents.iter().any(|d| d.id == **id))
            .map(Uuid::to_string)
            .collect();
        let index = self.client.index(&self.index);
        if !documents.is_empty() {
            index
                .add_or_replace(&documents, Some("id"))
                .await?
                .wait_for_completion(&self.client, None, Some(TASK_TIMEOUT))
                .await?;
        }
        if !gone.is_empty() {
            index
                .delete_documents(&gone)
                .await?
                .wait_for_completion(&self.client, None, Some(TASK_TIMEOUT))
                .await?;
        }
        Ok(())
    }

    /// Builds a fresh index beside the live one and swaps them: searches never see a half-built
    /// index.
    pub async fn reindex(&self, pool: &PgPool) -> anyhow::Result<usize> {
        let staging = format!("{}_reindex", self.index);
        configure_index(&self.client, &staging).await?;
        let index = self.client.index(&staging);
        let mut after: Option<Uuid> = None;
        let mut count = 0;
        loop {
            let batch = documents(pool, None, after, REINDEX_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            count += batch.len();
            index
                .add_or_replace(&batch, Some("id"))
                .await?
                .wait_for_completion(&self.client, None, Some(TASK_TIMEOUT))
                .await?;
        }
        self.client
            .swap_indexes([&SwapIndexes {
                indexes: (self.index.clone(), staging.clone()),
                rename: None,
            }])
            .await?
            .wait_for_completion(&self.client, None, Some(TASK_TIMEOUT))
            .await?;
        self.client.index(&staging).delete().await?;
        Ok(count)
    }
}

async fn configure_index(client: &Client, uid: &str) -> anyhow::Result<()> {
    let settings = Settings::new()
        .with_searchable_attributes(["title", "categories", "vendor", "options", "description"])
        .with_filterable_attributes([
            "category_id",
            "vendor_slug",
            "vendor_id",
            "price_min",
            "in_stock",
            "rating",
        ])
        .with_sortable_attributes(["price_min", "created_at", "rating", "review_count"])
        .with_ranking_rules(["words", "typo", "proximity", "attribute", "sort", "exactness"]);
    client
        .index(uid)
        .set_settings(&settings)
        .await
        .with_context(|| format!("applying Meilisearch settings to index {uid} failed"))?
        .wait_for_completion(client, None, Some(TASK_TIMEOUT))
        .await?;
    Ok(())
}

/// Documents of products on sale: those in `ids`, or a batch of all of them after `after`.
async fn documents(
    db: impl sqlx::PgExecutor<'_>,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as!(
        Document,
        r#"select p.id, p.slug, p.title, p.description,
                  coalesce((with recursive up (id, parent_id, name, depth) as (
                               select id, parent_id, name, 0 from categories where id = p.category_id
                               union all
                               select c.id, c.parent_id, c.name, up.depth + 1
                                 from categories c join up on c.id = up.parent_id where up.depth < 8)
                            select array_agg(name order by depth desc) from up), '{}') as "categories!",
                  p.category_id, v.name as vendor, v.slug as vendor_slug, v.id as vendor_id,
                  coalesce((select array_agg(distinct value) from variants x cross join unnest(x.option_values) value
                             where x.product_id = p.id), '{}') as "options!",
                  p.price_min as "price_min!", p.in_stock,
                  coalesce(p.rating_avg, 0)::float8 as "rating!", p.review_count,
                  extract(epoch from p.created_at)::bigint as "created_at!"
             from products p join vendors v on v.id = p.vendor_id
            where p.status = 'active' and v.status = 'approved' and p.price_min is not null
              and ($1::uuid[] is null or p.id = any($1))
              and ($2::uuid is null or p.id > $2)
            order by p.id
            limit $3"#,
        ids,
        after,
        limit
    )
    .fetch_all(db)
    .await
}

#[derive(Deserialize)]
struct IdOnly {
    id: Uuid,
}

fn total<T>(results: &SearchResults<T>) -> u64 {
    results.total_hits.or(results.estimated_total_hits).unwrap_or(0) as u64
}
