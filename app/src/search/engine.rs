//! The search interface every listing goes through, and the engine configured for it.

use super::meilisearch::Meilisearch;
use super::postgres::Postgres;
use super::request::{Hits, ProductSuggestion, Request};
use crate::error::AppResult;
use sqlx::PgPool;

/// The engine chosen by configuration.
#[derive(Clone)]
pub enum SearchEngine {
    Postgres(Postgres),
    Meilisearch(Meilisearch),
}

impl SearchEngine {
    pub fn postgres() -> Self {
        Self::Postgres(Postgres)
    }

    /// A Meilisearch engine for the server at `url`.
    pub fn meilisearch(url: &str, key: Option<&str>, index: &str) -> anyhow::Result<Self> {
        Ok(Self::Meilisearch(Meilisearch::new(url, key, index)?))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Meilisearch(_) => "meilisearch",
        }
    }

    pub async fn search(&self, pool: &PgPool, request: &Request) -> AppResult<Hits> {
        match self {
            Self::Postgres(engine) => engine.search(pool, request).await,
            Self::Meilisearch(engine) => engine.search(request).await,
        }
    }

    pub async fn suggest(
        &self,
        pool: &PgPool,
        text: &str,
        limit: usize,
    ) -> AppResult<Vec<ProductSuggestion>> {
        match self {
            Self::Postgres(engine) => engine.suggest(pool, text, limit).await,
            Self::Meilisearch(engine) => engine.suggest(text, limit).await,
        }
    }

    /// Whether the engine answers, for `/readyz`.
    pub async fn check(&self) -> Result<(), String> {
        match self {
            Self::Postgres(_) => Ok(()),
            Self::Meilisearch(engine) => engine.check().await,
        }
    }

    /// Applies index settings (Meilisearch); nothing to do for PostgreSQL, whose index is a
    /// migration.
    pub async fn configure(&self) -> anyhow::Result<()> {
        match self {
            Self::Postgres(_) => Ok(()),
            Self::Meilisearch(engine) => engine.configure().await,
        }
    }

    /// Brings the engine up to date with the products listed in the outbox, in batches, and
    /// removes them from it. Returns how many were processed. Safe to run on several servers at
    /// once: each batch locks its rows (`FOR UPDATE SKIP LOCKED`).
    pub async fn sync_outbox(&self, pool: &PgPool, batch: i64) -> anyhow::Result<usize> {
        let mut processed = 0;
        loop {
            let mut tx = pool.begin().await?;
            let ids = sqlx::query_scalar!(
                "select product_id from search_outbox order by changed_at
                  for update skip locked limit $1",
                batch
            )
            .fetch_all(&mut *tx)
            .await?;
            if ids.is_empty() {
                tx.commit().await?;
                return Ok(processed);
            }
            if let Self::Meilisearch(engine) = self {
                engine.apply(&mut tx, &ids).await?;
            }
            sqlx::query!("delete from search_outbox where product_id = any($1)", &ids)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            processed += ids.len();
        }
    }

    /// Rebuilds the engine's index from PostgreSQL.
    pub async fn reindex(&self, pool: &PgPool) -> anyhow::Result<usize> {
        super::terms::rebuild_documents(pool).await?;
        super::terms::refresh(pool).await?;
        match self {
            Self::Postgres(_) => Ok(sqlx::query_scalar!(r#"select count(*) as "n!" from products"#)
                .fetch_one(pool)
                .await? as usize),
            Self::Meilisearch(engine) => engine.reindex(pool).await,
        }
    }
}
