//! How far a CSV import has come, for the import page to show while a big file is checked and
//! saved (the upload's own progress ends when the file has arrived). The browser names its
//! import with a random token sent along with the file and asks for it by that token; imports
//! are kept for 15 minutes on the instance that runs them.

use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;
use uuid::Uuid;

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

    fn as_str(self) -> &'static str {
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
    pub stage: &'static str,
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

    pub fn report(&self) -> Report {
        Report {
            stage: Stage::from_u8(self.stage.load(Ordering::Acquire)).as_str(),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

/// The imports of the last 15 minutes on this instance, by shop and the browser's token.
#[derive(Clone)]
pub struct Imports(moka::future::Cache<(Uuid, String), Arc<Progress>>);

impl Default for Imports {
    fn default() -> Self {
        Self(
            moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(15 * 60))
                .build(),
        )
    }
}

impl Imports {
    /// The progress of a new import of `shop` named `token` (a token that is not a plain
    /// identifier gets a progress nobody can ask for).
    pub async fn start(&self, shop: Uuid, token: &str) -> Arc<Progress> {
        let progress = Arc::new(Progress::default());
        if is_token(token) {
            self.0.insert((shop, token.to_string()), progress.clone()).await;
        }
        progress
    }

    pub async fn get(&self, shop: Uuid, token: &str) -> Option<Report> {
        let progress = self.0.get(&(shop, token.to_string())).await?;
        Some(progress.report())
    }
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
                stage: "checking",
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
                stage: "done",
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
