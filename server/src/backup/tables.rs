//! Every table's row count and checksum, to compare a restored database with its backup.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One table's content in two numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSum {
    pub rows: i64,
    /// The sum of a 64-bit hash of each row's text: independent of row order, computed in one
    /// pass in constant memory, so it costs a sequential scan even for the biggest table.
    pub checksum: String,
}

/// Every base table outside PostgreSQL's own schemas, by `schema.table`, but the unlogged ones
/// (rate limits, import progress): they are not in the WAL, so a point-in-time recovery or a
/// replica starts them empty, by design.
pub async fn checksums(conn: &mut sqlx::PgConnection) -> sqlx::Result<BTreeMap<String, TableSum>> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "select n.nspname::text, c.relname::text from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p') and c.relpersistence = 'p'
           and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
         order by 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut sums = BTreeMap::new();
    for (schema, table) in tables {
        let name = format!("\"{}\".\"{}\"", quoted(&schema), quoted(&table));
        let (rows, checksum): (i64, String) = sqlx::query_as(&format!(
            "select count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text
             from {name} t"
        ))
        .fetch_one(&mut *conn)
        .await?;
        sums.insert(format!("{schema}.{table}"), TableSum { rows, checksum });
    }
    Ok(sums)
}

fn quoted(identifier: &str) -> String {
    identifier.replace('"', "\"\"")
}
