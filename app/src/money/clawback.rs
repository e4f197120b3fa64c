//! Taking a refund back from a shop that was already paid out through Stripe: the amount it
//! now owes is reversed from its latest transfers. Each reversal is booked (pending) before
//! Stripe is asked, under the shop's row lock, and sent with its own id as idempotency key; an
//! unclear failure leaves it pending for the next try with the same key, a definite refusal
//! marks it failed (the shop's balance keeps showing what it owes, netted by its next payout).

use super::ledger::balances;
use crate::error::{AppError, AppResult};
use crate::payments::stripe::{Stripe, is_definite};
use crate::state::AppState;
use uuid::Uuid;

/// After a refund: when the shop now owes the marketplace (its balance, less reversals already
/// under way, is negative) and it was paid through Stripe, takes what it owes back from its
/// latest transfers.
#[tracing::instrument(skip_all, fields(vendor = %vendor))]
pub async fn claw_back(state: &AppState, vendor: Uuid) -> AppResult<()> {
    let Some(stripe) = state.payments.stripe() else {
        return Ok(()); // simulated payouts: the next payouts net the difference
    };
    let booked = book(state, vendor).await?;
    let mut unclear = false;
    for reversal in booked {
        unclear |= !send(state, stripe, reversal).await?;
    }
    if unclear {
        return Err(AppError::Conflict(
            "Stripe did not answer about taking the refund back from the shop's account; it is retried."
                .into(),
        ));
    }
    Ok(())
}

/// Books what the shop owes as pending reversals of its latest transfers; returns their ids.
async fn book(state: &AppState, vendor: Uuid) -> AppResult<Vec<Uuid>> {
    let mut tx = state.pool.begin().await?;
    sqlx::query_scalar!("select id from vendors where id = $1 for update", vendor)
        .fetch_one(&mut *tx)
        .await?;
    let delay = crate::settings::current(&mut tx).await?.payout_delay_days;
    let (balance, _) = balances(&mut tx, vendor, delay).await?;
    let under_way = sqlx::query_scalar!(
        r#"select coalesce(sum(amount), 0)::bigint as "n!" from transfer_reversals
           where vendor_id = $1 and status = 'pending'"#,
        vendor
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut owed = -balance - under_way;
    let transfers = sqlx::query!(
        r#"select p.id, p.amount - p.reversed - coalesce(
                      (select sum(r.amount) from transfer_reversals r where r.payout_id = p.id and r.status = 'pending'),
                      0)::bigint as "left!"
           from payouts p
           where p.vendor_id = $1 and p.provider = 'stripe' and p.status = 'paid' and p.provider_ref is not null
             and p.reversed < p.amount order by p.paid_at desc"#,
        vendor
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut booked = Vec::new();
    for transfer in transfers {
        if owed <= 0 {
            break;
        }
        let amount = owed.min(transfer.left);
        if amount <= 0 {
            continue;
        }
        let id = Uuid::now_v7();
        sqlx::query!(
            "insert into transfer_reversals (id, payout_id, vendor_id, amount) values ($1, $2, $3, $4)",
            id,
            transfer.id,
            vendor,
            amount
        )
        .execute(&mut *tx)
        .await?;
        booked.push(id);
        owed -= amount;
    }
    tx.commit().await?;
    Ok(booked)
}

/// Sends the reversals left pending (a crash, an unanswered request), booked a minute ago or
/// more.
pub(super) async fn resend_pending(state: &AppState, stripe: &Stripe) -> AppResult<()> {
    let pending = sqlx::query_scalar!(
        "select id from transfer_reversals where status = 'pending' and created_at < now() - interval '1 minute'
         order by created_at"
    )
    .fetch_all(&state.pool)
    .await?;
    for reversal in pending {
        send(state, stripe, reversal).await?;
    }
    Ok(())
}

/// Asks Stripe for a booked reversal; returns false when the answer was unclear (it stays
/// pending).
#[tracing::instrument(skip_all, fields(reversal = %reversal))]
async fn send(state: &AppState, stripe: &Stripe, reversal: Uuid) -> AppResult<bool> {
    let Some(row) = sqlx::query!(
        r#"select r.amount, r.vendor_id, r.payout_id, p.provider_ref as "transfer!"
           from transfer_reversals r join payouts p on p.id = r.payout_id
           where r.id = $1 and r.status = 'pending' and p.provider_ref is not null"#,
        reversal
    )
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(true);
    };
    match stripe.reverse_transfer(&row.transfer, row.amount, reversal).await {
        Ok(reference) => {
            let mut tx = state.pool.begin().await?;
            let done = sqlx::query!(
                "update transfer_reversals set status = 'done', provider_ref = $2, failure_message = null
                 where id = $1 and status = 'pending'",
                reversal,
                reference
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 1 {
                sqlx::query!(
                    "update payouts set reversed = reversed + $2 where id = $1",
                    row.payout_id,
                    row.amount
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!(
                    "insert into ledger_entries (vendor_id, kind, amount, payout_id, external_ref)
                     values ($1, 'transfer_reversal', $2, $3, $4) on conflict do nothing",
                    row.vendor_id,
                    row.amount,
                    row.payout_id,
                    reference
                )
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        }
        Err(error) => {
            let definite = is_definite(&error);
            tracing::warn!(%error, %reversal, definite, "a transfer reversal failed");
            sqlx::query!(
                "update transfer_reversals set status = case when $3 then 'failed' else status end,
                        failure_message = $2
                 where id = $1",
                reversal,
                error.to_string().chars().take(500).collect::<String>(),
                definite
            )
            .execute(&state.pool)
            .await?;
            Ok(definite)
        }
    }
}
