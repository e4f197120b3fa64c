//! What the console's page of one order shows, and what an operator may do to it.

use crate::audit::AuditRow;
use crate::money::Money;
use crate::orders::model::OrderDetail;
use serde::{Deserialize, Serialize};

/// The order's payment as the provider holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolePayment {
    /// "test" or "stripe".
    pub provider: String,
    /// The provider's id for it (a PaymentIntent), "" when it has none yet.
    pub reference: String,
    pub status: String,
    pub amount: Money,
    /// Why it failed, as the provider said ("" when it did not).
    pub failure: String,
}

/// A refund made of one shop's part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleRefund {
    pub at: String,
    pub shop: String,
    pub amount: Money,
    pub reason: String,
    /// Who made it: a person's email, "the shop", "an operator" or the system's job.
    pub by: String,
    pub restocked: bool,
}

/// One shop's part, with what is left to refund and its id for the refund form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolePart {
    pub id: String,
    pub shop: String,
    pub shop_slug: String,
    /// What may still be refunded of it (0 when nothing, or the order is not paid).
    pub refundable: Money,
}

/// One order as operators see it: what the shopper sees, plus the customer's account, the
/// payment, the refunds, the log about it and the form keys of its actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleOrder {
    pub order: OrderDetail,
    /// The customer's account id ("" for a guest).
    pub customer: String,
    pub payment: Option<ConsolePayment>,
    pub parts: Vec<ConsolePart>,
    pub refunds: Vec<ConsoleRefund>,
    pub audit: Vec<AuditRow>,
    /// Whether it waits for its payment (so it may be cancelled).
    pub cancellable: bool,
    /// Whether its payment was taken (so its confirmation may be sent again).
    pub confirmed: bool,
    /// Names the refund forms of this page view, so a repeated post refunds once.
    pub form_key: String,
}

/// What an operator does to an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum OrderAction {
    /// Refunds `amount` (minor units) of one shop's part, with the same limits as the shop's
    /// own refunds; `key` names the ask (the form's key), so a repeat refunds once.
    Refund {
        part: String,
        amount: i64,
        reason: String,
        key: String,
    },
    /// Cancels an order that waits for its payment: stock released, the payment cancelled at
    /// the provider.
    Cancel { reason: String },
    /// Sends the order's confirmation to the customer again.
    ResendConfirmation,
}
