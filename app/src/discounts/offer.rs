//! What a discount code takes off a cart, in integer minor units. Pure, so the checkout's
//! review and the placing transaction compute the same numbers from the same inputs.
//!
//! The code's amount comes off the goods it covers (every shop's for a marketplace code, its
//! own shop's for a shop's code), spread over the shops in proportion to their goods; each
//! shop's tax is then charged on what the shopper pays for goods and shipping. Shipping and
//! its free-over thresholds stay as the goods' list prices set them.

use crate::cart::model::{Quote, QuoteDiscount};
use crate::cart::pricing::tax_on;
use crate::money::commission::{commission, percent_label};
use crate::money::shares::spread;
use crate::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// What a code takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Amount {
    /// Basis points of the goods (1,000 = 10 %).
    Percent(i32),
    /// Minor units, never more than the goods.
    Fixed(i64),
}

impl Amount {
    /// "10% off", "€5.00 off".
    pub fn label(self, currency: Currency) -> String {
        match self {
            Amount::Percent(bp) => format!("{} off", percent_label(bp)),
            Amount::Fixed(minor) => format!("{} off", Money::new(minor, currency)),
        }
    }
}

/// Whose code it is, and so whose goods it covers and who pays for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// The marketplace's: every shop's goods, paid for by the marketplace.
    Marketplace,
    /// A shop's (by slug, with its name): its own goods only, paid for by the shop.
    Shop { slug: String, name: String },
}

/// A valid code, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub code: String,
    pub scope: Scope,
    pub amount: Amount,
    /// The goods it covers must come to at least this (minor units).
    pub min_subtotal: i64,
}

/// Why an offer takes nothing off a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misfit {
    /// A shop's code, and nothing from that shop in the cart.
    NotInCart { shop: String },
    /// The goods it covers come to less than its minimum.
    BelowMinimum { minimum: Money, shop: Option<String> },
}

impl Misfit {
    /// The shopper's message about code `code`.
    pub fn message(&self, code: &str) -> String {
        match self {
            Misfit::NotInCart { shop } => {
                format!("The code {code} is for {shop}: add something from that shop to use it.")
            }
            Misfit::BelowMinimum { minimum, shop: None } => {
                format!("The code {code} needs an order of at least {minimum} before shipping and tax.")
            }
            Misfit::BelowMinimum {
                minimum,
                shop: Some(shop),
            } => format!("The code {code} needs at least {minimum} of goods from {shop}."),
        }
    }
}

impl Offer {
    /// Whether the marketplace pays for it (else the shop whose code it is).
    pub fn funded_by_marketplace(&self) -> bool {
        self.scope == Scope::Marketplace
    }

    /// What the shopper reads next to the code: "10% off", "€5.00 off at Hearth & Home".
    pub fn label(&self, currency: Currency) -> String {
        match &self.scope {
            Scope::Marketplace => self.amount.label(currency),
            Scope::Shop { name, .. } => format!("{} at {name}", self.amount.label(currency)),
        }
    }

    fn covers(&self, shop: &str) -> bool {
        match &self.scope {
            Scope::Marketplace => true,
            Scope::Shop { slug, .. } => slug == shop,
        }
    }

    /// `quote` with this offer taken off (see the module's notes), or why it takes nothing off.
    pub fn apply(&self, quote: &Quote) -> Result<Quote, Misfit> {
        let covered: Vec<i64> = quote
            .vendors
            .iter()
            .map(|v| {
                if self.covers(&v.vendor.slug) {
                    v.subtotal.minor
                } else {
                    0
                }
            })
            .collect();
        let shop = match &self.scope {
            Scope::Marketplace => None,
            Scope::Shop { name, .. } => Some(name.clone()),
        };
        if let Some(name) = &shop
            && !quote.vendors.iter().any(|v| self.covers(&v.vendor.slug))
        {
            return Err(Misfit::NotInCart { shop: name.clone() });
        }
        let goods: i64 = covered.iter().sum();
        if goods < self.min_subtotal || goods == 0 {
            return Err(Misfit::BelowMinimum {
                minimum: Money::new(self.min_subtotal.max(1), quote.subtotal.currency),
                shop,
            });
        }
        let off = match self.amount {
            Amount::Percent(bp) => commission(goods, bp),
            Amount::Fixed(minor) => minor.min(goods),
        };
        Ok(self.take_off(quote, off, &covered))
    }

