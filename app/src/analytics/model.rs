//! The operators' overview: the marketplace's figures for a period, the same figures for the
//! period before it, the days of the period and what sold best.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// The periods the overview offers (a chosen range besides): key and label.
pub const PERIODS: [(&str, &str); 4] = [
    ("today", "Today"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("90", "90 days"),
];

/// The longest range the overview compares (and a report covers): a year and a day.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The figures of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Gross merchandise value: what shoppers paid (goods, shipping and tax).
    pub gmv: Money,
    pub orders: i64,
    /// GMV per order.
    pub average_order: Money,
    pub refunds: Money,
    pub tax: Money,
    /// What the marketplace kept, less commission given back with refunds.
    pub commission: Money,
    pub new_shoppers: i64,
    pub new_shops: i64,
    /// Visitors who viewed a product (one a day each).
    pub viewers: i64,
}

impl Figures {
    /// Orders per visitor who viewed a product, in basis points (`None` without visitors).
    pub fn conversion_bp(&self) -> Option<i64> {
        (self.viewers > 0).then(|| (self.orders * 10_000 + self.viewers / 2) / self.viewers)
    }
}

/// One day of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub gmv: Money,
    pub orders: i64,
}

/// One of the best sellers of the period: a shop, a category or a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub name: String,
    pub amount: Money,
    /// Orders for a shop, units for a category or a product.
    pub count: i64,
}

/// `/admin`'s figures for the chosen period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// The period's key ("today", "7", "30", "90") or "range".
    pub period: String,
    /// First and last day, `YYYY-MM-DD` (UTC), both included.
    pub from: String,
    pub to: String,
    pub figures: Figures,
    /// The same number of days just before.
    pub previous: Figures,
    pub days: Vec<DayFigures>,
    pub top_shops: Vec<Ranked>,
    pub top_categories: Vec<Ranked>,
    pub top_products: Vec<Ranked>,
    /// When the rollups were last brought up to date ("" before the first time).
    pub as_of: String,
}

/// The change from `before` to `now` in whole percent, as the overview writes it.
pub fn change(now: i64, before: i64) -> String {
    if before == 0 {
        return if now == 0 {
            "no change".into()
        } else {
            "new".into()
        };
    }
    let percent = ((now - before) as f64 / before as f64 * 100.0).round() as i64;
    match percent {
        0 => "no change".into(),
        p if p > 0 => format!("+{p} %"),
        p => format!("−{} %", -p),
    }
}

#[cfg(test)]
mod tests {
    use super::change;

    #[test]
    fn changes_read_as_people_say_them() {
        assert_eq!(change(150, 100), "+50 %");
        assert_eq!(change(50, 100), "−50 %");
        assert_eq!(change(100, 100), "no change");
        assert_eq!(change(5, 0), "new");
        assert_eq!(change(0, 0), "no change");
        assert_eq!(change(1001, 1000), "no change");
    }
}
