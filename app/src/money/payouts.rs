//! Paying shops what the ledger owes them. An hourly job pays out each approved shop's balance
//! older than the holding period: simulated with the test provider (booked, no money moves), a
//! transfer to the shop's Stripe Connect account with Stripe. A refund after a payout takes the
//! money back by reversing part of an earlier transfer (`clawback.rs`). Each step is booked in
//! the ledger. A shop whose payouts operators hold (`payouts::actions` in the console) is left
//! alone until they are released.

use super::ledger::balances;
use crate::error::{AppError, AppResult};
use crate::payments::stripe::{Stripe, is_definite};
use crate::state::AppState;
use crate::vendors::shop::Shop;
use sqlx::PgConnection;
use uuid::Uuid;

/// Pays out every approved shop's available balance; returns how many payouts were made.
/// Safe on several instances at once and to repeat: each shop's row is locked while its payout
/// is booked, and the booked payout lowers the balance the next run sees. Payouts and transfer
/// reversals a crash or an unanswered request left pending are sent first (with the same
/// idempotency key, so never twice).
#[tracing::instrument(skip_all)]
pub async fn run_payouts(state: &AppState) -> AppResult<usize> {
    if let Some(stripe) = state.payments.stripe() {
        let unsent = sqlx::query_scalar!(
            "select id from payouts where provider = 'stripe' and status = 'pending'
             and created_at < now() - interval '1 minute'"
        )
        .fetch_all(&state.pool)
        .await?;
        for payout in unsent {
            send(state, stripe, payout).await?;
        }
        super::clawback::resend_pending(state, stripe).await?;
    }
    let vendors = sqlx::query_scalar!(
        "select distinct e.vendor_id from ledger_entries e join vendors v on v.id = e.vendor_id
         where v.status = 'approved' and v.payouts_held_at is null"
    )
    .fetch_all(&state.pool)
    .await?;
    let mut paid = 0;
    for vendor in vendors {
        if let Some(payout) = book(state, vendor).await? {
            if let Some(stripe) = state.payments.stripe() {
                send(state, stripe, payout).await?;
            }
            paid += 1;
        }
    }
    Ok(paid)
}

/// Books a payout of the shop's available balance, if there is one to make.
#[tracing::instrument(skip_all, fields(vendor = %vendor))]
async fn book(state: &AppState, vendor: Uuid) -> AppResult<Option<Uuid>> {
    let mut tx = state.pool.begin().await?;
    let booked = book_in(&mut tx, state, vendor).await?;
    tx.commit().await?;
    Ok(booked.map(|(payout, _)| payout))
}

/// Within `tx`: books a payout of the shop's available balance (its id and amount), or none
/// when there is nothing to pay, its payouts are held, or (with Stripe) it has no account yet.
pub async fn book_in(
    tx: &mut PgConnection,
    state: &AppState,
    vendor: Uuid,
) -> AppResult<Option<(Uuid, i64)>> {
    let shop = sqlx::query!(
        "select stripe_account_id, payouts_held_at is not null as \"held!\" from vendors where id = $1 for update",
        vendor
    )
    .fetch_one(&mut *tx)
    .await?;
    let stripe = state.payments.stripe().is_some();
    if shop.held || (stripe && shop.stripe_account_id.is_none()) {
        return Ok(None); // held by operators, or no Stripe account yet: the balance waits
    }
    let delay = crate::settings::current(tx).await?.payout_delay_days;
    let (_, available) = balances(tx, vendor, delay).await?;
    if available <= 0 {
        return Ok(None);
    }
    let (provider, status, memo) = if stripe {
        ("stripe", "pending", "transfer to your Stripe account")
    } else {
        ("test", "paid", "simulated by the test provider, no money moved")
    };
    let payout = sqlx::query_scalar!(
        "insert into payouts (vendor_id, amount, currency, provider, status, paid_at)
         values ($1, $2, $3, $4, $5, case when $5 = 'paid' then now() end) returning id",
        vendor,
        available,
        state.site.currency.code(),
        provider,
        status
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into ledger_entries (vendor_id, kind, amount, payout_id, memo) values ($1, 'payout', $2, $3, $4)",
        vendor,
        -available,
        payout,
        memo
    )
    .execute(&mut *tx)
    .await?;
    Ok(Some((payout, available)))
}

