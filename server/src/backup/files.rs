//! The backup directory's files: dated directories, the media tree, retention.

use super::manifest::MANIFEST_FILE;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// A new backup's final path and the temporary path it is written under, both in `to`. Named
/// by the time in UTC so that names sort by age.
pub fn new_backup_dir(to: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    for n in 0..100 {
        let name = if n == 0 {
            stamp.clone()
        } else {
            format!("{stamp}-{n}")
        };
        let dir = to.join(&name);
        let partial = to.join(format!(".{name}.partial"));
        if !dir.exists() && std::fs::create_dir(&partial).is_ok() {
            return Ok((dir, partial));
        }
    }
    bail!("cannot make a new backup directory in {}", to.display())
}

/// Copies every file under `from` to `to` (made); a missing `from` is an empty tree. Returns
/// the number of files.
pub fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    if !from.exists() {
        return Ok(0);
    }
    let mut files = 0;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            files += copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            files += 1;
        }
    }
    Ok(files)
}

/// Puts the backup's media tree in place of `media`. Without `replace`, refuses a media
/// directory that already has files.
pub fn replace_tree(backup: &Path, media: &Path, replace: bool) -> anyhow::Result<u64> {
    let has_files = std::fs::read_dir(media).is_ok_and(|mut entries| entries.next().is_some());
    if has_files {
        if !replace {
            bail!(
                "the media directory {} is not empty: pass --force to replace it",
                media.display()
            );
        }
        std::fs::remove_dir_all(media).with_context(|| format!("cannot empty {}", media.display()))?;
    }
    copy_tree(backup, media)
}

/// Deletes all but the newest `keep` complete backups in `to` (those with a manifest). Returns
/// what was deleted.
pub fn keep_newest(to: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut complete: Vec<PathBuf> = std::fs::read_dir(to)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.join(MANIFEST_FILE).is_file())
        .collect();
    complete.sort();
    let old = complete.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = complete.into_iter().take(old).collect();
    for dir in &removed {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot delete {}", dir.display()))?;
    }
    Ok(removed)
}
