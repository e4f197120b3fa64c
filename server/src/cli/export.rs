//! `server export <file> --from --to`: an operators' report written to standard output, by the
//! same streaming writer as its download (`/admin/reports/{file}`), for scheduled exports and
//! to measure a report at scale.

use crate::config::Config;
use crate::db;
use anyhow::Context;
use app::analytics::period::Span;
use app::analytics::reports::Report;
use std::io::Write;

pub async fn export(config: Config, file: &str, from: &str, to: &str) -> anyhow::Result<()> {
    let report = Report::from_file(file).with_context(|| {
        let files: Vec<&str> = Report::ALL.iter().map(|r| r.file()).collect();
        format!("there is no report {file}; the reports are {}", files.join(", "))
    })?;
    let span = Span::range(from, to).map_err(|error| anyhow::anyhow!("{}", error.field_messages()))?;
    let pool = db::connect(config.database_url()?, 2).await?;
    db::ensure_migrated(&pool).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let writer =
        tokio::spawn(
            async move { crate::http::reports::write(&pool, report, span, config.currency, &tx).await },
        );
    // Locked per chunk, never across an await: the writer task may log meanwhile.
    while let Some(chunk) = rx.recv().await {
        std::io::stdout().write_all(&chunk?)?;
    }
    std::io::stdout().flush()?;
    writer.await?
}
