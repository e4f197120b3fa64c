//! Writing to Meilisearch: products from the outbox, and a full rebuild into a second index
//! that is swapped in whole.

use super::Meilisearch;
use super::documents::documents;
use super::settings;
use super::tasks::wait;
use meilisearch_sdk::client::SwapIndexes;
use meilisearch_sdk::errors::{Error, ErrorCode};
use sqlx::{PgPool, Postgres as Pg, Transaction};
use uuid::Uuid;

/// Documents read from PostgreSQL and sent per request during a rebuild.
pub const REINDEX_BATCH: i64 = 5_000;

impl Meilisearch {
    /// Writes the documents of `ids` (those on sale) and removes the rest, and returns once
    /// Meilisearch has applied both: an error (a failed task included) leaves the caller's
    /// outbox rows in place for the next run.
    pub async fn apply(&self, tx: &mut Transaction<'_, Pg>, ids: &[Uuid]) -> anyhow::Result<()> {
        let documents = documents(&mut **tx, Some(ids), None, i64::MAX, &self.buckets).await?;
        let gone: Vec<String> = ids
            .iter()
            .filter(|id| !documents.iter().any(|d| d.id == **id))
            .map(Uuid::to_string)
            .collect();
        let index = self.client.index(&self.index);
        // Both are queued before either is waited for: Meilisearch applies them in order.
        let written = match documents.is_empty() {
            true => None,
            false => Some(index.add_or_replace(&documents, Some("id")).await?),
        };
        let removed = match gone.is_empty() {
            true => None,
            false => Some(index.delete_documents(&gone).await?),
        };
        for task in written.into_iter().chain(removed) {
            wait(&self.client, task).await?;
        }
        Ok(())
    }

    /// Builds a fresh index beside the live one and swaps them, so searches see the old index
    /// whole until the new one is whole. The caller holds the outbox's rebuild lock: changes
    /// made meanwhile stay in the outbox and reach the new index after the swap.
    pub async fn reindex(&self, pool: &PgPool, per_request: i64) -> anyhow::Result<usize> {
        let staging = format!("{}_reindex", self.index);
        // A rebuild that stopped half-way left its index behind; start from nothing.
        self.delete_index(&staging).await?;
        settings::apply(&self.client, &staging).await?;
        settings::apply(&self.client, &self.index).await?;
        let index = self.client.index(&staging);
        let mut after: Option<Uuid> = None;
        let mut count = 0;
        let mut queued = Vec::new();
        loop {
            let batch = documents(pool, None, after, per_request, &self.buckets).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            count += batch.len();
            // Queued without waiting: Meilisearch indexes consecutive batches together.
            queued.push(index.add_or_replace(&batch, Some("id")).await?);
        }
        for task in queued {
            wait(&self.client, task).await?;
        }
        let swap = self
            .client
            .swap_indexes([&SwapIndexes {
                indexes: (self.index.clone(), staging.clone()),
                rename: None,
            }])
            .await?;
        wait(&self.client, swap).await?;
        self.delete_index(&staging).await?;
        Ok(count)
    }

    async fn delete_index(&self, uid: &str) -> anyhow::Result<()> {
        let task = match self.client.delete_index(uid).await {
            Ok(task) => task,
            Err(Error::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        match wait(&self.client, task).await {
            Err(e) if format!("{e}").contains("IndexNotFound") => Ok(()),
            other => other,
        }
    }
}
