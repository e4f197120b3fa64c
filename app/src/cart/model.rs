//! Wire types of the cart and of a priced cart (a quote): what the cart, checkout and review
//! pages show. The same quote is what an order is placed from, so the numbers agree everywhere.

use crate::catalog::model::{ImageRef, VendorLink};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// One line of the cart, priced now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub sku: String,
    pub product_slug: String,
    pub title: String,
    /// "M / Navy", or "" for a product without options.
    pub options: String,
    pub image: Option<ImageRef>,
    pub unit_price: Money,
    pub quantity: u32,
    pub line_total: Money,
    /// Units that can be bought now.
    pub available: u32,
    /// The price when the item was added, when it has changed since.
    pub price_was: Option<Money>,
    /// Whether it can be ordered as it is (product on sale, enough stock).
    pub orderable: bool,
}

impl CartLine {
    /// What is wrong with this line, for the shopper.
    pub fn problem(&self) -> Option<String> {
        if !self.orderable && self.available == 0 {
            Some("No longer available: remove it to check out.".into())
        } else if self.available == 0 {
            Some("Now out of stock: remove it to check out.".into())
        } else if self.quantity > self.available {
            Some(format!(
                "Only {} left: lower the quantity to check out.",
                self.available
            ))
        } else {
            None
        }
    }
}

/// One way a vendor ships, priced for this cart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippingChoice {
    pub id: String,
    pub name: String,
    pub price: Money,
    /// "3–5 days".
    pub days: String,
    /// Free because the vendor's subtotal is over the method's threshold.
    pub free: bool,
}

/// The lines of one vendor with their shipping and tax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorQuote {
    pub vendor: VendorLink,
    pub lines: Vec<CartLine>,
    pub methods: Vec<ShippingChoice>,
    /// The chosen method (the first, cheapest, unless chosen otherwise).
    pub method_id: String,
    pub subtotal: Money,
    /// What a discount code takes off this shop's goods.
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
}

/// One rate of the tax breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxLine {
    pub name: String,
    /// Basis points: 725 = 7.25%.
    pub rate_bp: i32,
    pub amount: Money,
}

impl TaxLine {
    pub fn rate_label(&self) -> String {
        crate::money::commission::percent_label(self.rate_bp)
    }
}

/// Where the goods go, as far as prices are concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub country: String,
    pub region: String,
}

impl Destination {
    /// Where `address` is, for shipping and tax.
    pub fn of(address: &crate::accounts::model::AddressInput) -> Self {
        Self {
            country: address.country.clone(),
            region: address.region.clone(),
        }
    }

    /// A country as a whole (no region).
    pub fn country(country: &str) -> Self {
        Self {
            country: country.to_string(),
            region: String::new(),
        }
    }
}

/// The cart priced for a destination: per vendor and in total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub vendors: Vec<VendorQuote>,
    pub destination: Destination,
    pub subtotal: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub tax_lines: Vec<TaxLine>,
    /// The discount code applied, if any.
    pub discount: Option<QuoteDiscount>,
}

/// A discount code applied to a cart: what it is called, what it takes off in all, and who
/// pays for it (the marketplace, or the shop whose code it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteDiscount {
    pub code: String,
    /// "10% off" or "€5.00 off", and where ("at Hearth & Home").
    pub label: String,
    pub amount: Money,
}

impl Quote {
    pub fn item_count(&self) -> u32 {
        self.vendors
            .iter()
            .flat_map(|v| &v.lines)
            .map(|l| l.quantity)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.vendors.is_empty()
    }

    /// Lines that stop a checkout, with what is wrong.
    pub fn problems(&self) -> Vec<(String, String)> {
        self.vendors
            .iter()
            .flat_map(|v| &v.lines)
            .filter_map(|l| l.problem().map(|p| (l.title.clone(), p)))
            .collect()
    }
}

/// The cart page: the priced cart and a message about what changed, if anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartView {
    pub quote: Quote,
    /// Set once after a login merged a guest cart (or after a line had to be adjusted).
    pub notice: Option<String>,
}
