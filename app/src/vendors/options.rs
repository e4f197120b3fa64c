//! A product's options (e.g. Size: S, M, L × Colour: Navy, Red) and the variants they make:
//! one per combination of values, each with its own SKU, price and stock.

use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};

pub const MAX_OPTIONS: usize = 3;
pub const MAX_VALUES: usize = 20;
pub const MAX_VARIANTS: usize = 100;

/// One option as typed in the editor: its name and its values, comma-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptionInput {
    pub name: String,
    pub values: String,
}

/// An option checked: its name and distinct values, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductOption {
    pub name: String,
    pub values: Vec<String>,
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the options of the editor; rows left empty are skipped. Errors name the field
/// (`option.N.name` / `option.N.values`).
pub fn parse_options(inputs: &[OptionInput]) -> AppResult<Vec<ProductOption>> {
    let mut options: Vec<ProductOption> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let name = clean(&input.name);
        let values: Vec<String> = input
            .values
            .split(',')
            .map(clean)
            .filter(|v| !v.is_empty())
            .collect();
        let field = |part: &str| format!("option.{i}.{part}");
        if name.is_empty() && values.is_empty() {
            continue;
        }
        if name.is_empty() {
            return Err(AppError::invalid(field("name"), "Name this option (e.g. Size)."));
        }
        if values.is_empty() {
            return Err(AppError::invalid(
                field("values"),
                format!("Give the values of {name}, separated by commas (e.g. S, M, L)."),
            ));
        }
        if name.chars().count() > 40 || values.iter().any(|v| v.chars().count() > 40) {
            return Err(AppError::invalid(
                field("values"),
                "Option names and values can be at most 40 characters.",
            ));
        }
        if name
            .chars()
            .chain(values.iter().flat_map(|v| v.chars()))
            .any(char::is_control)
        {
            return Err(AppError::invalid(
                field("values"),
                "Use letters, digits and punctuation only.",
            ));
        }
        if values.len() > MAX_VALUES {
            return Err(AppError::invalid(
                field("values"),
                format!("{name} can have at most {MAX_VALUES} values."),
            ));
        }
        for (j, value) in values.iter().enumerate() {
            if values[..j].iter().any(|v| v.eq_ignore_ascii_case(value)) {
                return Err(AppError::invalid(
                    field("values"),
                    format!("{name} lists “{value}” twice."),
                ));
            }
        }
        if options.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
            return Err(AppError::invalid(
                field("name"),
                format!("There are two options called {name}."),
            ));
        }
        if options.len() == MAX_OPTIONS {
            return Err(AppError::invalid(
                field("name"),
                format!("A product has at most {MAX_OPTIONS} options."),
            ));
        }
        options.push(ProductOption { name, values });
    }
    let count: usize = options.iter().map(|o| o.values.len()).product();
    if count > MAX_VARIANTS {
        return Err(AppError::invalid(
            "option.0.values",
            format!("These options make {count} variants; a product has at most {MAX_VARIANTS}."),
        ));
    }
    Ok(options)
}

/// Every combination of values, the first option varying slowest. No options: one variant
/// with no values.
pub fn combinations(options: &[ProductOption]) -> Vec<Vec<String>> {
    options.iter().fold(vec![Vec::new()], |acc, option| {
        acc.iter()
            .flat_map(|prefix| {
                option.values.iter().map(move |value| {
                    let mut next = prefix.clone();
                    next.push(value.clone());
                    next
                })
            })
            .collect()
    })
}

/// How a variant is named in the editor and in CSV files: its values joined by " / ".
pub fn variant_key(values: &[String]) -> String {
    values.join(" / ")
}

/// A SKU suggested for a new variant: the product's initials and its values, upper case,
/// within the SKU alphabet (`A-Z 0-9 . _ -`, at most 64 characters).
pub fn suggested_sku(title: &str, values: &[String]) -> String {
    let stem: String = crate::text::slugify(title)
        .split('-')
        .filter(|w| !w.is_empty())
        .take(3)
        .map(|w| w.chars().take(4).collect::<String>())
        .collect::<Vec<_>>()
        .join("-");
    let parts = std::iter::once(if stem.is_empty() { "ITEM".to_string() } else { stem })
        .chain(values.iter().map(|v| crate::text::slugify(v)))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_uppercase();
    parts
        .chars()
        .take(64)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Whether `sku` fits the SKU alphabet.
pub fn valid_sku(sku: &str) -> bool {
    let mut chars = sku.chars();
    sku.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, values: &str) -> OptionInput {
        OptionInput {
            name: name.into(),
            values: values.into(),
        }
    }

    #[test]
    fn two_options_make_every_combination() {
        let options = parse_options(&[
            input("Size", "S, M ,L"),
            input("", ""),
            input("Colour", "Navy,Red"),
        ])
        .unwrap();
        let combos = combinations(&options);
        assert_eq!(combos.len(), 6);
        assert_eq!(combos[0], ["S", "Navy"]);
        assert_eq!(combos[5], ["L", "Red"]);
        assert_eq!(combinations(&[]), vec![Vec::<String>::new()]);
    }

    #[test]
    fn bad_options_name_their_field() {
        let field = |inputs: &[OptionInput]| match parse_options(inputs) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(&[input("Size", "")]), "option.0.values");
        assert_eq!(field(&[input("", "S")]), "option.0.name");
        assert_eq!(field(&[input("Size", "S, s")]), "option.0.values");
        assert_eq!(field(&[input("Size", "S"), input("size", "M")]), "option.1.name");
        let many = (0..11).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        assert_eq!(field(&[input("A", &many), input("B", &many)]), "option.0.values");
    }

    #[test]
    fn suggested_skus_are_valid() {
        let sku = suggested_sku(
            "Crème Brûlée Candle, extra large",
            &["XL".into(), "Navy Blue".into()],
        );
        assert_eq!(sku, "CREM-BRUL-CAND-XL-NAVY-BLUE");
        assert!(valid_sku(&sku));
        assert!(valid_sku(&suggested_sku("!!!", &[])));
        assert!(!valid_sku("-A"));
        assert!(!valid_sku("A B"));
    }
}
