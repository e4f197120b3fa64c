//! Mail with lettre: SMTP when `SMTP_URL` is set, otherwise `.eml` files in the data directory
//! (`DATA_DIR/mail`) that a developer can open. Messages go through `mail_outbox`, written in
//! the transaction that causes them and delivered by the job queue (and right after commit).
//! A message's link (often a single-use token) is removed from the outbox once it is sent.

use crate::error::AppResult;
use crate::text::escape_html;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Sends the outbox. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Where files go when there is no SMTP server (for the README and the banner).
    pub outbox_dir: Option<Arc<PathBuf>>,
}

impl Mailer {
    /// SMTP (`smtp://`, `smtps://` or `smtp://…?tls=required`, see lettre's `from_url`).
    pub fn smtp(url: &str, from: &str) -> anyhow::Result<Self> {
        use anyhow::Context;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SMTP_URL is not a valid SMTP URL (smtp://user:password@host:port)")?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        Ok(Self {
            transport: Transport::Smtp(transport),
            from: from.parse().context("MAIL_FROM is not a valid address")?,
            outbox_dir: None,
        })
    }

    /// `.eml` files in `dir`.
    pub fn files(dir: PathBuf, from: &str) -> anyhow::Result<Self> {
        use anyhow::Context;
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("could not create the mail directory {}", dir.display()))?;
        Ok(Self {
            transport: Transport::Files(AsyncFileTransport::new(&dir)),
            from: from.parse().context("MAIL_FROM is not a valid address")?,
            outbox_dir: Some(Arc::new(dir)),
        })
    }

    async fn send(&self, recipient: &str, subject: &str, text: String, html: String) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(recipient.parse()?)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(text, html))?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::Files(files) => {
                files.send(message).await?;
            }
        }
        Ok(())
    }
}

/// A message to send, in both plain text and HTML.
pub struct Mail {
    pub subject: String,
    /// Paragraphs of plain text.
    pub paragraphs: Vec<String>,
    /// The one thing to click, if any: (label, absolute URL).
    pub action: Option<(String, String)>,
}

impl Mail {
    fn text(&self) -> String {
        let mut out = self.paragraphs.join("\n\n");
        if let Some((label, url)) = &self.action {
            out.push_str(&format!("\n\n{label}:\n{url}\n"));
        }
        out
    }

    fn html(&self) -> String {
        let mut out =
            String::from("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
        for paragraph in &self.paragraphs {
            out.push_str(&format!("<p>{}</p>", escape_html(paragraph)));
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!(
                "<p><a href=\"{url}\" style=\"background:#14532d;color:#fff;padding:.6em 1em;border-radius:6px;text-decoration:none\">{}</a></p>\
                 <p style=\"font-size:.9em;color:#555\">Or copy this link: {url}</p>",
                escape_html(label),
                url = escape_html(url),
            ));
        }
        out.push_str("</body></html>");
        out
    }
}

/// What a sent message's action link is replaced with in the outbox.
const LINK_REMOVED: &str = "[link removed after sending]";

/// Attempts after which a message is given up on.
const MAX_ATTEMPTS: i32 = 10;

/// Puts a message in the outbox, in the caller's transaction. A message to nobody (an order
/// whose account was deleted) is dropped.
pub async fn enqueue(tx: &mut sqlx::PgConnection, recipient: &str, mail: &Mail) -> AppResult<()> {
    if recipient.trim().is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "insert into mail_outbox (recipient, subject, text_body, html_body, link) values ($1, $2, $3, $4, $5)",
        recipient,
        mail.subject,
        mail.text(),
        mail.html(),
        mail.action.as_ref().map(|(_, url)| url.as_str()),
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The bodies without `link`: once a message is sent its link (often a single-use token) is
/// not kept readable in the database.
fn without_link(text: &str, html: &str, link: Option<&str>) -> (String, String) {
    match link.filter(|l| !l.is_empty()) {
        Some(link) => (
            text.replace(link, LINK_REMOVED),
            html.replace(&escape_html(link), LINK_REMOVED),
        ),
        None => (text.to_string(), html.to_string()),
    }
}

/// Sends up to `limit` waiting messages; safe with several instances (`SKIP LOCKED`). A failed
/// message is retried later, up to 10 attempts. Returns how many were sent.
#[tracing::instrument(skip_all)]
pub async fn deliver_pending(pool: &PgPool, mailer: &Mailer, limit: i64) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let mut tx = pool.begin().await?;
        let next = sqlx::query!(
            "select id, recipient, subject, text_body, html_body, link, attempts from mail_outbox
             where sent_at is null and attempts < $1
             order by created_at limit 1 for update skip locked",
            MAX_ATTEMPTS
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(message) = next else { break };
        let (text, html) = without_link(&message.text_body, &message.html_body, message.link.as_deref());
        match mailer
            .send(
                &message.recipient,
                &message.subject,
                message.text_body,
                message.html_body,
            )
            .await
        {
            Ok(()) => {
                sqlx::query!(
                    "update mail_outbox set sent_at = now(), attempts = attempts + 1, last_error = null,
                            text_body = $2, html_body = $3, link = null
                     where id = $1",
                    message.id,
                    text,
                    html
                )
                .execute(&mut *tx)
                .await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(%error, "sending mail failed; it will be retried");
                // A message given up on keeps no working link either.
                let last = message.attempts + 1 >= MAX_ATTEMPTS;
                sqlx::query!(
                    "update mail_outbox set attempts = attempts + 1, last_error = $2,
                            text_body = case when $3 then $4 else text_body end,
                            html_body = case when $3 then $5 else html_body end,
                            link = case when $3 then null else link end
                     where id = $1",
                    message.id,
                    error.to_string(),
                    last,
                    text,
                    html
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                break;
            }
        }
        tx.commit().await?;
        if sent as i64 >= limit {
            break;
        }
    }
    Ok(sent)
}

/// Delivers the outbox now, in the background, after a request committed mail.
pub fn deliver_soon(pool: &PgPool, mailer: &Mailer) {
    let (pool, mailer) = (pool.clone(), mailer.clone());
    tokio::spawn(async move {
        if let Err(error) = deliver_pending(&pool, &mailer, 50).await {
            tracing::warn!(%error, "mail delivery failed; the job queue will retry");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_bodies_carry_the_link_and_html_is_escaped() {
        let mail = Mail {
            subject: "Confirm".into(),
            paragraphs: vec!["Hello <b>you</b> & welcome".into()],
            action: Some((
                "Confirm your email".into(),
                "https://shop.example/account/verify?token=a&b".into(),
            )),
        };
        assert!(
            mail.text()
                .contains("https://shop.example/account/verify?token=a&b")
        );
        let html = mail.html();
        assert!(html.contains("Hello &lt;b&gt;you&lt;/b&gt; &amp; welcome"));
        assert!(html.contains("href=\"https://shop.example/account/verify?token=a&amp;b\""));
        let url = mail.action.as_ref().map(|(_, url)| url.as_str());
        let (text, html) = without_link(&mail.text(), &html, url);
        assert!(
            !text.contains("token=a") && !html.contains("token=a"),
            "{text}\n{html}"
        );
        assert!(text.contains(LINK_REMOVED) && html.contains("Hello &lt;b&gt;"));
    }
}
