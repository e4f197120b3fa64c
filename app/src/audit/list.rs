//! Reading the log, newest first: all of it for operators, filtered by action and by the
//! actor's email or the subject's id; or a shop's own part, where operators are named only as
//! the marketplace team and nobody's address is shown.

use super::{Action, AuditPage, AuditRow};
use crate::error::AppResult;
use crate::state::AppState;

pub const PER_PAGE: i64 = 50;

/// Page `page` of the entries with action `action` (a key; anything else means any) whose
/// actor's email contains `q` or whose subject is `q`; with `subject`, only that subject's
/// entries; with `shop`, only that shop's entries as the shop sees them.
pub async fn list(
    state: &AppState,
    action: &str,
    q: &str,
    subject: Option<(&str, String)>,
    shop: Option<uuid::Uuid>,
    page: u32,
) -> AppResult<AuditPage> {
    let action = Action::from_key(action).map(Action::key).unwrap_or_default();
    let q: String = q.trim().chars().take(100).collect();
    let pattern = crate::text::contains_pattern(&q);
    let (kind, id) = subject.map_or((None, None), |(kind, id)| (Some(kind.to_string()), Some(id)));
    let page = page.clamp(1, 10_000);
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from audit_log l left join users u on u.id = l.actor_id
           where ($1 = '' or l.action = $1)
             and ($2 = '' or u.email ilike $3 or l.subject_id = $2)
             and ($4::text is null or (l.subject_kind = $4 and l.subject_id = $5))
             and ($6::uuid is null or l.vendor_id = $6)"#,
        action,
        q,
        pattern,
        kind,
        id,
        shop
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select to_char(l.at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as "at!",
                  case when $6::uuid is null or exists (select 1 from vendor_members m where m.vendor_id = $6 and m.user_id = l.actor_id)
                       then coalesce(u.email::text, '') else 'The marketplace team' end as "actor!",
                  case when $6::uuid is null then l.actor_ip else '' end as "actor_ip!",
                  l.action, l.subject_kind, l.subject_id,
                  coalesce(l.before::text, '') as "before!", coalesce(l.after::text, '') as "after!"
           from audit_log l left join users u on u.id = l.actor_id
           where ($1 = '' or l.action = $1)
             and ($2 = '' or u.email ilike $3 or l.subject_id = $2)
             and ($4::text is null or (l.subject_kind = $4 and l.subject_id = $5))
             and ($6::uuid is null or l.vendor_id = $6)
           order by l.id desc limit $7 offset $8"#,
        action,
        q,
        pattern,
        kind,
        id,
        shop,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(AuditPage {
        rows: rows
            .into_iter()
            .map(|r| AuditRow {
                at: format!("{} UTC", r.at),
                actor: r.actor,
                ip: r.actor_ip,
                action: Action::from_key(&r.action).map_or(r.action, |a| a.label().to_string()),
                subject_kind: r.subject_kind,
                subject_id: r.subject_id,
                before: r.before,
                after: r.after,
            })
            .collect(),
        action: action.to_string(),
        q,
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
    })
}
