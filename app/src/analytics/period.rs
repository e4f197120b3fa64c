//! Which days a period covers (UTC, both ends included) and the period just before it.

use super::model::MAX_RANGE_DAYS;
use crate::error::{AppError, AppResult, Problems};
use chrono::{Days, NaiveDate};

/// A period's first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    /// The period named `key` ("today", "7", "30", "90") ending `today`, or the range
    /// `from`..=`to` (`YYYY-MM-DD`) when `key` is "range". Anything else is the last 30 days.
    pub fn parse(key: &str, from: &str, to: &str, today: NaiveDate) -> AppResult<(String, Span)> {
        let last = |days: u64| Span {
            from: today.checked_sub_days(Days::new(days - 1)).unwrap_or(today),
            to: today,
        };
        match key {
            "today" => Ok(("today".into(), last(1))),
            "7" => Ok(("7".into(), last(7))),
            "90" => Ok(("90".into(), last(90))),
            "range" => Ok(("range".into(), Self::range(from, to)?)),
            _ => Ok(("30".into(), last(30))),
        }
    }

    /// A chosen range: both days given, in order, at most `MAX_RANGE_DAYS` long.
    pub fn range(from: &str, to: &str) -> AppResult<Span> {
        let mut problems = Problems::default();
        let day = |field: &str, text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid(field, "Give a day as YYYY-MM-DD."))
        };
        let from = problems.keep(day("from", from));
        let to = problems.keep(day("to", to));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                problems.add("to", "The last day comes before the first.");
            } else if (to - from).num_days() + 1 > MAX_RANGE_DAYS {
                problems.add("to", format!("A range covers {MAX_RANGE_DAYS} days at most."));
            }
        }
        problems.finish()?;
        Ok(Span {
            from: from.expect("checked"),
            to: to.expect("checked"),
        })
    }

    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The same number of days just before.
    pub fn previous(self) -> Span {
        let days = Days::new(self.days() as u64);
        Span {
            from: self.from.checked_sub_days(days).unwrap_or(self.from),
            to: self.from.pred_opt().unwrap_or(self.from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Span;
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_end_today_and_compare_with_as_many_days_before() {
        let today = day("2026-03-10");
        let (_, week) = Span::parse("7", "", "", today).unwrap();
        assert_eq!((week.from, week.to), (day("2026-03-04"), today));
        let before = week.previous();
        assert_eq!((before.from, before.to), (day("2026-02-25"), day("2026-03-03")));
        let (key, fallback) = Span::parse("nonsense", "", "", today).unwrap();
        assert_eq!((key.as_str(), fallback.days()), ("30", 30));
        let (_, one) = Span::parse("today", "", "", today).unwrap();
        assert_eq!(
            (one.previous().from, one.previous().to),
            (day("2026-03-09"), day("2026-03-09"))
        );
    }

    #[test]
    fn a_range_names_every_problem() {
        let error = Span::range("2026-13-01", "yesterday").unwrap_err();
        assert!(error.for_field("from").is_some() && error.for_field("to").is_some());
        assert!(
            Span::range("2026-03-10", "2026-03-01")
                .unwrap_err()
                .for_field("to")
                .is_some()
        );
        assert!(Span::range("2025-01-01", "2026-03-01").is_err());
        assert_eq!(Span::range("2026-03-01", "2026-03-01").unwrap().days(), 1);
    }
}
