//! A fingerprint of everything the app keeps, to prove a refused request changed nothing.

use server::backup::tables;
use sqlx::PgPool;

/// Tables a refused request may still touch: the browser's own session (its expiry and when
/// it was last seen) and the migration history; and the mail outbox, whose rows an earlier
/// allowed request's delivery may be updating meanwhile (its row count is fingerprinted).
const SKIPPED: &[&str] = &[
    "public.user_sessions",
    "public._sqlx_migrations",
    "public.mail_outbox",
];

/// Every row of every table of the app, as row counts and checksums (the same the backups
/// check a restore with).
pub async fn fingerprint(pool: &PgPool) -> String {
    let mut conn = pool.acquire().await.unwrap();
    let sums = tables::checksums(&mut conn).await.unwrap();
    let mut parts: Vec<String> = sums
        .iter()
        .filter(|(table, _)| !SKIPPED.contains(&table.as_str()))
        .map(|(table, sum)| format!("{table}:{}:{}", sum.rows, sum.checksum))
        .collect();
    parts.push(format!("mail_outbox:{}", sums["public.mail_outbox"].rows));
    parts.join("|")
}
