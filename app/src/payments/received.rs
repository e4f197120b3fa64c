//! What the provider says it received is checked against what the payment asked for before an
//! order counts as paid. A different amount or currency (a partial capture, a PaymentIntent
//! changed at the provider, a bug) is not applied: the payment is marked for review with what
//! was seen, the order keeps waiting for payment (its reservation expires as usual), and
//! reconciliation leaves it alone, so an operator settles it (refund or accept) by hand.

use crate::error::AppResult;
use crate::state::AppState;
use uuid::Uuid;

/// Whether `amount` minor units of `currency` received are exactly what the payment of `order`
/// asked for. When not, marks the payment for review and returns false.
pub async fn matches(state: &AppState, order: Uuid, amount: i64, currency: &str) -> AppResult<bool> {
    let Some(asked) = sqlx::query!("select amount, currency from payments where order_id = $1", order)
        .fetch_optional(&state.pool)
        .await?
    else {
        return Ok(false);
    };
    if asked.amount == amount && asked.currency.trim().eq_ignore_ascii_case(currency) {
        return Ok(true);
    }
    let reason = format!(
        "the provider reported {amount} {} received; the payment asked for {} {}",
        currency.to_uppercase(),
        asked.amount,
        asked.currency.trim()
    );
    tracing::error!(%order, %reason, "a payment does not match its order; held for review");
    sqlx::query!(
        "update payments set review_reason = $2 where order_id = $1",
        order,
        reason
    )
    .execute(&state.pool)
    .await?;
    Ok(false)
}
