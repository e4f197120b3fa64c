//! Reconciliation: payments still pending after a while are looked up at the provider, so a
//! missed webhook never leaves a paid order unconfirmed (or an abandoned one holding stock).

use super::RemoteStatus;
use crate::error::AppResult;
use crate::orders::server as orders;
use crate::orders::status::OrderStatus;
use crate::state::AppState;

/// Looks up to `limit` payments pending for longer than `minutes`; returns how many changed.
#[tracing::instrument(skip_all)]
pub async fn stale_payments(state: &AppState, minutes: i32, limit: i64) -> AppResult<usize> {
    let pending = sqlx::query!(
        r#"select p.order_id, p.provider_ref as "provider_ref!" from payments p
           where p.status = 'pending' and p.provider = $1 and p.provider_ref is not null
             and p.review_reason is null
             and p.created_at < now() - make_interval(mins => $2)
           order by p.updated_at limit $3"#,
        state.payments.provider(),
        minutes,
        limit
    )
    .fetch_all(&state.pool)
    .await?;
    let mut changed = 0;
    for payment in pending {
        if one(state, payment.order_id, &payment.provider_ref).await? {
            changed += 1;
        }
        // Looked at: the next run starts with others.
        sqlx::query!(
            "update payments set updated_at = now() where order_id = $1",
            payment.order_id
        )
        .execute(&state.pool)
        .await?;
    }
    Ok(changed)
}

/// Brings one order in line with what the provider says about its payment.
#[tracing::instrument(skip_all, fields(order = %order))]
pub async fn one(state: &AppState, order: uuid::Uuid, provider_ref: &str) -> AppResult<bool> {
    let status = match state.payments.status(provider_ref).await {
        Ok(status) => status,
        Err(error) => {
            tracing::warn!(%error, %order, "asking the provider about a payment failed");
            return Ok(false);
        }
    };
    const ACTOR: &str = "job:reconcile";
    match status {
        RemoteStatus::Pending => Ok(false),
        RemoteStatus::Succeeded { amount, currency } => {
            if !super::received::matches(state, order, amount, &currency).await? {
                return Ok(false);
            }
            orders::payment_succeeded(state, order, ACTOR).await?;
            Ok(true)
        }
        RemoteStatus::Canceled => {
            orders::close_unpaid(state, order, OrderStatus::Cancelled, ACTOR, "payment cancelled").await
        }
    }
}
