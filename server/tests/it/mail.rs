//! Mail through a real SMTP server: Debian's aiosmtpd, started by the test, writing a Maildir.

use app::accounts::mail::{self, Mail, Mailer};
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
