//! Account operations on the server: registration, email links, login with a second factor,
//! passwords, profile and deletion. Server functions (`api.rs`) and form pages call these.

use super::identity;
use super::mail::{self, Mail};
use super::viewer::Viewer;
use super::{secrets, two_factor, validate};
use crate::error::{AppError, AppResult, Problems};
use crate::state::AppState;
use uuid::Uuid;

pub(super) const VERIFY_HOURS: i32 = 48;
/// What someone whose account an operator disabled is told when signing in.
const DISABLED: &str =
    "This account is disabled: it can't sign in. Write to the marketplace if you think this is a mistake.";

/// Issues a single-use link token for `purpose`, returning the token (only its digest is kept).
pub(super) async fn issue_token(
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
pub(super) async fn consume_token(
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

pub(super) fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.site.public_url)
}

/// Registers an account and mails a confirmation link. Answers the same whether or not the
/// address already has an account (its owner gets a note instead of a second account).
pub async fn register(
    state: &AppState,
    viewer: &Viewer,
    email: &str,
    password: &str,
    name: &str,
) -> AppResult<()> {
    state.limits.signup(&viewer.client().ip).await?;
    let mut problems = Problems::default();
    let email = problems.take(validate::email("email", email));
    let name = problems.take(validate::name("name", name));
    problems.keep(secrets::check_strength("password", password, &[&email, &name]));
    problems.finish()?;
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
    let tell_owner = match created {
        Some(_) => false,
        None => note_due(&mut tx, &email).await?,
    };
    let mail = match created {
        None if !tell_owner => None,
        Some(id) => {
            let token = issue_token(&mut tx, id, "verify_email", None, VERIFY_HOURS * 60).await?;
            Some(Mail {
                subject: format!("Confirm your email for {site}"),
                paragraphs: vec![
                    format!("Welcome to {site}!"),
                    format!("Confirm your email address to finish creating your account. The link works once, for {VERIFY_HOURS} hours."),
                    "If you didn't sign up, ignore this message.".into(),
                ],
                action: Some(("Confirm your email".into(), link(state, "/account/verify", &token))),
            })
        }
        None => Some(Mail {
            subject: format!("Someone tried to sign up with your email at {site}"),
            paragraphs: vec![
                "Someone (perhaps you) tried to create an account with this address, which already has one.".into(),
                "If it was you, sign in instead, or reset your password if you forgot it. Otherwise ignore this message.".into(),
            ],
            action: Some(("Reset your password".into(), format!("{}/account/forgot", state.site.public_url))),
        }),
    };
    if let Some(mail) = mail {
        mail::enqueue(&mut tx, &email, &mail).await?;
    }
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Whether the owner of `email` (which has an account) may be told now that someone tried to
/// sign up with it: at most once a day, so sign-up attempts can't flood their inbox.
async fn note_due(tx: &mut sqlx::PgConnection, email: &str) -> AppResult<bool> {
    let noted = sqlx::query_scalar!(
        "update users set signup_notice_at = now()
         where email = $1 and deleted_at is null
           and (signup_notice_at is null or signup_notice_at < now() - interval '1 day')
         returning id",
        email as _
    )
    .fetch_optional(tx)
    .await?;
    Ok(noted.is_some())
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

/// A browser just signed in: who, and where it goes next. The caller moves the guest cart
/// over (`cart::owner::merge_guest_cart`).
pub struct SignedIn {
    pub user: Uuid,
    pub next: String,
}

/// What a password login led to.
pub enum Login {
    SignedIn(SignedIn),
    /// The password was right; the second factor comes next (`login_code`).
    NeedsCode,
}

/// Step one of login. A wrong email and a wrong password get the same answer, in the same time.
pub async fn login(
    state: &AppState,
    viewer: &Viewer,
    email: &str,
    password: &str,
    next: &str,
) -> AppResult<Login> {
    let client = viewer.client();
    let email_key = email.trim().to_lowercase();
    state.limits.login_from(&client.ip).await?;
    let wrong = || AppError::invalid("password", "That email and password don't match an account.");
    if email_key.is_empty() || password.is_empty() {
        state.limits.login_to(&email_key).await?;
        return Err(AppError::invalid("email", "Enter your email and password."));
    }
    let user = sqlx::query!(
        r#"select id, password_hash, email_verified_at is not null as "verified!",
                  totp_enabled_at is not null as "two_factor!", disabled_at is not null as "disabled!", demo
           from users where email = $1 and deleted_at is null"#,
        email_key as _
    )
    .fetch_optional(&state.pool)
    .await?;
    // The demo's accounts are shared by every visitor (their password is on the banner):
    // counting their sign-ins per account would lock every visitor out of the demo. The
    // per-address limit above still holds. Every other account, and unknown ones, count.
    if !user.as_ref().is_some_and(|u| u.demo) {
        state.limits.login_to(&email_key).await?;
    }
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    if !secrets::verify_password(password.to_string(), hash).await {
        return Err(wrong());
    }
    let user = user.ok_or_else(wrong)?;
    // Said only to whoever knows the password.
    if user.disabled {
        return Err(AppError::invalid("email", DISABLED));
    }
    if !user.verified {
        resend_verification(state, user.id, &email_key).await?;
        return Err(AppError::invalid(
            "email",
            "Confirm your email address first: we've sent you a new link.",
        ));
    }
    let next = if next.trim().is_empty() {
        landing(state, user.id).await?
    } else {
        validate::next_path(next)
    };
    if user.two_factor {
        identity::set_pending(viewer.session()?, user.id, next).await?;
        return Ok(Login::NeedsCode);
    }
    identity::sign_in(&state.pool, viewer, user.id, false).await?;
    Ok(Login::SignedIn(SignedIn { user: user.id, next }))
}

/// Where a sign-in without a destination lands: a shop's dashboard for someone who works in
/// one shop, the list of their shops for someone in several, else their account.
async fn landing(state: &AppState, user: Uuid) -> AppResult<String> {
    let shops = sqlx::query_scalar!(
        "select v.slug from vendor_members m join vendors v on v.id = m.vendor_id
         where m.user_id = $1 order by v.slug limit 2",
        user
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(match shops.as_slice() {
        [only] => format!("/vendor/{only}"),
        [] => "/account".into(),
        _ => "/vendor".into(),
    })
}

async fn resend_verification(state: &AppState, user: Uuid, email: &str) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    queue_verification(&mut tx, state, user, email).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Queues a new link confirming the address `email` of `user`, in the caller's transaction
/// (the caller sends the mail after committing).
pub(crate) async fn queue_verification(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    user: Uuid,
    email: &str,
) -> AppResult<()> {
    let token = issue_token(tx, user, "verify_email", None, VERIFY_HOURS * 60).await?;
    let mail = Mail {
        subject: format!("Confirm your email for {}", state.site.name),
        paragraphs: vec!["Confirm your email address to sign in.".into()],
        action: Some((
            "Confirm your email".into(),
            link(state, "/account/verify", &token),
        )),
    };
    mail::enqueue(tx, email, &mail).await
}

/// Step two: a TOTP code or a recovery code for the login waiting in this session. Returns
/// where to go next and who signed in; the caller moves the guest cart over.
pub async fn login_code(state: &AppState, viewer: &Viewer, code: &str) -> AppResult<SignedIn> {
    let pending = identity::pending(viewer.session()?).await?.ok_or_else(|| {
        AppError::BadRequest("Your sign-in expired. Enter your email and password again.".into())
    })?;
    state
        .limits
        .login(&viewer.client().ip, &pending.user_id.to_string())
        .await?;
    let disabled = sqlx::query_scalar!(
        r#"select disabled_at is not null as "disabled!" from users where id = $1"#,
        pending.user_id
    )
    .fetch_one(&state.pool)
    .await?;
    if disabled {
        return Err(AppError::invalid("code", DISABLED));
    }
    if !check_second_factor(state, pending.user_id, code).await? {
        return Err(AppError::invalid(
            "code",
            "That code isn't valid. Try the newest code from your app, or a recovery code.",
        ));
    }
    identity::sign_in(&state.pool, viewer, pending.user_id, true).await?;
    Ok(SignedIn {
        user: pending.user_id,
        next: pending.next,
    })
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
    let Some(sealed) = row.totp_secret else {
        return Ok(false);
    };
    let secret = state.secret_key.open_for_request(user, &sealed)?;
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

pub async fn logout(state: &AppState, viewer: &Viewer) -> AppResult<()> {
    identity::sign_out(&state.pool, viewer.session()?).await
}
