//! Stripe through async-stripe: a PaymentIntent per order (our idempotency key is Stripe's),
//! confirmed in the browser by Stripe's Payment Element, so card data never reaches us;
//! refunds; status look-ups for reconciliation; webhook events verified by signature.

use super::{RemoteStatus, Started};
use std::collections::HashMap;
use std::str::FromStr;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_core::PaymentIntentStatus;
use stripe_core::payment_intent::{
    CancelPaymentIntent, CreatePaymentIntent, CreatePaymentIntentAutomaticPaymentMethods,
    RetrievePaymentIntent,
};
use stripe_core::refund::CreateRefund;
use uuid::Uuid;

/// The keys of a Stripe account, from the configuration.
#[derive(Clone)]
pub struct StripeKeys {
    pub secret_key: String,
    pub publishable_key: String,
    pub webhook_secret: String,
    /// Where the API is (a local stand-in in tests); Stripe's own when `None`.
    pub api_base: Option<String>,
    /// How long one request may take before it counts as unanswered (see `is_definite`).
    pub timeout: std::time::Duration,
}

#[derive(Clone)]
pub struct Stripe {
    client: Client,
    pub publishable_key: String,
    pub(super) webhook_secret: String,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stripe")
            .field("publishable_key", &self.publishable_key)
            .finish()
    }
}

pub(super) fn idempotent(key: &str) -> anyhow::Result<RequestStrategy> {
    Ok(RequestStrategy::Idempotent(
        IdempotencyKey::new(key).map_err(|e| anyhow::anyhow!("bad idempotency key: {e:?}"))?,
    ))
}

/// Whether a failed call to Stripe certainly did nothing, so what it was for may be undone
/// (a payout's amount returned to the balance). Only Stripe's own answer that it refused says
/// so: a 4xx error (an invalid account, insufficient funds, a bad amount; Stripe stores these
/// against the idempotency key and does nothing) other than 409 (a request with the same key
/// still in flight) and 429 (rate limited, not looked at). Everything else is unclear — a
/// timeout, a dropped connection, a 5xx, an answer we could not read: Stripe may have done it,
/// so it stays pending and is retried with the same idempotency key, which returns the same
/// object instead of doing it twice.
pub fn is_definite(error: &anyhow::Error) -> bool {
    match error.downcast_ref::<stripe::StripeError>() {
        Some(stripe::StripeError::Stripe(_, status)) => {
            (400..500).contains(status) && *status != 409 && *status != 429
        }
        // Refused before anything was sent.
        Some(stripe::StripeError::ConfigError(_)) => true,
        _ => false,
    }
}

impl Stripe {
    pub fn new(keys: StripeKeys) -> anyhow::Result<Self> {
        let mut builder = ClientBuilder::new(keys.secret_key).timeout(keys.timeout);
        if let Some(base) = keys.api_base {
            builder = builder.url(base);
        }
        Ok(Self {
            client: builder.build()?,
            publishable_key: keys.publishable_key,
            webhook_secret: keys.webhook_secret,
        })
    }

    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    pub(super) async fn start(
        &self,
        payment: Uuid,
        amount: i64,
        currency: &str,
        idempotency_key: &str,
    ) -> anyhow::Result<Started> {
        let currency = stripe_types::Currency::from_str(&currency.to_lowercase())
            .map_err(|_| anyhow::anyhow!("unknown currency"))?;
        let intent = CreatePaymentIntent::new(amount, currency)
            .automatic_payment_methods(CreatePaymentIntentAutomaticPaymentMethods::new(true))
            .metadata(HashMap::from([("payment_id".to_string(), payment.to_string())]))
            .customize()
            .request_strategy(idempotent(&format!("pi-{idempotency_key}"))?)
            .send(&self.client)
            .await?;
        Ok(Started {
            provider_ref: intent.id.to_string(),
            client_secret: intent.client_secret,
        })
    }

    pub(super) async fn refund(&self, intent: &str, amount: i64, refund: Uuid) -> anyhow::Result<String> {
        let refund = CreateRefund::new()
            .payment_intent(intent)
            .amount(amount)
            .customize()
            .request_strategy(idempotent(&format!("refund-{refund}"))?)
            .send(&self.client)
            .await?;
        Ok(refund.id.to_string())
    }

    pub(super) async fn status(&self, intent: &str) -> anyhow::Result<RemoteStatus> {
        let intent = RetrievePaymentIntent::new(intent).send(&self.client).await?;
        Ok(match intent.status {
            PaymentIntentStatus::Succeeded => RemoteStatus::Succeeded {
                amount: intent.amount_received,
                currency: intent.currency.to_string(),
            },
            PaymentIntentStatus::Canceled => RemoteStatus::Canceled,
            _ => RemoteStatus::Pending,
        })
    }

    pub(super) async fn cancel(&self, intent: &str) -> anyhow::Result<()> {
        CancelPaymentIntent::new(intent).send(&self.client).await?;
        Ok(())
    }
}
