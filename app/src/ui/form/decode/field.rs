//! One field of a form as serde reads it: text, a number, a checkbox, an optional value, a
//! nested struct, a table of rows, or the fields gathered by a name prefix.

use super::{DecodeError, Form};
use serde::Deserializer;
use serde::de::{self, DeserializeSeed, Visitor};

/// One field of the form: its full name and its text, if the form sent it.
pub(super) struct Field<'de, 'n> {
    pub(super) fields: &'de [(String, String)],
    pub(super) name: &'n str,
    pub(super) value: Option<&'de str>,
}

impl Field<'_, '_> {
    fn text(&self) -> &str {
        self.value.unwrap_or_default()
    }
}

macro_rules! numbers {
    ($de:lifetime; $($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<$de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.text().trim().parse() {
                Ok(number) => visitor.$visit(number),
                Err(_) => Err(de::Error::custom("Enter a whole number.")),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Field<'de, '_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Some(text) => visitor.visit_borrowed_str(text),
            None => visitor.visit_str(""),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_bool(self.value.is_some_and(|v| v != "false"))
    }

    numbers! { 'de;
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16, deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64, deserialize_u8 => visit_u8, deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32, deserialize_u64 => visit_u64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.text().is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        Form {
            fields: self.fields,
            prefix: self.name,
        }
        .deserialize_struct(name, names, visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(Rows {
            fields: self.fields,
            name: self.name,
            row: 0,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let prefix = self.name;
        visitor.visit_map(Prefixed {
            entries: self.fields.iter(),
            prefix,
            value: None,
        })
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct tuple tuple_struct
        enum identifier ignored_any
    }
}

/// The rows `{name}{i}.…` of a table, while the form has any field of the next row.
struct Rows<'de, 'n> {
    fields: &'de [(String, String)],
    name: &'n str,
    row: usize,
}

impl<'de> de::SeqAccess<'de> for Rows<'de, '_> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let prefix = format!("{}{}.", self.name, self.row);
        if !self.fields.iter().any(|(key, _)| key.starts_with(&prefix)) {
            return Ok(None);
        }
        self.row += 1;
        seed.deserialize(Form {
            fields: self.fields,
            prefix: &prefix,
        })
        .map(Some)
    }
}

/// Every field whose name starts with `prefix`, keyed by the rest of its name.
struct Prefixed<'de, 'n> {
    entries: std::slice::Iter<'de, (String, String)>,
    prefix: &'n str,
    value: Option<(&'de str, &'de str)>,
}

impl<'de> de::MapAccess<'de> for Prefixed<'de, '_> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        for (name, value) in self.entries.by_ref() {
            if let Some(key) = name.strip_prefix(self.prefix) {
                self.value = Some((name, value));
                let key = de::value::BorrowedStrDeserializer::<DecodeError>::new(key);
                return seed.deserialize(key).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let (name, value) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("A value was read before its name."))?;
        seed.deserialize(Field {
            fields: &[],
            name,
            value: Some(value),
        })
        .map_err(|error| error.at(name))
    }
}
