//! Checks on what people type into account forms: one clear message per field.

use crate::error::{AppError, AppResult};

/// A usable email address, trimmed and lower-cased. ASCII only: internationalised addresses
/// would let look-alike letters (a Cyrillic "а" for a Latin "a") impersonate another account.
pub fn email(field: &str, raw: &str) -> AppResult<String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid(field, "Enter your email address."));
    }
    if email.len() > 254 {
        return Err(AppError::invalid(field, "That email address is too long."));
    }
    if !email.is_ascii() {
        return Err(AppError::invalid(
            field,
            "Use an address with Latin letters only (international domains in their xn-- form).",
        ));
    }
    let valid = email
        .parse::<lettre::Address>()
        .is_ok_and(|a| a.domain().contains('.'));
    if !valid {
        return Err(AppError::invalid(
            field,
            "That doesn't look like an email address, like name@example.com.",
        ));
    }
    Ok(email)
}

/// A person's name: optional, at most 100 characters, no control characters.
pub fn name(field: &str, raw: &str) -> AppResult<String> {
    text(field, raw, 0, 100, "Your name")
}

/// A trimmed text of `min..=max` characters without control characters.
pub fn text(field: &str, raw: &str, min: usize, max: usize, what: &str) -> AppResult<String> {
    let value = raw.trim().to_string();
    let count = value.chars().count();
    if count < min {
        return Err(AppError::invalid(field, format!("{what} is required.")));
    }
    if count > max {
        return Err(AppError::invalid(
            field,
            format!("{what} can be at most {max} characters."),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            format!("{what} contains characters we can't use."),
        ));
    }
    Ok(value)
}

/// Like `text`, for several lines: line breaks and tabs are allowed, `\r\n` becomes `\n`.
pub fn multiline(field: &str, raw: &str, min: usize, max: usize, what: &str) -> AppResult<String> {
    let value = raw.replace("\r\n", "\n");
    let flat: String = value
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    text(field, &flat, min, max, what)?;
    Ok(value.trim().to_string())
}

/// A country as a two-letter ISO code, upper-cased ("us" → "US").
pub fn country(field: &str, raw: &str) -> AppResult<String> {
    let country = raw.trim().to_uppercase();
    if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(country)
    } else {
        Err(AppError::invalid(
            field,
            "Choose a country (two-letter code such as US or DE).",
        ))
    }
}

/// Where to go after login: a path on this site only (no `//host` or `\\host` escapes).
pub fn next_path(raw: &str) -> String {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && raw.len() <= 500;
    if ok {
        raw.to_string()
    } else {
        "/account".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_bad_ones_explained() {
        assert_eq!(
            email("email", "  Jane.Doe@Example.COM ").unwrap(),
            "jane.doe@example.com"
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@localhost",
            "jаne@example.com",
            "a b@example.com",
        ] {
            let error = email("email", bad).unwrap_err();
            assert!(error.for_field("email").is_some(), "{bad:?} gave {error:?}");
        }
        assert!(email("email", &format!("{}@example.com", "a".repeat(10_000))).is_err());
    }

    #[test]
    fn next_stays_on_the_site() {
        assert_eq!(next_path("/p/shirt?x=1"), "/p/shirt?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(next_path(bad), "/account");
        }
    }

    #[test]
    fn text_limits_are_in_characters() {
        assert_eq!(text("f", " Zoë ", 1, 3, "Name").unwrap(), "Zoë");
        assert!(text("f", "Zoëy", 1, 3, "Name").is_err());
        assert!(text("f", "a\u{0}b", 0, 10, "Name").is_err());
        assert!(text("f", "  ", 1, 10, "Name").is_err());
    }
}