    /// `quote` with `off` spread over the shops' `covered` goods, taxes and totals again.
    fn take_off(&self, quote: &Quote, off: i64, covered: &[i64]) -> Quote {
        let currency = quote.subtotal.currency;
        let money = |minor| Money::new(minor, currency);
        let rate_bp = quote.tax_lines.first().map_or(0, |t| t.rate_bp);
        let mut discounted = quote.clone();
        for (vendor, share) in discounted.vendors.iter_mut().zip(spread(off, covered)) {
            let (subtotal, shipping) = (vendor.subtotal.minor, vendor.shipping.minor);
            let tax = tax_on(subtotal - share + shipping, rate_bp);
            vendor.discount = money(share);
            vendor.tax = money(tax);
            vendor.total = money(subtotal - share + shipping + tax);
        }
        let tax: i64 = discounted.vendors.iter().map(|v| v.tax.minor).sum();
        for line in &mut discounted.tax_lines {
            line.amount = money(tax);
        }
        discounted.tax = money(tax);
        discounted.total = money(quote.subtotal.minor - off + quote.shipping.minor + tax);
        discounted.discount = Some(QuoteDiscount {
            code: self.code.clone(),
            label: self.label(currency),
            amount: money(off),
        });
        discounted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::model::{CartLine, Destination};
    use crate::cart::pricing::{TaxRate, VendorCart, quote};
    use crate::catalog::model::VendorLink;
    use std::collections::HashMap;

    fn shop(slug: &str, price: i64) -> VendorCart {
        VendorCart {
            vendor: VendorLink {
                slug: slug.into(),
                name: slug.to_uppercase(),
            },
            lines: vec![CartLine {
                sku: format!("{slug}-1"),
                product_slug: slug.into(),
                title: slug.into(),
                options: String::new(),
                image: None,
                unit_price: Money::new(price, Currency::Usd),
                quantity: 1,
                line_total: Money::new(price, Currency::Usd),
                available: 5,
                price_was: None,
                orderable: true,
            }],
            methods: Vec::new(),
        }
    }

    fn cart(prices: &[(&str, i64)], rate_bp: i32) -> Quote {
        let rate = TaxRate {
            name: "Tax".into(),
            rate_bp,
        };
        quote(
            prices.iter().map(|(slug, price)| shop(slug, *price)).collect(),
            &HashMap::new(),
            (rate_bp > 0).then_some(&rate),
            Destination::default(),
            Currency::Usd,
        )
    }

    fn offer(scope: Scope, amount: Amount, min_subtotal: i64) -> Offer {
        Offer {
            code: "SAVE".into(),
            scope,
            amount,
            min_subtotal,
        }
    }

    fn adds_up(q: &Quote) {
        let off = q.discount.as_ref().map_or(0, |d| d.amount.minor);
        assert_eq!(
            q.total.minor,
            q.subtotal.minor - off + q.shipping.minor + q.tax.minor
        );
        assert_eq!(q.vendors.iter().map(|v| v.discount.minor).sum::<i64>(), off);
        assert_eq!(
            q.vendors.iter().map(|v| v.total.minor).sum::<i64>(),
            q.total.minor
        );
        for v in &q.vendors {
            assert_eq!(
                v.total.minor,
                v.subtotal.minor - v.discount.minor + v.shipping.minor + v.tax.minor
            );
        }
    }

    #[test]
    fn a_marketplace_percentage_spreads_over_every_shop_and_is_taxed_after() {
        let q = cart(&[("a", 3000), ("b", 1000)], 1000);
        let d = offer(Scope::Marketplace, Amount::Percent(1000), 0)
            .apply(&q)
            .unwrap();
        assert_eq!(d.discount.as_ref().unwrap().amount.minor, 400);
        assert_eq!(d.vendors[0].discount.minor, 300);
        assert_eq!(d.vendors[1].discount.minor, 100);
        assert_eq!(d.vendors[0].tax.minor, 270); // 10 % of 27.00
        assert_eq!(d.tax_lines[0].amount, d.tax);
        assert_eq!(d.discount.as_ref().unwrap().label, "10% off");
        adds_up(&d);
    }

    #[test]
    fn a_shops_code_covers_its_own_goods_only() {
        let q = cart(&[("a", 3000), ("b", 1000)], 0);
        let scope = Scope::Shop {
            slug: "b".into(),
            name: "B".into(),
        };
        let d = offer(scope.clone(), Amount::Fixed(2500), 0).apply(&q).unwrap();
        // Never more than the goods it covers.
        assert_eq!(d.vendors[1].discount.minor, 1000);
        assert_eq!(d.vendors[0].discount.minor, 0);
        assert_eq!(d.vendors[0].total, q.vendors[0].total);
        assert_eq!(d.discount.as_ref().unwrap().label, "$25.00 off at B");
        adds_up(&d);
        let only_a = cart(&[("a", 3000)], 0);
        assert_eq!(
            offer(scope, Amount::Fixed(500), 0).apply(&only_a),
            Err(Misfit::NotInCart { shop: "B".into() })
        );
    }

    #[test]
    fn a_minimum_counts_the_goods_the_code_covers() {
        let q = cart(&[("a", 3000), ("b", 1000)], 0);
        let scope = Scope::Shop {
            slug: "b".into(),
            name: "B".into(),
        };
        let refused = offer(scope, Amount::Percent(500), 2000).apply(&q).unwrap_err();
        assert_eq!(
            refused.message("SAVE"),
            "The code SAVE needs at least $20.00 of goods from B."
        );
        assert!(
            offer(Scope::Marketplace, Amount::Percent(500), 4000)
                .apply(&q)
                .is_ok()
        );
        assert!(
            offer(Scope::Marketplace, Amount::Percent(500), 4001)
                .apply(&q)
                .is_err()
        );
    }

    #[test]
    fn cents_are_never_lost_in_the_spread() {
        let q = cart(&[("a", 333), ("b", 333), ("c", 334)], 725);
        for amount in [
            Amount::Fixed(1),
            Amount::Fixed(999),
            Amount::Percent(3333),
            Amount::Percent(10_000),
        ] {
            adds_up(&offer(Scope::Marketplace, amount, 0).apply(&q).unwrap());
        }
        let all = offer(Scope::Marketplace, Amount::Percent(10_000), 0)
            .apply(&q)
            .unwrap();
        assert_eq!(all.total.minor, 0);
    }
}
