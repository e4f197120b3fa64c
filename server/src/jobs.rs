//! Background work, on the underway job queue in PostgreSQL (`FOR UPDATE SKIP LOCKED`): safe
//! with any number of server instances, and nothing is lost when one stops.

use app::accounts::mail::{self, Mailer};
use app::orders::server as orders;
use app::payments::reconcile;
use app::search::engine::SearchEngine;
use app::search::terms;
use app::state::AppState;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use underway::job::JobHandle;
use underway::{Job, To};

/// How often the search outbox is drained into the engine.
const SEARCH_SYNC_SCHEDULE: &str = "*/5 * * * * *[UTC]";
/// Products written to the engine per batch.
const SEARCH_SYNC_BATCH: i64 = 500;
/// The typo-correction vocabulary is refreshed at most this often, when products changed.
const TERMS_REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// How often the mail outbox is delivered (requests also deliver right after they commit).
const MAIL_SCHEDULE: &str = "*/10 * * * * *[UTC]";

/// How often unpaid orders past their reservation are expired, and how many per run.
const EXPIRY_SCHEDULE: &str = "*/30 * * * * *[UTC]";
const EXPIRY_BATCH: i64 = 200;
/// How long one run may keep expiring while batches come back full (less than the schedule).
const EXPIRY_BUDGET: Duration = Duration::from_secs(20);
/// Payments pending longer than this are looked up at the provider, every minute.
const RECONCILE_SCHEDULE: &str = "0 * * * * *[UTC]";
const RECONCILE_AFTER_MINUTES: i32 = 10;
const RECONCILE_BATCH: i64 = 100;

/// How often vendors' available balances are paid out.
const PAYOUT_SCHEDULE: &str = "0 0 * * * *[UTC]";

/// How often the overview's daily rollups are brought up to date.
const STATS_SCHEDULE: &str = "15 * * * * *[UTC]";

/// The jobs below; the queue's own pool is sized for them.
pub const JOBS: u32 = 6;
/// Connections underway holds per job for as long as it runs: its worker's two listeners
/// (shutdown, new tasks) and the transaction of the task in progress, its scheduler's
/// advisory-lock connection and shutdown listener.
const CONNECTIONS_PER_JOB: u32 = 5;

/// How often the supervisor asks whether the database answers, and how long an answer may take.
const SUPERVISE_EVERY: Duration = Duration::from_millis(500);
const PING_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest pause between attempts to start jobs that fail to start.
const MAX_START_PAUSE: Duration = Duration::from_secs(60);
/// How long stopping the jobs may take before they are left to end on their own.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// The running jobs; stop them with `shutdown`.
pub struct Jobs {
    handles: Vec<JobHandle>,
}

/// The jobs, run while the database answers (see `supervise`); stop with `shutdown`.
pub struct Supervised {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// Runs the jobs while the database answers, checking every half second on a connection of
/// its own. When the database stops answering they are stopped, and started again once it is
/// back: underway's workers and schedulers retry a lost listener in a loop without pause,
/// logging every failure (tens of thousands of lines a second), so a database restart would
/// otherwise keep the cores busy writing gigabytes of log for as long as it lasted. Also
/// starts them when the database is not up yet at start.
pub fn supervise(app: AppState) -> Supervised {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let options = (*app.pool.connect_options()).clone();
        let mut probe: Option<sqlx::PgConnection> = None;
        let mut jobs: Option<Jobs> = None;
        // A start that fails while the database answers (say, the queue's tables are missing)
        // is retried after a pause that doubles up to a minute.
        let mut pause = SUPERVISE_EVERY;
        let mut next_start = Instant::now();
        let mut every = tokio::time::interval(SUPERVISE_EVERY);
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                _ = every.tick() => {}
            }
            let up = answers(&mut probe, &options).await;
            if up && jobs.is_none() && Instant::now() >= next_start {
                match Jobs::start(app.clone()).await {
                    Ok(started) => {
                        tracing::info!("background jobs running");
                        jobs = Some(started);
                        pause = SUPERVISE_EVERY;
                    }
                    Err(error) => {
                        tracing::warn!("background jobs could not start, retrying in {pause:?}: {error:#}");
                        next_start = Instant::now() + pause;
                        pause = (pause * 2).min(MAX_START_PAUSE);
                    }
                }
            } else if !up && let Some(running) = jobs.take() {
                tracing::warn!("the database does not answer: background jobs stop until it does");
                running.stop().await;
            }
        }
        if let Some(running) = jobs {
            running.stop().await;
        }
    });
    Supervised { stop, task }
}

/// Whether the database answers a ping on `probe`, connecting it first when needed.
async fn answers(probe: &mut Option<sqlx::PgConnection>, options: &sqlx::postgres::PgConnectOptions) -> bool {
    use sqlx::Connection;
    let ping = async {
        let connection = match probe {
            Some(connection) => connection,
            None => probe.insert(sqlx::PgConnection::connect_with(options).await?),
        };
        connection.ping().await
    };
    match tokio::time::timeout(PING_TIMEOUT, ping).await {
        Ok(Ok(())) => true,
        _ => {
            *probe = None;
            false
        }
    }
}

impl Supervised {
    /// Stops the jobs (letting running steps finish) and the supervision.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::warn!(%error, "the background-job supervisor did not stop cleanly");
        }
    }
}

