//! Wire types of the checkout: the shopper's choices and what the pages show.

use crate::accounts::model::{Address, AddressInput};
use crate::cart::model::Quote;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The checkout so far, kept in the session between its steps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutDraft {
    pub email: String,
    pub address: AddressInput,
    /// The chosen shipping method per vendor slug.
    pub methods: HashMap<String, String>,
    /// The discount code the shopper applied, if any.
    #[serde(default)]
    pub code: Option<String>,
}

/// What the details form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutDetails {
    /// Guests only; a signed-in shopper orders with their account's address.
    #[serde(default)]
    pub email: String,
    /// A saved address to ship to (signed-in shoppers), or "" for `address`.
    #[serde(default)]
    pub address_id: String,
    #[serde(default)]
    pub address: AddressInput,
    #[serde(default)]
    pub methods: HashMap<String, String>,
}

/// The checkout and review pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub quote: Quote,
    pub draft: CheckoutDraft,
    /// Whether the details step was completed (the review can be shown).
    pub ready: bool,
    /// The signed-in shopper's email, when signed in.
    pub account_email: Option<String>,
    pub addresses: Vec<Address>,
    /// The idempotency key of the order the review page would place.
    pub key: String,
    /// "Test payment" or "Card (Stripe)".
    pub payment_label: String,
    /// Why the applied code no longer takes anything off (the quote is then without it).
    pub code_problem: Option<String>,
}
