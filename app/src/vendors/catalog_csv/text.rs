//! A CSV file must be text: UTF-8, without NUL bytes. A file that is not is refused as a
//! whole, naming the first cell that is not text by its line and column.

use super::problem;
use crate::vendors::model::RowError;

const NOT_UTF8: &str = "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.";
const NUL: &str = "A cell holds a NUL character (byte 0), which is not text. Remove it and try again.";

/// Checks that `bytes` (after a UTF-8 byte order mark) are text; otherwise the first cell that
/// is not, as (line, column: the header's name for it, or “column N” in the header itself).
pub fn check(bytes: &[u8]) -> Result<(), RowError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let not_text = |cell: &[u8]| {
        if cell.contains(&0) {
            Some(NUL)
        } else if std::str::from_utf8(cell).is_err() {
            Some(NOT_UTF8)
        } else {
            None
        }
    };
    let Some(message) = not_text(bytes) else {
        return Ok(());
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut names: Vec<String> = Vec::new();
    let mut record = csv::ByteRecord::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let line = record.position().map_or(0, |p| p.line());
        for (i, cell) in record.iter().enumerate() {
            if let Some(message) = not_text(cell) {
                let column = match names.get(i) {
                    Some(name) if line > 1 && !name.is_empty() => name.clone(),
                    _ => format!("column {}", i + 1),
                };
                return Err(problem(line, &column, message));
            }
        }
        if names.is_empty() {
            names = record
                .iter()
                .map(|name| String::from_utf8_lossy(name).trim().to_lowercase())
                .collect();
        }
    }
    // Not found cell by cell (a row the reader gave up on): the line of the first bad byte.
    let at = bytes
        .iter()
        .position(|b| *b == 0)
        .unwrap_or_else(|| std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to()));
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    Err(problem(line, "", message))
}

/// `problem` in one sentence: where, then what.
pub fn describe(problem: &RowError) -> String {
    if problem.column.is_empty() {
        format!("Line {}: {} Nothing was imported.", problem.line, problem.message)
    } else {
        format!(
            "Line {}, column “{}”: {} Nothing was imported.",
            problem.line, problem.column, problem.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(bytes: &[u8]) -> (u64, String, bool) {
        let problem = check(bytes).unwrap_err();
        (problem.line, problem.column, problem.message.contains("NUL"))
    }

    #[test]
    fn the_first_cell_that_is_not_text_is_named() {
        assert!(check(b"\xEF\xBB\xBFhandle,title\nmug,Caf\xC3\xA9\n").is_ok());
        assert_eq!(at(b"handle,title\nmug,Mug\0\n"), (2, "title".into(), true));
        assert_eq!(at(b"Handle,Title\nmug,Caf\xE9\n"), (2, "title".into(), false));
        assert_eq!(
            at(b"handle,title\nmug,\"two\nlines\"\nmug,ok\nx\0,y\n"),
            (5, "handle".into(), true),
            "a quoted cell's line breaks count"
        );
        assert_eq!(at(b"handle,ti\xFFtle\n"), (1, "column 2".into(), false));
        assert_eq!(at(b"handle\nmug,one,two\0\n"), (2, "column 3".into(), true));
        // A quote the reader gives up on: the line of the byte.
        assert_eq!(at(b"handle\n\"a\"b\nc\n\xFF\n").0, 4);
    }
}
