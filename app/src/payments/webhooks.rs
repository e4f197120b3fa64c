//! `POST /webhooks/stripe`: events verified by their signature on the raw body (and a
//! timestamp at most 5 minutes old), then applied once each, whatever their order or repetition.
//! Applying is idempotent on the order's state (a success is applied once, a failure never
//! undoes a success), and the event id is recorded after it was applied: a crash in between
//! only means Stripe's retry is applied as a no-op.

use super::Payments;
use crate::orders::server as orders;
use crate::orders::status::OrderStatus;
use crate::state::AppState;
use stripe_webhook::{EventObject, Webhook, WebhookError};

/// Why an event was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No Stripe keys are configured.
    NotConfigured,
    /// Bad or missing signature, or a stale timestamp: answered 400.
    Unverified(String),
    /// Applying failed; Stripe retries later (answered 500).
    Failed,
}

/// What happened to an event.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// Seen before (a redelivery).
    Duplicate,
    /// Not about a payment of ours, or a type we don't act on.
    Ignored,
    /// A success whose amount or currency is not the payment's: kept, not applied, the
    /// payment marked for review (see `received.rs`).
    HeldForReview,
}

/// What an event asks of an order.
enum Action {
    /// The PaymentIntent, the amount received and its currency.
    Succeeded(String, i64, String),
    Failed(String, String),
    Canceled(String),
    Refunded(String, i64),
}

#[tracing::instrument(skip_all)]
pub async fn stripe_event(state: &AppState, payload: &str, signature: &str) -> Result<Outcome, Refusal> {
    let Payments::Stripe(stripe) = &state.payments else {
        return Err(Refusal::NotConfigured);
    };
    let event = Webhook::construct_event(payload, signature, &stripe.webhook_secret).map_err(|e| {
        let reason = match e {
            WebhookError::BadTimestamp(_) => "the signature's timestamp is too old".to_string(),
            WebhookError::BadSignature | WebhookError::BadHeader(_) | WebhookError::BadKey => {
                "the signature doesn't match".to_string()
            }
            other => format!("the event could not be read: {other}"),
        };
        tracing::warn!(%reason, "webhook refused");
        Refusal::Unverified(reason)
    })?;
    let id = event.id.to_string();
    let failed = |error: crate::error::AppError| {
        tracing::error!(?error, event = %id, "applying a webhook event failed");
        Refusal::Failed
    };
    let seen = sqlx::query_scalar!(
        r#"select exists(select 1 from payment_events where provider = 'stripe' and event_id = $1) as "e!""#,
        id
    )
    .fetch_one(&state.pool)
    .await
    .map_err(|e| failed(e.into()))?;
    if seen {
        return Ok(Outcome::Duplicate);
    }
    let action = match &event.data.object {
        EventObject::PaymentIntentSucceeded(pi) => Some(Action::Succeeded(
            pi.id.to_string(),
            pi.amount_received,
            pi.currency.to_string(),
        )),
        EventObject::PaymentIntentPaymentFailed(pi) => Some(Action::Failed(
            pi.id.to_string(),
            pi.last_payment_error
                .as_ref()
                .and_then(|e| e.message.clone())
                .unwrap_or_else(|| "The payment failed.".into()),
        )),
        EventObject::PaymentIntentCanceled(pi) => Some(Action::Canceled(pi.id.to_string())),
        EventObject::ChargeRefunded(charge) => charge
            .payment_intent
            .as_ref()
            .map(|pi| Action::Refunded(pi.id().to_string(), charge.amount_refunded)),
        _ => None,
    };
    let outcome = match action {
        Some(action) => apply(state, action).await.map_err(failed)?,
        None => Outcome::Ignored,
    };
    sqlx::query!(
        "insert into payment_events (provider, event_id, event_type, payload) values ('stripe', $1, $2, $3)
         on conflict do nothing",
        id,
        event.type_.to_string(),
        serde_json::from_str::<serde_json::Value>(payload).unwrap_or_default()
    )
    .execute(&state.pool)
    .await
    .map_err(|e| failed(e.into()))?;
    Ok(outcome)
}

/// The order paid by the PaymentIntent `intent`, if it is ours.
async fn order_of(state: &AppState, intent: &str) -> crate::error::AppResult<Option<uuid::Uuid>> {
    Ok(sqlx::query_scalar!(
        "select order_id from payments where provider = 'stripe' and provider_ref = $1",
        intent
    )
    .fetch_optional(&state.pool)
    .await?)
}

async fn apply(state: &AppState, action: Action) -> crate::error::AppResult<Outcome> {
    const ACTOR: &str = "provider:stripe";
    let intent = match &action {
        Action::Succeeded(i, ..) | Action::Failed(i, _) | Action::Canceled(i) | Action::Refunded(i, _) => {
            i.clone()
        }
    };
    let Some(order) = order_of(state, &intent).await? else {
        return Ok(Outcome::Ignored);
    };
    match action {
        Action::Succeeded(_, amount, currency) => {
            if !super::received::matches(state, order, amount, &currency).await? {
                return Ok(Outcome::HeldForReview);
            }
            orders::payment_succeeded(state, order, ACTOR).await?
        }
        Action::Failed(_, message) => {
            orders::close_unpaid(state, order, OrderStatus::PaymentFailed, ACTOR, &message).await?;
        }
        Action::Canceled(_) => {
            orders::close_unpaid(state, order, OrderStatus::Cancelled, ACTOR, "payment cancelled").await?;
        }
        Action::Refunded(_, amount) => {
            crate::money::refunds::refunded_elsewhere(state, order, amount, ACTOR).await?
        }
    }
    Ok(Outcome::Applied)
}
