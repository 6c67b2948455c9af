//! Typed values from the YAML events the loader has already read, so that a prompt file is
//! parsed once.
//!
//! `model::load` reads a file's events with saphyr-parser (for positions and its own checks) and
//! hands them here; `from_events` drives the `Deserialize` types of `model::prompt` over them.
//! The types are then built the way serde_yaml_ng builds them from the same text: every scalar
//! is typed by its rules (plain `~`, `true`, `12`, `0.5`; quoted and block scalars are text).
//! This deserializer knows only success: whenever it is unsure (a tag, a `0x` number, an integer
//! beyond 64 bits) or the data does not fit the type, it gives up with `Unsure`, and the loader
//! asks serde_yaml_ng instead, whose errors (message and position) are the ones users see.

use std::borrow::Cow;
use std::fmt;

use saphyr_parser::ScalarStyle;
use serde::de::{self, DeserializeSeed, Visitor};

/// One event of a document's node tree, as the deserializer needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ev<'a> {
    Scalar(Cow<'a, str>, ScalarStyle),
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
}

/// The events do not give this type, or not surely as serde_yaml_ng would: ask it instead.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unsure;

impl fmt::Display for Unsure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not decided from the events")
    }
}

impl std::error::Error for Unsure {}

impl de::Error for Unsure {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsure
    }
}

/// Builds a `T` from the events of one document (its root node and nothing else).
pub(crate) fn from_events<'de, T: de::Deserialize<'de>>(events: Vec<Ev<'de>>) -> Result<T, Unsure> {
    if events.is_empty() {
        // No root node: serde_yaml_ng's answer for an empty document is its own.
        return Err(Unsure);
    }
    let mut de = EventDeserializer { events, at: 0 };
    let value = T::deserialize(&mut de)?;
    if de.at == de.events.len() {
        Ok(value)
    } else {
        Err(Unsure)
    }
}

struct EventDeserializer<'de> {
    events: Vec<Ev<'de>>,
    at: usize,
}

impl<'de> EventDeserializer<'de> {
    fn peek(&self) -> Result<&Ev<'de>, Unsure> {
        self.events.get(self.at).ok_or(Unsure)
    }

    /// Takes the next event, leaving an empty scalar in its place (each event is read once).
    fn next(&mut self) -> Result<Ev<'de>, Unsure> {
        let slot = self.events.get_mut(self.at).ok_or(Unsure)?;
        self.at += 1;
        Ok(std::mem::replace(slot, Ev::SeqEnd))
    }

    /// The next event if it is a plain scalar: the only kind serde_yaml_ng types.
    fn next_plain(&mut self) -> Result<Cow<'de, str>, Unsure> {
        match self.next()? {
            Ev::Scalar(value, ScalarStyle::Plain) => Ok(value),
            _ => Err(Unsure),
        }
    }

    fn sequence<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Unsure> {
        let value = visitor.visit_seq(Elements { de: self })?;
        match self.next()? {
            Ev::SeqEnd => Ok(value),
            _ => Err(Unsure),
        }
    }

    fn mapping<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Unsure> {
        let value = visitor.visit_map(Entries { de: self })?;
        match self.next()? {
            Ev::MapEnd => Ok(value),
            _ => Err(Unsure),
        }
    }
}

