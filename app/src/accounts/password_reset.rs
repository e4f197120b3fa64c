//! Forgotten passwords: a single-use link mailed to the account's address (the same answer
//! whether or not there is an account), and the new password it sets, which signs out every
//! session and voids the account's other links.

use super::mail::{self, Mail};
use super::server::{consume_token, issue_token, link};
use super::viewer::Viewer;
use super::{secrets, validate};
use crate::error::AppResult;
use crate::state::AppState;
use uuid::Uuid;

const RESET_MINUTES: i32 = 60;

/// Queues a link to choose a new password for `user` at `email`, in the caller's transaction.
pub(crate) async fn queue_reset(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    user: Uuid,
    email: &str,
) -> AppResult<()> {
    let token = issue_token(tx, user, "reset_password", None, RESET_MINUTES).await?;
    let mail = Mail {
        subject: format!("Reset your password at {}", state.site.name),
        paragraphs: vec![
            format!("Choose a new password with the link below. It works once, for {RESET_MINUTES} minutes."),
            "If you didn't ask for this, ignore this message: your password stays as it is.".into(),
        ],
        action: Some((
            "Choose a new password".into(),
            link(state, "/account/reset", &token),
        )),
    };
    mail::enqueue(tx, email, &mail).await
}

/// Mails a single-use reset link if the address has an account; answers the same either way.
pub async fn forgot_password(state: &AppState, viewer: &Viewer, email: &str) -> AppResult<()> {
    let email = validate::email("email", email)?;
    state.limits.reset(&viewer.client().ip, &email).await?;
    let mut tx = state.pool.begin().await?;
    let user = sqlx::query_scalar!(
        "select id from users where email = $1 and deleted_at is null",
        email as _
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = user {
        queue_reset(&mut tx, state, user, &email).await?;
    }
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Voids the reset and email-change links of `user` not used yet: whoever held the old
/// password may have asked for them.
pub(super) async fn void_account_links(tx: &mut sqlx::PgConnection, user: Uuid) -> AppResult<()> {
    sqlx::query!(
        "update user_tokens set used_at = now()
         where user_id = $1 and purpose in ('reset_password', 'change_email') and used_at is null",
        user
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Sets a new password from a reset link, and signs out every session of the account.
pub async fn reset_password(state: &AppState, token: &str, password: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let (user, _) = consume_token(&mut tx, token, "reset_password").await?;
    let email = sqlx::query_scalar!(r#"select email::text as "email!" from users where id = $1"#, user)
        .fetch_one(&mut *tx)
        .await?;
    secrets::check_strength("password", password, &[&email])?;
    let hash = secrets::hash_password(password.to_string()).await?;
    sqlx::query!(
        "update users set password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) where id = $1",
        user,
        hash
    )
    .execute(&mut *tx)
    .await?;
    void_account_links(&mut tx, user).await?;
    sqlx::query!("delete from user_sessions where user_id = $1", user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
