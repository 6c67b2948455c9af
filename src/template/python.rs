//! JSON values seen as the Python objects `json.loads` would make of them (shared by the f-string
//! and Jinja2 engines): `str()`, `repr()` and `ascii()` exactly as Python 3 writes them (strings,
//! ints, floats, `True`/`False`, lists, dicts).
//!
//! One product rule stays: null is empty text under `str()` (an optional input that was not given
//! renders as nothing, as in mustache); `repr()` of null is `None`.

use std::borrow::Cow;
use std::fmt::Write;

use serde_json::{Number, Value};

/// Python's `str(v)` (null: empty text).
pub(crate) fn str_of(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        _ => Cow::Owned(repr(v)),
    }
}

/// Python's `repr(v)`.
pub(crate) fn repr(v: &Value) -> String {
    let mut out = String::new();
    write_repr(v, &mut out);
    out
}

/// Python's `ascii(v)`: `repr` with every non-ASCII character escaped.
pub(crate) fn ascii(v: &Value) -> String {
    let mut out = String::new();
    for c in repr(v).chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            escape_char(c, &mut out);
        }
    }
    out
}

fn write_repr(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => string_repr(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                string_repr(k, out);
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// An int as Python writes it, or a float as `repr(float)` does.
pub(crate) fn number(n: &Number) -> String {
    if n.is_f64() {
        float_repr(n.as_f64().unwrap_or(0.0))
    } else {
        n.to_string()
    }
}

/// `repr(float)`: the shortest digits that round-trip, fixed notation for exponents from -4 to
/// 15, scientific (`1e+16`, `1.5e-05`) outside, and always a `.0` on whole numbers.
pub(crate) fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits too: `1.5e-5`, `-1e16`.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exp) {
        let mut s = String::from(sign);
        if exp < 0 {
            s.push_str("0.");
            s.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            s.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                s.push_str(&digits);
                s.extend(std::iter::repeat_n('0', int_len - digits.len()));
                s.push_str(".0");
            } else {
                s.push_str(&digits[..int_len]);
                s.push('.');
                s.push_str(&digits[int_len..]);
            }
        }
        s
    } else {
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{esign}{:02}", exp.unsigned_abs())
    }
}

/// A str's repr: single quotes unless the text has a single quote and no double quote.
fn string_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if printable(c) => out.push(c),
            c => escape_char(c, out),
        }
    }
    out.push(quote);
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN`, as Python escapes a character.
fn escape_char(c: char, out: &mut String) {
    let n = c as u32;
    let _ = if n < 0x100 {
        write!(out, "\\x{n:02x}")
    } else if n < 0x10000 {
        write!(out, "\\u{n:04x}")
    } else {
        write!(out, "\\U{n:08x}")
    };
}

/// Python's `str.isprintable` for one character, for the characters prompts meet: controls,
/// separators other than the space, and format characters are not printable.
fn printable(c: char) -> bool {
    let n = c as u32;
    !matches!(n,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad | 0x34f | 0x61c | 0x115f..=0x1160 | 0x1680
        | 0x180b..=0x180f | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f | 0x3000
        | 0x3164 | 0xd800..=0xdfff | 0xfe00..=0xfe0f | 0xfeff | 0xffa0 | 0xfff0..=0xfffb
        | 0xe0000..=0xe0fff | 0xf0000..=0x10ffff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reprs_match_python() {
        let cases = [
            (json!("en"), "'en'"),
            (json!("it's"), "\"it's\""),
            (json!("a'b\"c"), "'a\\'b\"c'"),
            (json!("tab\there\n"), "'tab\\there\\n'"),
            (json!("é\u{7}\u{a0}"), "'é\\x07\\xa0'"),
            (json!(true), "True"),
            (json!(null), "None"),
            (json!([1, "a", [false]]), "[1, 'a', [False]]"),
            (json!({"k": 1.5, "n": null}), "{'k': 1.5, 'n': None}"),
            (json!(1.0), "1.0"),
            (json!(1e16), "1e+16"),
            (json!(123456789012345.6), "123456789012345.6"),
            (json!(0.0001), "0.0001"),
            (json!(0.00001), "1e-05"),
            (json!(-2.5e-7), "-2.5e-07"),
            (json!(1.5e300), "1.5e+300"),
        ];
        for (v, want) in cases {
            assert_eq!(repr(&v), want, "{v}");
        }
        assert_eq!(ascii(&json!("é😀")), "'\\xe9\\U0001f600'");
        assert_eq!(str_of(&json!(null)), "");
        assert_eq!(str_of(&json!(false)), "False");
    }
}
