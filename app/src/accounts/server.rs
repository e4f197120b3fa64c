//! Account operations on the server: registration, email links, login with a second factor,
//! passwords, profile and deletion. Server functions (`api.rs`) and form pages call these.

use super::identity::{self, require_user};
use super::mail::{self, Mail};
use super::model::LoginOutcome;
use super::{secrets, two_factor, validate};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use uuid::Uuid;

const VERIFY_HOURS: i32 = 48;
const RESET_MINUTES: i32 = 60;

fn user_id(id: &str) -> AppResult<Uuid> {
    id.parse().map_err(|_| AppError::Internal)
}

/// Issues a single-use link token for `purpose`, returning the token (only its digest is kept).
async fn issue_token(
    tx: &mut sqlx::PgConnection,
    user: Uuid,
    purpose: &str,
    new_email: Option<&str>,
    minutes: i32,
) -> AppResult<String> {
    let token = secrets::new_token();
    sqlx::query!(
        "insert into user_tokens (token_hash, user_id, purpose, new_email, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5))",
        secrets::digest(&token),
        user,
        purpose,
        new_email,
        minutes
    )
    .execute(tx)
    .await?;
    Ok(token)
}

/// Uses a token: valid, unexpired, unused, for `purpose`. Returns its user and new email.
async fn consume_token(
    tx: &mut sqlx::PgConnection,
    token: &str,
    purpose: &str,
) -> AppResult<(Uuid, Option<String>)> {
    let invalid =
        || AppError::BadRequest("This link is invalid, expired or already used. Ask for a new one.".into());
    if token.is_empty() || token.len() > 100 {
        return Err(invalid());
    }
    let row = sqlx::query!(
        r#"update user_tokens set used_at = now()
           where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
           returning user_id, new_email::text"#,
        secrets::digest(token),
        purpose
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid)?;
    Ok((row.user_id, row.new_email))
}

fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.site.public_url)
}

