//! The search interface every listing goes through, and the engine configured for it.

use super::fallback::Fallback;
use super::meilisearch::{Meilisearch, MeilisearchConfig};
use super::postgres::Postgres;
use super::request::{Hits, ProductSuggestion, Request};
use crate::error::AppResult;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// Serializes rebuilding the Meilisearch index with writing the outbox into it: a rebuild
/// takes it exclusively, each sync shares it (PostgreSQL advisory lock key).
pub const INDEX_LOCK: i64 = 0x7365_6172_6368;

/// The engine chosen by configuration.
#[derive(Clone)]
pub enum SearchEngine {
    Postgres(Postgres),
    /// Meilisearch, answered by PostgreSQL whenever it fails or is slow.
    Meilisearch(Meilisearch, Arc<Fallback>, Postgres),
}

impl SearchEngine {
    /// PostgreSQL, running at most `turns` searches at once.
    pub fn postgres(turns: usize) -> Self {
        Self::Postgres(Postgres::new(turns))
    }

    /// A Meilisearch engine; searches it has not answered within `timeout` are answered by
    /// PostgreSQL, at most `turns` at once.
    pub fn meilisearch(config: &MeilisearchConfig, timeout: Duration, turns: usize) -> anyhow::Result<Self> {
        Ok(Self::Meilisearch(
            Meilisearch::new(config)?,
            Arc::new(Fallback::new(timeout)),
            Postgres::new(turns),
        ))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Meilisearch(..) => "meilisearch",
        }
    }

    pub async fn search(&self, pool: &PgPool, request: &Request) -> AppResult<Hits> {
        match self {
            Self::Postgres(engine) => engine.search(pool, request).await,
            Self::Meilisearch(engine, fallback, postgres) => {
                match fallback.run("search", engine.search(request)).await {
                    Some(hits) => Ok(hits),
                    None => postgres.search(pool, request).await,
                }
            }
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
            Self::Meilisearch(engine, fallback, postgres) => {
                match fallback.run("suggest", engine.suggest(text, limit)).await {
                    Some(found) => Ok(found),
                    None => postgres.suggest(pool, text, limit).await,
                }
            }
        }
    }

    /// Searches answered by PostgreSQL because Meilisearch failed or was slow, since start.
    pub fn fallbacks(&self) -> u64 {
        match self {
            Self::Postgres(_) => 0,
            Self::Meilisearch(_, fallback, _) => fallback.total(),
        }
    }

    /// Searches waiting for a turn on PostgreSQL now.
    pub fn waiting(&self) -> usize {
        match self {
            Self::Postgres(engine) | Self::Meilisearch(_, _, engine) => engine.waiting(),
        }
    }

    /// Whether searches go straight to PostgreSQL now, because Meilisearch failed moments ago.
    pub fn falling_back(&self) -> bool {
        match self {
            Self::Postgres(_) => false,
            Self::Meilisearch(_, fallback, _) => fallback.skipping(),
        }
    }

    /// Whether the engine answers, for `/readyz` (PostgreSQL's is the database's own check).
    pub async fn check(&self) -> Result<(), String> {
        match self {
            Self::Postgres(_) => Ok(()),
            Self::Meilisearch(engine, ..) => engine.check().await,
        }
    }

    /// Creates the index and brings its settings to what search expects (Meilisearch); nothing
    /// to do for PostgreSQL, whose index is a migration.
    pub async fn configure(&self) -> anyhow::Result<()> {
        match self {
            Self::Postgres(_) => Ok(()),
            Self::Meilisearch(engine, ..) => {
                if engine.configure().await? {
                    tracing::info!(index = engine.index(), "Meilisearch index settings applied");
                }
                Ok(())
            }
        }
    }

    /// Brings the engine up to date with the products listed in the outbox, in batches, and
    /// removes them from it. Returns how many were processed. Safe to run on several servers at
    /// once: each batch locks its rows (`FOR UPDATE SKIP LOCKED`). While an index is being
    /// rebuilt it does nothing: the rows wait for the new index.
    pub async fn sync_outbox(&self, pool: &PgPool, batch: i64) -> anyhow::Result<usize> {
        let mut processed = 0;
        loop {
            let mut tx = pool.begin().await?;
            let free = sqlx::query_scalar!(
                r#"select pg_try_advisory_xact_lock_shared($1) as "free!""#,
                INDEX_LOCK
            )
            .fetch_one(&mut *tx)
            .await?;
            if !free {
                tx.commit().await?;
                return Ok(processed);
            }
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
            if let Self::Meilisearch(engine, ..) = self {
                engine.apply(&mut tx, &ids).await?;
            }
            sqlx::query!("delete from search_outbox where product_id = any($1)", &ids)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            processed += ids.len();
        }
    }

    /// Rebuilds the engine's index from PostgreSQL. The outbox is not written to the index
    /// meanwhile (see `sync_outbox`); the lock is held on a connection of its own, so it ends
    /// with it however the rebuild ends.
    pub async fn reindex(&self, pool: &PgPool) -> anyhow::Result<usize> {
        self.reindex_in_batches(pool, super::meilisearch::REINDEX_BATCH)
            .await
    }

    /// `reindex`, sending Meilisearch `batch` documents per request.
    pub async fn reindex_in_batches(&self, pool: &PgPool, batch: i64) -> anyhow::Result<usize> {
        use sqlx::Connection;
        super::terms::rebuild_documents(pool).await?;
        super::terms::refresh(pool).await?;
        match self {
            Self::Postgres(_) => Ok(sqlx::query_scalar!(r#"select count(*) as "n!" from products"#)
                .fetch_one(pool)
                .await? as usize),
            Self::Meilisearch(engine, ..) => {
                let mut lock = sqlx::PgConnection::connect_with(&pool.connect_options()).await?;
                sqlx::query!("select pg_advisory_lock($1)", INDEX_LOCK)
                    .execute(&mut lock)
                    .await?;
                let rebuilt = engine.reindex(pool, batch).await;
                // Released before the connection closes: a closed session's locks are let go
                // a moment after the client sees it closed, and a sync right after would skip.
                sqlx::query_scalar!("select pg_advisory_unlock($1)", INDEX_LOCK)
                    .fetch_one(&mut lock)
                    .await?;
                lock.close().await?;
                rebuilt
            }
        }
    }
}
