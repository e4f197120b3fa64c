//! A payment the provider was never asked to open. A remote provider (Stripe) is called after
//! the order is committed; when the server stops in between, or the call fails, the order
//! exists with a payment nobody can pay. The shopper's retry (the same checkout, or placing the
//! same cart again) finds the order and opens its payment then, with the order's own
//! idempotency key again, so a payment the provider did open before the stop is found again
//! rather than doubled.

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Opens the payment of order `number`, if it was never opened.
pub async fn open(state: &AppState, number: i64) -> AppResult<()> {
    let Some(payment) = sqlx::query!(
        "select p.id, p.amount, p.currency, o.idempotency_key from payments p join orders o on o.id = p.order_id
         where o.number = $1 and o.status = 'pending_payment' and p.provider_ref is null",
        number
    )
    .fetch_optional(&state.pool)
    .await?
    else {
        return Ok(());
    };
    let started = state
        .payments
        .start(
            payment.id,
            payment.amount,
            payment.currency.trim(),
            &payment.idempotency_key,
        )
        .await
        .map_err(|error| AppError::internal("the payment provider refused to open a payment", error))?;
    sqlx::query!(
        "update payments set provider_ref = $2, client_secret = $3 where id = $1 and provider_ref is null",
        payment.id,
        started.provider_ref,
        started.client_secret
    )
    .execute(&state.pool)
    .await?;
    Ok(())
}
