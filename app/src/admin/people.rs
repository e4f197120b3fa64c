//! Reading people for the console: the list (search, role, standing, pages) and one person
//! with their orders, shops, sessions, mail and the log's entries about them.

use super::model::{
    People, PersonDetail, PersonMail, PersonOrder, PersonRow, PersonSession, PersonShop, RoleFilter,
    StandingFilter,
};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders::status::OrderStatus;
use crate::state::AppState;
use uuid::Uuid;

pub const PER_PAGE: i64 = 50;

/// Page `page` of the people whose email or name contains `q`, with `role` and `standing`,
/// newest first.
pub async fn list(
    state: &AppState,
    q: &str,
    role: RoleFilter,
    standing: StandingFilter,
    page: u32,
) -> AppResult<People> {
    let q: String = q.trim().chars().take(100).collect();
    let pattern = crate::text::contains_pattern(&q);
    let page = page.clamp(1, 10_000);
    let (role_key, standing_key) = (role.key(), standing.key());
    // One filter for the count and the page.
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from users u
           where u.deleted_at is null
             and ($1 = '' or u.email ilike $2 or u.name ilike $2)
             and ($3 = '' or ($3 = 'admin' and u.is_admin)
                  or ($3 = 'seller' and exists (select 1 from vendor_members m where m.user_id = u.id))
                  or ($3 = 'shopper' and not u.is_admin and not exists (select 1 from vendor_members m where m.user_id = u.id)))
             and ($4 = '' or ($4 = 'active' and u.disabled_at is null)
                  or ($4 = 'disabled' and u.disabled_at is not null)
                  or ($4 = 'unverified' and u.email_verified_at is null))"#,
        q,
        pattern,
        role_key,
        standing_key
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select u.id, u.email::text as "email!", u.name, u.is_admin,
                  to_char(u.created_at at time zone 'UTC', 'FMDD Mon YYYY') as "joined!",
                  u.disabled_at is not null as "disabled!", u.email_verified_at is not null as "verified!",
                  u.totp_enabled_at is not null as "two_factor!",
                  (select count(*) from vendor_members m where m.user_id = u.id) as "shops!",
                  (select count(*) from orders o where o.user_id = u.id and o.status not in ('payment_failed', 'expired')) as "orders!"
           from users u
           where u.deleted_at is null
             and ($1 = '' or u.email ilike $2 or u.name ilike $2)
             and ($3 = '' or ($3 = 'admin' and u.is_admin)
                  or ($3 = 'seller' and exists (select 1 from vendor_members m where m.user_id = u.id))
                  or ($3 = 'shopper' and not u.is_admin and not exists (select 1 from vendor_members m where m.user_id = u.id)))
             and ($4 = '' or ($4 = 'active' and u.disabled_at is null)
                  or ($4 = 'disabled' and u.disabled_at is not null)
                  or ($4 = 'unverified' and u.email_verified_at is null))
           order by u.created_at desc, u.id limit $5 offset $6"#,
        q,
        pattern,
        role_key,
        standing_key,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(People {
        rows: rows
            .into_iter()
            .map(|r| PersonRow {
                id: r.id.to_string(),
                email: r.email,
                name: r.name,
                joined: r.joined,
                is_admin: r.is_admin,
                shops: r.shops,
                orders: r.orders,
                disabled: r.disabled,
                verified: r.verified,
                two_factor: r.two_factor,
            })
            .collect(),
        q,
        role,
        standing,
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
        total,
    })
}

/// Everything about the person `id` (not a deleted account), as operator `viewer` sees it.
pub async fn detail(state: &AppState, viewer: Uuid, id: Uuid) -> AppResult<PersonDetail> {
    let r = sqlx::query!(
        r#"select u.id, u.email::text as "email!", u.name, u.is_admin,
                  to_char(u.created_at at time zone 'UTC', 'FMDD Mon YYYY') as "joined!",
                  u.email_verified_at is not null as "verified!", u.totp_enabled_at is not null as "two_factor!",
                  to_char(u.disabled_at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') as disabled_at,
                  u.disabled_reason,
                  (select count(*) from vendor_members m where m.user_id = u.id) as "shops!",
                  (select count(*) from orders o where o.user_id = u.id and o.status not in ('payment_failed', 'expired')) as "orders!"
           from users u where u.id = $1 and u.deleted_at is null"#,
        id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let currency = state.site.currency;
    let orders = sqlx::query!(
        r#"select number, status as "status: OrderStatus", total,
                  to_char(created_at at time zone 'UTC', 'FMDD Mon YYYY') as "placed!"
           from orders where user_id = $1 order by created_at desc limit 20"#,
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|o| PersonOrder {
        number: o.number,
        placed: o.placed,
        status: o.status.label().to_string(),
        total: Money::new(o.total, currency),
    })
    .collect();
    let shops = sqlx::query!(
        "select v.slug, v.name, m.role from vendor_members m join vendors v on v.id = m.vendor_id
         where m.user_id = $1 order by v.name",
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|s| PersonShop {
        slug: s.slug,
        name: s.name,
        role: s.role,
    })
    .collect();
    let sessions = sqlx::query!(
        r#"select user_agent, ip, to_char(last_seen_at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') as "seen!"
           from user_sessions where user_id = $1 order by last_seen_at desc limit 20"#,
        id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|s| PersonSession {
        device: crate::accounts::devices::name(&s.user_agent),
        ip: s.ip,
        last_seen: s.seen,
    })
    .collect();
    let mails = sqlx::query!(
        r#"select subject, to_char(created_at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') as "queued!",
                  sent_at is not null as "sent!", last_error
           from mail_outbox where recipient = $1 order by created_at desc limit 20"#,
        r.email
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|m| PersonMail {
        subject: m.subject,
        queued: m.queued,
        state: match (m.sent, m.last_error) {
            (true, _) => "Sent".into(),
            (false, Some(error)) => format!("Failing: {error}"),
            (false, None) => "Waiting".into(),
        },
    })
    .collect();
    let audit = crate::audit::list::list(state, "", "", Some(("user", id.to_string())), None, 1)
        .await?
        .rows;
    Ok(PersonDetail {
        person: PersonRow {
            id: r.id.to_string(),
            email: r.email,
            name: r.name,
            joined: r.joined,
            is_admin: r.is_admin,
            shops: r.shops,
            orders: r.orders,
            disabled: r.disabled_at.is_some(),
            verified: r.verified,
            two_factor: r.two_factor,
        },
        disabled: r.disabled_at.map(|at| (at, r.disabled_reason)),
        is_you: viewer == id,
        orders,
        shops,
        sessions,
        mails,
        audit,
    })
}