/// Registers an account and mails a confirmation link. Answers the same whether or not the
/// address already has an account (its owner gets a note instead of a second account).
pub async fn register(state: &AppState, email: &str, password: &str, name: &str) -> AppResult<()> {
    let email = validate::email("email", email)?;
    let name = validate::name("name", name)?;
    secrets::check_strength("password", password, &[&email, &name])?;
    let hash = secrets::hash_password(password.to_string()).await?;
    let mut tx = state.pool.begin().await?;
    let created = sqlx::query_scalar!(
        "insert into users (email, password_hash, name) values ($1, $2, $3)
         on conflict (email) where deleted_at is null do nothing returning id",
        email as _,
        hash,
        name
    )
    .fetch_optional(&mut *tx)
    .await?;
    let site = &state.site.name;
    let mail = match created {
        Some(id) => {
            let token = issue_token(&mut tx, id, "verify_email", None, VERIFY_HOURS * 60).await?;
            Mail {
                subject: format!("Confirm your email for {site}"),
                paragraphs: vec![
                    format!("Welcome to {site}!"),
                    format!("Confirm your email address to finish creating your account. The link works once, for {VERIFY_HOURS} hours."),
                    "If you didn't sign up, ignore this message.".into(),
                ],
                action: Some(("Confirm your email".into(), link(state, "/account/verify", &token))),
            }
        }
        None => Mail {
            subject: format!("Someone tried to sign up with your email at {site}"),
            paragraphs: vec![
                "Someone (perhaps you) tried to create an account with this address, which already has one.".into(),
                "If it was you, sign in instead, or reset your password if you forgot it. Otherwise ignore this message.".into(),
            ],
            action: Some(("Reset your password".into(), format!("{}/account/forgot", state.site.public_url))),
        },
    };
    mail::enqueue(&mut tx, &email, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Confirms an email address from the link in the welcome mail.
pub async fn verify_email(state: &AppState, token: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let (user, _) = consume_token(&mut tx, token, "verify_email").await?;
    sqlx::query!(
        "update users set email_verified_at = coalesce(email_verified_at, now()) where id = $1 and deleted_at is null",
        user
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Step one of login. A wrong email and a wrong password get the same answer, in the same time.
pub async fn login(state: &AppState, email: &str, password: &str, next: &str) -> AppResult<LoginOutcome> {
    let client = identity::client_info();
    let email_key = email.trim().to_lowercase();
    state.limits.login(&client.ip, &email_key)?;
    let wrong = || AppError::invalid("password", "That email and password don't match an account.");
    if email_key.is_empty() || password.is_empty() {
        return Err(AppError::invalid("email", "Enter your email and password."));
    }
    let user = sqlx::query!(
        r#"select id, password_hash, email_verified_at is not null as "verified!",
                  totp_enabled_at is not null as "two_factor!"
           from users where email = $1 and deleted_at is null"#,
        email_key as _
    )
    .fetch_optional(&state.pool)
    .await?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    if !secrets::verify_password(password.to_string(), hash).await {
        return Err(wrong());
    }
    let user = user.ok_or_else(wrong)?;
    if !user.verified {
        resend_verification(state, user.id, &email_key).await?;
        return Err(AppError::invalid(
            "email",
            "Confirm your email address first: we've sent you a new link.",
        ));
    }
    let session = identity::session()?;
    let next = validate::next_path(next);
    if user.two_factor {
        identity::set_pending(&session, user.id, next).await?;
        return Ok(LoginOutcome::NeedsCode);
    }
    identity::sign_in(&state.pool, &session, user.id).await?;
    Ok(LoginOutcome::SignedIn { next })
}

async fn resend_verification(state: &AppState, user: Uuid, email: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let token = issue_token(&mut tx, user, "verify_email", None, VERIFY_HOURS * 60).await?;
    let mail = Mail {
        subject: format!("Confirm your email for {}", state.site.name),
        paragraphs: vec!["Confirm your email address to sign in.".into()],
        action: Some((
            "Confirm your email".into(),
            link(state, "/account/verify", &token),
        )),
    };
    mail::enqueue(&mut tx, email, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Step two: a TOTP code or a recovery code for the login waiting in this session.
pub async fn login_code(state: &AppState, code: &str) -> AppResult<String> {
    let session = identity::session()?;
    let pending = identity::pending(&session).await?.ok_or_else(|| {
        AppError::BadRequest("Your sign-in expired. Enter your email and password again.".into())
    })?;
    state
        .limits
        .login(&identity::client_info().ip, &pending.user_id.to_string())?;
    if !check_second_factor(state, pending.user_id, code).await? {
        return Err(AppError::invalid(
            "code",
            "That code isn't valid. Try the newest code from your app, or a recovery code.",
        ));
    }
    identity::sign_in(&state.pool, &session, pending.user_id).await?;
    Ok(pending.next)
}

/// A current TOTP code (never the same time step twice) or an unused recovery code.
pub(super) async fn check_second_factor(state: &AppState, user: Uuid, code: &str) -> AppResult<bool> {
    let code = code.trim();
    if code.is_empty() || code.len() > 40 {
        return Ok(false);
    }
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        "select totp_secret, totp_last_step from users where id = $1 and totp_enabled_at is not null for update",
        user
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(false) };
    let Some(secret) = row.totp_secret else {
        return Ok(false);
    };
    if let Some(step) = two_factor::verify(&secret, code, row.totp_last_step)? {
        sqlx::query!("update users set totp_last_step = $2 where id = $1", user, step)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(true);
    }
    let used = sqlx::query!(
        "update recovery_codes set used_at = now() where user_id = $1 and code_hash = $2 and used_at is null",
        user,
        secrets::recovery_digest(code)
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(used == 1)
}

pub async fn logout(state: &AppState) -> AppResult<()> {
    identity::sign_out(&state.pool, &identity::session()?).await
}

/// Mails a single-use reset link if the address has an account; answers the same either way.
pub async fn forgot_password(state: &AppState, email: &str) -> AppResult<()> {
    let email = validate::email("email", email)?;
    state.limits.reset(&identity::client_info().ip, &email)?;
    let mut tx = state.pool.begin().await?;
    let user = sqlx::query_scalar!(
        "select id from users where email = $1 and deleted_at is null",
        email as _
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = user {
        let token = issue_token(&mut tx, user, "reset_password", None, RESET_MINUTES).await?;
        let mail = Mail {
            subject: format!("Reset your password at {}", state.site.name),
            paragraphs: vec![
                format!(
                    "Choose a new password with the link below. It works once, for {RESET_MINUTES} minutes."
                ),
                "If you didn't ask for this, ignore this message: your password stays as it is.".into(),
            ],
            action: Some((
                "Choose a new password".into(),
                link(state, "/account/reset", &token),
            )),
        };
        mail::enqueue(&mut tx, &email, &mail).await?;
    }
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
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
    sqlx::query!(
        "update user_tokens set used_at = now() where user_id = $1 and purpose = 'reset_password' and used_at is null",
        user
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from user_sessions where user_id = $1", user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the signed-in user's current password (for changes that need it).
async fn confirm_password(state: &AppState, user: Uuid, password: &str, field: &str) -> AppResult<()> {
    let hash = sqlx::query_scalar!("select password_hash from users where id = $1", user)
        .fetch_one(&state.pool)
        .await?;
    if !secrets::verify_password(password.to_string(), hash).await {
        return Err(AppError::invalid(field, "That isn't your current password."));
    }
    Ok(())
}

pub async fn change_password(state: &AppState, current: &str, new: &str) -> AppResult<()> {
    let me = require_user()?;
    let id = user_id(&me.id)?;
    state.limits.login(&identity::client_info().ip, &me.id)?;
    confirm_password(state, id, current, "current_password").await?;
    secrets::check_strength("new_password", new, &[&me.email, &me.name])?;
    let hash = secrets::hash_password(new.to_string()).await?;
    let session_id: Uuid = me.session_id.parse().map_err(|_| AppError::Internal)?;
    let mut tx = state.pool.begin().await?;
    sqlx::query!("update users set password_hash = $2 where id = $1", id, hash)
        .execute(&mut *tx)
        .await?;
    // Everyone else who knew the old password is signed out.
    sqlx::query!(
        "delete from user_sessions where user_id = $1 and id <> $2",
        id,
        session_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    identity::cycle(&identity::session()?).await
}

pub async fn update_profile(state: &AppState, name: &str) -> AppResult<()> {
    let me = require_user()?;
    let name = validate::name("name", name)?;
    sqlx::query!("update users set name = $2 where id = $1", user_id(&me.id)?, name)
        .execute(&state.pool)
        .await?;
    Ok(())
}

/// Mails a confirmation link to the new address; the change happens when it is clicked.
pub async fn change_email(state: &AppState, new_email: &str, password: &str) -> AppResult<()> {
    let me = require_user()?;
    let id = user_id(&me.id)?;
    let new_email = validate::email("new_email", new_email)?;
    if new_email == me.email {
        return Err(AppError::invalid(
            "new_email",
            "That is already your email address.",
        ));
    }
    state.limits.login(&identity::client_info().ip, &me.id)?;
    confirm_password(state, id, password, "email_password").await?;
    let mut tx = state.pool.begin().await?;
    let token = issue_token(&mut tx, id, "change_email", Some(&new_email), VERIFY_HOURS * 60).await?;
    let mail = Mail {
        subject: format!("Confirm your new email for {}", state.site.name),
        paragraphs: vec![format!(
            "Confirm that {new_email} is your new email address at {}. Until you do, your account keeps {}.",
            state.site.name, me.email
        )],
        action: Some((
            "Confirm the new address".into(),
            link(state, "/account/email", &token),
        )),
    };
    mail::enqueue(&mut tx, &new_email, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Applies an email change from the link mailed to the new address; tells the old one.
pub async fn confirm_email_change(state: &AppState, token: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let (user, new_email) = consume_token(&mut tx, token, "change_email").await?;
    let new_email = new_email.ok_or(AppError::Internal)?;
    let old = sqlx::query_scalar!(
        r#"select email::text as "email!" from users where id = $1 and deleted_at is null for update"#,
        user
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "update users set email = $2, email_verified_at = now() where id = $1",
        user,
        new_email as _
    )
    .execute(&mut *tx)
    .await?;
    let notice = Mail {
        subject: format!("Your email at {} was changed", state.site.name),
        paragraphs: vec![format!(
            "The email address of your account is now {new_email}. If you didn't do this, reset your password and contact us."
        )],
        action: None,
    };
    mail::enqueue(&mut tx, &old, &notice).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Deletes the account: personal data removed, the row kept anonymised for order records.
/// A shop's only owner must hand the shop over first.
pub async fn delete_account(state: &AppState, password: &str) -> AppResult<()> {
    let me = require_user()?;
    let id = user_id(&me.id)?;
    confirm_password(state, id, password, "delete_password").await?;
    let mut tx = state.pool.begin().await?;
    let sole_owner = sqlx::query_scalar!(
        r#"select exists(
               select 1 from vendor_members m where m.user_id = $1 and m.role = 'owner'
               and not exists (select 1 from vendor_members o where o.vendor_id = m.vendor_id
                               and o.role = 'owner' and o.user_id <> $1)) as "exists!""#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if sole_owner {
        return Err(AppError::Conflict(
            "You are the only owner of a shop. Add another owner or close the shop first.".into(),
        ));
    }
    for statement in [
        "delete from addresses where user_id = $1",
        "delete from user_tokens where user_id = $1",
        "delete from recovery_codes where user_id = $1",
        "delete from user_sessions where user_id = $1",
        "delete from vendor_members where user_id = $1",
    ] {
        sqlx::query(statement).bind(id).execute(&mut *tx).await?;
    }
    sqlx::query!(
        "update users set email = null, password_hash = null, name = '', totp_secret = null,
                totp_enabled_at = null, totp_last_step = null, is_admin = false, deleted_at = now()
         where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    identity::session()?
        .flush()
        .await
        .map_err(identity::session_error)
}
