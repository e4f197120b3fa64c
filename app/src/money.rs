//! Money in integer minor units (no floats anywhere near prices), and on the server the
//! marketplace's books: the ledger at the centre, what it books (a sale and its commission, a
//! refund and the commission it gives back, payouts), how money is divided (`commission`,
//! `shares`), refunds through the payment provider, and payouts and their reversals through
//! Stripe Connect. Orders call in here when money moves; the providers are in `payments`.

pub mod commission;

#[cfg(feature = "ssr")]
pub mod clawback;
#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod part;
#[cfg(feature = "ssr")]
pub mod payouts;
#[cfg(feature = "ssr")]
pub mod refunds;
#[cfg(feature = "ssr")]
pub mod shares;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The currencies the shop can be configured with (one per shop to start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    #[default]
    Usd,
    Eur,
    Gbp,
    Chf,
    Jpy,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "USD",
            Self::Eur => "EUR",
            Self::Gbp => "GBP",
            Self::Chf => "CHF",
            Self::Jpy => "JPY",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Usd => "$",
            Self::Eur => "€",
            Self::Gbp => "£",
            Self::Chf => "CHF ",
            Self::Jpy => "¥",
        }
    }

    /// Digits after the decimal point (ISO 4217 minor unit).
    pub fn exponent(self) -> u32 {
        match self {
            Self::Jpy => 0,
            _ => 2,
        }
    }
}

impl FromStr for Currency {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "USD" => Ok(Self::Usd),
            "EUR" => Ok(Self::Eur),
            "GBP" => Ok(Self::Gbp),
            "CHF" => Ok(Self::Chf),
            "JPY" => Ok(Self::Jpy),
            other => Err(format!(
                "unsupported currency {other:?} (use USD, EUR, GBP, CHF or JPY)"
            )),
        }
    }
}

/// An amount in minor units (cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses an amount typed by a person in major units ("12", "12.5", "12.50") into minor
    /// units. Refuses negatives, more decimals than the currency has, and absurd sizes.
    pub fn parse_major(input: &str, currency: Currency) -> Option<Self> {
        let input = input.trim();
        let (whole, fraction) = input.split_once('.').unwrap_or((input, ""));
        let exponent = currency.exponent() as usize;
        if whole.is_empty() && fraction.is_empty()
            || whole.len() > 12
            || fraction.len() > exponent
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let fraction: i64 = format!("{fraction:0<exponent$}").parse().unwrap_or(0);
        let minor = whole.checked_mul(10_i64.pow(exponent as u32))? + fraction;
        Some(Self::new(minor, currency))
    }

    /// A refund's amount as typed in form field `field`: more than zero, else a problem there.
    pub fn refund_amount(
        input: &str,
        currency: Currency,
        field: &str,
    ) -> Result<Self, crate::error::AppError> {
        Self::parse_major(input, currency)
            .filter(|m| m.minor > 0)
            .ok_or_else(|| crate::error::AppError::invalid(field, "Give an amount like 12.50."))
    }
}

impl Money {
    /// The amount as a plain decimal ("12.50"), as schema.org and payment APIs want it.
    pub fn decimal(&self) -> String {
        let exponent = self.currency.exponent();
        let unit = 10_u64.pow(exponent);
        // A real minus sign (U+2212), as typeset; a hyphen reads as a dash.
        let sign = if self.minor < 0 { "\u{2212}" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            format!("{sign}{abs}")
        } else {
            format!(
                "{sign}{}.{:0width$}",
                abs / unit,
                abs % unit,
                width = exponent as usize
            )
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A real minus sign (U+2212), as typeset; a hyphen reads as a dash.
        let sign = if self.minor < 0 { "\u{2212}" } else { "" };
        let abs = self.minor.unsigned_abs();
        let exponent = self.currency.exponent();
        let unit = 10_u64.pow(exponent);
        let whole = group_thousands(abs / unit);
        let symbol = self.currency.symbol();
        if exponent == 0 {
            write!(f, "{sign}{symbol}{whole}")
        } else {
            let fraction = abs % unit;
            write!(
                f,
                "{sign}{symbol}{whole}.{fraction:0width$}",
                width = exponent as usize
            )
        }
    }
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minor_units_with_symbol_and_grouping() {
        assert_eq!(Money::new(1234, Currency::Usd).to_string(), "$12.34");
        assert_eq!(Money::new(5, Currency::Eur).to_string(), "€0.05");
        assert_eq!(
            Money::new(123_456_789, Currency::Gbp).to_string(),
            "£1,234,567.89"
        );
        assert_eq!(Money::new(-250, Currency::Usd).to_string(), "\u{2212}$2.50");
        assert_eq!(Money::new(1500, Currency::Jpy).to_string(), "¥1,500");
    }

    #[test]
    fn decimal_has_no_symbol_or_grouping() {
        assert_eq!(Money::new(123_456, Currency::Usd).decimal(), "1234.56");
        assert_eq!(Money::new(7, Currency::Eur).decimal(), "0.07");
        assert_eq!(Money::new(1500, Currency::Jpy).decimal(), "1500");
    }

    #[test]
    fn parses_what_people_type() {
        let usd = |s| Money::parse_major(s, Currency::Usd).map(|m| m.minor);
        assert_eq!(usd("12"), Some(1200));
        assert_eq!(usd("12.5"), Some(1250));
        assert_eq!(usd(" 0.99 "), Some(99));
        assert_eq!(usd(".5"), Some(50));
        assert_eq!(usd("12.345"), None);
        assert_eq!(usd("-3"), None);
        assert_eq!(usd("1e9"), None);
        assert_eq!(usd(""), None);
        assert_eq!(usd("."), None);
        assert_eq!(usd("9999999999999"), None);
        assert_eq!(Money::parse_major("15", Currency::Jpy).map(|m| m.minor), Some(15));
        assert_eq!(Money::parse_major("1.5", Currency::Jpy), None);
    }

    #[test]
    fn currency_codes_round_trip() {
        for c in [
            Currency::Usd,
            Currency::Eur,
            Currency::Gbp,
            Currency::Chf,
            Currency::Jpy,
        ] {
            assert_eq!(c.code().parse::<Currency>(), Ok(c));
        }
        assert!("XXX".parse::<Currency>().is_err());
    }
}
