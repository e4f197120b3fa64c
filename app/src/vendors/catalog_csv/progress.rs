//! How far a CSV import has come, for the import page to show while a big file is checked and
//! saved (the upload's own progress ends when the file has arrived). The browser names its
//! import with a random token sent along with the file and asks for it by that token. The
//! instance running the import counts in memory and writes the count to PostgreSQL a few times
//! a second, so the page may ask any instance behind the load balancer; reports are kept for
//! 15 minutes.

use serde::Serialize;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// How often a running import's progress is written for the other instances.
const WRITE_EVERY: Duration = Duration::from_millis(250);
/// How long a report can be asked for (and is kept) after it was last written.
const KEPT_MINUTES: f64 = 15.0;

/// What the import is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Stage {
    Reading = 0,
    Checking = 1,
    Saving = 2,
    Done = 3,
    Failed = 4,
}

impl Stage {
    fn from_u8(n: u8) -> Self {
        [Self::Reading, Self::Checking, Self::Saving, Self::Done]
            .into_iter()
            .find(|s| *s as u8 == n)
            .unwrap_or(Self::Failed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reading => "reading",
            Self::Checking => "checking",
            Self::Saving => "saving",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }
}

/// One import's progress: its stage and how many of the stage's products are through.
#[derive(Debug, Default)]
pub struct Progress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

/// The progress as the page reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub stage: String,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Starts `stage` with `total` products to go through.
    pub fn stage(&self, stage: Stage, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.stage.store(stage as u8, Ordering::Release);
    }

    /// One more product through the current stage.
    pub fn step(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Ends the import: `Done` with everything through, or `Failed` (the report says why).
    pub fn finish(&self, ok: bool) {
        if ok {
            self.done
                .store(self.total.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        let stage = if ok { Stage::Done } else { Stage::Failed };
        self.stage.store(stage as u8, Ordering::Release);
    }

    fn current(&self) -> Stage {
        Stage::from_u8(self.stage.load(Ordering::Acquire))
    }

    pub fn report(&self) -> Report {
        Report {
            stage: self.current().as_str().to_string(),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

/// An import being followed: its progress, written to the database while it runs.
pub struct Tracked {
    pool: PgPool,
    shop: Uuid,
    /// None when the browser's token is not a plain identifier: nobody can ask for it.
    token: Option<String>,
    pub progress: Arc<Progress>,
}

/// Starts following a new import of `shop` named `token`.
pub fn start(pool: &PgPool, shop: Uuid, token: &str) -> Tracked {
    let progress = Arc::new(Progress::default());
    let token = is_token(token).then(|| token.to_string());
    if let Some(token) = &token {
        tokio::spawn(write_while_running(
            pool.clone(),
            shop,
            token.clone(),
            progress.clone(),
        ));
    }
    Tracked {
        pool: pool.clone(),
        shop,
        token,
        progress,
    }
}

impl Tracked {
    /// Writes the import's end before the page that reports it is sent, so whichever
    /// instance the browser asks next already knows.
    pub async fn ended(&self) {
        if let Some(token) = &self.token
            && let Err(error) = write(&self.pool, self.shop, token, &self.progress.report()).await
        {
            tracing::warn!(%error, "writing an import's end failed");
        }
    }
}

/// Writes `progress` every quarter second until it is done or failed, then once more.
async fn write_while_running(pool: PgPool, shop: Uuid, token: String, progress: Arc<Progress>) {
    let mut every = tokio::time::interval(WRITE_EVERY);
    loop {
        every.tick().await;
        let ended = matches!(progress.current(), Stage::Done | Stage::Failed);
        if let Err(error) = write(&pool, shop, &token, &progress.report()).await {
            tracing::warn!(%error, "writing an import's progress failed");
        }
        if ended {
            return;
        }
    }
}

async fn write(pool: &PgPool, shop: Uuid, token: &str, report: &Report) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into catalog_imports (vendor_id, token, stage, done, total, updated_at)
         values ($1, $2, $3, $4, $5, now())
         on conflict (vendor_id, token) do update
            set stage = excluded.stage, done = excluded.done, total = excluded.total,
                updated_at = now()",
        shop,
        token,
        report.stage,
        i32::try_from(report.done).unwrap_or(i32::MAX),
        i32::try_from(report.total).unwrap_or(i32::MAX),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The progress of `shop`'s import named `token`, as last written, from any instance.
pub async fn get(pool: &PgPool, shop: Uuid, token: &str) -> sqlx::Result<Option<Report>> {
    let row = sqlx::query!(
        "select stage, done, total from catalog_imports
         where vendor_id = $1 and token = $2
           and updated_at > now() - $3 * interval '1 minute'",
        shop,
        token,
        KEPT_MINUTES,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Report {
        stage: r.stage,
        done: usize::try_from(r.done).unwrap_or(0),
        total: usize::try_from(r.total).unwrap_or(0),
    }))
}

/// Deletes reports nobody can ask for any more.
pub async fn forget_old(pool: &PgPool) -> sqlx::Result<u64> {
    let gone = sqlx::query!(
        "delete from catalog_imports where updated_at < now() - $1 * interval '1 minute'",
        KEPT_MINUTES
    )
    .execute(pool)
    .await?;
    Ok(gone.rows_affected())
}

/// 16 to 64 letters, digits and dashes (a UUID, say).
fn is_token(token: &str) -> bool {
    (16..=64).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_moves_through_its_stages() {
        let progress = Progress::default();
        assert_eq!(progress.report().stage, "reading");
        progress.stage(Stage::Checking, 3);
        progress.step();
        assert_eq!(
            progress.report(),
            Report {
                stage: "checking".into(),
                done: 1,
                total: 3
            }
        );
        progress.stage(Stage::Saving, 3);
        assert_eq!(progress.report().done, 0);
        progress.finish(true);
        assert_eq!(
            progress.report(),
            Report {
                stage: "done".into(),
                done: 3,
                total: 3
            }
        );
        progress.finish(false);
        assert_eq!(progress.report().stage, "failed");
    }

    #[test]
    fn only_plain_tokens_are_kept() {
        assert!(is_token("0b7f5a9e-3c1d-4e2f-9a8b-7c6d5e4f3a2b"));
        assert!(!is_token("short"));
        assert!(!is_token("../../etc/passwd/../../etc/passwd"));
    }
}
