//! PostgreSQL's `pg_dump` and `pg_restore`, found and run.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// The newest installed version of a PostgreSQL client tool: `PG_BIN` when set, else Debian's
/// `/usr/lib/postgresql/<version>/bin`, else the `PATH`. A dump needs a `pg_dump` at least as
/// new as the server, which the newest one is.
fn tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return PathBuf::from(dir).join(name);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let path = entry.path().join("bin").join(name);
            path.is_file().then_some((version, path))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, path)| path)
        .unwrap_or_else(|| PathBuf::from(name))
}

/// Dumps the database at `url`, as seen by the exported snapshot `snapshot`, into `file`
/// (custom format: compressed, restorable selectively and in parallel).
pub async fn dump(url: &str, snapshot: &str, file: &Path) -> anyhow::Result<()> {
    let mut command = std::process::Command::new(tool("pg_dump"));
    command
        .arg("--format=custom")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--no-owner")
        .arg(format!("--file={}", file.display()))
        .arg(format!("--dbname={url}"));
    run(command, "pg_dump").await
}

/// Restores `file` into the (empty) database at `url` in one transaction: all or nothing.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<()> {
    let mut command = std::process::Command::new(tool("pg_restore"));
    command
        .arg("--single-transaction")
        .arg("--exit-on-error")
        .arg("--no-owner")
        .arg(format!("--dbname={url}"))
        .arg(file);
    run(command, "pg_restore").await
}

/// Runs a tool on a blocking thread (the server's runtime stays free) and turns a failure
/// into its own words.
async fn run(mut command: std::process::Command, name: &str) -> anyhow::Result<()> {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await?
        .with_context(|| {
            format!("cannot run {name}: install PostgreSQL's client tools (Debian: postgresql-client)")
        })?;
    if !output.status.success() {
        bail!(
            "{name} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}
