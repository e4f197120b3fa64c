//! The catalog's change feed between server instances, over PostgreSQL's `LISTEN`/`NOTIFY`.
//!
//! A write that makes cached pages stale forgets them here at once and tells every instance
//! (this one too) on the `catalog_changes` channel; each instance's follower forgets the same
//! pages when the notice arrives, within milliseconds. A follower that lost its connection
//! cannot know what it missed, so it forgets everything once it listens again. An instance that
//! dies between a write's commit and its notice leaves the others to the caches' time to live.

use sqlx::PgPool;
use sqlx::postgres::{PgListener, PgPoolOptions};
use std::future::Future;
use std::time::Duration;

pub const CHANNEL: &str = "catalog_changes";
/// The pause before listening again after the database refused.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// What changed, as far as cached pages are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// One product (by slug), and so every listing that may show it.
    Product(String),
    /// Listings: home, categories, shops, searches.
    Listings,
    /// The category tree, and so every listing.
    Tree,
    /// Anything: what a follower assumes after missing notices.
    Everything,
}

impl Change {
    /// The notice's payload.
    pub fn payload(&self) -> String {
        match self {
            Self::Product(slug) => format!("product:{slug}"),
            Self::Listings => "listings".into(),
            Self::Tree => "tree".into(),
            Self::Everything => "everything".into(),
        }
    }

    /// A notice's change; anything unknown (a newer instance's notice) counts as everything.
    pub fn parse(payload: &str) -> Self {
        match payload {
            "listings" => Self::Listings,
            "tree" => Self::Tree,
            _ => match payload.strip_prefix("product:") {
                Some(slug) if !slug.is_empty() => Self::Product(slug.to_string()),
                _ => Self::Everything,
            },
        }
    }
}

/// Tells every instance listening on `pool`'s database about `change`.
pub async fn announce(pool: &PgPool, change: &Change) {
    let sent = sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(change.payload())
        .execute(pool)
        .await;
    if let Err(error) = sent {
        tracing::warn!(%error, "telling the other instances of a catalog change failed");
    }
}

/// Hands every change announced on `pool`'s database to `apply` (the catalog cache's), for as
/// long as it runs. The listener has a connection of its own, outside the request pool.
pub async fn follow<F, Done>(pool: PgPool, apply: F)
where
    F: Fn(Change) -> Done,
    Done: Future<Output = ()>,
{
    let own = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with((*pool.connect_options()).clone());
    loop {
        let mut listener = match listen(&own).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::debug!(%error, "cannot listen for catalog changes yet");
                tokio::time::sleep(RETRY_AFTER).await;
                continue;
            }
        };
        // Whatever changed before this point was not heard.
        apply(Change::Everything).await;
        loop {
            match listener.try_recv().await {
                Ok(Some(notice)) => apply(Change::parse(notice.payload())).await,
                // The connection dropped and was made again: notices in between were lost.
                Ok(None) => apply(Change::Everything).await,
                Err(error) => {
                    tracing::debug!(%error, "listening for catalog changes stopped");
                    tokio::time::sleep(RETRY_AFTER).await;
                    break;
                }
            }
        }
    }
}

async fn listen(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn a_change_survives_its_notice() {
        for change in [
            Change::Product("linen-apron".into()),
            Change::Listings,
            Change::Tree,
            Change::Everything,
        ] {
            assert_eq!(Change::parse(&change.payload()), change);
        }
        assert_eq!(Change::parse("product:"), Change::Everything);
        assert_eq!(Change::parse("something-new"), Change::Everything);
    }
}
