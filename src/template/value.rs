//! What both engines share at render time: how a JSON value becomes text, which values are truthy,
//! and the size-capped output buffer. Lookups by name belong to each engine, not here.

use std::borrow::Cow;

use serde_json::Value;

use super::RenderError;

/// The text a value interpolates as: strings as they are, numbers as JSON writes them (`3`, `1.21`,
/// `1.0`), booleans `true`/`false`, null as nothing, lists and objects as compact JSON.
pub(crate) fn text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        // `Value`'s Display is compact JSON, and for a number that is its JSON text.
        Value::Number(_) | Value::Array(_) | Value::Object(_) => Cow::Owned(v.to_string()),
    }
}

/// Mustache's section test, with JavaScript's notion of falsy for scalars (the spec's reference
/// implementations coerce with `!!data`): null, false, 0, "" and [] are falsy; `{}` is truthy.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

/// A value's kind as an error message names it.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The render result under construction. Every write goes through the size check, so a template
/// that explodes stops at the limit instead of after it has used the memory.
pub(crate) struct Output {
    buf: String,
    limit: usize,
}

impl Output {
    pub(crate) fn new(capacity: usize, limit: usize) -> Self {
        Output {
            buf: String::with_capacity(capacity.min(limit)),
            limit,
        }
    }

    pub(crate) fn push(&mut self, s: &str) -> Result<(), RenderError> {
        if self.buf.len() + s.len() > self.limit {
            return Err(RenderError::OutputTooLarge { limit: self.limit });
        }
        self.buf.push_str(s);
        Ok(())
    }

    /// Writes `c` `n` times, checking the limit first so a huge width cannot allocate.
    pub(crate) fn push_repeat(&mut self, c: char, n: usize) -> Result<(), RenderError> {
        let bytes = c.len_utf8().saturating_mul(n);
        if self.buf.len().saturating_add(bytes) > self.limit {
            return Err(RenderError::OutputTooLarge { limit: self.limit });
        }
        self.buf.extend(std::iter::repeat_n(c, n));
        Ok(())
    }

    /// Writes `s` with the characters the mustache spec escapes (`& " < >`) as HTML entities, and
    /// `'` too (as `&#39;`), as common mustache engines do, so a value is safe in either kind of
    /// quoted attribute.
    pub(crate) fn push_html(&mut self, s: &str) -> Result<(), RenderError> {
        let mut from = 0;
        for (i, b) in s.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'"' => "&quot;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'\'' => "&#39;",
                _ => continue,
            };
            self.push(&s[from..i])?;
            self.push(entity)?;
            from = i + 1;
        }
        self.push(&s[from..])
    }

    pub(crate) fn finish(self) -> String {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_of_each_kind() {
        assert_eq!(text(&json!("a<b")), "a<b");
        assert_eq!(text(&json!(3)), "3");
        assert_eq!(text(&json!(-7)), "-7");
        assert_eq!(text(&json!(1.21)), "1.21");
        assert_eq!(text(&json!(1.0)), "1.0");
        assert_eq!(text(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(text(&json!(true)), "true");
        assert_eq!(text(&json!(null)), "");
        assert_eq!(text(&json!([1, "a", null])), r#"[1,"a",null]"#);
        assert_eq!(text(&json!({"k": [true]})), r#"{"k":[true]}"#);
    }

    #[test]
    fn truthiness() {
        for falsy in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
        ] {
            assert!(!truthy(&falsy), "{falsy}");
        }
        for t in [
            json!(true),
            json!(1),
            json!(-0.5),
            json!("0"),
            json!([0]),
            json!({}),
        ] {
            assert!(truthy(&t), "{t}");
        }
    }

    #[test]
    fn output_limit_is_checked_before_writing() {
        let mut out = Output::new(0, 5);
        out.push("abc").unwrap();
        assert_eq!(
            out.push("def"),
            Err(RenderError::OutputTooLarge { limit: 5 })
        );
        out.push_html("<").unwrap_err();
        assert_eq!(out.finish(), "abc");
    }
}
