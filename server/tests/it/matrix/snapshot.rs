//! A fingerprint of everything the app keeps, to prove a refused request changed nothing.

use sqlx::PgPool;

/// Tables a refused request may still touch: the browser's own session (its expiry and when
/// it was last seen) and the migration history; and the mail outbox, whose rows an earlier
/// allowed request's delivery may be updating meanwhile (its row count is fingerprinted).
const SKIPPED: &[&str] = &["user_sessions", "_sqlx_migrations", "mail_outbox"];

/// An md5 of every row of every table of the app (schema `public`), in a stable order.
pub async fn fingerprint(pool: &PgPool) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut parts: Vec<String> = tables
        .iter()
        .filter(|t| !SKIPPED.contains(&t.as_str()))
        .map(|t| {
            format!("coalesce((select string_agg(x::text, ',' order by x::text) from public.\"{t}\" x), '')")
        })
        .collect();
    parts.push("(select count(*) from mail_outbox)::text".into());
    sqlx::query_scalar(&format!("select md5({})", parts.join(" || '|' || ")))
        .fetch_one(pool)
        .await
        .unwrap()
}
