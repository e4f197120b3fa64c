//! What the console's payouts pages show, and what an operator may do to a shop's payouts.

use crate::audit::AuditRow;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A shop's money, as the payouts list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopBalance {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// Everything owed to the shop now.
    pub balance: Money,
    /// Old enough to go out with the next payout.
    pub available: Money,
    /// When and why operators hold its payouts.
    pub held: Option<(String, String)>,
    /// The last payout: its day and status ("paid", "pending", "failed").
    pub last_payout: Option<(String, String)>,
}

/// One payout of one shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayoutRow {
    pub at: String,
    pub shop: String,
    pub shop_slug: String,
    pub amount: Money,
    pub status: String,
    /// Simulated by the test provider: no money moved.
    pub simulated: bool,
    /// Why it failed or waits, as the provider said ("" when it did not).
    pub failure: String,
}

/// Which payouts the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PayoutFilter {
    /// Pending and failed: what needs watching.
    #[default]
    Open,
    Failed,
    Pending,
    All,
}

impl PayoutFilter {
    pub const ALL: [(PayoutFilter, &str, &str); 4] = [
        (PayoutFilter::Open, "", "Pending or failed"),
        (PayoutFilter::Failed, "failed", "Failed"),
        (PayoutFilter::Pending, "pending", "Pending"),
        (PayoutFilter::All, "all", "All"),
    ];

    /// The filter a query string names ("" or anything unknown: open ones).
    pub fn parse(key: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == key)
            .map_or(Self::Open, |(f, _, _)| *f)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, k, _)| k)
    }
}

/// The payouts page: shops whose name contains `q` (a page of them), and the payouts the
/// filter chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayoutsOverview {
    pub shops: Vec<ShopBalance>,
    pub q: String,
    pub page: u32,
    pub pages: u32,
    pub payouts: Vec<PayoutRow>,
    pub filter: PayoutFilter,
    /// Payouts are simulated (test provider): no money moves.
    pub simulated: bool,
    pub payout_delay_days: u32,
}

/// A line of a shop's ledger with the balance after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunningLine {
    pub at: String,
    pub label: String,
    pub order_number: Option<i64>,
    pub amount: Money,
    pub balance: Money,
}

/// One shop's payouts and ledger (newest first, a page of it) with the running balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopPayouts {
    pub shop: ShopBalance,
    pub payouts: Vec<PayoutRow>,
    pub ledger: Vec<RunningLine>,
    pub page: u32,
    pub pages: u32,
    pub audit: Vec<AuditRow>,
}

/// What an operator does to a shop's payouts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum PayoutAction {
    /// The payout job leaves the shop's balance alone until released; the shop reads why.
    Hold {
        reason: String,
    },
    Release,
    /// Pays out the available balance now (retrying a failed payout: its amount is back).
    PayNow,
}