/// Sends a payout `book_in` booked (with Stripe; the test provider's are paid when booked).
pub async fn send_booked(state: &AppState, payout: Uuid) -> AppResult<()> {
    match state.payments.stripe() {
        Some(stripe) => send(state, stripe, payout).await,
        None => Ok(()),
    }
}

/// Sends a booked Stripe payout as a transfer, with the payout's id as idempotency key. Only a
/// definite refusal (`stripe::is_definite`) marks it failed and returns its amount to the
/// balance; an unclear failure leaves it pending, and the next run sends it again with the same
/// key, which Stripe answers with the transfer it made, if it made one.
#[tracing::instrument(skip_all, fields(payout = %payout))]
async fn send(state: &AppState, stripe: &Stripe, payout: Uuid) -> AppResult<()> {
    let row = sqlx::query!(
        "select p.amount, p.currency, p.vendor_id, v.stripe_account_id from payouts p join vendors v on v.id = p.vendor_id
         where p.id = $1 and p.status = 'pending'",
        payout
    )
    .fetch_optional(&state.pool)
    .await?;
    let Some(row) = row else { return Ok(()) };
    let account = row.stripe_account_id.unwrap_or_default();
    match stripe.transfer(payout, row.amount, &row.currency, &account).await {
        Ok(transfer) => {
            sqlx::query!(
                "update payouts set status = 'paid', provider_ref = $2, paid_at = now(), failure_message = null
                 where id = $1 and status = 'pending'",
                payout,
                transfer
            )
            .execute(&state.pool)
            .await?;
        }
        Err(error) if !is_definite(&error) => {
            tracing::warn!(%error, %payout, "a payout transfer got no clear answer; it stays pending and is retried");
            sqlx::query!(
                "update payouts set failure_message = $2 where id = $1",
                payout,
                error.to_string().chars().take(500).collect::<String>()
            )
            .execute(&state.pool)
            .await?;
        }
        Err(error) => {
            tracing::warn!(%error, %payout, "Stripe refused a payout transfer");
            let mut tx = state.pool.begin().await?;
            sqlx::query!(
                "update payouts set status = 'failed', failure_message = $2 where id = $1",
                payout,
                error.to_string().chars().take(500).collect::<String>()
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into ledger_entries (vendor_id, kind, amount, payout_id, memo)
                 values ($1, 'payout_reversal', $2, $3, 'the transfer failed; the amount is back in your balance')
                 on conflict do nothing",
                row.vendor_id,
                row.amount,
                payout
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// Creates the shop's Stripe Express account if it has none, and returns the link its owner
/// completes it at on Stripe.
pub async fn connect(state: &AppState, shop: &Shop) -> AppResult<String> {
    let stripe = state.payments.stripe().ok_or_else(|| {
        AppError::Conflict("Payouts are simulated here: there is no Stripe account to connect.".into())
    })?;
    let failed = |error: anyhow::Error| {
        tracing::error!(%error, "Stripe Connect onboarding failed");
        AppError::Conflict(
            "Stripe could not be reached to set up your account. Try again in a minute.".into(),
        )
    };
    let row = sqlx::query!(
        "select stripe_account_id, country, coalesce(contact_email, '') as \"email!\" from vendors where id = $1",
        shop.id
    )
    .fetch_one(&state.pool)
    .await?;
    let account = match row.stripe_account_id {
        Some(account) => account,
        None => {
            let account = stripe
                .create_account(shop.id, &row.email, row.country.trim())
                .await
                .map_err(failed)?;
            sqlx::query!(
                "update vendors set stripe_account_id = $2 where id = $1 and stripe_account_id is null",
                shop.id,
                account
            )
            .execute(&state.pool)
            .await?;
            account
        }
    };
    let money = format!(
        "{}/vendor/{}/money",
        state.site.public_url, shop.membership.vendor_slug
    );
    stripe
        .onboarding_link(&account, &money, &crate::ui::Notice::StripeConnected.on(&money))
        .await
        .map_err(failed)
}