fn visit_text<'de, V: Visitor<'de>>(visitor: V, text: Cow<'de, str>) -> Result<V::Value, Unsure> {
    match text {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

/// What serde_yaml_ng makes of an untagged plain scalar when any type would do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Plain {
    Null,
    Bool(bool),
    Unsigned(u64),
    Negative(i64),
    Float(f64),
    Text,
    /// A form this module does not mirror (`0x1F`, `-0o7`, integers beyond 64 bits).
    Unsure,
}

/// `~`, `null`, `Null`, `NULL`.
fn is_null(s: &str) -> bool {
    matches!(s, "~" | "null" | "Null" | "NULL")
}

/// The three spellings of each boolean (YAML 1.2 core schema: no `yes`/`on`).
fn as_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A leading zero followed by more digits (`007`, `-01`): text in YAML 1.2, not a number.
fn zero_padded(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `0x`, `0o` or `0b` after at most one sign: the radix forms are left to serde_yaml_ng.
fn has_radix_prefix(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    body.starts_with("0x") || body.starts_with("0o") || body.starts_with("0b")
}

/// An optional sign and at least one ASCII digit, nothing else.
fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// serde_yaml_ng's float reading: `.inf` and `.nan` spellings, else Rust's own parse, finite only.
pub(crate) fn as_float(s: &str) -> Option<f64> {
    let unsigned = match s.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => s,
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(s, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Types a plain scalar as serde_yaml_ng does for `deserialize_any`: empty and the null
/// spellings are null, then booleans, integers (unsigned first), floats, and text.
pub(crate) fn resolve_plain(s: &str) -> Plain {
    if s.is_empty() || is_null(s) {
        return Plain::Null;
    }
    if let Some(b) = as_bool(s) {
        return Plain::Bool(b);
    }
    if has_radix_prefix(s) {
        return Plain::Unsure;
    }
    if is_decimal(s) && !zero_padded(s) {
        if !s.starts_with('-') {
            return s
                .trim_start_matches('+')
                .parse::<u64>()
                .map_or(Plain::Unsure, Plain::Unsigned);
        }
        return s.parse::<i64>().map_or(Plain::Unsure, Plain::Negative);
    }
    if !zero_padded(s) {
        if let Some(f) = as_float(s) {
            return Plain::Float(f);
        }
    }
    Plain::Text
}

impl<'de> de::Deserializer<'de> for &mut EventDeserializer<'de> {
    type Error = Unsure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.next()? {
            Ev::Scalar(text, ScalarStyle::Plain) => match resolve_plain(&text) {
                Plain::Null => visitor.visit_unit(),
                Plain::Bool(b) => visitor.visit_bool(b),
                Plain::Unsigned(n) => visitor.visit_u64(n),
                Plain::Negative(n) => visitor.visit_i64(n),
                Plain::Float(f) => visitor.visit_f64(f),
                Plain::Text => visit_text(visitor, text),
                Plain::Unsure => Err(Unsure),
            },
            Ev::Scalar(text, _) => visit_text(visitor, text),
            Ev::SeqStart => self.sequence(visitor),
            Ev::MapStart => self.mapping(visitor),
            Ev::SeqEnd | Ev::MapEnd => Err(Unsure),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        visitor.visit_bool(as_bool(&self.next_plain()?).ok_or(Unsure)?)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        let text = self.next_plain()?;
        // One `+` or `-`, then decimal digits without padding; the radix forms go to the fallback.
        if has_radix_prefix(&text) || !is_decimal(&text) || zero_padded(&text) {
            return Err(Unsure);
        }
        visitor.visit_i64(text.trim_start_matches('+').parse().map_err(|_| Unsure)?)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match resolve_plain(&self.next_plain()?) {
            Plain::Unsigned(n) => visitor.visit_u64(n),
            _ => Err(Unsure),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        // Unlike `deserialize_any`, serde_yaml_ng reads `007` as 7.0 here.
        visitor.visit_f64(as_float(&self.next_plain()?).ok_or(Unsure)?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_str(visitor)
    }

    /// Any scalar is its text here, whatever its style: `name: 12` is the string "12".
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.next()? {
            Ev::Scalar(text, _) => visit_text(visitor, text),
            _ => Err(Unsure),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }

    /// A plain empty or null scalar is `None`; quoted `"~"` and every collection are `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.peek()? {
            Ev::Scalar(text, ScalarStyle::Plain) if text.is_empty() || is_null(text) => {
                self.at += 1;
                visitor.visit_none()
            }
            Ev::SeqEnd | Ev::MapEnd => Err(Unsure),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.next_plain()? {
            text if text.is_empty() || is_null(&text) => visitor.visit_unit(),
            _ => Err(Unsure),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        visitor.visit_newtype_struct(self)
    }

    /// A sequence, or a plain empty scalar (`labels:` with nothing after it) as an empty one.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.next()? {
            Ev::SeqStart => self.sequence(visitor),
            Ev::Scalar(text, ScalarStyle::Plain) if text.is_empty() => {
                visitor.visit_seq(de::value::SeqDeserializer::new(std::iter::empty::<()>()))
            }
            _ => Err(Unsure),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        self.deserialize_seq(visitor)
    }

    /// A mapping, or a plain empty scalar (`inputs:` with nothing after it) as an empty one.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.next()? {
            Ev::MapStart => self.mapping(visitor),
            Ev::Scalar(text, ScalarStyle::Plain) if text.is_empty() => visitor.visit_map(
                de::value::MapDeserializer::new(std::iter::empty::<((), ())>()),
            ),
            _ => Err(Unsure),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        self.deserialize_map(visitor)
    }

    /// Unit variants written as a scalar (`role: user`); every other enum form goes to the
    /// fallback.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        match self.peek()? {
            Ev::Scalar(..) => visitor.visit_enum(UnitVariant { de: self }),
            _ => Err(Unsure),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Ev::SeqStart | Ev::MapStart => depth += 1,
                Ev::SeqEnd | Ev::MapEnd => depth = depth.checked_sub(1).ok_or(Unsure)?,
                Ev::Scalar(..) => {}
            }
            if depth == 0 {
                return visitor.visit_unit();
            }
        }
    }
}

