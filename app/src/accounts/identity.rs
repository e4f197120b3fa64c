//! Sessions and sign-in: the signed-in user loaded once per request from the session (by the
//! server's identity layer, into the request's `viewer::Viewer`), signing in and out, proofs
//! of who is using a browser, and ids a session remembers.

use super::model::{CurrentUser, Membership};
use super::viewer::Viewer;
use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

/// Session key of the signed-in user.
const AUTH_KEY: &str = "auth";
/// Session key of a login waiting for its second factor.
const PENDING_KEY: &str = "pending_login";
/// How long a password-verified login waits for its code.
const PENDING_SECONDS: i64 = 300;

/// What the session record holds for a signed-in user.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: Uuid,
    pub session_id: Uuid,
}

/// A login whose password was right, waiting for the TOTP or recovery code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    pub user_id: Uuid,
    pub next: String,
    pub started_at: i64,
}

/// How long confirming who you are counts for money moving out.
pub const CONFIRMED_MINUTES: i32 = 15;

/// Loads the signed-in user of `session`, if the session names one that still exists. A
/// session whose row was revoked ("sign out other sessions") is cleared.
pub async fn load(pool: &PgPool, session: &Session) -> AppResult<Option<CurrentUser>> {
    let Some(auth) = session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let row = sqlx::query!(
        r#"with touched as (
               update user_sessions set last_seen_at = now()
               where id = $1 and user_id = $2 and last_seen_at < now() - interval '5 minutes'
           )
           select u.id, u.email::text as "email!", u.name, u.email_verified_at is not null as "verified!",
                  u.is_admin, u.totp_enabled_at is not null as "two_factor!",
                  s.second_factor_at is not null as "session_two_factor!",
                  coalesce(s.confirmed_at > now() - make_interval(mins => $3), false) as "recently_confirmed!",
                  coalesce((select json_agg(json_build_object('vendor_id', v.id, 'vendor_slug', v.slug,
                                 'vendor_name', v.name, 'role', m.role, 'vendor_status', v.status) order by v.name)
                            from vendor_members m join vendors v on v.id = m.vendor_id
                            where m.user_id = u.id), '[]') as "memberships!: sqlx::types::Json<Vec<Membership>>"
           from user_sessions s join users u on u.id = s.user_id
           where s.id = $1 and s.user_id = $2 and u.deleted_at is null and u.disabled_at is null"#,
        auth.session_id,
        auth.user_id,
        CONFIRMED_MINUTES
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        session
            .remove::<SessionAuth>(AUTH_KEY)
            .await
            .map_err(session_error)?;
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        id: row.id.into(),
        session_id: auth.session_id.into(),
        email: row.email,
        name: row.name,
        email_verified: row.verified,
        is_admin: row.is_admin,
        two_factor: row.two_factor,
        session_two_factor: row.session_two_factor,
        recently_confirmed: row.recently_confirmed,
        memberships: row.memberships.0,
    }))
}

pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    use tower_sessions::session::Error;
    use tower_sessions::session_store::Error as Store;
    match error {
        // The store is the database: it did not answer.
        Error::Store(Store::Backend(error)) => {
            tracing::warn!(%error, "the session store does not answer");
            AppError::Unavailable
        }
        error => {
            tracing::error!(%error, "session store error");
            AppError::Internal
        }
    }
}

/// The ids kept under `key` in `session` by `keep_id`, most recent first.
pub async fn kept_ids(session: &Session, key: &str) -> AppResult<Vec<Uuid>> {
    Ok(session.get(key).await.map_err(session_error)?.unwrap_or_default())
}

/// Keeps `id` first among the ids under `key` in `session`, at most `limit` of them (the
/// oldest fall off). Writes the session only when `id` was not there yet.
pub async fn keep_id(session: &Session, key: &str, id: Uuid, limit: usize) -> AppResult<()> {
    let mut kept = kept_ids(session, key).await?;
    if !kept.contains(&id) {
        kept.insert(0, id);
        kept.truncate(limit);
        session.insert(key, kept).await.map_err(session_error)?;
    }
    Ok(())
}

/// Signs `user_id` in on the viewer's browser: a new session id (no fixation), a
/// `user_sessions` row that knows whether the login passed a `second_factor`. The caller
/// moves the guest's cart over (`cart::owner::merge_guest_cart`).
pub async fn sign_in(pool: &PgPool, viewer: &Viewer, user_id: Uuid, second_factor: bool) -> AppResult<()> {
    let (session, client) = (viewer.session()?, viewer.client());
    session.cycle_id().await.map_err(session_error)?;
    let session_id = sqlx::query_scalar!(
        "insert into user_sessions (user_id, user_agent, ip, second_factor_at)
         values ($1, left($2, 300), $3, case when $4 then now() end) returning id",
        user_id,
        client.user_agent,
        client.ip,
        second_factor
    )
    .fetch_one(pool)
    .await?;
    session
        .remove::<PendingLogin>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    session
        .insert(AUTH_KEY, SessionAuth { user_id, session_id })
        .await
        .map_err(session_error)
}

/// Records on this browser's session row that its user just proved who they are: with the
/// password (`confirmed`) and/or a second factor. The session id is cycled (more privilege).
pub async fn record_proof(
    pool: &PgPool,
    session: &Session,
    user: &CurrentUser,
    confirmed: bool,
    second_factor: bool,
) -> AppResult<()> {
    let session_id = user.session_id.uuid();
    sqlx::query!(
        "update user_sessions set confirmed_at = case when $2 then now() else confirmed_at end,
                second_factor_at = case when $3 then now() else second_factor_at end
         where id = $1",
        session_id,
        confirmed,
        second_factor
    )
    .execute(pool)
    .await?;
    cycle(session).await
}

/// Signs out every other browser of `user`; returns how many.
pub async fn sign_out_others(executor: impl sqlx::PgExecutor<'_>, user: &CurrentUser) -> AppResult<u64> {
    let (user_id, current) = (user.id.uuid(), user.session_id.uuid());
    Ok(sqlx::query!(
        "delete from user_sessions where user_id = $1 and id <> $2",
        user_id,
        current
    )
    .execute(executor)
    .await?
    .rows_affected())
}

/// Cycles the session id after a change of privilege (2FA on, password changed).
pub async fn cycle(session: &Session) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)
}

/// Signs this browser out: its row and its session record are deleted.
pub async fn sign_out(pool: &PgPool, session: &Session) -> AppResult<()> {
    if let Some(auth) = session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .map_err(session_error)?
    {
        sqlx::query!("delete from user_sessions where id = $1", auth.session_id)
            .execute(pool)
            .await?;
    }
    session.flush().await.map_err(session_error)
}

pub async fn set_pending(session: &Session, user_id: Uuid, next: String) -> AppResult<()> {
    let pending = PendingLogin {
        user_id,
        next,
        started_at: chrono::Utc::now().timestamp(),
    };
    session.insert(PENDING_KEY, pending).await.map_err(session_error)
}

/// The login waiting for a code, if it has not expired.
pub async fn pending(session: &Session) -> AppResult<Option<PendingLogin>> {
    let pending = session
        .get::<PendingLogin>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    Ok(pending.filter(|p| chrono::Utc::now().timestamp() - p.started_at <= PENDING_SECONDS))
}
