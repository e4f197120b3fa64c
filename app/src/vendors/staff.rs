//! A shop's people: owners invite others by email (as owner or staff) and remove them. The
//! invitation link works once, for a week, and only for an account with the invited address.
//! Every change to the shop's people is in the audit log.

use super::model::{OpenInvite, StaffMember, StaffOverview};
use super::shop::Shop;
use crate::accounts::mail::{self, Mail};
use crate::accounts::model::{CurrentUser, VendorRole};
use crate::accounts::{secrets, validate};
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

const INVITE_DAYS: i32 = 7;

pub async fn overview(state: &AppState, shop: &Shop) -> AppResult<StaffOverview> {
    let members = sqlx::query!(
        r#"select u.id, u.email::text as "email!", u.name, m.role as "role: VendorRole"
           from vendor_members m join users u on u.id = m.user_id
           where m.vendor_id = $1 and u.deleted_at is null
           order by m.role, u.email"#,
        shop.id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| StaffMember {
        is_me: shop.user.id == r.id,
        user_id: r.id.to_string(),
        email: r.email,
        name: r.name,
        role: r.role,
    })
    .collect();
    let invites = sqlx::query!(
        r#"select id, email::text as "email!", role as "role: VendorRole",
                  to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD') as "expires!"
           from vendor_invites where vendor_id = $1 and accepted_at is null and expires_at > now()
           order by created_at"#,
        shop.id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| OpenInvite {
        id: r.id.to_string(),
        email: r.email,
        role: r.role,
        expires: r.expires,
    })
    .collect();
    Ok(StaffOverview {
        membership: shop.membership.clone(),
        members,
        invites,
    })
}

/// Invites `email` to the shop as `role`; inviting the same address again sends a new link.
pub async fn invite(state: &AppState, shop: &Shop, email: &str, role: &str) -> AppResult<()> {
    let email = validate::email("email", email)?;
    let role = VendorRole::parse(role).ok_or_else(|| AppError::invalid("role", "Choose owner or staff."))?;
    let mut tx = state.pool.begin().await?;
    let member = sqlx::query_scalar!(
        r#"select count(*) as "n!" from vendor_members m join users u on u.id = m.user_id
           where m.vendor_id = $1 and u.email = $2 and u.deleted_at is null"#,
        shop.id,
        email as _
    )
    .fetch_one(&mut *tx)
    .await?;
    if member > 0 {
        return Err(AppError::invalid(
            "email",
            "That person already works in this shop.",
        ));
    }
    let token = secrets::new_token();
    sqlx::query!(
        "insert into vendor_invites (vendor_id, email, role, token_hash, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, now() + make_interval(days => $6))
         on conflict (vendor_id, email) where accepted_at is null
         do update set role = excluded.role, token_hash = excluded.token_hash,
                       invited_by = excluded.invited_by, expires_at = excluded.expires_at",
        shop.id,
        email as _,
        role_text(role),
        secrets::digest(&token),
        Some(shop.user.id.uuid()),
        INVITE_DAYS
    )
    .execute(&mut *tx)
    .await?;
    let shop_name = &shop.membership.vendor_name;
    let mail = Mail {
        subject: format!("Join {shop_name} on {}", state.site.name),
        paragraphs: vec![
            format!(
                "{} invites you to work in {shop_name} as {}.",
                shop.user.display_name(),
                role.label().to_lowercase()
            ),
            format!(
                "Sign in (or create an account) with this address, then open the link. It works once, for {INVITE_DAYS} days."
            ),
        ],
        action: Some((
            "Accept the invitation".into(),
            format!("{}/vendor/invite?token={token}", state.site.public_url),
        )),
    };
    mail::enqueue(&mut tx, &email, &mail).await?;
    let after = json!({"email": email, "role": role_text(role)});
    log(
        &mut tx,
        shop,
        Action::StaffInvited,
        Subject::Vendor(shop.id),
        (None, Some(after)),
    )
    .await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}

/// Records a change to the shop's people by `shop`'s member.
async fn log(
    tx: &mut sqlx::PgConnection,
    shop: &Shop,
    action: Action,
    subject: Subject,
    (before, after): (Option<serde_json::Value>, Option<serde_json::Value>),
) -> AppResult<()> {
    let entry = Entry {
        action,
        subject,
        vendor: Some(shop.id),
        before,
        after,
    };
    audit::record(tx, &shop.audit, entry).await
}

fn role_text(role: VendorRole) -> &'static str {
    match role {
        VendorRole::Owner => "owner",
        VendorRole::Staff => "staff",
    }
}

/// Withdraws an invitation of this shop.
pub async fn revoke(state: &AppState, shop: &Shop, invite: Uuid) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let gone = sqlx::query!(
        r#"delete from vendor_invites where id = $1 and vendor_id = $2 and accepted_at is null
           returning email::text as "email!", role"#,
        invite,
        shop.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = json!({"email": gone.email, "role": gone.role});
    log(
        &mut tx,
        shop,
        Action::StaffInviteRevoked,
        Subject::Vendor(shop.id),
        (Some(before), None),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes someone from the shop. The last owner stays: a shop always has one.
pub async fn remove(state: &AppState, shop: &Shop, user: Uuid) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let owners = sqlx::query_scalar!(
        "select user_id from vendor_members where vendor_id = $1 and role = 'owner' for update",
        shop.id
    )
    .fetch_all(&mut *tx)
    .await?;
    if owners == [user] {
        return Err(AppError::Conflict(
            "The shop's only owner can't be removed: make someone else owner first.".into(),
        ));
    }
    let role = sqlx::query_scalar!(
        "delete from vendor_members where vendor_id = $1 and user_id = $2 returning role",
        shop.id,
        user
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = json!({"role": role});
    log(
        &mut tx,
        shop,
        Action::StaffRemoved,
        Subject::User(user),
        (Some(before), None),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts an invitation for the signed-in user (`actor`); returns the shop's slug.
pub async fn accept(state: &AppState, user: &CurrentUser, actor: &Actor, token: &str) -> AppResult<String> {
    let invalid = || {
        AppError::BadRequest(
            "This invitation link is not valid any more: it was used, withdrawn or is older than a week. Ask the shop for a new one."
                .into(),
        )
    };
    let mut tx = state.pool.begin().await?;
    let invite = sqlx::query!(
        r#"select i.id, i.vendor_id, i.email::text as "email!", i.role, v.slug
           from vendor_invites i join vendors v on v.id = i.vendor_id
           where i.token_hash = $1 and i.accepted_at is null and i.expires_at > now()
           for update of i"#,
        secrets::digest(token)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid)?;
    if !invite.email.eq_ignore_ascii_case(&user.email) {
        return Err(AppError::Conflict(format!(
            "This invitation is for {}. Sign in with that address to accept it.",
            invite.email
        )));
    }
    let user_id = user.id.uuid();
    sqlx::query!(
        "insert into vendor_members (vendor_id, user_id, role) values ($1, $2, $3)
         on conflict (vendor_id, user_id) do update set role = excluded.role",
        invite.vendor_id,
        user_id,
        invite.role
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update vendor_invites set accepted_at = now() where id = $1",
        invite.id
    )
    .execute(&mut *tx)
    .await?;
    let entry = Entry {
        action: Action::StaffJoined,
        subject: Subject::User(user_id),
        vendor: Some(invite.vendor_id),
        before: None,
        after: Some(json!({"role": invite.role})),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(invite.slug)
}