struct Elements<'a, 'de> {
    de: &'a mut EventDeserializer<'de>,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Unsure;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unsure> {
        match self.de.peek()? {
            Ev::SeqEnd => Ok(None),
            Ev::MapEnd => Err(Unsure),
            _ => seed.deserialize(&mut *self.de).map(Some),
        }
    }
}

struct Entries<'a, 'de> {
    de: &'a mut EventDeserializer<'de>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Unsure;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unsure> {
        match self.de.peek()? {
            Ev::MapEnd => Ok(None),
            Ev::SeqEnd => Err(Unsure),
            _ => seed.deserialize(&mut *self.de).map(Some),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Unsure> {
        seed.deserialize(&mut *self.de)
    }
}

/// An enum written as its variant's name.
struct UnitVariant<'a, 'de> {
    de: &'a mut EventDeserializer<'de>,
}

impl<'de> de::EnumAccess<'de> for UnitVariant<'_, 'de> {
    type Error = Unsure;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), Unsure> {
        let variant = seed.deserialize(&mut *self.de)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'_, 'de> {
    type Error = Unsure;

    fn unit_variant(self) -> Result<(), Unsure> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Unsure> {
        Err(Unsure)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::{Event, Parser};
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// The events of `text` as the loader records them (no checks: the tests write clean YAML).
    fn events_of(text: &str) -> Vec<Ev<'_>> {
        Parser::new_from_str(text)
            .filter_map(|e| match e.unwrap().0 {
                Event::Scalar(value, style, ..) => Some(Ev::Scalar(value, style)),
                Event::SequenceStart(..) => Some(Ev::SeqStart),
                Event::SequenceEnd => Some(Ev::SeqEnd),
                Event::MappingStart(..) => Some(Ev::MapStart),
                Event::MappingEnd => Some(Ev::MapEnd),
                _ => None,
            })
            .collect()
    }

    /// Builds `T` both ways: when the events give a value, serde_yaml_ng gives the same one.
    fn agree<T: DeserializeOwned + PartialEq + fmt::Debug>(text: &str) -> Option<T> {
        let fast: Result<T, Unsure> = from_events(events_of(text));
        let slow: Result<T, _> = serde_yaml::from_str(text);
        if let Ok(fast) = &fast {
            // Compared as printed, so that NaN equals NaN.
            let slow = slow
                .as_ref()
                .map(|v| format!("{v:?}"))
                .map_err(|e| e.to_string());
            assert_eq!(slow, Ok(format!("{fast:?}")), "{text:?}");
        }
        fast.ok()
    }

    #[test]
    fn plain_scalars_are_typed_as_serde_yaml_ng_types_them() {
        use Plain::*;
        let cases = [
            ("", Null),
            ("~", Null),
            ("null", Null),
            ("Null", Null),
            ("NULL", Null),
            ("nULL", Text),
            ("true", Bool(true)),
            ("False", Bool(false)),
            ("yes", Text),
            ("on", Text),
            ("12", Unsigned(12)),
            ("+12", Unsigned(12)),
            ("0", Unsigned(0)),
            ("-12", Negative(-12)),
            ("-0", Negative(0)),
            ("007", Text),
            ("-01", Text),
            ("+00", Text),
            ("1_000", Text),
            ("+-1", Text),
            ("-", Text),
            ("1.5", Float(1.5)),
            ("1e3", Float(1000.0)),
            ("-1E-2", Float(-0.01)),
            (".5", Float(0.5)),
            ("1.", Float(1.0)),
            ("+1.0", Float(1.0)),
            (".inf", Float(f64::INFINITY)),
            ("+.INF", Float(f64::INFINITY)),
            ("-.Inf", Float(f64::NEG_INFINITY)),
            ("inf", Text),
            ("infinity", Text),
            ("nan", Text),
            ("1e400", Text),
            ("2001-12-14", Text),
            ("0x1F", Unsure),
            ("-0o17", Unsure),
            ("+0b1", Unsure),
            ("18446744073709551615", Unsigned(u64::MAX)),
            ("18446744073709551616", Unsure),
            ("-9223372036854775808", Negative(i64::MIN)),
            ("-9223372036854775809", Unsure),
        ];
        for (text, want) in cases {
            assert_eq!(resolve_plain(text), want, "{text:?}");
        }
        assert!(matches!(resolve_plain(".NaN"), Float(f) if f.is_nan()));
        assert_eq!(resolve_plain("+.nan"), Text);
    }

    #[test]
    fn every_scalar_form_agrees_with_serde_yaml_ng() {
        let words = [
            "",
            "~",
            "null",
            "NULL",
            "true",
            "TRUE",
            "yes",
            "12",
            "+12",
            "-12",
            "-0",
            "007",
            "1.5",
            "1e3",
            ".5",
            "1.",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "0x1F",
            "0o17",
            "1_000",
            "a b",
            "18446744073709551616",
            "-9223372036854775809",
            "é",
        ];
        for word in words {
            for text in [
                format!("v: {word}\n"),
                format!("v: '{word}'\n"),
                format!("v: \"{word}\"\n"),
                format!("v: |\n  {word}\n"),
                format!("v: >-\n  {word}\n"),
                format!("v: [{word}]\n"),
            ] {
                let any = agree::<std::collections::BTreeMap<String, Value>>(&text);
                let unsure = word.contains("0x")
                    || word.contains("0o")
                    || word.len() > 19 && word.bytes().skip(1).all(|b| b.is_ascii_digit());
                let plain = text == format!("v: {word}\n") || text.starts_with("v: [");
                assert_eq!(any.is_some(), !(unsure && plain), "{text:?}");
                agree::<std::collections::BTreeMap<String, Option<String>>>(&text);
                agree::<std::collections::BTreeMap<String, String>>(&text);
                agree::<std::collections::BTreeMap<String, u32>>(&text);
                agree::<std::collections::BTreeMap<String, i64>>(&text);
                agree::<std::collections::BTreeMap<String, f64>>(&text);
                agree::<std::collections::BTreeMap<String, Option<bool>>>(&text);
                agree::<std::collections::BTreeMap<String, Vec<String>>>(&text);
            }
        }
        // Strings take any scalar as written; options take plain null and empty as none.
        let s = agree::<std::collections::BTreeMap<String, Option<String>>>(
            "a: 12\nb: ~\nc: '~'\nd:\n",
        );
        let s = s.unwrap();
        assert_eq!(s["a"].as_deref(), Some("12"));
        assert_eq!(s["b"], None);
        assert_eq!(s["c"].as_deref(), Some("~"));
        assert_eq!(s["d"], None);
        // An empty plain value is an empty list or map.
        let v = agree::<std::collections::BTreeMap<String, Vec<u32>>>("a:\n").unwrap();
        assert!(v["a"].is_empty());
    }

    #[test]
    fn what_does_not_fit_is_left_to_serde_yaml_ng() {
        for text in [
            "v: [1, 2]\n",
            "v: {a: 1}\n",
            "v: 'x'\n",
            "v: -1\n",
            "v: 1.5\n",
            "v: 007\n",
        ] {
            let fast: Result<std::collections::BTreeMap<String, u32>, _> =
                from_events(events_of(text));
            assert_eq!(fast, Err(Unsure), "{text}");
        }
        let fast: Result<Value, _> = from_events(Vec::new());
        assert_eq!(fast, Err(Unsure));
    }
}
