//! What an operator may do to a person's account, each in one transaction with its audit
//! entry: disable (signed out everywhere, no sign-in) and enable, sign out everywhere, force a
//! password reset, send the verification mail again, make or unmake an admin. Never to
//! yourself, and never leaving the marketplace without an admin who can sign in.

use super::model::PersonAction;
use crate::accounts::secrets;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// The account as an action finds it (locked for the transaction).
struct Account {
    email: String,
    is_admin: bool,
    disabled: bool,
    verified: bool,
}

/// Does `action` to the account `target` for the operator `actor` (already checked to be an
/// admin whose session passed 2FA); returns what the console says about it.
pub async fn act(state: &AppState, actor: &Actor, target: Uuid, action: PersonAction) -> AppResult<String> {
    if actor.user == Some(target) {
        return Err(AppError::Conflict(
            "That is your own account: change it from your account pages, or ask another admin.".into(),
        ));
    }
    // Hashed before the transaction: it takes a while, and nobody will ever know it.
    let unusable = match action {
        PersonAction::ForceReset => Some(secrets::hash_password(secrets::new_token()).await?),
        _ => None,
    };
    let mut tx = state.pool.begin().await?;
    // The admins are locked first, in one order, so that two operators removing each other
    // wait for one another instead of both succeeding.
    let admins: Vec<Uuid> = sqlx::query_scalar!(
        "select id from users where is_admin and disabled_at is null and deleted_at is null order by id for update"
    )
    .fetch_all(&mut *tx)
    .await?;
    let account = sqlx::query!(
        r#"select email::text as "email!", is_admin, disabled_at is not null as "disabled!",
                  email_verified_at is not null as "verified!"
           from users where id = $1 and deleted_at is null for update"#,
        target
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| Account {
        email: r.email,
        is_admin: r.is_admin,
        disabled: r.disabled,
        verified: r.verified,
    })
    .ok_or(AppError::NotFound)?;
    let removes_an_admin = matches!(action, PersonAction::Disable { .. } | PersonAction::RevokeAdmin)
        && admins.contains(&target);
    if removes_an_admin && admins.len() <= 1 {
        return Err(AppError::Conflict(
            "This is the last admin who can sign in: make someone else an admin first.".into(),
        ));
    }
    let audit_action = action.audit_action();
    let (before, after, said) = match action {
        PersonAction::Disable { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                return Err(AppError::invalid(
                    "reason",
                    "Say why the account is disabled (up to 500 characters): the other operators will read it.",
                ));
            }
            if account.disabled {
                return Err(AppError::Conflict("The account is already disabled.".into()));
            }
            sqlx::query!(
                "update users set disabled_at = now(), disabled_reason = $2 where id = $1",
                target,
                reason
            )
            .execute(&mut *tx)
            .await?;
            let ended = sign_out_everywhere(&mut tx, target).await?;
            (
                json!({"disabled": false}),
                json!({"disabled": true, "reason": reason, "sessions_ended": ended}),
                format!("{} is disabled and signed out everywhere.", account.email),
            )
        }
        PersonAction::Enable => {
            if !account.disabled {
                return Err(AppError::Conflict("The account is not disabled.".into()));
            }
            sqlx::query!(
                "update users set disabled_at = null, disabled_reason = '' where id = $1",
                target
            )
            .execute(&mut *tx)
            .await?;
            (
                json!({"disabled": true}),
                json!({"disabled": false}),
                format!("{} can sign in again.", account.email),
            )
        }
        PersonAction::SignOut => {
            let ended = sign_out_everywhere(&mut tx, target).await?;
            (
                json!({}),
                json!({"sessions_ended": ended}),
                format!("{} is signed out everywhere.", account.email),
            )
        }
        PersonAction::ForceReset => {
            let hash = unusable.expect("hashed above");
            sqlx::query!("update users set password_hash = $2 where id = $1", target, hash)
                .execute(&mut *tx)
                .await?;
            let ended = sign_out_everywhere(&mut tx, target).await?;
            crate::accounts::password_reset::queue_reset(&mut tx, state, target, &account.email).await?;
            (
                json!({}),
                json!({"password": "replaced", "sessions_ended": ended, "mailed": true}),
                format!(
                    "{}'s password no longer works: they were signed out and sent a link to choose a new one.",
                    account.email
                ),
            )
        }
        PersonAction::ResendVerification => {
            if account.verified {
                return Err(AppError::Conflict(
                    "The email address is already confirmed.".into(),
                ));
            }
            crate::accounts::server::queue_verification(&mut tx, state, target, &account.email).await?;
            (
                json!({}),
                json!({"mailed": true}),
                format!("A new confirmation link was sent to {}.", account.email),
            )
        }
        PersonAction::GrantAdmin | PersonAction::RevokeAdmin => {
            let grant = audit_action == Action::AdminGranted;
            if account.is_admin == grant {
                return Err(AppError::Conflict(if grant {
                    "They are an admin already.".into()
                } else {
                    "They are not an admin.".into()
                }));
            }
            if grant && (account.disabled || !account.verified) {
                return Err(AppError::Conflict(
                    "Only an enabled account with a confirmed email address can become an admin.".into(),
                ));
            }
            sqlx::query!("update users set is_admin = $2 where id = $1", target, grant)
                .execute(&mut *tx)
                .await?;
            // New powers, or powers taken away: every browser signs in again.
            let ended = sign_out_everywhere(&mut tx, target).await?;
            (
                json!({"admin": !grant}),
                json!({"admin": grant, "sessions_ended": ended}),
                if grant {
                    format!(
                        "{} is an admin: the console opens for them once they turn on two-factor authentication.",
                        account.email
                    )
                } else {
                    format!("{} is no longer an admin.", account.email)
                },
            )
        }
    };
    let entry = Entry {
        action: audit_action,
        subject: Subject::User(target),
        vendor: None,
        before: Some(before),
        after: Some(after),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    crate::accounts::mail::deliver_soon(&state.pool, &state.mailer);
    Ok(said)
}

/// Ends every session of `user`; returns how many.
async fn sign_out_everywhere(tx: &mut sqlx::PgConnection, user: Uuid) -> AppResult<u64> {
    Ok(sqlx::query!("delete from user_sessions where user_id = $1", user)
        .execute(tx)
        .await?
        .rows_affected())
}
