//! A submitted form decoded into a typed value with serde, once, at the page's edge.
//!
//! The rules, which are those of an HTML form:
//! - A struct reads each of its fields by name; a field the form did not send reads as empty
//!   text, as a missing input would. `Option<T>` is `None` when the text is empty.
//! - `bool` is a checkbox: sent, and not `"false"`.
//! - Numbers are parsed from the text; a value that does not parse is an error on that field.
//!   Newtypes with `#[serde(try_from = "String")]` parse with their own rule and message.
//! - An enum is a page's set of forms, chosen by the `_action` field; a variant renamed `"*"`
//!   takes any other action. An action no variant names is "Unknown form.".
//! - A field holding a struct reads that struct's fields with its own name as a prefix
//!   (`#[serde(rename = "")]` reads them from the top level).
//! - A `Vec` of structs is a table of rows named `{name}{i}.{field}`, i = 0, 1, ... while
//!   the form has any field of row i (name the field `"option."` for `option.0.name`, ...).
//! - A map (or `Keyed`) gathers every field whose name starts with its name, keyed by the rest
//!   (`"stock."` gathers `stock.SKU-1`, `stock.SKU-2`, ...).
//!
//! An error names the field that failed, so the page shows it next to that field.

use crate::error::AppError;
use field::Field;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

mod field;

/// The field that names which form of a page was submitted.
pub const ACTION_FIELD: &str = "_action";
/// The variant name that takes every action no other variant names.
const ANY_ACTION: &str = "*";

/// Why a form could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The `_action` names no form of this page.
    UnknownForm,
    /// A field's value did not fit; `field` is its full name in the form.
    Field { field: Option<String>, message: String },
}

impl DecodeError {
    fn at(self, name: &str) -> Self {
        match self {
            Self::Field { field: None, message } => Self::Field {
                field: Some(name.to_string()),
                message,
            },
            other => other,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownForm => f.write_str("Unknown form."),
            Self::Field { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self::Field {
            field: None,
            message: message.to_string(),
        }
    }

    fn unknown_variant(_variant: &str, _expected: &'static [&'static str]) -> Self {
        Self::UnknownForm
    }
}

impl From<DecodeError> for AppError {
    fn from(error: DecodeError) -> Self {
        match error {
            DecodeError::UnknownForm => AppError::BadRequest("Unknown form.".into()),
            DecodeError::Field {
                field: Some(field),
                message,
            } => AppError::invalid(field, message),
            DecodeError::Field { field: None, message } => AppError::BadRequest(message),
        }
    }
}

/// Decodes the `fields` of a submitted form into `T`.
pub fn decode<'de, T: Deserialize<'de>>(fields: &'de [(String, String)]) -> Result<T, DecodeError> {
    T::deserialize(Form { fields, prefix: "" })
}

/// The first value of the field named `name`.
fn value_of<'de>(fields: &'de [(String, String)], name: &str) -> Option<&'de str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Fields gathered by a name prefix, in the order the form sent them, keyed by the rest of
/// their names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed<T>(pub Vec<(String, T)>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Keyed<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("fields sharing a name prefix")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Keyed(entries))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// A whole form, or the fields of one row or nested struct (`prefix`).
struct Form<'de, 'p> {
    fields: &'de [(String, String)],
    prefix: &'p str,
}

impl<'de> Deserializer<'de> for Form<'de, '_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom(
            "A form decodes into a struct or an enum of forms.",
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(Declared {
            fields: self.fields,
            prefix: self.prefix,
            names: names.iter(),
            current: String::new(),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let tag = value_of(self.fields, ACTION_FIELD).unwrap_or_default();
        let tag = if variants.iter().all(|v| *v != tag) && variants.contains(&ANY_ACTION) {
            ANY_ACTION
        } else {
            tag
        };
        visitor.visit_enum(Action {
            fields: self.fields,
            tag,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The declared fields of a struct, read by name whether the form sent them or not.
struct Declared<'de, 'p> {
    fields: &'de [(String, String)],
    prefix: &'p str,
    names: std::slice::Iter<'static, &'static str>,
    current: String,
}

impl<'de> de::MapAccess<'de> for Declared<'de, '_> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        let Some(name) = self.names.next() else {
            return Ok(None);
        };
        self.current = format!("{}{name}", self.prefix);
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let name = std::mem::take(&mut self.current);
        let value = value_of(self.fields, &name);
        seed.deserialize(Field {
            fields: self.fields,
            name: &name,
            value,
        })
        .map_err(|error| error.at(&name))
    }
}

/// The `_action` of a form and the fields of the variant it names.
struct Action<'de> {
    fields: &'de [(String, String)],
    tag: &'de str,
}

impl<'de> de::EnumAccess<'de> for Action<'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Self::Error> {
        let tag: de::value::StrDeserializer<'de, DecodeError> = self.tag.into_deserializer();
        let variant = seed.deserialize(tag)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Action<'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Self::Error> {
        seed.deserialize(Form {
            fields: self.fields,
            prefix: "",
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("A form is a unit, newtype or struct variant."))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        Form {
            fields: self.fields,
            prefix: "",
        }
        .deserialize_struct("", names, visitor)
    }
}

#[cfg(test)]
mod tests;
