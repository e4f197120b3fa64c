//! Logical backups and their restore: `server backup` writes the database (PostgreSQL's own
//! `pg_dump`, custom format) and the media files into a new dated directory, with a manifest of
//! every table's row count and checksum taken in the same snapshot as the dump; `server restore`
//! loads one into an empty database and checks every table against that manifest.
//!
//! The tools are PostgreSQL's, driven from here rather than reimplemented: no crate dumps a
//! database as faithfully as `pg_dump` (types, sequences, extensions, other schemas).

mod files;
mod manifest;
mod pg_tools;
pub mod tables;

use anyhow::{Context, bail};
pub use manifest::Manifest;
use sqlx::PgPool;
use std::path::{Path, PathBuf};

/// `server backup`'s arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct BackupArgs {
    /// Directory that keeps the backups, one dated directory each (a local disk, or a mounted
    /// or synced object store).
    #[arg(long, env = "BACKUP_DIR")]
    pub to: PathBuf,
    /// How many of the newest complete backups to keep; older ones are deleted.
    #[arg(long, env = "BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..))]
    pub keep: u16,
}

/// `server restore`'s arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct RestoreArgs {
    /// One backup directory (a dated directory written by `server backup`).
    #[arg(long)]
    pub from: PathBuf,
    /// Replace what the database and the media directory hold (refused otherwise when the
    /// database has tables).
    #[arg(long)]
    pub force: bool,
}

/// What a backup wrote.
#[derive(Debug)]
pub struct Written {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub removed: Vec<PathBuf>,
}

/// Backs up the database at `url` and the files under `media` into a new directory in `to`,
/// then keeps only the newest `keep` backups there. The directory appears complete or not at
/// all: it is written under a temporary name and renamed at the end.
pub async fn backup(url: &str, media: &Path, to: &Path, keep: u16) -> anyhow::Result<Written> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let (dir, partial) = files::new_backup_dir(to)?;
    let pool = crate::db::connect(url, 2).await?;
    // One snapshot for the dump and the manifest: the counts describe exactly what was dumped.
    let mut snapshot = pool.begin().await?;
    sqlx::query("set transaction isolation level repeatable read, read only")
        .execute(&mut *snapshot)
        .await?;
    let id: String = sqlx::query_scalar("select pg_export_snapshot()")
        .fetch_one(&mut *snapshot)
        .await?;
    let tables = tables::checksums(&mut snapshot).await?;
    pg_tools::dump(url, &id, &partial.join(manifest::DATABASE_FILE)).await?;
    snapshot.rollback().await?;
    pool.close().await;
    let media_files = files::copy_tree(media, &partial.join(manifest::MEDIA_DIR))?;
    let manifest = Manifest::new(tables, media_files);
    manifest.write(&partial)?;
    std::fs::rename(&partial, &dir)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), dir.display()))?;
    let removed = files::keep_newest(to, usize::from(keep))?;
    Ok(Written {
        dir,
        manifest,
        removed,
    })
}

/// Restores the backup in `from` into the database at `url` and the media directory `media`,
/// then compares every table with the backup's manifest. Refuses a database that already has
/// tables unless `force`.
pub async fn restore(url: &str, media: &Path, from: &Path, force: bool) -> anyhow::Result<Manifest> {
    let manifest = Manifest::read(from)?;
    let pool = crate::db::connect(url, 2).await?;
    let existing: i64 = sqlx::query_scalar(
        "select count(*) from information_schema.tables
         where table_schema not in ('pg_catalog', 'information_schema')",
    )
    .fetch_one(&pool)
    .await?;
    if existing > 0 && !force {
        bail!(
            "the database already has {existing} tables: restore into an empty database \
             (createdb), or pass --force to replace what it holds"
        );
    }
    if existing > 0 {
        drop_everything(&pool).await?;
    }
    pg_tools::restore(url, &from.join(manifest::DATABASE_FILE)).await?;
    files::replace_tree(&from.join(manifest::MEDIA_DIR), media, force)?;
    let mut conn = pool.acquire().await?;
    let restored = tables::checksums(&mut conn).await?;
    drop(conn);
    pool.close().await;
    manifest.check(&restored)?;
    Ok(manifest)
}

/// Empties a database for `--force`: every schema the app or its libraries made, with what is
/// in it (extensions included), and a fresh `public`.
async fn drop_everything(pool: &PgPool) -> anyhow::Result<()> {
    let schemas: Vec<String> = sqlx::query_scalar(
        "select nspname::text from pg_namespace
         where nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
           and nspname not like 'pg_temp_%' and nspname not like 'pg_toast_temp_%'",
    )
    .fetch_all(pool)
    .await?;
    let mut tx = pool.begin().await?;
    for schema in &schemas {
        sqlx::query(&format!(
            "drop schema \"{}\" cascade",
            schema.replace('"', "\"\"")
        ))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("create schema public").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
