//! Reading a CSV file of products: the header's columns, every row's cells on their own
//! (handle, SKU, price, stock, status, options), problems by line and column.

use super::{COLUMNS, MAX_ROWS, problem};
use crate::money::Money;
use crate::vendors::model::RowError;
use crate::vendors::options::{valid_sku, variant_key};
use crate::vendors::products;
use std::collections::HashMap;

/// One variant row as read, with the line it came from.
pub struct Row {
    pub line: u64,
    cells: HashMap<&'static str, String>,
}

impl Row {
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or_default()
    }
}

/// Reads and checks `bytes`; returns the rows, or every problem found.
pub fn read(bytes: &[u8]) -> Result<Vec<Row>, Vec<RowError>> {
    super::text::check(bytes).map_err(|problem| vec![problem])?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| vec![problem(1, "", format!("The header row could not be read: {e}."))])?
        .clone();
    let mut errors = Vec::new();
    let mut index = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        match COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(name.trim())) {
            Some(column) => {
                index.insert(*column, i);
            }
            None => errors.push(problem(
                1,
                name,
                format!(
                    "Unknown column “{name}”. The columns are: {}.",
                    COLUMNS.join(", ")
                ),
            )),
        }
    }
    for column in ["handle", "title", "category", "sku", "price", "stock"] {
        if !index.contains_key(column) {
            errors.push(problem(1, column, format!("The column “{column}” is missing.")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| p.line()).unwrap_or(0);
                let message = match error.kind() {
                    csv::ErrorKind::UnequalLengths {
                        len, expected_len, ..
                    } => {
                        format!("This row has {len} cells; the header has {expected_len}.")
                    }
                    _ => format!("This row could not be read: {error}."),
                };
                errors.push(problem(line, "", message));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if rows.len() >= MAX_ROWS {
            errors.push(problem(
                line,
                "",
                format!("A file can have at most {MAX_ROWS} rows."),
            ));
            break;
        }
        let cells = index
            .iter()
            .map(|(column, i)| {
                let cell = super::cells::restore(record.get(*i).unwrap_or_default().trim());
                (*column, cell.to_string())
            })
            .collect();
        rows.push(Row { line, cells });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Checks the cells each row has on its own.
pub fn check_cells(rows: &[Row], currency: crate::money::Currency, errors: &mut Vec<RowError>) {
    let mut skus: HashMap<String, u64> = HashMap::new();
    for row in rows {
        let handle = row.get("handle");
        if !crate::slug::Slug::is_valid(handle) {
            errors.push(problem(
                row.line,
                "handle",
                "A handle is lower-case letters, digits and single dashes (like “blue-mug”).",
            ));
        }
        let sku = row.get("sku");
        if !valid_sku(sku) {
            errors.push(problem(
                row.line,
                "sku",
                format!("“{sku}” is not a SKU: up to 64 letters, digits, dots, dashes and underscores."),
            ));
        } else if let Some(first) = skus.insert(sku.to_uppercase(), row.line) {
            errors.push(problem(
                row.line,
                "sku",
                format!("The SKU {sku} is also on line {first}."),
            ));
        }
        if Money::parse_major(row.get("price"), currency).is_none_or(|m| m.minor < 0) {
            errors.push(problem(
                row.line,
                "price",
                format!("“{}” is not a price like 12.50.", row.get("price")),
            ));
        }
        if row
            .get("stock")
            .parse::<i32>()
            .ok()
            .is_none_or(|s| !(0..=1_000_000).contains(&s))
        {
            errors.push(problem(
                row.line,
                "stock",
                "Stock is a whole number from 0 to 1,000,000.",
            ));
        }
        let status = row.get("status");
        if !status.is_empty() && !products::STATUSES.contains(&status) {
            errors.push(problem(
                row.line,
                "status",
                "Status is draft, active or archived.",
            ));
        }
        for i in 1..=3 {
            let (name, value) = (
                row.get(&format!("option{i}_name")),
                row.get(&format!("option{i}_value")),
            );
            if name.is_empty() != value.is_empty() {
                errors.push(problem(
                    row.line,
                    &format!("option{i}_value"),
                    format!("Option {i} needs both a name and a value."),
                ));
            }
        }
    }
}

/// The variant a row is: its option values joined as the editor names variants.
pub fn row_key(row: &Row) -> String {
    let values: Vec<String> = (1..=3)
        .map(|i| row.get(&format!("option{i}_value")).to_string())
        .filter(|v| !v.is_empty())
        .collect();
    variant_key(&values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::catalog_csv::COLUMNS;

    fn errors(text: &str) -> Vec<RowError> {
        read(text.as_bytes()).err().unwrap_or_default()
    }

    #[test]
    fn reading_reports_lines_and_columns() {
        let header = COLUMNS.join(",");
        assert!(
            errors(&format!(
                "{header}\nmug,Mug,,kitchen,active,,,,,,,MUG-1,12.50,3\n"
            ))
            .is_empty()
        );
        let short = errors(&format!("{header}\nmug,Mug\n"));
        assert_eq!((short[0].line, short[0].column.as_str()), (2, ""));
        assert!(short[0].message.contains("2 cells"), "{}", short[0].message);
        let unknown = errors("handle,title,colour\n");
        assert!(unknown.iter().any(|e| e.column == "colour"));
        assert!(
            unknown
                .iter()
                .any(|e| e.column == "sku" && e.message.contains("missing"))
        );
        let latin1 = errors(&format!("{header}\n")).len();
        assert_eq!(latin1, 0);
        let mut bytes = format!("{header}\nmug,Caf").into_bytes();
        bytes.extend_from_slice(&[0xE9, b'\n']);
        let encoding = read(&bytes).err().unwrap();
        assert_eq!((encoding[0].line, encoding[0].column.as_str()), (2, "title"));
        assert!(encoding[0].message.contains("UTF-8"));
    }

    #[test]
    fn cells_are_checked_each() {
        let header = COLUMNS.join(",");
        let rows = read(
            format!("{header}\nMug!,Mug,,kitchen,live,Size,,,,,,bad sku,abc,-1\nmug,Mug,,kitchen,active,,,,,,,A1,1,1\nmug2,Mug,,kitchen,active,,,,,,,a1,1,1\n").as_bytes(),
        )
        .unwrap();
        let mut found = Vec::new();
        check_cells(&rows, crate::money::Currency::default(), &mut found);
        let at = |column: &str| {
            found
                .iter()
                .filter(|e| e.column == column)
                .map(|e| e.line)
                .collect::<Vec<_>>()
        };
        assert_eq!(at("handle"), [2]);
        assert_eq!(at("status"), [2]);
        assert_eq!(at("option1_value"), [2]);
        assert_eq!(at("sku"), [2, 4], "bad, then a duplicate of line 3");
        assert_eq!(at("price"), [2]);
        assert_eq!(at("stock"), [2]);
    }
}
