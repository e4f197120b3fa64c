//! Wire types of orders: what the confirmation, history and detail pages show.

use super::status::{OrderStatus, VendorOrderStatus};
use crate::accounts::model::AddressInput;
use crate::cart::model::TaxLine;
use crate::catalog::model::VendorLink;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A line of the order history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: i64,
    /// "2026-11-22 14:05" (UTC).
    pub placed: String,
    pub status: OrderStatus,
    pub total: Money,
    pub item_count: u32,
    pub vendor_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    pub title: String,
    pub options: String,
    pub sku: String,
    pub product_slug: String,
    pub unit_price: Money,
    pub quantity: u32,
    /// Units the shop cancelled (refunded) before shipping.
    pub cancelled: u32,
    pub line_total: Money,
}

/// Units of one order item: to cancel, or to put back in stock with a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelLine {
    pub item_id: String,
    pub quantity: u32,
}

/// One vendor's part of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorOrder {
    pub vendor: VendorLink,
    pub status: VendorOrderStatus,
    pub shipping_method: String,
    pub subtotal: Money,
    /// What a discount code took off this shop's goods.
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub refunded: Money,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub items: Vec<OrderItem>,
}

/// A recorded change of status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub at: String,
    /// The vendor whose part changed, when it was not the whole order.
    pub vendor: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub number: i64,
    pub email: String,
    pub placed: String,
    pub status: OrderStatus,
    pub subtotal: Money,
    /// The discount code used and what it took off, if any.
    pub discount: Option<(String, Money)>,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub refunded: Money,
    pub tax_lines: Vec<TaxLine>,
    pub address: AddressInput,
    pub vendors: Vec<VendorOrder>,
    /// "test" or "stripe".
    pub payment_provider: String,
    /// Whether the payment can still be made (pending and not expired).
    pub payable: bool,
    /// What Stripe.js needs to take the payment, while it can be made with Stripe.
    pub stripe: Option<StripeCheckout>,
    pub events: Vec<OrderEvent>,
}

/// The publishable key and the PaymentIntent's client secret, for the Payment Element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StripeCheckout {
    pub publishable_key: String,
    pub client_secret: String,
}

/// The result of placing an order: its number, to pay for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub number: i64,
    pub total: Money,
}
