//! Bringing the daily rollups up to date (`refresh_daily_stats` in the database): from the day
//! before the last one rolled up, or from the first event ever. One instance at a time; another
//! that finds the work under way skips it.

use crate::error::AppResult;
use sqlx::PgPool;

/// The advisory lock that keeps two refreshes from running at once.
const ROLLUP_LOCK: i64 = 0x0053_5441_5453; // "STATS"

/// Refreshes the rollups; returns whether this call did it (false: another was under way).
pub async fn refresh(pool: &PgPool) -> AppResult<bool> {
    let mut tx = pool.begin().await?;
    let free = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "free!""#, ROLLUP_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !free {
        return Ok(false);
    }
    let since = sqlx::query_scalar!(
        r#"select coalesce(
                  (select max(day) - 1 from stats_daily),
                  (select min(first)::date from (
                      select min(paid_at at time zone 'UTC') as first from orders
                      union all select min(created_at at time zone 'UTC') from users
                      union all select min(created_at at time zone 'UTC') from vendors
                      union all select min(day)::timestamp from product_viewers) events),
                  (now() at time zone 'UTC')::date) as "since!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!("select refresh_daily_stats($1)", since)
        .execute(&mut *tx)
        .await?;
    // Days long rolled up keep their count; their visitors' digests go.
    sqlx::query!(
        "delete from product_viewers where day < (now() at time zone 'UTC')::date - $1::integer",
        super::viewers::KEPT_DAYS
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}
