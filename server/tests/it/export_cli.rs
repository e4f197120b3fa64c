//! `server export`, the real binary on a real database: standard output is the report and
//! nothing else, however much the server logs meanwhile. (Logs once went to standard output
//! while the export held it locked: a slow statement's warning stopped a 100,000-row export
//! for good, and any log line would have been written into the CSV.)

use super::backup::{paid_order, url};
use super::shopping::stocked;
use super::support::{TestApp, tempdir};
use sqlx::PgPool;
use std::process::Command;
use std::time::Duration;

#[sqlx::test(migrations = "../migrations")]
async fn an_export_writes_only_the_report_to_standard_output(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 40).await;
    let sku = stocked(&pool, 0, 10).await;
    let numbers = [
        paid_order(&app, &sku, "first@example.com").await,
        paid_order(&app, &sku, "second@example.com").await,
    ];
    let options = pool.connect_options();
    let database = url(&options, options.get_database().unwrap());
    let today = chrono::Utc::now().date_naive().to_string();
    let work = tempdir::Dir::new();
    let (stdout, stderr) = (work.0.join("out.csv"), work.0.join("log"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["export", "orders.csv", "--from", &today, "--to", &today])
        .env("DATABASE_URL", &database)
        // Every statement logged: the most the export can be talked over.
        .env("RUST_LOG", "debug")
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the export never finished"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = std::fs::read_to_string(&stderr).unwrap();
    assert!(child.wait().unwrap().success(), "{log}");
    assert!(!log.is_empty(), "the logs went to standard error");
    let csv = std::fs::read_to_string(&stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("order,paid,email"), "{csv}");
    assert_eq!(lines.len(), 3, "a header and two orders, nothing else: {csv}");
    for number in numbers {
        assert!(csv.contains(&format!("{number},")), "{csv}");
    }
}
