//! The connection pool and migrations.

use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connects eagerly, so a missing or unreachable database is one clear message at start.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    const SHAPE: &str =
        "DATABASE_URL is not a valid PostgreSQL URL (postgres://user:password@host:port/database)";
    anyhow::ensure!(
        url.starts_with("postgres://") || url.starts_with("postgresql://"),
        SHAPE
    );
    let options = PgConnectOptions::from_str(url)
        .context(SHAPE)?
        .application_name("marketplace");
    let target = describe(&options);
    PgPoolOptions::new()
        .max_connections(max_connections.max(1))
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .with_context(|| {
            format!(
                "could not connect to PostgreSQL at {target}. Is it running? \
                 `make run` starts an embedded one when DATABASE_URL is unset"
            )
        })
}

/// A pool that connects when first used: for the read replica, which may be down at start
/// (the watcher sends no reads to it until it answers).
pub fn connect_lazy(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url)
        .context("DATABASE_REPLICA_URL is not a valid PostgreSQL URL")?
        .application_name("marketplace");
    Ok(PgPoolOptions::new()
        .max_connections(max_connections.max(1))
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy_with(options))
}

/// Host, port and database of a connection, without credentials, for messages.
fn describe(options: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("(default database)")
    )
}

/// Applies our migrations and the job queue's (in its own `underway` schema).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("applying database migrations failed")?;
    underway::run_migrations(pool)
        .await
        .context("applying the job queue's migrations failed")?;
    Ok(())
}

/// Refuses to start against a database missing migrations this binary knows.
pub async fn ensure_migrated(pool: &PgPool) -> anyhow::Result<()> {
    let applied: Vec<i64> = sqlx::query_scalar("select version from _sqlx_migrations where success")
        .fetch_all(pool)
        .await
        .unwrap_or_default();
    let pending: Vec<String> = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
        .map(|m| format!("{} {}", m.version, m.description))
        .collect();
    anyhow::ensure!(
        pending.is_empty(),
        "the database is missing migrations ({}). Run `server migrate` first",
        pending.join(", ")
    );
    Ok(())
}