/// The queue's machinery gets a pool of its own: what it holds for as long as it runs (20
/// connections for five jobs) would otherwise take most of a request pool sized to the
/// machine, and requests would wait for connections that listeners keep. The work a step does
/// goes through the application's pool, like a request's.
fn queue_pool(app: &PgPool) -> PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(JOBS * CONNECTIONS_PER_JOB)
        .connect_lazy_with((*app.connect_options()).clone())
}

#[derive(Clone)]
struct SearchSync {
    pool: PgPool,
    engine: SearchEngine,
    /// When the vocabulary was last refreshed by this instance.
    terms_refreshed: Arc<Mutex<Option<Instant>>>,
}

impl Jobs {
    pub async fn start(app: AppState) -> anyhow::Result<Self> {
        let (engine, mailer) = (app.search.clone(), app.mailer.clone());
        let pool = queue_pool(&app.pool);
        let state = SearchSync {
            pool: app.pool.clone(),
            engine,
            terms_refreshed: Arc::new(Mutex::new(None)),
        };
        let search_sync = Job::<(), SearchSync>::builder()
            .state(state)
            .step(|cx, ()| async move {
                sync_search(&cx.state)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(format!("{e:#}")))?;
                To::done()
            })
            .name("search-sync")
            .pool(pool.clone())
            .build()
            .await?;
        search_sync.schedule(&SEARCH_SYNC_SCHEDULE.parse()?, &()).await?;
        let mail = Job::<(), (PgPool, Mailer)>::builder()
            .state((app.pool.clone(), mailer))
            .step(|cx, ()| async move {
                let (pool, mailer) = &cx.state;
                mail::deliver_pending(pool, mailer, 200)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(format!("{e:#}")))?;
                To::done()
            })
            .name("mail-send")
            .pool(pool.clone())
            .build()
            .await?;
        mail.schedule(&MAIL_SCHEDULE.parse()?, &()).await?;
        let reconcile = Job::<(), AppState>::builder()
            .state(app.clone())
            .step(|cx, ()| async move {
                let changed = reconcile::stale_payments(&cx.state, RECONCILE_AFTER_MINUTES, RECONCILE_BATCH)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(e.to_string()))?;
                if changed > 0 {
                    tracing::info!(changed, "payments brought in line with the provider");
                }
                To::done()
            })
            .name("payment-reconcile")
            .pool(pool.clone())
            .build()
            .await?;
        reconcile.schedule(&RECONCILE_SCHEDULE.parse()?, &()).await?;
        let payouts = Job::<(), AppState>::builder()
            .state(app.clone())
            .step(|cx, ()| async move {
                let paid = app::money::payouts::run_payouts(&cx.state)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(e.to_string()))?;
                if paid > 0 {
                    tracing::info!(paid, "vendor payouts made");
                }
                To::done()
            })
            .name("vendor-payouts")
            .pool(pool.clone())
            .build()
            .await?;
        payouts.schedule(&PAYOUT_SCHEDULE.parse()?, &()).await?;
        let stats = Job::<(), PgPool>::builder()
            .state(app.pool.clone())
            .step(|cx, ()| async move {
                app::analytics::rollup::refresh(&cx.state)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(e.to_string()))?;
                To::done()
            })
            .name("stats-rollup")
            .pool(pool.clone())
            .build()
            .await?;
        stats.schedule(&STATS_SCHEDULE.parse()?, &()).await?;
        let expiry = Job::<(), AppState>::builder()
            .state(app)
            .step(|cx, ()| async move {
                let expired = orders::expire_backlog(&cx.state, EXPIRY_BATCH, EXPIRY_BUDGET)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(e.to_string()))?;
                if expired > 0 {
                    tracing::info!(expired, "unpaid orders expired; their stock is back on sale");
                }
                app::cart::owner::forget_abandoned(&cx.state.pool)
                    .await
                    .map_err(|e| underway::task::Error::Retryable(e.to_string()))?;
                To::done()
            })
            .name("order-expiry")
            .pool(pool)
            .build()
            .await?;
        expiry.schedule(&EXPIRY_SCHEDULE.parse()?, &()).await?;
        let handles = vec![
            search_sync.start(),
            mail.start(),
            expiry.start(),
            reconcile.start(),
            payouts.start(),
            stats.start(),
        ];
        debug_assert_eq!(handles.len() as u32, JOBS, "the queue pool is sized by JOBS");
        Ok(Self { handles })
    }

    /// Lets running steps finish, then stops.
    pub async fn shutdown(self) {
        for handle in self.handles {
            if let Err(error) = handle.shutdown().await {
                tracing::warn!(%error, "a background job did not stop cleanly");
            }
        }
    }

    /// `shutdown`, given at most `STOP_TIMEOUT` (the database may be gone).
    async fn stop(self) {
        if tokio::time::timeout(STOP_TIMEOUT, self.shutdown()).await.is_err() {
            tracing::warn!("background jobs did not stop in time; they end on their own");
        }
    }
}

/// Writes changed products to the search engine, then refreshes the vocabulary if it is due.
#[tracing::instrument(skip_all)]
async fn sync_search(state: &SearchSync) -> anyhow::Result<()> {
    let processed = state.engine.sync_outbox(&state.pool, SEARCH_SYNC_BATCH).await?;
    if processed == 0 {
        return Ok(());
    }
    tracing::debug!(
        processed,
        engine = state.engine.name(),
        "search index brought up to date"
    );
    let mut last = state.terms_refreshed.lock().await;
    if last.is_none_or(|at| at.elapsed() >= TERMS_REFRESH_INTERVAL) {
        terms::refresh(&state.pool).await?;
        *last = Some(Instant::now());
    }
    Ok(())
}
