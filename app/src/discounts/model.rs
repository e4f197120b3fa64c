//! What the discount pages show and what operators and shops change there.

use crate::accounts::model::Membership;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A code as its list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRow {
    pub id: String,
    pub code: String,
    /// The shop whose code it is; `None` for the marketplace's.
    pub shop: Option<String>,
    /// "10% off", "€5.00 off".
    pub amount: String,
    pub min_subtotal: Option<Money>,
    /// First and last day it can be used (UTC), when limited.
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub uses: i32,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub first_order_only: bool,
    pub state: CodeState,
}

/// Whether a code can be used now, and if not why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeState {
    Active,
    Scheduled,
    Ended,
    UsedUp,
    Disabled,
}

impl CodeState {
    pub fn label(self) -> &'static str {
        match self {
            CodeState::Active => "Active",
            CodeState::Scheduled => "Scheduled",
            CodeState::Ended => "Ended",
            CodeState::UsedUp => "Used up",
            CodeState::Disabled => "Disabled",
        }
    }

    /// Shown dimmed: it cannot be used any more.
    pub fn muted(self) -> bool {
        !matches!(self, CodeState::Active | CodeState::Scheduled)
    }
}

/// The codes of the marketplace (every shop's too) or of one shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Codes {
    pub codes: Vec<CodeRow>,
    /// What a new code of this page costs whom: "Paid by the marketplace" or by the shop.
    pub funded_by: String,
    /// The shop's member looking (a shop's page; `None` in the console).
    pub membership: Option<Membership>,
}

/// A new code as typed in its form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeInput {
    pub code: String,
    /// "percent" or "fixed".
    pub kind: String,
    /// A percentage ("10", "12.5") or an amount ("5.00").
    pub value: String,
    #[serde(default)]
    pub min_subtotal: String,
    /// First and last day (YYYY-MM-DD, UTC), both optional.
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub usage_limit: String,
    #[serde(default)]
    pub per_customer_limit: String,
    #[serde(default)]
    pub first_order_only: bool,
}

/// A change to the codes: each variant is also a form of the discounts page (its `_action`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeAction {
    Create(CodeInput),
    Disable { id: String },
    Enable { id: String },
}
