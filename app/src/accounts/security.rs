//! The security page's operations: TOTP enrolment with recovery codes, turning it off (both
//! with the current password, signing out every other browser), and the list of signed-in
//! browsers.

use super::identity;
use super::model::{CurrentUser, SecurityOverview, SessionInfo, TotpEnrolment};
use super::profile::confirm_password;
use super::server::check_second_factor;
use super::viewer::Viewer;
use super::{secrets, two_factor};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::sync::Arc;
use uuid::Uuid;

fn me_id(viewer: &Viewer) -> AppResult<(&Arc<CurrentUser>, Uuid)> {
    Ok((viewer.signed_in()?, viewer.signed_in_id()?))
}

pub async fn overview(state: &AppState, viewer: &Viewer) -> AppResult<SecurityOverview> {
    let (me, id) = me_id(viewer)?;
    let row = sqlx::query!(
        r#"select totp_secret, totp_enabled_at is not null as "enabled!",
                  (select count(*) from recovery_codes where user_id = $1 and used_at is null) as "codes_left!"
           from users where id = $1"#,
        id
    )
    .fetch_one(&state.pool)
    .await?;
    let enrolment = match (&row.totp_secret, row.enabled) {
        (Some(sealed), false) => {
            let secret = state.secret_key.open_for_request(id, sealed)?;
            Some(TotpEnrolment {
                qr_svg: two_factor::qr_svg(&secret, &me.email, &state.site.name)?,
                secret,
            })
        }
        _ => None,
    };
    let zone = super::time_zone::of(&state.pool, viewer).await;
    let sessions = sqlx::query!(
        r#"select id, user_agent, ip, created_at as "created_at: chrono::DateTime<chrono::Utc>",
                last_seen_at as "last_seen_at: chrono::DateTime<chrono::Utc>",
                to_char(last_seen_at at time zone $2, 'FMDD FMMonth YYYY "at" HH24:MI') || ' (' || $2 || ')' as "last_seen!"
         from user_sessions
         where user_id = $1 order by last_seen_at desc limit 50"#,
        id,
        zone
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|s| SessionInfo {
        current: me.session_id == s.id,
        id: s.id.to_string(),
        device: super::devices::name(&s.user_agent),
        last_seen: s.last_seen,
        user_agent: s.user_agent,
        ip: s.ip,
        created_at: s.created_at.to_rfc3339(),
        last_seen_at: s.last_seen_at.to_rfc3339(),
    })
    .collect();
    Ok(SecurityOverview {
        two_factor: row.enabled,
        enrolment,
        recovery_codes_left: row.codes_left,
        sessions,
    })
}

/// Starts enrolment, with the current password: a new secret, shown as a QR code until
/// confirmed with a code.
pub async fn start_totp(state: &AppState, viewer: &Viewer, password: &str) -> AppResult<()> {
    let (_, id) = me_id(viewer)?;
    state.limits.login(&viewer.client().ip, &id.to_string()).await?;
    confirm_password(state, id, password, "start_password").await?;
    let updated = sqlx::query!(
        "update users set totp_secret = $2 where id = $1 and totp_enabled_at is null",
        id,
        state.secret_key.seal(id, &two_factor::new_secret())?
    )
    .execute(&state.pool)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::Conflict(
            "Two-factor authentication is already on.".into(),
        ));
    }
    Ok(())
}

/// Confirms enrolment with the current password and a code from the app; returns the recovery
/// codes, shown once. This browser counts as having passed the second factor; every other
/// browser of the account is signed out.
pub async fn confirm_totp(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    password: &str,
) -> AppResult<Vec<String>> {
    let (me, id) = me_id(viewer)?;
    state.limits.login(&viewer.client().ip, &id.to_string()).await?;
    confirm_password(state, id, password, "confirm_password").await?;
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        "select totp_secret, totp_enabled_at is not null as enabled from users where id = $1 for update",
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    let Some(sealed) = row.totp_secret.filter(|_| row.enabled != Some(true)) else {
        return Err(AppError::Conflict("Start again: scan a new code first.".into()));
    };
    let secret = state.secret_key.open_for_request(id, &sealed)?;
    let Some(step) = two_factor::verify(&secret, code, None)? else {
        return Err(AppError::invalid(
            "code",
            "That code isn't valid. Enter the 6 digits your app shows now.",
        ));
    };
    sqlx::query!(
        "update users set totp_enabled_at = now(), totp_last_step = $2 where id = $1",
        id,
        step
    )
    .execute(&mut *tx)
    .await?;
    let codes = replace_recovery_codes(&mut tx, id).await?;
    identity::sign_out_others(&mut *tx, me).await?;
    tx.commit().await?;
    identity::record_proof(&state.pool, viewer.session()?, me, true, true).await?;
    Ok(codes)
}

async fn replace_recovery_codes(tx: &mut sqlx::PgConnection, user: Uuid) -> AppResult<Vec<String>> {
    sqlx::query!("delete from recovery_codes where user_id = $1", user)
        .execute(&mut *tx)
        .await?;
    let codes = secrets::new_recovery_codes();
    let digests: Vec<Vec<u8>> = codes.iter().map(|c| secrets::recovery_digest(c)).collect();
    sqlx::query!(
        "insert into recovery_codes (user_id, code_hash) select $1, unnest($2::bytea[])",
        user,
        &digests
    )
    .execute(&mut *tx)
    .await?;
    Ok(codes)
}

/// New recovery codes (the old ones stop working), after a valid code.
pub async fn new_recovery_codes(state: &AppState, viewer: &Viewer, code: &str) -> AppResult<Vec<String>> {
    let (_, id) = me_id(viewer)?;
    state.limits.login(&viewer.client().ip, &id.to_string()).await?;
    if !check_second_factor(state, id, code).await? {
        return Err(AppError::invalid("code", "That code isn't valid."));
    }
    let mut tx = state.pool.begin().await?;
    let codes = replace_recovery_codes(&mut tx, id).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns two-factor authentication off, with the current password and a valid code; every
/// other browser of the account is signed out.
pub async fn disable_totp(state: &AppState, viewer: &Viewer, code: &str, password: &str) -> AppResult<()> {
    let (me, id) = me_id(viewer)?;
    if !me.two_factor {
        return Err(AppError::Conflict(
            "Two-factor authentication is already off.".into(),
        ));
    }
    state.limits.login(&viewer.client().ip, &id.to_string()).await?;
    confirm_password(state, id, password, "disable_password").await?;
    if !check_second_factor(state, id, code).await? {
        return Err(AppError::invalid("disable_code", "That code isn't valid."));
    }
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "update users set totp_secret = null, totp_enabled_at = null, totp_last_step = null where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from recovery_codes where user_id = $1", id)
        .execute(&mut *tx)
        .await?;
    identity::sign_out_others(&mut *tx, me).await?;
    tx.commit().await?;
    identity::cycle(viewer.session()?).await
}

/// Signs out every other browser of the account.
pub async fn sign_out_others(state: &AppState, viewer: &Viewer) -> AppResult<u64> {
    let (me, _) = me_id(viewer)?;
    identity::sign_out_others(&state.pool, me).await
}
