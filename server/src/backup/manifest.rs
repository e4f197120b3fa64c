//! `backup.json`: what a backup holds, written last so that a directory with one is complete.

use super::tables::TableSum;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const DATABASE_FILE: &str = "database.dump";
pub const MEDIA_DIR: &str = "media";
pub const MANIFEST_FILE: &str = "backup.json";

/// The manifest of one backup.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's own format, for readers of older backups.
    pub format: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Every table at the moment of the dump.
    pub tables: BTreeMap<String, TableSum>,
    pub media_files: u64,
}

impl Manifest {
    pub fn new(tables: BTreeMap<String, TableSum>, media_files: u64) -> Self {
        Self {
            format: 1,
            created_at: chrono::Utc::now(),
            tables,
            media_files,
        }
    }

    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let path = dir.join(MANIFEST_FILE);
        std::fs::write(&path, serde_json::to_vec_pretty(self)?)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&path)
            .with_context(|| format!("{} is not a complete backup (no {MANIFEST_FILE})", dir.display()))?;
        let manifest: Self =
            serde_json::from_slice(&bytes).with_context(|| format!("{} cannot be read", path.display()))?;
        if manifest.format != 1 {
            bail!(
                "{} has format {}, this server reads 1",
                path.display(),
                manifest.format
            );
        }
        Ok(manifest)
    }

    /// Compares a restored database with the backup, naming every table that differs.
    pub fn check(&self, restored: &BTreeMap<String, TableSum>) -> anyhow::Result<()> {
        let mut differences = Vec::new();
        for (table, sum) in &self.tables {
            match restored.get(table) {
                None => differences.push(format!("{table} is missing")),
                Some(got) if got != sum => differences.push(format!(
                    "{table}: {} rows (checksum {}), the backup had {} ({})",
                    got.rows, got.checksum, sum.rows, sum.checksum
                )),
                Some(_) => {}
            }
        }
        for table in restored.keys().filter(|t| !self.tables.contains_key(*t)) {
            differences.push(format!("{table} was not in the backup"));
        }
        if differences.is_empty() {
            Ok(())
        } else {
            bail!(
                "the restored database differs from the backup: {}",
                differences.join("; ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(entries: &[(&str, i64, &str)]) -> BTreeMap<String, TableSum> {
        entries
            .iter()
            .map(|(t, rows, c)| {
                (
                    t.to_string(),
                    TableSum {
                        rows: *rows,
                        checksum: c.to_string(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_restore_differing_in_any_table_is_named() {
        let manifest = Manifest::new(sums(&[("public.orders", 2, "10"), ("public.users", 1, "7")]), 0);
        assert!(
            manifest
                .check(&sums(&[("public.orders", 2, "10"), ("public.users", 1, "7")]))
                .is_ok()
        );
        let error = manifest
            .check(&sums(&[("public.orders", 2, "11"), ("public.extra", 0, "0")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("public.orders: 2 rows (checksum 11)"), "{error}");
        assert!(error.contains("public.users is missing"), "{error}");
        assert!(error.contains("public.extra was not in the backup"), "{error}");
    }
}
