//! What a shop or an operator searches orders for: an order number, or part of the customer's
//! name or email (or, for operators, a shop's name), and the days they were placed between.
//! Checked once, at the edge.

use crate::error::{AppError, AppResult, Problems};
use chrono::NaiveDate;

/// The most characters of a search the orders list reads.
const SEARCH_MAX: usize = 100;

/// A checked order search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderSearch {
    /// What was typed, trimmed ("" for any).
    pub text: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl OrderSearch {
    /// The search typed into the list's form; a day that isn't one is an error on its field.
    pub fn parse(text: &str, from: &str, to: &str) -> AppResult<Self> {
        let mut problems = Problems::default();
        let day = |field: &str, raw: &str| -> AppResult<Option<NaiveDate>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid(field, "Give a day like 2026-12-03."))
        };
        let from = problems.take(day("from", from));
        let to = problems.take(day("to", to));
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            problems.add("to", "The last day comes after the first.");
        }
        problems.finish()?;
        Ok(Self {
            text: text.trim().chars().take(SEARCH_MAX).collect(),
            from,
            to,
        })
    }

    /// The order number searched for, when the text is one ("#100007" or "100007").
    pub fn number(&self) -> Option<i64> {
        self.text
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
    }

    /// The `ilike` pattern for a name or email ("" when searching by number or not at all);
    /// `%`, `_` and `\` in the text match themselves.
    pub fn pattern(&self) -> String {
        if self.text.is_empty() || self.number().is_some() {
            return String::new();
        }
        crate::text::contains_pattern(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_a_number_or_a_pattern_and_days_are_checked() {
        let by_number = OrderSearch::parse(" #100007 ", "", "").unwrap();
        assert_eq!(
            (by_number.number(), by_number.pattern().as_str()),
            (Some(100007), "")
        );
        let by_name = OrderSearch::parse("ada_%", "2026-12-01", "2026-12-03").unwrap();
        assert_eq!(
            (by_name.number(), by_name.pattern().as_str()),
            (None, "%ada\\_\\%%")
        );
        let error = OrderSearch::parse("", "yesterday", "2026-01-01").unwrap_err();
        assert!(error.for_field("from").is_some());
        let error = OrderSearch::parse("", "2026-12-03", "2026-12-01").unwrap_err();
        assert!(error.for_field("to").is_some());
    }
}
