//! The mail the test app delivered: `.eml` files in its data directory (no SMTP server is
//! configured), read the way a person reads their inbox.

use super::support::TestApp;

/// The token of the newest link to `path` mailed to `recipient`, read from the delivered
/// message (the outbox keeps no link once its mail is sent).
pub async fn mailed_token(app: &TestApp, recipient: &str, path: &str) -> String {
    let state = &app.state.app;
    for _ in 0..250 {
        app::accounts::mail::deliver_pending(&state.pool, &state.mailer, 50)
            .await
            .unwrap();
        let waiting: i64 =
            sqlx::query_scalar("select count(*) from mail_outbox where recipient = $1 and sent_at is null")
                .bind(recipient)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let dir = state
        .mailer
        .outbox_dir
        .as_ref()
        .expect("the test app mails to files");
    let mut found: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(dir.as_path())
        .unwrap()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let raw = std::fs::read_to_string(entry.path()).ok()?;
            let mail = decode_quoted_printable(&raw);
            mail.lines()
                .any(|l| l.trim() == format!("To: {recipient}"))
                .then_some(())?;
            let start = mail.find(&format!("{path}?token="))? + path.len() + 7;
            let token: String = mail[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            Some((entry.metadata().ok()?.modified().ok()?, token))
        })
        .collect();
    found.sort();
    found.pop().expect("a mail with the link was delivered").1
}

/// The text of a message whose parts may be quoted-printable (soft breaks and `=XX`).
pub fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
