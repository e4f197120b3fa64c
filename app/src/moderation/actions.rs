//! What an operator does to a product, each in one transaction with its audit entry: hide it
//! from the storefront and search with a reason the shop reads (in its portal and by mail),
//! reinstate it as the shop listed it, or dismiss its open reports. The storefront's caches
//! forget it after the commit; the search outbox (filled by the products' triggers) takes it
//! out of an external index or back in.

use super::model::Moderation;
use crate::accounts::mail::{self, Mail};
use crate::accounts::validate;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// Does `action` to product `id` for `actor` (an admin whose session passed 2FA); returns
/// what the console says about it.
pub async fn act(state: &AppState, actor: &Actor, id: Uuid, action: Moderation) -> AppResult<String> {
    let reason = match &action {
        Moderation::Hide { reason } => {
            let reason = validate::text("reason", reason, 0, 1_000, "The reason")?;
            if reason.is_empty() {
                return Err(AppError::invalid(
                    "reason",
                    "Say why the product is hidden: the shop reads it in its portal and by mail.",
                ));
            }
            reason
        }
        _ => String::new(),
    };
    let mut tx = state.pool.begin().await?;
    let p = sqlx::query!(
        r#"select p.slug, p.title, p.status, coalesce(p.listed_status, p.status) as "listed!",
                  p.vendor_id, v.name as shop, v.slug as shop_slug, v.contact_email
           from products p join vendors v on v.id = p.vendor_id where p.id = $1 for update of p"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let hidden = p.status == "hidden";
    let (audit_action, before, after, said, mail) = match action {
        Moderation::Hide { .. } => {
            if hidden {
                return Err(AppError::Conflict("The product is hidden already.".into()));
            }
            sqlx::query!(
                "update products set hidden_at = now(), hidden_reason = $2, listed_status = status, status = 'hidden'
                 where id = $1",
                id,
                reason
            )
            .execute(&mut *tx)
            .await?;
            let closed = close_reports(&mut tx, id, actor, "hidden").await?;
            let mail = Mail {
                subject: format!("“{}” is hidden from the marketplace", p.title),
                paragraphs: vec![
                    format!(
                        "The marketplace team has hidden your product “{}” from the storefront and search.",
                        p.title
                    ),
                    format!("The reason: {reason}"),
                    "You can still edit it in your portal. Once what the reason names is put right, or if you think this is a mistake, write to the marketplace team to have it reinstated.".into(),
                ],
                action: Some(("Open the product".into(), product_link(state, &p.shop_slug, id))),
            };
            (
                Action::ProductHidden,
                json!({"status": p.status}),
                json!({"status": "hidden", "reason": reason, "reports_closed": closed}),
                format!(
                    "“{}” is hidden from the storefront and search; {} was emailed.",
                    p.title, p.shop
                ),
                Some(mail),
            )
        }
        Moderation::Reinstate => {
            if !hidden {
                return Err(AppError::Conflict("The product is not hidden.".into()));
            }
            sqlx::query!(
                "update products set hidden_at = null, hidden_reason = '', status = coalesce(listed_status, 'draft'),
                        listed_status = null
                 where id = $1",
                id
            )
            .execute(&mut *tx)
            .await?;
            let back = if p.listed == "active" {
                "is on sale again"
            } else {
                "is back in the shop's portal as they left it"
            };
            let mail = Mail {
                subject: format!("“{}” is no longer hidden", p.title),
                paragraphs: vec![format!(
                    "The marketplace team has reinstated your product “{}”: it {back}.",
                    p.title
                )],
                action: Some(("Open the product".into(), product_link(state, &p.shop_slug, id))),
            };
            (
                Action::ProductReinstated,
                json!({"status": "hidden"}),
                json!({"status": p.listed}),
                format!("“{}” {back}; {} was emailed.", p.title, p.shop),
                Some(mail),
            )
        }
        Moderation::Dismiss => {
            let closed = close_reports(&mut tx, id, actor, "dismissed").await?;
            if closed == 0 {
                return Err(AppError::Conflict("The product has no open reports.".into()));
            }
            (
                Action::ReportsDismissed,
                json!({"open_reports": closed}),
                json!({"open_reports": 0}),
                format!(
                    "{} about “{}” dismissed.",
                    crate::text::counted(closed, "report", "reports"),
                    p.title
                ),
                None,
            )
        }
    };
    if let Some(mail) = &mail {
        let owners =
            crate::vendors::applications::owner_emails(&mut tx, p.vendor_id, p.contact_email.as_deref())
                .await?;
        for owner in owners {
            mail::enqueue(&mut tx, &owner, mail).await?;
        }
    }
    let entry = Entry {
        action: audit_action,
        subject: Subject::Product(id),
        vendor: Some(p.vendor_id),
        before: Some(before),
        after: Some(after),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    tracing::info!(product = %id, action = audit_action.key(), actor = ?actor.user, "product moderated");
    state.catalog.invalidate_product(&p.slug).await;
    if mail.is_some() {
        mail::deliver_soon(&state.pool, &state.mailer);
    }
    Ok(said)
}

/// Closes the product's open reports with `outcome`; returns how many.
async fn close_reports(
    tx: &mut sqlx::PgConnection,
    id: Uuid,
    actor: &Actor,
    outcome: &str,
) -> AppResult<u64> {
    Ok(sqlx::query!(
        "update product_reports set closed_at = now(), closed_by = $2, outcome = $3
         where product_id = $1 and closed_at is null",
        id,
        actor.user,
        outcome
    )
    .execute(tx)
    .await?
    .rows_affected())
}

fn product_link(state: &AppState, shop: &str, id: Uuid) -> String {
    format!("{}/vendor/{shop}/products/{id}", state.site.public_url)
}
