//! What a shop's money page shows: its balances, its ledger and its payouts.

use crate::accounts::model::Membership;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// One line of a shop's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub at: String,
    pub kind: String,
    pub label: String,
    pub amount: Money,
    pub order_number: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutLine {
    pub at: String,
    pub amount: Money,
    pub status: String,
    pub simulated: bool,
}

/// `/vendor/:shop/money`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyOverview {
    pub membership: Membership,
    /// Everything owed to the shop now.
    pub balance: Money,
    /// Part of the balance old enough to go out with the next payout.
    pub available: Money,
    /// Sales still in their holding period.
    pub on_hold: Money,
    pub payout_delay_days: u32,
    pub commission_bp: i32,
    /// Payouts are simulated: no payment provider moves money.
    pub simulated: bool,
    /// With Stripe: whether the shop has connected its Stripe account (None: test provider).
    pub stripe_connected: Option<bool>,
    /// Why the marketplace holds the shop's payouts, while it does.
    pub payouts_held: Option<String>,
    pub entries: Vec<LedgerLine>,
    pub payouts: Vec<PayoutLine>,
}
