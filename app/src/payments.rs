//! The payment providers behind one interface. `test` is the embedded default: it takes no
//! money, and the shopper decides on the pay page whether the payment succeeds or is declined.
//! `stripe` runs when its keys are configured (see `stripe.rs` and `webhooks.rs`).

mod connect;
pub mod received;
pub mod reconcile;
pub mod stripe;
pub mod webhooks;

use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone, Debug, Default)]
pub enum Payments {
    #[default]
    Test,
    Stripe(Arc<stripe::Stripe>),
}

/// A payment opened with the provider.
#[derive(Debug, Clone)]
pub struct Started {
    /// The provider's id for it.
    pub provider_ref: String,
    /// What the browser needs to confirm it (Stripe's client secret); none for `test`.
    pub client_secret: Option<String>,
}

/// What the provider says about a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteStatus {
    Pending,
    /// Paid: `amount` minor units of `currency` (lower case) received.
    Succeeded {
        amount: i64,
        currency: String,
    },
    Canceled,
}

impl Payments {
    /// The name stored with each payment.
    pub fn provider(&self) -> &'static str {
        match self {
            Self::Test => "test",
            Self::Stripe(_) => "stripe",
        }
    }

    /// Opens a payment of `amount` for the payment row `payment`. `idempotency_key` makes a
    /// retried call return the same payment.
    pub async fn start(
        &self,
        payment: Uuid,
        amount: i64,
        currency: &str,
        idempotency_key: &str,
    ) -> anyhow::Result<Started> {
        match self {
            Self::Test => Ok(Started {
                provider_ref: format!("test_pay_{}", payment.simple()),
                client_secret: None,
            }),
            Self::Stripe(stripe) => stripe.start(payment, amount, currency, idempotency_key).await,
        }
    }

    /// Refunds `amount` of the payment; `refund` is our refund's id (the idempotency key).
    pub async fn refund(&self, provider_ref: &str, amount: i64, refund: Uuid) -> anyhow::Result<String> {
        match self {
            Self::Test => Ok(format!("test_refund_{}", refund.simple())),
            Self::Stripe(stripe) => stripe.refund(provider_ref, amount, refund).await,
        }
    }

    /// Asks the provider where a payment stands (reconciliation).
    pub async fn status(&self, provider_ref: &str) -> anyhow::Result<RemoteStatus> {
        match self {
            // Test payments are decided on the pay page, never behind our back.
            Self::Test => Ok(RemoteStatus::Pending),
            Self::Stripe(stripe) => stripe.status(provider_ref).await,
        }
    }

    /// Cancels an open payment (its order expired or was cancelled).
    pub async fn cancel(&self, provider_ref: &str) -> anyhow::Result<()> {
        match self {
            Self::Test => Ok(()),
            Self::Stripe(stripe) => stripe.cancel(provider_ref).await,
        }
    }

    /// Stripe, when it is the provider (for Connect: onboarding, transfers, reversals).
    pub fn stripe(&self) -> Option<&stripe::Stripe> {
        match self {
            Self::Test => None,
            Self::Stripe(stripe) => Some(stripe),
        }
    }

    /// The publishable key the browser loads Stripe.js with, when Stripe is the provider.
    pub fn stripe_publishable_key(&self) -> Option<&str> {
        match self {
            Self::Test => None,
            Self::Stripe(stripe) => Some(&stripe.publishable_key),
        }
    }
}
