//! Erasing accounts: what deleting an account removes, shared by a user deleting their own and
//! the operator closing the demo's.

use uuid::Uuid;

/// Erases the accounts `ids` inside the caller's transaction: profile, addresses, sign-in data,
/// sessions and shop memberships go, pending mail to them is dropped, and their orders stay in
/// the shops' books without email and shipping address. The user rows stay, anonymised, for
/// the orders that point at them. The caller decides whether erasing is allowed.
pub async fn erase(tx: &mut sqlx::PgConnection, ids: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query!(
        "update orders set email = '', shipping_address = '{}'::jsonb where user_id = any($1)",
        ids
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from mail_outbox
         where recipient in (select email::text from users where id = any($1) and email is not null)",
        ids
    )
    .execute(&mut *tx)
    .await?;
    for statement in [
        "delete from addresses where user_id = any($1)",
        "delete from user_tokens where user_id = any($1)",
        "delete from recovery_codes where user_id = any($1)",
        "delete from user_sessions where user_id = any($1)",
        "delete from vendor_members where user_id = any($1)",
    ] {
        sqlx::query(statement).bind(ids).execute(&mut *tx).await?;
    }
    sqlx::query!(
        "update users set email = null, password_hash = null, name = '', totp_secret = null,
                totp_enabled_at = null, totp_last_step = null, is_admin = false, deleted_at = now()
         where id = any($1)",
        ids
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
