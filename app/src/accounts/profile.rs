//! The signed-in user's own account: name, password, email address, and deleting it all.

use super::identity;
use super::mail::{self, Mail};
use super::password_reset::void_account_links;
use super::server::{VERIFY_HOURS, consume_token, issue_token, link};
use super::viewer::Viewer;
use super::{secrets, validate};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use uuid::Uuid;

/// Checks the signed-in user's current password (for changes that need it).
pub(super) async fn confirm_password(
    state: &AppState,
    user: Uuid,
    password: &str,
    field: &str,
) -> AppResult<()> {
    let hash = sqlx::query_scalar!("select password_hash from users where id = $1", user)
        .fetch_one(&state.pool)
        .await?;
    if !secrets::verify_password(password.to_string(), hash).await {
        return Err(AppError::invalid(field, "That isn't your current password."));
    }
    Ok(())
}

pub async fn change_password(state: &AppState, viewer: &Viewer, current: &str, new: &str) -> AppResult<()> {
    let me = viewer.signed_in()?;
    let id = me.id.uuid();
    state
        .limits
        .login(&viewer.client().ip, &me.id.to_string())
        .await?;
    confirm_password(state, id, current, "current_password").await?;
    secrets::check_strength("new_password", new, &[&me.email, &me.name])?;
    let hash = secrets::hash_password(new.to_string()).await?;
    let session_id = me.session_id.uuid();
    let mut tx = state.pool.begin().await?;
    sqlx::query!("update users set password_hash = $2 where id = $1", id, hash)
        .execute(&mut *tx)
        .await?;
    void_account_links(&mut tx, id).await?;
    // Everyone else who knew the old password is signed out.
    sqlx::query!(
        "delete from user_sessions where user_id = $1 and id <> $2",
        id,
        session_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    identity::cycle(viewer.session()?).await
}

pub async fn update_profile(state: &AppState, viewer: &Viewer, name: &str) -> AppResult<()> {
    let me = viewer.signed_in()?;
    let name = validate::name("name", name)?;
    sqlx::query!("update users set name = $2 where id = $1", me.id.uuid(), name)
        .execute(&state.pool)
        .await?;
    Ok(())
}

/// Mails a confirmation link to the new address; the change happens when it is clicked.
pub async fn change_email(
    state: &AppState,
    viewer: &Viewer,
    new_email: &str,
    password: &str,
) -> AppResult<()> {
    let me = viewer.signed_in()?;
    let id = me.id.uuid();
    let new_email = validate::email("new_email", new_email)?;
    if new_email == me.email {
        return Err(AppError::invalid(
            "new_email",
            "That is already your email address.",
        ));
    }
    state
        .limits
        .login(&viewer.client().ip, &me.id.to_string())
        .await?;
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

/// Deletes the account: personal data removed, the row kept anonymised for order records,
/// whose email and shipping address are wiped. A shop's only owner must hand the shop over
/// first, and an order waiting to be sent must ship first (its shop needs the address).
pub async fn delete_account(state: &AppState, viewer: &Viewer, password: &str) -> AppResult<()> {
    let me = viewer.signed_in()?;
    let id = me.id.uuid();
    state
        .limits
        .login(&viewer.client().ip, &me.id.to_string())
        .await?;
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
    let unsent = sqlx::query_scalar!(
        r#"select exists(
               select 1 from orders o join vendor_orders vo on vo.order_id = o.id
               where o.user_id = $1 and o.status in ('pending_payment', 'paid')
                 and vo.status in ('pending', 'awaiting_fulfilment')) as "exists!""#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if unsent {
        return Err(AppError::Conflict(
            "An order of yours is still waiting to be sent, and the shop needs its address. Delete your account once it has shipped."
                .into(),
        ));
    }
    super::erasure::erase(&mut tx, &[id]).await?;
    tx.commit().await?;
    viewer.session()?.flush().await.map_err(identity::session_error)
}
