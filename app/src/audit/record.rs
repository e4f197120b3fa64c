//! Writing an entry, inside the transaction of the change it records.

use super::{Action, Subject};
use crate::accounts::viewer::Viewer;
use crate::error::AppResult;
use serde_json::Value;
use uuid::Uuid;

/// Who acted, and from where.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: Option<Uuid>,
    pub ip: String,
}

impl Actor {
    /// The signed-in user of `viewer` (nobody for a guest), from the request's address.
    pub fn of(viewer: &Viewer) -> Self {
        Self {
            user: viewer.user_id(),
            ip: viewer.client().ip.chars().take(64).collect(),
        }
    }
}

/// One change: what, to what, in which shop, and the values it changed.
#[derive(Debug, Clone)]
pub struct Entry {
    pub action: Action,
    pub subject: Subject,
    pub vendor: Option<Uuid>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends `entry` by `actor`, in the caller's transaction.
pub async fn record(tx: &mut sqlx::PgConnection, actor: &Actor, entry: Entry) -> AppResult<()> {
    let (kind, id) = entry.subject.parts();
    sqlx::query!(
        "insert into audit_log (actor_id, actor_ip, action, subject_kind, subject_id, vendor_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        actor.user,
        actor.ip,
        entry.action.key(),
        kind,
        id,
        entry.vendor,
        entry.before,
        entry.after
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Who changes an order: the label its events record ("user:…", "system"), and for a person
/// the audit log's actor (the system's own changes are in the events only).
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub label: &'a str,
    pub person: Option<&'a Actor>,
}

impl<'a> By<'a> {
    /// A person: events and the audit log.
    pub fn person(label: &'a str, actor: &'a Actor) -> Self {
        Self {
            label,
            person: Some(actor),
        }
    }

    /// The system (a job, a provider's event): events only.
    pub fn system(label: &'a str) -> Self {
        Self { label, person: None }
    }

    /// Records `action` on the order of part `vendor_order` (in its shop's part of the log)
    /// when a person did it, in `tx`.
    pub async fn log_part(
        &self,
        tx: &mut sqlx::PgConnection,
        action: super::Action,
        vendor_order: Uuid,
        after: Value,
    ) -> AppResult<()> {
        let Some(actor) = self.person else {
            return Ok(());
        };
        let part = sqlx::query!(
            "select order_id, vendor_id from vendor_orders where id = $1",
            vendor_order
        )
        .fetch_one(&mut *tx)
        .await?;
        let entry = Entry {
            action,
            subject: super::Subject::Order(part.order_id),
            vendor: Some(part.vendor_id),
            before: None,
            after: Some(after),
        };
        record(tx, actor, entry).await
    }
}
