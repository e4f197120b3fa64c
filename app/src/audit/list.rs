//! Reading the log, newest first: all of it for operators, filtered by action and by the
//! actor's email or the subject's id.

use super::{Action, AuditPage, AuditRow};
use crate::error::AppResult;
use crate::state::AppState;

pub const PER_PAGE: i64 = 50;

/// Page `page` of the entries with action `action` (a key; anything else means any) whose
/// actor's email contains `q` or whose subject is `q`; or, with `subject`, only that
/// subject's entries.
pub async fn list(
    state: &AppState,
    action: &str,
    q: &str,
    subject: Option<(&str, String)>,
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
             and ($4::text is null or (l.subject_kind = $4 and l.subject_id = $5))"#,
        action,
        q,
        pattern,
        kind,
        id
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select to_char(l.at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as "at!",
                  coalesce(u.email::text, '') as "actor!", l.actor_ip, l.action, l.subject_kind, l.subject_id,
                  coalesce(l.before::text, '') as "before!", coalesce(l.after::text, '') as "after!"
           from audit_log l left join users u on u.id = l.actor_id
           where ($1 = '' or l.action = $1)
             and ($2 = '' or u.email ilike $3 or l.subject_id = $2)
             and ($4::text is null or (l.subject_kind = $4 and l.subject_id = $5))
           order by l.id desc limit $6 offset $7"#,
        action,
        q,
        pattern,
        kind,
        id,
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
