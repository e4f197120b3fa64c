//! What the marketplace keeps of a sale, and what a refund gives back, in integer minor units.
//!
//! The commission on a vendor order is always the rate applied to what is left of it after
//! refunds, rounded half up (see `part` for the entries a sale and a refund book).

/// Basis points per whole (10,000 bp = 100 %).
pub const BP_PER_WHOLE: i64 = 10_000;

/// The commission on `amount` (≥ 0) at `rate_bp`, rounded half up.
pub fn commission(amount: i64, rate_bp: i32) -> i64 {
    let amount = i128::from(amount.max(0));
    let rate = i128::from(rate_bp.clamp(0, BP_PER_WHOLE as i32));
    ((amount * rate + i128::from(BP_PER_WHOLE / 2)) / i128::from(BP_PER_WHOLE)) as i64
}

/// A rate in basis points as a percentage for people: 1250 → "12.5%".
pub fn percent_label(rate_bp: i32) -> String {
    let whole = rate_bp / 100;
    let fraction = rate_bp % 100;
    if fraction == 0 {
        format!("{whole}%")
    } else if fraction % 10 == 0 {
        format!("{whole}.{}%", fraction / 10)
    } else {
        format!("{whole}.{fraction:02}%")
    }
}

/// A percentage typed by a person ("12", "12.5", "12,25 %") in basis points, 0–100 %.
pub fn parse_percent(input: &str) -> Option<i32> {
    let text = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() || whole.len() > 3 || fraction.len() > 2 {
        return None;
    }
    if !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i32 = whole.parse().ok()?;
    let fraction: i32 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<2}").parse().ok()?
    };
    let bp = whole * 100 + fraction;
    (0..=BP_PER_WHOLE as i32).contains(&bp).then_some(bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up() {
        assert_eq!(commission(1_000, 1_000), 100);
        assert_eq!(commission(5, 1_000), 1); // 0.5 → 1
        assert_eq!(commission(4, 1_000), 0);
        assert_eq!(commission(0, 1_000), 0);
        assert_eq!(commission(12_345, 0), 0);
        assert_eq!(commission(12_345, 10_000), 12_345);
    }

    #[test]
    fn percentages_both_ways() {
        assert_eq!(parse_percent("12"), Some(1_200));
        assert_eq!(parse_percent("12.5 %"), Some(1_250));
        assert_eq!(parse_percent("7,25"), Some(725));
        assert_eq!(parse_percent("100"), Some(10_000));
        for bad in ["", "101", "-1", "1.234", "ten", "1e2", "."] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
        assert_eq!(percent_label(1_250), "12.5%");
        assert_eq!(percent_label(725), "7.25%");
        assert_eq!(percent_label(1_000), "10%");
    }
}
