//! What an instance runs beside its requests, besides the job queue: expired sessions deleted,
//! idle rate-limit keys and old import reports forgotten, the product pages' visitors written,
//! other instances' catalog changes followed, the read replica watched, the latency samples
//! folded into their histograms.

use app::state::AppState;
use sqlx::PgPool;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often each instance writes the visitors its product pages noted.
const VIEWERS_FLUSH_EVERY: Duration = Duration::from_secs(5);
/// How often rate-limit keys and import reports are tidied.
const TIDY_EVERY: Duration = Duration::from_secs(600);
/// How often the latency samples recorded since are folded into their histograms.
const METRICS_UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The running tasks; `stop` ends them.
pub struct Upkeep {
    tasks: Vec<JoinHandle<()>>,
    app: AppState,
}

/// Starts the tasks for `app`.
pub fn start(app: &AppState) -> Upkeep {
    let pool = app.pool.clone();
    let mut tasks = vec![
        crate::http::accounts::delete_expired_sessions(&pool),
        // Other instances' catalog changes, forgotten here as they are announced.
        tokio::spawn(app.catalog.clone().follow_changes(pool.clone())),
        tokio::spawn(tidy(app.clone())),
        tokio::spawn(flush_viewers(app.clone())),
        tokio::spawn(fold_metrics()),
    ];
    // The read replica, watched for keeping up; its reads go to the primary meanwhile.
    if let Some(replica) = app.replica.clone() {
        tasks.push(tokio::spawn(replica.watch(pool)));
    }
    Upkeep {
        tasks,
        app: app.clone(),
    }
}

/// Rate-limit keys whose budget is whole again, and import reports nobody can ask for any
/// more, are deleted, so their tables stay small.
async fn tidy(app: AppState) {
    let mut every = tokio::time::interval(TIDY_EVERY);
    loop {
        every.tick().await;
        if let Err(error) = app.limits.shrink().await {
            tracing::warn!(%error, "forgetting idle rate-limit keys failed");
        }
        if let Err(error) = app::vendors::catalog_csv::progress::forget_old(&app.pool).await {
            tracing::warn!(%error, "forgetting old import reports failed");
        }
    }
}

/// Each latency sample is kept until it is folded into its histogram, which a scrape of
/// `/metrics` also does: without this, an instance nobody scrapes grows by every request.
async fn fold_metrics() {
    let handle = crate::http::install_recorder();
    let mut every = tokio::time::interval(METRICS_UPKEEP_EVERY);
    loop {
        every.tick().await;
        handle.run_upkeep();
    }
}

/// The visitors product pages noted, written in one statement every few seconds.
async fn flush_viewers(app: AppState) {
    let mut every = tokio::time::interval(VIEWERS_FLUSH_EVERY);
    loop {
        every.tick().await;
        write_viewers(&app.viewers, &app.pool).await;
    }
}

async fn write_viewers(viewers: &app::analytics::viewers::Viewers, pool: &PgPool) {
    if let Err(error) = viewers.flush(pool).await {
        tracing::warn!(%error, "writing the product pages' visitors failed");
    }
}

impl Upkeep {
    /// Ends the tasks, writing the visitors noted since the last flush.
    pub async fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
        write_viewers(&self.app.viewers, &self.app.pool).await;
    }
}
