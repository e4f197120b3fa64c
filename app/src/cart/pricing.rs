//! Pricing a cart: shipping per vendor (flat rate, free above a threshold) and tax by
//! destination, in integer minor units. Pure, so the cart page, the checkout and the order
//! placement compute the same numbers from the same inputs.

use super::model::{CartLine, Destination, Quote, ShippingChoice, TaxLine, VendorQuote};
use crate::catalog::model::VendorLink;
use crate::money::{Currency, Money};
use std::collections::HashMap;

/// A vendor's shipping method as stored.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ShippingMethod {
    pub id: String,
    pub name: String,
    pub price: i64,
    pub free_over: Option<i64>,
    pub min_days: i32,
    pub max_days: i32,
}

impl ShippingMethod {
    /// Its price for goods worth `subtotal`, and whether it was made free.
    pub fn price_for(&self, subtotal: i64) -> (i64, bool) {
        match self.free_over {
            Some(threshold) if subtotal >= threshold => (0, self.price > 0),
            _ => (self.price, false),
        }
    }
}

/// The rate that applies at a destination.
#[derive(Debug, Clone, PartialEq)]
pub struct TaxRate {
    pub name: String,
    pub rate_bp: i32,
}

/// `base × rate`, rounded half up to the minor unit.
pub fn tax_on(base: i64, rate_bp: i32) -> i64 {
    (base * i64::from(rate_bp) + 5_000).div_euclid(10_000)
}

/// The lines of one vendor and the methods it ships with.
pub struct VendorCart {
    pub vendor: VendorLink,
    pub lines: Vec<CartLine>,
    pub methods: Vec<ShippingMethod>,
}

