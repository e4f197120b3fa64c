//! The rules of `decode`, one by one.
use super::*;
use std::collections::HashMap;

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A quantity with its own rule and message.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(try_from = "String")]
struct Count(u32);

impl TryFrom<String> for Count {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        text.trim()
            .parse()
            .map(Count)
            .map_err(|_| "Enter a count.".to_string())
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Row {
    name: String,
    values: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Address {
    city: String,
    default_shipping: bool,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Page {
    Add {
        sku: String,
        quantity: Count,
    },
    Save {
        id: Option<String>,
        #[serde(rename = "")]
        address: Address,
    },
    Table {
        #[serde(rename = "option.")]
        options: Vec<Row>,
        #[serde(rename = "stock.")]
        stock: Keyed<u32>,
        #[serde(rename = "method_")]
        methods: HashMap<String, String>,
    },
    SignOut,
}

#[test]
fn the_action_picks_the_variant_and_missing_fields_are_empty() {
    let form = fields(&[("_action", "add"), ("sku", "A-1"), ("quantity", " 3 ")]);
    assert_eq!(
        decode::<Page>(&form),
        Ok(Page::Add {
            sku: "A-1".into(),
            quantity: Count(3)
        })
    );
    let form = fields(&[("_action", "save"), ("city", "Oslo"), ("default_shipping", "on")]);
    assert_eq!(
        decode::<Page>(&form),
        Ok(Page::Save {
            id: None,
            address: Address {
                city: "Oslo".into(),
                default_shipping: true
            }
        })
    );
    assert_eq!(
        decode::<Page>(&fields(&[("_action", "sign-out")])),
        Ok(Page::SignOut)
    );
}

#[test]
fn a_value_that_does_not_parse_is_an_error_on_its_field() {
    let form = fields(&[("_action", "add"), ("sku", "A-1"), ("quantity", "many")]);
    assert_eq!(
        AppError::from(decode::<Page>(&form).unwrap_err()),
        AppError::invalid("quantity", "Enter a count.")
    );
    let form = fields(&[("_action", "add"), ("sku", "A-1")]);
    assert_eq!(
        AppError::from(decode::<Page>(&form).unwrap_err()),
        AppError::invalid("quantity", "Enter a count."),
        "a missing field reads as empty text"
    );
    let form = fields(&[("_action", "table"), ("stock.B", "x")]);
    assert_eq!(
        AppError::from(decode::<Page>(&form).unwrap_err()),
        AppError::invalid("stock.B", "Enter a whole number.")
    );
}

#[test]
fn an_unknown_or_missing_action_is_an_unknown_form() {
    for form in [fields(&[("_action", "drop-tables")]), fields(&[("sku", "A")])] {
        assert_eq!(
            AppError::from(decode::<Page>(&form).unwrap_err()),
            AppError::BadRequest("Unknown form.".into())
        );
    }
}

#[test]
fn rows_keyed_fields_and_maps_are_gathered_in_order() {
    let form = fields(&[
        ("_action", "table"),
        ("option.0.name", "Size"),
        ("option.0.values", "S, M"),
        ("option.1.name", "Colour"),
        ("option.3.name", "after a gap: not read"),
        ("stock.B", "2"),
        ("stock.A", "1"),
        ("method_shop", "express"),
    ]);
    let Ok(Page::Table {
        options,
        stock,
        methods,
    }) = decode::<Page>(&form)
    else {
        panic!("not a table");
    };
    assert_eq!(
        options,
        vec![
            Row {
                name: "Size".into(),
                values: "S, M".into()
            },
            Row {
                name: "Colour".into(),
                values: String::new()
            },
        ]
    );
    assert_eq!(stock, Keyed(vec![("B".into(), 2), ("A".into(), 1)]));
    assert_eq!(methods.get("shop").map(String::as_str), Some("express"));
}

#[test]
fn checkboxes_are_on_when_sent_and_not_false() {
    #[derive(Debug, Deserialize)]
    struct Boxes {
        sent: bool,
        off: bool,
        absent: bool,
    }
    let boxes = decode::<Boxes>(&fields(&[("sent", ""), ("off", "false")])).unwrap();
    assert!(boxes.sent && !boxes.off && !boxes.absent);
}

#[test]
fn a_catch_all_variant_takes_other_actions_and_a_struct_ignores_the_action() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Editor {
        Remove {
            id: String,
        },
        #[serde(rename = "*")]
        Save {
            title: String,
        },
    }
    let form = fields(&[("_action", "product"), ("title", "Mug")]);
    assert_eq!(decode::<Editor>(&form), Ok(Editor::Save { title: "Mug".into() }));
    let form = fields(&[("title", "Mug")]);
    assert_eq!(decode::<Editor>(&form), Ok(Editor::Save { title: "Mug".into() }));
    #[derive(Debug, PartialEq, Deserialize)]
    struct Login {
        email: String,
    }
    let form = fields(&[("_action", "anything"), ("email", "a@b.c")]);
    assert_eq!(
        decode::<Login>(&form),
        Ok(Login {
            email: "a@b.c".into()
        })
    );
}
