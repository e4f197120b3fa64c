//! What the settings page shows and what an operator changes there.

use crate::audit::AuditRow;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A tax rate by destination: a country's, or one region's of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxRateRow {
    pub country: String,
    /// "" for the whole country.
    pub region: String,
    pub name: String,
    /// Basis points (725 = 7.25 %).
    pub rate_bp: i32,
}

/// A shipping method new shops start with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippingDefault {
    pub id: String,
    pub name: String,
    pub price: Money,
    /// Free from this subtotal on.
    pub free_over: Option<Money>,
    pub min_days: i32,
    pub max_days: i32,
}

/// The settings page: the values, the tax rates, the shipping defaults and the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformSettings {
    pub commission_bp: i32,
    pub reservation_minutes: i32,
    pub payout_delay_days: i32,
    /// When they last changed ("" when never).
    pub updated: String,
    pub tax_rates: Vec<TaxRateRow>,
    pub shipping: Vec<ShippingDefault>,
    pub history: Vec<AuditRow>,
}

/// The general settings as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GeneralInput {
    /// A percentage ("10", "12.5").
    pub commission: String,
    pub reservation_minutes: String,
    pub payout_delay_days: String,
}

/// A change to the settings: each variant is also a form of the settings page (its
/// `_action`), decoded from the form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingsChange {
    General(GeneralInput),
    /// Adds or replaces the rate of a country (and region).
    SaveTax {
        country: String,
        #[serde(default)]
        region: String,
        name: String,
        /// A percentage ("7.25").
        rate: String,
    },
    DeleteTax {
        country: String,
        #[serde(default)]
        region: String,
    },
    /// Adds a shipping default (no id) or changes one. Amounts in major units ("4.99").
    SaveShipping {
        #[serde(default)]
        id: String,
        name: String,
        price: String,
        #[serde(default)]
        free_over: String,
        min_days: String,
        max_days: String,
    },
    DeleteShipping {
        id: String,
    },
}
