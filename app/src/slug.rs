//! The one rule for slugs, the last segment of a shop's, product's or category's address.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Lower-case ASCII letters and digits in words joined by single dashes, at most
/// `Slug::MAX_LEN` bytes ("river-pottery", "t-shirts-2").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 120;

    /// Whether `text` is a slug.
    pub fn is_valid(text: &str) -> bool {
        text.len() <= Self::MAX_LEN
            && text
                .split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    }

    /// `text` as a slug, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        Self::is_valid(text).then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = &'static str;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        if Self::is_valid(&text) {
            Ok(Self(text))
        } else {
            Err("Use lower-case letters, digits and single dashes, like “river-pottery”.")
        }
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_dashes() {
        for good in ["t-shirts-2", "a", "river-pottery", &"a".repeat(Slug::MAX_LEN)] {
            assert!(Slug::is_valid(good), "{good:?}");
        }
        let too_long = "a".repeat(Slug::MAX_LEN + 1);
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "é", "a_b", &too_long] {
            assert!(!Slug::is_valid(bad), "{bad:?}");
            assert_eq!(Slug::parse(bad), None);
        }
    }

    #[test]
    fn slugs_travel_as_text_and_are_checked_when_read() {
        let slug = Slug::parse("river-pottery").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"river-pottery\"");
        assert_eq!(serde_json::from_str::<Slug>("\"river-pottery\"").unwrap(), slug);
        assert!(serde_json::from_str::<Slug>("\"River Pottery\"").is_err());
    }
}
