//! `server backup` and `server restore` on a real database: what a backup holds is exactly the
//! state at its moment, later writes are not in it, and a restore checks itself.

use super::shopping::{add, details, key, pay, place, stocked};
use super::support::{Browser, TestApp, tempdir};
use server::backup::{self, tables};
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use std::collections::BTreeMap;
use std::path::Path;

/// A URL PostgreSQL's own tools understand for `database` on the test's server.
pub fn url(options: &PgConnectOptions, database: &str) -> String {
    let host = options.get_host();
    if host.starts_with('/') {
        format!(
            "postgres://{}@localhost/{database}?host={host}&port={}",
            options.get_username(),
            options.get_port()
        )
    } else {
        format!(
            "postgres://{}@{host}:{}/{database}",
            options.get_username(),
            options.get_port()
        )
    }
}

/// A database name of its own beside the test's (whose name is already near PostgreSQL's 63).
fn spare_name() -> String {
    format!("restore_{}", uuid::Uuid::new_v4().simple())
}

async fn sums(pool: &PgPool) -> BTreeMap<String, tables::TableSum> {
    tables::checksums(&mut pool.acquire().await.unwrap())
        .await
        .unwrap()
}

/// Waits until the mail a paid order queued has been sent: sending (started after the order's
/// commit) rewrites its outbox row, which would otherwise race the checksums.
async fn mail_settled(pool: &PgPool) {
    for _ in 0..200 {
        let pending: i64 = sqlx::query_scalar("select count(*) from mail_outbox where sent_at is null")
            .fetch_one(pool)
            .await
            .unwrap();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the queued mail was not sent within 10 s");
}

/// A paid order from a guest; returns its number.
pub async fn paid_order(app: &TestApp, sku: &str, email: &str) -> i64 {
    let mut guest = Browser::new(app);
    add(&mut guest, sku, 1).await;
    details(&mut guest, email).await;
    let number = place(&mut guest, &key()).await;
    pay(&mut guest, number, true).await;
    number
}

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                found.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[sqlx::test(migrations = "../migrations")]
async fn a_restored_backup_is_every_table_and_file_as_it_was(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let before = paid_order(&app, &sku, "first@example.com").await;
    let work = tempdir::Dir::new();
    let media = work.0.join("media");
    std::fs::create_dir_all(media.join("ab")).unwrap();
    std::fs::write(media.join("ab/cdef.webp"), b"image bytes").unwrap();
    let options = pool.connect_options();
    let database = options.get_database().unwrap().to_string();

    mail_settled(&pool).await;
    let at_backup = sums(&pool).await;
    let written = backup::backup(&url(&options, &database), &media, &work.0.join("backups"), 7)
        .await
        .unwrap();
    assert_eq!(written.manifest.tables, at_backup);
    assert_eq!(written.manifest.media_files, 1);

    // Life goes on after the backup: another order is paid, a file is added.
    let after = paid_order(&app, &sku, "second@example.com").await;
    std::fs::write(media.join("ab/later.webp"), b"later").unwrap();
    assert_ne!(
        sums(&pool).await,
        at_backup,
        "the later order must change the tables"
    );

    let fresh = spare_name();
    sqlx::query(&format!("create database \"{fresh}\""))
        .execute(&pool)
        .await
        .unwrap();
    let restored_media = work.0.join("restored-media");
    let manifest = backup::restore(&url(&options, &fresh), &restored_media, &written.dir, false)
        .await
        .unwrap();
    assert_eq!(manifest.tables, at_backup);
    let restored = PgPool::connect_with((*options).clone().database(&fresh))
        .await
        .unwrap();
    assert_eq!(sums(&restored).await, at_backup, "every table as at the backup");
    let numbers: Vec<(i64, String)> = sqlx::query_as("select number, status from orders order by number")
        .fetch_all(&restored)
        .await
        .unwrap();
    assert_eq!(
        numbers,
        vec![(before, "paid".to_string())],
        "the later order {after} is not in it"
    );
    assert_eq!(files(&restored_media), files(&written.dir.join("media")));
    assert_eq!(
        files(&restored_media).keys().collect::<Vec<_>>(),
        vec!["ab/cdef.webp"]
    );

    // A second restore into the now full database is refused and changes nothing.
    let refused = backup::restore(&url(&options, &fresh), &restored_media, &written.dir, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("--force"), "{refused}");
    // With --force it replaces what is there, and still checks itself.
    sqlx::query("delete from reviews")
        .execute(&restored)
        .await
        .unwrap();
    backup::restore(&url(&options, &fresh), &restored_media, &written.dir, true)
        .await
        .unwrap();
    assert_eq!(sums(&restored).await, at_backup);
    restored.close().await;
    sqlx::query(&format!("drop database \"{fresh}\" with (force)"))
        .execute(&pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn backups_keep_the_newest_and_a_partial_one_never_counts(pool: PgPool) {
    let options = pool.connect_options();
    let database = options.get_database().unwrap().to_string();
    let work = tempdir::Dir::new();
    let to = work.0.join("backups");
    let mut made = Vec::new();
    for _ in 0..3 {
        let written = backup::backup(&url(&options, &database), &work.0.join("media"), &to, 2)
            .await
            .unwrap();
        made.push(written.dir);
    }
    let mut kept: Vec<_> = std::fs::read_dir(&to)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    kept.sort();
    assert_eq!(kept, made[1..].to_vec(), "the oldest was deleted");
    // A directory without a manifest (a backup cut short) is refused by restore.
    let cut = to.join("cut-short");
    std::fs::create_dir_all(&cut).unwrap();
    let fresh = spare_name();
    sqlx::query(&format!("create database \"{fresh}\""))
        .execute(&pool)
        .await
        .unwrap();
    let refused = backup::restore(&url(&options, &fresh), &work.0.join("m"), &cut, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("not a complete backup"), "{refused}");
    sqlx::query(&format!("drop database \"{fresh}\" with (force)"))
        .execute(&pool)
        .await
        .unwrap();
}
