//! Mail through a real SMTP server (Debian's aiosmtpd, started by the test, writing a Maildir),
//! and what the outbox keeps once a message is delivered.

use super::accounts::{PASSWORD, mailed_token, signed_in};
use super::people::{browser, member, user};
use super::support::{Browser, TestApp};
use app::accounts::mail::{self, Mail, Mailer};
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;

/// aiosmtpd on a free port, stopped when dropped.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl SmtpServer {
    // The child is killed and waited for in `drop`.
    #[allow(clippy::zombie_processes)]
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = std::env::temp_dir().join(format!("marketplace-maildir-{port}"));
        let child = std::process::Command::new("/usr/bin/python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .spawn()
            .expect("python3-aiosmtpd is installed (scripts/setup.sh test installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Self { child, port, maildir };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the SMTP server did not start");
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_outbox_is_delivered_over_smtp_once(pool: PgPool) {
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::smtp(
        &format!("smtp://127.0.0.1:{}", smtp.port),
        "Shop <shop@example.com>",
    )
    .unwrap();
    let mut tx = pool.begin().await.unwrap();
    let message = Mail {
        subject: "Confirm your email".into(),
        paragraphs: vec!["Welcome, Zoë!".into()],
        action: Some((
            "Confirm".into(),
            "https://shop.example/account/verify?token=abc123".into(),
        )),
    };
    mail::enqueue(&mut tx, "jane@example.com", &message)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(mail::deliver_pending(&pool, &mailer, 10).await.unwrap(), 1);
    assert_eq!(
        mail::deliver_pending(&pool, &mailer, 10).await.unwrap(),
        0,
        "sent once"
    );

    let delivered: Vec<_> = std::fs::read_dir(smtp.maildir.join("new")).unwrap().collect();
    assert_eq!(delivered.len(), 1);
    let raw = std::fs::read_to_string(delivered[0].as_ref().unwrap().path()).unwrap();
    assert!(raw.contains("Subject: Confirm your email"));
    assert!(raw.contains("To: jane@example.com"));
    assert!(raw.contains("multipart/alternative"));
    assert!(raw.contains("text/html"));
    assert!(raw.contains("abc123"), "{raw}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refusing_server_keeps_the_mail_for_later(pool: PgPool) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = Mailer::smtp(&format!("smtp://127.0.0.1:{port}"), "shop@example.com").unwrap();
    let mut tx = pool.begin().await.unwrap();
    let message = Mail {
        subject: "Hello".into(),
        paragraphs: vec!["Hi".into()],
        action: None,
    };
    mail::enqueue(&mut tx, "jane@example.com", &message)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(mail::deliver_pending(&pool, &mailer, 10).await.unwrap(), 0);
    let (attempts, sent): (i32, bool) =
        sqlx::query_as("select attempts, sent_at is not null from mail_outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((attempts, sent), (1, false));
}

#[sqlx::test(migrations = "../migrations")]
async fn delivered_mail_keeps_no_link_in_the_outbox(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    let mut jane = signed_in(&app, "jane@example.com").await;
    jane.call(
        "account/email",
        json!({"new_email": "jane@new.example", "password": PASSWORD}),
    )
    .await;
    Browser::new(&app)
        .call("account/forgot", json!({"email": "jane@example.com"}))
        .await;
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner = user(&pool, "owner@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    browser(&app, "owner@example.com")
        .await
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop, "email": "helper@example.com", "role": "staff"}),
        )
        .await;
    let tokens = [
        mailed_token(&app, "jane@example.com", "/account/verify").await,
        mailed_token(&app, "jane@new.example", "/account/email").await,
        mailed_token(&app, "jane@example.com", "/account/reset").await,
        mailed_token(&app, "helper@example.com", "/vendor/invite").await,
    ];
    let rows: Vec<(String, String, bool)> =
        sqlx::query_as("select text_body, html_body, sent_at is not null from mail_outbox")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 4, "verify, email change, reset, invitation");
    for (text, html, sent) in rows {
        assert!(sent, "every mail was delivered");
        for token in &tokens {
            assert!(
                !text.contains(token.as_str()) && !html.contains(token.as_str()),
                "{text}"
            );
        }
    }
}