/// Prices `vendors` for `destination`. `chosen` maps a vendor's slug to the id of its chosen
/// method; a missing or unknown choice falls back to the vendor's first method. A vendor
/// without methods ships free.
pub fn quote(
    vendors: Vec<VendorCart>,
    chosen: &HashMap<String, String>,
    rate: Option<&TaxRate>,
    destination: Destination,
    currency: Currency,
) -> Quote {
    let money = |minor| Money::new(minor, currency);
    let rate_bp = rate.map_or(0, |r| r.rate_bp);
    let vendors: Vec<VendorQuote> = vendors
        .into_iter()
        .map(|cart| {
            let subtotal: i64 = cart.lines.iter().map(|l| l.line_total.minor).sum();
            let method = chosen
                .get(&cart.vendor.slug)
                .and_then(|id| cart.methods.iter().find(|m| &m.id == id))
                .or_else(|| cart.methods.first());
            let shipping = method.map_or(0, |m| m.price_for(subtotal).0);
            let tax = tax_on(subtotal + shipping, rate_bp);
            let methods = cart
                .methods
                .iter()
                .map(|m| {
                    let (price, free) = m.price_for(subtotal);
                    ShippingChoice {
                        id: m.id.clone(),
                        name: m.name.clone(),
                        price: money(price),
                        days: if m.min_days == m.max_days {
                            format!("{} days", m.max_days)
                        } else {
                            format!("{}–{} days", m.min_days, m.max_days)
                        },
                        free,
                    }
                })
                .collect();
            VendorQuote {
                method_id: method.map(|m| m.id.clone()).unwrap_or_default(),
                vendor: cart.vendor,
                lines: cart.lines,
                methods,
                subtotal: money(subtotal),
                discount: money(0),
                shipping: money(shipping),
                tax: money(tax),
                total: money(subtotal + shipping + tax),
            }
        })
        .collect();
    let sum = |f: fn(&VendorQuote) -> Money| vendors.iter().map(|v| f(v).minor).sum::<i64>();
    let (subtotal, shipping, tax) = (sum(|v| v.subtotal), sum(|v| v.shipping), sum(|v| v.tax));
    let tax_lines = rate
        .filter(|r| r.rate_bp > 0 && !vendors.is_empty())
        .map(|r| TaxLine {
            name: r.name.clone(),
            rate_bp: r.rate_bp,
            amount: money(tax),
        })
        .into_iter()
        .collect();
    Quote {
        vendors,
        destination,
        subtotal: money(subtotal),
        shipping: money(shipping),
        tax: money(tax),
        total: money(subtotal + shipping + tax),
        tax_lines,
        discount: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, price: i64, quantity: u32) -> CartLine {
        CartLine {
            sku: sku.into(),
            product_slug: sku.to_lowercase(),
            title: sku.into(),
            options: String::new(),
            image: None,
            unit_price: Money::new(price, Currency::Usd),
            quantity,
            line_total: Money::new(price * i64::from(quantity), Currency::Usd),
            available: 10,
            price_was: None,
            orderable: true,
        }
    }

    fn methods() -> Vec<ShippingMethod> {
        vec![
            ShippingMethod {
                id: "std".into(),
                name: "Standard".into(),
                price: 499,
                free_over: Some(5000),
                min_days: 3,
                max_days: 5,
            },
            ShippingMethod {
                id: "exp".into(),
                name: "Express".into(),
                price: 1499,
                free_over: None,
                min_days: 1,
                max_days: 1,
            },
        ]
    }

    fn vendor(slug: &str, lines: Vec<CartLine>) -> VendorCart {
        VendorCart {
            vendor: VendorLink {
                slug: slug.into(),
                name: slug.into(),
            },
            lines,
            methods: methods(),
        }
    }

    #[test]
    fn a_line_says_what_keeps_it_from_checkout() {
        let mut l = line("A", 100, 3);
        assert_eq!(l.problem(), None);
        l.available = 2;
        assert_eq!(
            l.problem().as_deref(),
            Some("Only 2 left: lower the quantity to check out.")
        );
        l.available = 0;
        assert_eq!(
            l.problem().as_deref(),
            Some("Now out of stock: remove it to check out.")
        );
        l.orderable = false;
        assert_eq!(
            l.problem().as_deref(),
            Some("No longer available: remove it to check out.")
        );
    }

    #[test]
    fn tax_rounds_half_up_to_the_cent() {
        assert_eq!(tax_on(1000, 725), 73); // 72.5 → 73
        assert_eq!(tax_on(999, 725), 72); // 72.4275 → 72
        assert_eq!(tax_on(0, 2000), 0);
        assert_eq!(tax_on(12_345, 0), 0);
    }

    #[test]
    fn shipping_is_free_over_the_threshold_and_per_vendor() {
        let rate = TaxRate {
            name: "CA".into(),
            rate_bp: 725,
        };
        let q = quote(
            vec![
                vendor("a", vec![line("A1", 2500, 2)]), // 50.00: free standard
                vendor("b", vec![line("B1", 1000, 1)]), // 10.00 + 4.99
            ],
            &HashMap::new(),
            Some(&rate),
            Destination::default(),
            Currency::Usd,
        );
        assert_eq!(q.vendors[0].shipping.minor, 0);
        assert!(q.vendors[0].methods[0].free);
        assert_eq!(q.vendors[1].shipping.minor, 499);
        assert_eq!(q.vendors[1].tax.minor, tax_on(1499, 725));
        assert_eq!(q.subtotal.minor, 6000);
        assert_eq!(q.shipping.minor, 499);
        assert_eq!(q.total.minor, q.subtotal.minor + q.shipping.minor + q.tax.minor);
        assert_eq!(q.tax_lines.len(), 1);
        assert_eq!(q.tax_lines[0].amount, q.tax);
        assert_eq!(q.tax_lines[0].rate_label(), "7.25%");
        assert_eq!(q.item_count(), 3);
    }

    #[test]
    fn a_chosen_method_is_used_and_unknown_choices_fall_back() {
        let mut chosen = HashMap::new();
        chosen.insert("a".to_string(), "exp".to_string());
        chosen.insert("b".to_string(), "nope".to_string());
        let q = quote(
            vec![
                vendor("a", vec![line("A1", 100, 1)]),
                vendor("b", vec![line("B1", 100, 1)]),
            ],
            &chosen,
            None,
            Destination::default(),
            Currency::Usd,
        );
        assert_eq!(q.vendors[0].method_id, "exp");
        assert_eq!(q.vendors[0].shipping.minor, 1499);
        assert_eq!(q.vendors[1].method_id, "std");
        assert!(q.tax_lines.is_empty());
        assert_eq!(q.tax.minor, 0);
    }

    #[test]
    fn rate_labels_drop_needless_zeros() {
        let label = |rate_bp| {
            TaxLine {
                name: String::new(),
                rate_bp,
                amount: Money::new(0, Currency::Usd),
            }
            .rate_label()
        };
        assert_eq!(label(2000), "20%");
        assert_eq!(label(650), "6.5%");
        assert_eq!(label(725), "7.25%");
    }
}
