//! What an operator does to a shop's payouts, each in one transaction with its audit entry:
//! hold them (the shop reads why, in its portal and by mail), release them, or pay out the
//! available balance now.

use super::model::PayoutAction;
use crate::accounts::mail::{self, Mail};
use crate::accounts::validate;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use serde_json::json;

/// Does `action` to the payouts of the shop at `slug` for `actor`; returns the shop's name.
pub async fn act(state: &AppState, actor: &Actor, slug: &str, action: PayoutAction) -> AppResult<String> {
    let reason = match &action {
        PayoutAction::Hold { reason } => {
            let reason = validate::text("reason", reason, 0, 1_000, "The reason")?;
            if reason.is_empty() {
                return Err(AppError::invalid(
                    "reason",
                    "Say why the payouts are held: the shop reads it in its portal and by mail.",
                ));
            }
            reason
        }
        _ => String::new(),
    };
    let mut tx = state.pool.begin().await?;
    let shop = sqlx::query!(
        "select id, name, slug, contact_email, payouts_held_reason from vendors where slug = $1 for update",
        slug
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let held = shop.payouts_held_reason.is_some();
    let mut booked = None;
    let (audit_action, before, after, mail) = match action {
        PayoutAction::Hold { .. } => {
            if held {
                return Err(AppError::Conflict(format!(
                    "{}'s payouts are held already.",
                    shop.name
                )));
            }
            sqlx::query!(
                "update vendors set payouts_held_at = now(), payouts_held_reason = $2 where id = $1",
                shop.id,
                reason
            )
            .execute(&mut *tx)
            .await?;
            let mail = Mail {
                subject: "Your payouts are on hold".into(),
                paragraphs: vec![
                    format!("The marketplace team has put the payouts of {} on hold.", shop.name),
                    format!("The reason: {reason}"),
                    "Your sales are still booked in your balance; it is paid out once the hold is lifted. Write to the marketplace team about what the reason names.".into(),
                ],
                action: Some(("See your money".into(), money_link(state, &shop.slug))),
            };
            (
                Action::PayoutsHeld,
                json!({"held": false}),
                json!({"held": true, "reason": reason}),
                Some(mail),
            )
        }
        PayoutAction::Release => {
            if !held {
                return Err(AppError::Conflict(format!(
                    "{}'s payouts are not held.",
                    shop.name
                )));
            }
            sqlx::query!(
                "update vendors set payouts_held_at = null, payouts_held_reason = null where id = $1",
                shop.id
            )
            .execute(&mut *tx)
            .await?;
            let mail = Mail {
                subject: "Your payouts are back on".into(),
                paragraphs: vec![format!(
                    "The marketplace team has lifted the hold on the payouts of {}: your balance goes out with the next payout.",
                    shop.name
                )],
                action: Some(("See your money".into(), money_link(state, &shop.slug))),
            };
            let before = json!({"held": true, "reason": shop.payouts_held_reason});
            (
                Action::PayoutsReleased,
                before,
                json!({"held": false}),
                Some(mail),
            )
        }
        PayoutAction::PayNow => {
            if held {
                return Err(AppError::Conflict(format!(
                    "{}'s payouts are held: release them first.",
                    shop.name
                )));
            }
            let (payout, amount) = crate::money::payouts::book_in(&mut tx, state, shop.id)
                .await?
                .ok_or_else(|| {
                    AppError::Conflict(format!(
                        "{} has nothing to pay out now (or has not connected its Stripe account).",
                        shop.name
                    ))
                })?;
            booked = Some(payout);
            let amount = Money::new(amount, state.site.currency);
            (
                Action::PayoutSent,
                json!(null),
                json!({"payout": payout, "amount": amount.to_string()}),
                None,
            )
        }
    };
    let entry = Entry {
        action: audit_action,
        subject: Subject::Vendor(shop.id),
        vendor: Some(shop.id),
        before: Some(before),
        after: Some(after),
    };
    audit::record(&mut tx, actor, entry).await?;
    if let (Some(mail), Some(to)) = (&mail, &shop.contact_email) {
        mail::enqueue(&mut tx, to, mail).await?;
    }
    tx.commit().await?;
    if mail.is_some() {
        mail::deliver_soon(&state.pool, &state.mailer);
    }
    if let Some(payout) = booked {
        // An unclear answer leaves it pending: the payout job sends it again, same key.
        crate::money::payouts::send_booked(state, payout).await?;
    }
    Ok(shop.name)
}

fn money_link(state: &AppState, slug: &str) -> String {
    format!("{}/vendor/{slug}/money", state.site.public_url)
}
