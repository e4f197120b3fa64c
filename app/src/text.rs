//! Small text helpers shared by the server and the browser.

/// The unaccented letter for accented Latin letters ("é" → "e"); other characters unchanged.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// Lower case without accents, for comparing names with what someone typed.
pub fn fold(text: &str) -> String {
    text.to_lowercase().chars().map(fold_accent).collect()
}

/// "Organic Cotton Crew T-Shirt" → "organic-cotton-crew-t-shirt"; "Crème" → "creme" (a
/// `slug::Slug` when it is not empty and not too long).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters pass through).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `text` safe to place between HTML (or XML) tags and inside double-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaped_text_cannot_open_or_close_markup() {
        assert_eq!(
            super::escape_html(r#"</title><a href="x">Tom & 'Jerry'"#),
            "&lt;/title&gt;&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;"
        );
    }

    #[test]
    fn encoded_components_keep_only_unreserved_characters() {
        assert_eq!(
            super::encode_component("/vendor/a b?x=1&y=ü~"),
            "%2Fvendor%2Fa%20b%3Fx%3D1%26y%3D%C3%BC~"
        );
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(super::fold("Crème Brûlée"), "creme brulee");
    }

    #[test]
    fn slugify_keeps_ascii_words() {
        assert_eq!(
            super::slugify("Cedar & Amber Scented Candle"),
            "cedar-amber-scented-candle"
        );
        assert_eq!(super::slugify("  65W  USB-C Charger "), "65w-usb-c-charger");
        assert_eq!(super::slugify("Crème Brûlée Candle"), "creme-brulee-candle");
    }
}

/// An `ilike` pattern matching text that contains `text`, whose `%`, `_` and `\` match
/// themselves (PostgreSQL's default escape is the backslash).
pub fn contains_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A count with its noun: "1 product", "3 products".
pub fn counted(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// An ISO date (`2026-03-12`) as people write it: "12 March 2026". Anything else is kept.
pub fn date_in_words(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = iso.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    match (month.parse::<usize>(), day.get(..2).unwrap_or(day).parse::<u32>()) {
        (Ok(m @ 1..=12), Ok(d @ 1..=31)) if year.len() == 4 => format!("{d} {} {year}", MONTHS[m - 1]),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod date_tests {
    use super::date_in_words;

    #[test]
    fn dates_read_in_words() {
        assert_eq!(date_in_words("2026-03-12"), "12 March 2026");
        assert_eq!(date_in_words("2025-12-01"), "1 December 2025");
        assert_eq!(date_in_words("soon"), "soon");
        assert_eq!(date_in_words("2026-13-01"), "2026-13-01");
    }
}
