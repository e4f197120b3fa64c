//! Cells a spreadsheet would run as a formula (those starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) are exported with a `'` before them, which spreadsheets show as text
//! and do not run; importing takes exactly that quote away again, so an export imports back
//! unchanged.

use std::borrow::Cow;

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell` is quotes (maybe none) and then a character that starts a formula: the
/// cells export adds a quote to, so that import can tell an added quote from the text's own.
fn needs_quote(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A text cell as exported.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell as imported: without the quote `neutralise` added, if it added one.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted_and_everything_reads_back() {
        for (cell, exported) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),
            ("''-1", "'''-1"),
            ("'quoted", "'quoted"),
            ("'", "'"),
            ("", ""),
            ("Mug = cup", "Mug = cup"),
            ("12.50", "12.50"),
        ] {
            assert_eq!(neutralise(cell), exported, "{cell:?}");
            assert_eq!(restore(exported), cell, "{exported:?}");
        }
    }

    #[test]
    fn every_short_cell_of_quotes_and_formula_characters_round_trips() {
        let alphabet = ['\'', '=', '+', '-', '@', '\t', '\r', 'a', ' '];
        let mut cells = vec![String::new()];
        for _ in 0..4 {
            cells = cells
                .iter()
                .flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}")))
                .collect();
            for cell in &cells {
                let exported = neutralise(cell);
                assert!(!exported.starts_with(FORMULA_STARTS), "{cell:?}");
                assert_eq!(restore(&exported), cell, "{cell:?}");
            }
        }
    }
}
