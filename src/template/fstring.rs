//! f-string templates (`template_format: f-string`): Python `str.format` replacement fields over a
//! JSON context, parsed once into literal text and fields with positions.
//!
//! Supported, following Python: `{name}`, attributes `{a.b}` (an object key), indexes `{a[0]}` (a
//! list element when the index is all digits, otherwise an object key, as Python does for a dict),
//! chains `{a.b[0].c}`, `{{` and `}}` for literal braces, conversions `!s`, `!r`, `!a`, and the
//! format-spec subset `[[fill]align][sign][0][width][,|_][.precision][type]` with types `s d f F e
//! E g G %` or none. Not supported (parse errors that say so): positional fields `{}`/`{0}`,
//! nested fields inside a format spec (`{x:{w}}`), the `z` and `#` flags and other types.
//!
//! Where JSON differs from Python objects the output follows the mustache engine, so one prompt
//! renders the same whichever syntax it uses: booleans are `true`/`false`, null is empty text,
//! numbers are written as JSON writes them, lists and objects as compact JSON. `!r` gives the
//! value as compact JSON (a string in double quotes with JSON escapes); `!a` does the same with
//! non-ASCII characters escaped as `\uXXXX`.

use serde_json::{Number, Value};

use super::value::{self, Output};
use super::{LineCounter, ParseError, Pos, RenderError, RenderOptions, UseKind, VarUse};

/// The largest precision a format spec may ask for; more is a mistake, and would let a template
/// allocate without bound before the output limit is checked.
const MAX_PRECISION: usize = 1000;

/// A parsed f-string template: parse once, render many times.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
    /// Total length of the literal text, a hint for the output buffer.
    literal_len: usize,
}

#[derive(Debug, Clone)]
enum Part {
    /// Literal text with `{{`/`}}` already turned into single braces.
    Text(String),
    Field(Field),
}

#[derive(Debug, Clone)]
struct Field {
    /// The field name as written, e.g. `a.b[0]`, for messages.
    text: String,
    /// The first part, looked up in the context object.
    name: String,
    /// Attributes and indexes after the name.
    path: Vec<Segment>,
    conversion: Conversion,
    spec: Option<Spec>,
    pos: Pos,
}

#[derive(Debug, Clone)]
enum Segment {
    /// `.key`
    Attr(String),
    /// `[key]`: a list index when all digits, otherwise an object key.
    Index(String),
}

impl Segment {
    fn key(&self) -> &str {
        match self {
            Segment::Attr(k) | Segment::Index(k) => k,
        }
    }

    fn written(&self) -> String {
        match self {
            Segment::Attr(k) => format!(".{k}"),
            Segment::Index(k) => format!("[{k}]"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conversion {
    None,
    Str,
    Repr,
    Ascii,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
    Center,
    /// `=`: padding between the sign and the digits.
    AfterSign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    /// `-` (the default): a sign only for negative numbers.
    Negative,
    /// `+`: a sign for every number.
    Always,
    /// ` `: a space where a positive number's sign would be.
    Space,
}

#[derive(Debug, Clone)]
struct Spec {
    /// As written after the `:`, for messages.
    text: String,
    fill: Option<char>,
    align: Option<Align>,
    sign: Option<Sign>,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

impl Template {
    /// Parses f-string text. Errors carry the position of the offending brace.
    pub fn parse(src: &str) -> Result<Template, ParseError> {
        let mut lines = LineCounter::new(src);
        let bytes = src.as_bytes();
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut literal_len = 0;
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1)) {
                (b'{', Some(b'{')) => {
                    text.push('{');
                    i += 2;
                }
                (b'}', Some(b'}')) => {
                    text.push('}');
                    i += 2;
                }
                (b'}', _) => {
                    return Err(ParseError::new(
                        lines.pos_at(i),
                        "single `}` outside a field: write `}}` for a literal brace",
                    ))
                }
                (b'{', _) => {
                    let (field, end) = parse_field(src, i, lines.pos_at(i))?;
                    if !text.is_empty() {
                        literal_len += text.len();
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Field(field));
                    i = end;
                }
                _ => {
                    let end = src[i..].find(['{', '}']).map_or(src.len(), |n| i + n);
                    text.push_str(&src[i..end]);
                    i = end;
                }
            }
        }
        if !text.is_empty() {
            literal_len += text.len();
            parts.push(Part::Text(text));
        }
        Ok(Template { parts, literal_len })
    }

    /// Every field, in source order. The path is the name followed by each attribute or index:
    /// `a.b[0]` is `["a", "b", "0"]`. Fields are always [`UseKind::Interpolation`] with no
    /// enclosing sections.
    pub fn variables(&self) -> Vec<VarUse> {
        self.fields()
            .map(|f| VarUse {
                path: std::iter::once(f.name.clone())
                    .chain(f.path.iter().map(|s| s.key().to_string()))
                    .collect(),
                pos: f.pos,
                kind: UseKind::Interpolation,
                sections: Vec::new(),
            })
            .collect()
    }

    fn fields(&self) -> impl Iterator<Item = &Field> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(f) => Some(f),
            Part::Text(_) => None,
        })
    }

    /// Renders against `ctx` (an object whose keys are the field names). Strict mode makes a
    /// missing name, a failed attribute or index lookup an error; lenient mode renders such a
    /// field as empty text. Escaping does not apply to f-strings.
    pub fn render(&self, ctx: &Value, opts: &RenderOptions) -> Result<String, RenderError> {
        let mut out = Output::new(
            self.literal_len + 16 * self.parts.len(),
            opts.max_output_bytes,
        );
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push(text)?,
                Part::Field(field) => {
                    if let Some(v) = field.lookup(ctx, opts.strict)? {
                        field.write(v, &mut out)?;
                    }
                }
            }
        }
        Ok(out.finish())
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Parses the field whose `{` is at `start`; returns it and the offset just past its `}`.
fn parse_field(src: &str, start: usize, pos: Pos) -> Result<(Field, usize), ParseError> {
    let bytes = src.as_bytes();
    let unclosed = || {
        ParseError::new(
            pos,
            "unclosed field: `{` has no matching `}` (write `{{` for a literal brace)",
        )
    };
    let err = |message: String| ParseError::new(pos, message);
    let mut i = start + 1;
    loop {
        match bytes.get(i) {
            None => return Err(unclosed()),
            Some(b'!' | b':' | b'}') => break,
            Some(b'{') => {
                return Err(err(
                    "`{` inside a field name (write `{{` for a literal brace)".to_string(),
                ))
            }
            // An index may hold `.`, `!` or `:`; it ends at `]`.
            Some(b'[') => match src[i..].find([']', '}']) {
                Some(n) if bytes[i + n] == b']' => i += n + 1,
                Some(_) => return Err(err("missing `]` in a field's index".to_string())),
                None => return Err(unclosed()),
            },
            Some(_) => i += 1,
        }
    }
    let text = &src[start + 1..i];
    let (name, path) = parse_name(text, pos)?;

    let mut conversion = Conversion::None;
    if bytes[i] == b'!' {
        let Some(c) = src[i + 1..].chars().next() else {
            return Err(unclosed());
        };
        conversion = match c {
            's' => Conversion::Str,
            'r' => Conversion::Repr,
            'a' => Conversion::Ascii,
            '}' | ':' => return Err(err(format!("missing conversion after `!` in `{text}`"))),
            _ => {
                return Err(err(format!(
                    "unknown conversion `!{c}` in `{text}`: use `!s`, `!r` or `!a`"
                )))
            }
        };
        i += 1 + c.len_utf8();
        match bytes.get(i) {
            Some(b':' | b'}') => {}
            None => return Err(unclosed()),
            Some(_) => {
                return Err(err(format!(
                    "expected `:` or `}}` after the conversion `!{c}` in `{text}`"
                )))
            }
        }
    }

    let mut spec = None;
    if bytes[i] == b':' {
        let from = i + 1;
        let Some(n) = src[from..].find(['{', '}']) else {
            return Err(unclosed());
        };
        if bytes[from + n] == b'{' {
            return Err(err(format!(
                "nested fields in a format spec are not supported (in `{text}`)"
            )));
        }
        spec = parse_spec(&src[from..from + n], text, pos)?;
        i = from + n;
    }
    let field = Field {
        text: text.to_string(),
        name,
        path,
        conversion,
        spec,
        pos,
    };
    Ok((field, i + 1))
}

/// Splits a field name into its first part and the attributes and indexes after it.
fn parse_name(text: &str, pos: Pos) -> Result<(String, Vec<Segment>), ParseError> {
    let err = |message: String| Err(ParseError::new(pos, message));
    if text.is_empty() {
        return err(
            "empty field `{}`: fields must be named, as in `{ticket}` (positional fields \
                    are not supported; write `{{}}` for literal braces)"
                .to_string(),
        );
    }
    let bad_key =
        |key: &str| key.is_empty() || key.contains(|c: char| c.is_whitespace() || c == ']');
    let first_end = text.find(['.', '[']).unwrap_or(text.len());
    let name = &text[..first_end];
    if name.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() {
        return err(format!(
            "positional field `{{{text}}}` is not supported: name the field, as in `{{ticket}}`"
        ));
    }
    if bad_key(name) {
        return err(format!(
            "bad field name in `{{{text}}}`: a name is needed before `.` or `[`, without spaces"
        ));
    }
    let mut path = Vec::new();
    let mut rest = &text[first_end..];
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let attr = &after[..end];
            if bad_key(attr) {
                return err(format!(
                    "bad attribute after `.` in `{{{text}}}`: it must be a name without spaces"
                ));
            }
            path.push(Segment::Attr(attr.to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            // The field scanner only lets `[` through with a matching `]`.
            let end = after.find(']').unwrap_or(after.len());
            let index = &after[..end];
            if index.is_empty() {
                return err(format!("empty index `[]` in `{{{text}}}`"));
            }
            path.push(Segment::Index(index.to_string()));
            rest = after.get(end + 1..).unwrap_or("");
            if !rest.is_empty() && !rest.starts_with(['.', '[']) {
                return err(format!("only `.` or `[` may follow `]` in `{{{text}}}`"));
            }
        } else {
            return err(format!("bad field name `{{{text}}}`"));
        }
    }
    Ok((name.to_string(), path))
}

/// Parses `[[fill]align][sign][0][width][,|_][.precision][type]`; `None` for an empty spec.
fn parse_spec(text: &str, field: &str, pos: Pos) -> Result<Option<Spec>, ParseError> {
    if text.is_empty() {
        return Ok(None);
    }
    let err = |message: String| {
        Err(ParseError::new(
            pos,
            format!("format spec `:{text}` of `{field}`: {message}"),
        ))
    };
    let chars: Vec<char> = text.chars().collect();
    let align_of = |c: char| match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    };
    let mut spec = Spec {
        text: text.to_string(),
        fill: None,
        align: None,
        sign: None,
        zero: false,
        width: 0,
        grouping: None,
        precision: None,
        ty: None,
    };
    let mut i = 0;
    if let Some(align) = chars.get(1).and_then(|c| align_of(*c)) {
        spec.fill = Some(chars[0]);
        spec.align = Some(align);
        i = 2;
    } else if let Some(align) = align_of(chars[0]) {
        spec.align = Some(align);
        i = 1;
    }
    spec.sign = match chars.get(i) {
        Some('+') => Some(Sign::Always),
        Some('-') => Some(Sign::Negative),
        Some(' ') => Some(Sign::Space),
        _ => None,
    };
    if spec.sign.is_some() {
        i += 1;
    }
    if let Some(c @ ('z' | '#')) = chars.get(i) {
        return err(format!("the `{c}` option is not supported"));
    }
    if chars.get(i) == Some(&'0') {
        spec.zero = true;
        i += 1;
    }
    let digits = |i: &mut usize| {
        let from = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        chars[from..*i].iter().collect::<String>()
    };
    let width = digits(&mut i);
    if !width.is_empty() {
        let Ok(width) = width.parse() else {
            return err("the width is too large".to_string());
        };
        spec.width = width;
    }
    if let Some(c @ (',' | '_')) = chars.get(i) {
        spec.grouping = Some(*c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let precision = digits(&mut i);
        if precision.is_empty() {
            return err("a precision is needed after `.`".to_string());
        }
        match precision.parse() {
            Ok(p) if p <= MAX_PRECISION => spec.precision = Some(p),
            _ => return err(format!("the precision is larger than {MAX_PRECISION}")),
        }
    }
    if let Some(&ty) = chars.get(i) {
        if !matches!(ty, 's' | 'd' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%') {
            return err(format!(
                "unsupported type `{ty}` (supported: s, d, f, F, e, E, g, G, %, or none)"
            ));
        }
        spec.ty = Some(ty);
        i += 1;
    }
    if i < chars.len() {
        return err("expected [[fill]align][sign][0][width][,|_][.precision][type]".to_string());
    }
    match spec.ty {
        Some('s') if spec.sign.is_some() => err("a sign applies to numbers, not `s`".to_string()),
        Some('s') if spec.grouping.is_some() => {
            err("a thousands separator applies to numbers, not `s`".to_string())
        }
        Some('s') if spec.align == Some(Align::AfterSign) => {
            err("`=` alignment applies to numbers, not `s`".to_string())
        }
        Some('d') if spec.precision.is_some() => {
            err("a precision is not allowed with `d`".to_string())
        }
        _ => Ok(Some(spec)),
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

impl Field {
    /// The value this field names; `Ok(None)` when lookup fails in lenient mode.
    fn lookup<'v>(&self, ctx: &'v Value, strict: bool) -> Result<Option<&'v Value>, RenderError> {
        let fail = |error: RenderError| if strict { Err(error) } else { Ok(None) };
        let missing = || RenderError::MissingVariable {
            name: self.text.clone(),
            pos: self.pos,
        };
        let Some(mut v) = ctx.as_object().and_then(|m| m.get(&self.name)) else {
            return fail(missing());
        };
        for segment in &self.path {
            v = match (segment, v) {
                (_, Value::Object(map)) => match map.get(segment.key()) {
                    Some(found) => found,
                    None => return fail(missing()),
                },
                (Segment::Index(key), Value::Array(items)) if key.parse::<usize>().is_ok() => {
                    let index = key.parse::<usize>().unwrap_or(usize::MAX);
                    match items.get(index) {
                        Some(found) => found,
                        None => {
                            return fail(RenderError::IndexOutOfRange {
                                field: self.text.clone(),
                                index,
                                len: items.len(),
                                pos: self.pos,
                            })
                        }
                    }
                }
                (_, other) => {
                    return fail(RenderError::NotIndexable {
                        field: self.text.clone(),
                        segment: segment.written(),
                        found: value::kind(other),
                        pos: self.pos,
                    })
                }
            };
        }
        Ok(Some(v))
    }

    fn write(&self, v: &Value, out: &mut Output) -> Result<(), RenderError> {
        let converted = match self.conversion {
            Conversion::None => None,
            Conversion::Str => Some(value::text(v).into_owned()),
            Conversion::Repr => Some(v.to_string()),
            Conversion::Ascii => Some(ascii_escape(&v.to_string())),
        };
        let Some(spec) = &self.spec else {
            return match &converted {
                Some(text) => out.push(text),
                None => out.push(&value::text(v)),
            };
        };
        let bad = |message: String| RenderError::BadFormat {
            field: self.text.clone(),
            message: format!("`:{}` {message}", spec.text),
            pos: self.pos,
        };
        let numeric = !matches!(spec.ty, None | Some('s'));
        if let Some(text) = &converted {
            if numeric {
                return Err(bad(
                    "formats numbers, but the converted value is text".to_string()
                ));
            }
            return spec.write_text(text, out, bad);
        }
        match v {
            Value::Number(n) if spec.ty != Some('s') => {
                let (negative, body) = spec.number(n).map_err(bad)?;
                let sign = match (negative, spec.sign) {
                    (true, _) => "-",
                    (false, Some(Sign::Always)) => "+",
                    (false, Some(Sign::Space)) => " ",
                    (false, _) => "",
                };
                spec.pad(sign, &body, Align::Right, out)
            }
            // A present null is empty text, whatever the spec asks for.
            Value::Null if numeric => Ok(()),
            _ if numeric => Err(bad(format!(
                "formats numbers, but the value is {}",
                value::kind(v)
            ))),
            _ => spec.write_text(&value::text(v), out, bad),
        }
    }
}

impl Spec {
    /// Writes text formatted by this spec (type `s` or none); `bad` words a spec that does not
    /// apply to text.
    fn write_text(
        &self,
        text: &str,
        out: &mut Output,
        bad: impl Fn(String) -> RenderError,
    ) -> Result<(), RenderError> {
        let problem = if self.sign.is_some() {
            Some("a sign")
        } else if self.grouping.is_some() {
            Some("a thousands separator")
        } else if self.align == Some(Align::AfterSign) {
            Some("`=` alignment")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(bad(format!(
                "has {problem}, which applies to numbers, but the value is text"
            )));
        }
        let text = match self.precision {
            Some(p) => match text.char_indices().nth(p) {
                Some((cut, _)) => &text[..cut],
                None => text,
            },
            None => text,
        };
        self.pad("", text, Align::Left, out)
    }

    /// A number's digits formatted by this spec, and whether it is negative (the sign is written
    /// by [`Spec::pad`], which may put padding after it).
    fn number(&self, n: &Number) -> Result<(bool, String), String> {
        let int = n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from));
        let x = n.as_f64().unwrap_or(0.0);
        let negative = match int {
            Some(i) => i < 0,
            None => x.is_sign_negative(),
        };
        let x = x.abs();
        let body = match (self.ty, int) {
            (None, Some(i)) | (Some('d'), Some(i)) => i.unsigned_abs().to_string(),
            (Some('d'), None) if x.fract() == 0.0 && x < 1e18 => format!("{x:.0}"),
            (Some('d'), None) => {
                return Err(format!("needs a whole number, but the value is {n}"));
            }
            (None, None) => match self.precision {
                // JSON's own text for the number, as Python's repr would give.
                None => n.to_string().trim_start_matches('-').to_string(),
                Some(p) => general(x, p, true, false),
            },
            (Some('f' | 'F'), _) => format!("{x:.*}", self.precision.unwrap_or(6)),
            (Some('e'), _) => scientific(x, self.precision.unwrap_or(6), false),
            (Some('E'), _) => scientific(x, self.precision.unwrap_or(6), true),
            (Some('g'), _) => general(x, self.precision.unwrap_or(6), false, false),
            (Some('G'), _) => general(x, self.precision.unwrap_or(6), false, true),
            (Some('%'), _) => format!("{:.*}%", self.precision.unwrap_or(6), x * 100.0),
            (Some(other), _) => return Err(format!("cannot format a number as `{other}`")),
        };
        Ok((negative, self.group(body)))
    }

    /// Puts the thousands separator into the leading run of digits.
    fn group(&self, body: String) -> String {
        let Some(sep) = self.grouping else {
            return body;
        };
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        let mut grouped = String::with_capacity(body.len() + digits / 3);
        for (i, c) in body[..digits].chars().enumerate() {
            if i > 0 && (digits - i) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
        grouped.push_str(&body[digits..]);
        grouped
    }

    /// Writes `sign` and `body` padded to the width.
    fn pad(
        &self,
        sign: &str,
        body: &str,
        default: Align,
        out: &mut Output,
    ) -> Result<(), RenderError> {
        let len = sign.chars().count() + body.chars().count();
        let padding = self.width.saturating_sub(len);
        let fill = self.fill.unwrap_or(if self.zero { '0' } else { ' ' });
        let zero_align = if default == Align::Right {
            Align::AfterSign
        } else {
            default
        };
        let align = self
            .align
            .unwrap_or(if self.zero { zero_align } else { default });
        let (before, after) = match align {
            Align::Left => (0, padding),
            Align::Right => (padding, 0),
            Align::Center => (padding / 2, padding - padding / 2),
            Align::AfterSign => {
                out.push(sign)?;
                out.push_repeat(fill, padding)?;
                return out.push(body);
            }
        };
        out.push_repeat(fill, before)?;
        out.push(sign)?;
        out.push(body)?;
        out.push_repeat(fill, after)
    }
}

/// Python's `e` format: the exponent has a sign and at least two digits (`1.5e+03`).
fn scientific(x: f64, precision: usize, upper: bool) -> String {
    let rust = format!("{x:.precision$e}");
    let (mantissa, exp) = rust.split_once('e').unwrap_or((&rust, "0"));
    python_exponent(mantissa, exp.parse().unwrap_or(0), upper)
}

fn python_exponent(mantissa: &str, exp: i32, upper: bool) -> String {
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{e}{sign}{:02}", exp.unsigned_abs())
}

/// Python's `g` format (and, with `no_type`, the float format of a spec that has a precision but
/// no type: at least one digit after the point, scientific already from exponent `p - 1`).
fn general(x: f64, precision: usize, no_type: bool, upper: bool) -> String {
    let p = precision.max(1);
    let exp = if x == 0.0 {
        0
    } else {
        let rounded = format!("{x:.*e}", p - 1);
        rounded
            .split_once('e')
            .and_then(|(_, e)| e.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let limit = if no_type { p as i64 - 1 } else { p as i64 };
    if (-4..limit).contains(&exp) {
        let decimals = (p as i64 - 1 - exp).max(0) as usize;
        let fixed = format!("{x:.decimals$}");
        let mut trimmed = strip_zeros(&fixed).to_string();
        if no_type && !trimmed.contains('.') {
            trimmed.push_str(".0");
        }
        trimmed
    } else {
        let rust = format!("{x:.*e}", p - 1);
        let (mantissa, exp) = rust.split_once('e').unwrap_or((&rust, "0"));
        python_exponent(strip_zeros(mantissa), exp.parse().unwrap_or(0), upper)
    }
}

/// Drops trailing zeros after a decimal point, and the point if nothing is left after it.
fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// JSON text with every non-ASCII character written as `\uXXXX` (UTF-16 units, as JSON does).
fn ascii_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strict() -> RenderOptions {
        RenderOptions::default()
    }

    fn lenient() -> RenderOptions {
        RenderOptions {
            strict: false,
            ..Default::default()
        }
    }

    fn render(src: &str, ctx: Value) -> Result<String, RenderError> {
        Template::parse(src).unwrap().render(&ctx, &strict())
    }

    fn parse_err(src: &str) -> ParseError {
        Template::parse(src).expect_err(src)
    }

    #[test]
    fn names_attributes_and_indexes() {
        let ctx = json!({
            "x": "X", "user": {"name": "Ann", "tags": ["a", "b"]},
            "rows": [{"id": 1}, {"id": 2}], "m": {"0": "zero", "k-1": "dash"}
        });
        let cases = [
            ("{x}", "X"),
            ("Hi {user.name}!", "Hi Ann!"),
            ("{user[name]}", "Ann"),
            ("{user.tags[1]}", "b"),
            ("{rows[1].id}", "2"),
            ("{user[tags][0]}", "a"),
            ("{m[0]}", "zero"),
            ("{m[k-1]}", "dash"),
            ("{user.tags}", r#"["a","b"]"#),
            ("{{x}} {{{x}}} }}{{", "{x} {X} }{"),
            ("a\nb", "a\nb"),
        ];
        for (src, want) in cases {
            assert_eq!(render(src, ctx.clone()).unwrap(), want, "{src}");
        }
    }

    #[test]
    fn values_render_like_mustache() {
        let ctx = json!({"t": true, "f": false, "n": null, "i": 3, "x": 1.0, "o": {"a": [1]}});
        assert_eq!(
            render("{t} {f} [{n}] {i} {x} {o}", ctx).unwrap(),
            r#"true false [] 3 1.0 {"a":[1]}"#
        );
        // Never escaped, never rendered again.
        let ctx = json!({"v": "<&> {v} {{v}}"});
        assert_eq!(render("{v}", ctx).unwrap(), "<&> {v} {{v}}");
    }

    #[test]
    fn conversions() {
        let ctx = json!({"s": "it's \"é\"", "n": 5, "l": ["😀"]});
        assert_eq!(render("{s!s}|{n!s}", ctx.clone()).unwrap(), "it's \"é\"|5");
        assert_eq!(
            render("{s!r}|{n!r}|{l!r}", ctx.clone()).unwrap(),
            r#""it's \"é\""|5|["😀"]"#
        );
        assert_eq!(
            render("{s!a}|{l!a}", ctx.clone()).unwrap(),
            r#""it's \"\u00e9\""|["\ud83d\ude00"]"#
        );
        assert_eq!(
            render("{n!s:>3}|{n!r:<3}|", ctx.clone()).unwrap(),
            "  5|5  |"
        );
        let err = render("{n!s:d}", ctx).unwrap_err();
        assert!(matches!(err, RenderError::BadFormat { .. }), "{err:?}");
    }

    #[test]
    fn format_specs_match_python() {
        // Expected values produced by CPython's str.format.
        let cases = [
            ("{x:>8}", json!("abc"), "     abc"),
            ("{x:<8}|", json!("abc"), "abc     |"),
            ("{x:^8}|", json!("abc"), "  abc   |"),
            ("{x:*^9}", json!("abc"), "***abc***"),
            ("{x:.2}", json!("abcdef"), "ab"),
            ("{x:10.2s}|", json!("abcdef"), "ab        |"),
            ("{x:.1}", json!("éa"), "é"),
            ("{x:d}", json!(42), "42"),
            ("{x:+d}", json!(42), "+42"),
            ("{x: d}", json!(42), " 42"),
            ("{x:05d}", json!(-42), "-0042"),
            ("{x:=+8d}", json!(42), "+     42"),
            ("{x:,}", json!(1234567), "1,234,567"),
            ("{x:_d}", json!(-1234567), "-1_234_567"),
            ("{x:.2f}", json!(1.23456), "1.23"),
            ("{x:f}", json!(2), "2.000000"),
            ("{x:8.3f}|", json!(-1.23456), "  -1.235|"),
            ("{x:,.2f}", json!(1234567.891), "1,234,567.89"),
            ("{x:.0f}", json!(2.5), "2"),
            ("{x:e}", json!(12345.678), "1.234568e+04"),
            ("{x:.2E}", json!(0.000123), "1.23E-04"),
            ("{x:.3e}", json!(0), "0.000e+00"),
            ("{x:%}", json!(0.25), "25.000000%"),
            ("{x:.1%}", json!(0.1234), "12.3%"),
            ("{x:g}", json!(1234567.0), "1.23457e+06"),
            ("{x:g}", json!(0.0001), "0.0001"),
            ("{x:g}", json!(0.00001), "1e-05"),
            ("{x:.3g}", json!(1234.5), "1.23e+03"),
            ("{x:G}", json!(1e-10), "1E-10"),
            ("{x:g}", json!(100.0), "100"),
            ("{x:g}", json!(0), "0"),
            ("{x:.3}", json!(1.0), "1.0"),
            ("{x:.3}", json!(123.0), "1.23e+02"),
            ("{x:.3}", json!(12.0), "12.0"),
            ("{x:.2}", json!(1.23456), "1.2"),
            ("{x}", json!(1.5), "1.5"),
            ("{x:10}|", json!(1.5), "       1.5|"),
            ("{x:<6}|", json!(7), "7     |"),
            ("{x:06.2f}", json!(-1.5), "-01.50"),
            ("{x:x<4}", json!(7), "7xxx"),
            ("{x:0<5}", json!(7), "70000"),
            ("{x:05}", json!("ab"), "ab000"),
            ("{x:}", json!("as is"), "as is"),
        ];
        for (src, v, want) in cases {
            assert_eq!(
                render(src, json!({ "x": v })).unwrap(),
                want,
                "{src} with {v}"
            );
        }
    }

    #[test]
    fn format_extensions_beyond_python() {
        // `s` formats any value's text; `d` takes a whole float; null stays empty.
        assert_eq!(render("{x:>6s}", json!({"x": true})).unwrap(), "  true");
        assert_eq!(render("{x:d}", json!({"x": 3.0})).unwrap(), "3");
        assert_eq!(
            render("[{x:.2f}][{x:>3}]", json!({"x": null})).unwrap(),
            "[][   ]"
        );
    }

    #[test]
    fn format_mismatches_are_render_errors_naming_the_field() {
        let cases = [
            ("{price:d}", json!({"price": 3.5}), "needs a whole number"),
            (
                "{price:.2f}",
                json!({"price": "3.5"}),
                "formats numbers, but the value is a string",
            ),
            ("{price:+}", json!({"price": "x"}), "has a sign"),
            ("{price:,}", json!({"price": "x"}), "thousands separator"),
            ("{price:=5}", json!({"price": "x"}), "`=` alignment"),
            ("{price:e}", json!({"price": [1]}), "the value is a list"),
        ];
        for (src, ctx, needle) in cases {
            let err = render(src, ctx).unwrap_err();
            let RenderError::BadFormat {
                field,
                message,
                pos,
            } = &err
            else {
                panic!("{src}: {err:?}");
            };
            assert_eq!(field, "price");
            assert_eq!(*pos, Pos::new(1, 1));
            assert!(message.contains(needle), "{src}: {message}");
            assert!(err
                .to_string()
                .starts_with("cannot format `price` (used at line 1, column 1)"));
        }
    }

    #[test]
    fn strict_and_lenient_lookups() {
        let ctx = json!({"a": {"b": 1}, "l": [1, 2], "s": "str"});
        let cases: [(&str, RenderError); 6] = [
            (
                "x\n {missing}",
                RenderError::MissingVariable {
                    name: "missing".into(),
                    pos: Pos::new(2, 2),
                },
            ),
            (
                "{a.c}",
                RenderError::MissingVariable {
                    name: "a.c".into(),
                    pos: Pos::new(1, 1),
                },
            ),
            (
                "{l[5]}",
                RenderError::IndexOutOfRange {
                    field: "l[5]".into(),
                    index: 5,
                    len: 2,
                    pos: Pos::new(1, 1),
                },
            ),
            (
                "{s.len}",
                RenderError::NotIndexable {
                    field: "s.len".into(),
                    segment: ".len".into(),
                    found: "a string",
                    pos: Pos::new(1, 1),
                },
            ),
            (
                "{l[x]}",
                RenderError::NotIndexable {
                    field: "l[x]".into(),
                    segment: "[x]".into(),
                    found: "a list",
                    pos: Pos::new(1, 1),
                },
            ),
            (
                "{a.b.c}",
                RenderError::NotIndexable {
                    field: "a.b.c".into(),
                    segment: ".c".into(),
                    found: "a number",
                    pos: Pos::new(1, 1),
                },
            ),
        ];
        for (src, want) in cases {
            let t = Template::parse(src).unwrap();
            assert_eq!(t.render(&ctx, &strict()), Err(want), "{src}");
            let lenient_out = t.render(&ctx, &lenient()).unwrap();
            assert_eq!(lenient_out, src.split('{').next().unwrap(), "{src}");
        }
        let err = render("{l[5]}", ctx).unwrap_err().to_string();
        assert_eq!(
            err,
            "index 5 is out of range in `l[5]` (used at line 1, column 1): the list has 2 elements"
        );
    }

    #[test]
    fn parse_errors_with_positions() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("ab}", (1, 3), "single `}`"),
            ("é\n  } {{", (2, 3), "single `}`"),
            ("x {y", (1, 3), "unclosed field"),
            ("x {y:>5", (1, 3), "unclosed field"),
            ("x {y!r", (1, 3), "unclosed field"),
            ("{a[0", (1, 1), "unclosed field"),
            ("{a[0}", (1, 1), "missing `]`"),
            ("{}", (1, 1), "empty field"),
            ("a {0}", (1, 3), "positional field"),
            ("{12}", (1, 1), "positional field"),
            ("{a b}", (1, 1), "bad field name"),
            ("{.a}", (1, 1), "bad field name"),
            ("{[0]}", (1, 1), "bad field name"),
            ("{a.}", (1, 1), "bad attribute"),
            ("{a..b}", (1, 1), "bad attribute"),
            ("{a[]}", (1, 1), "empty index"),
            ("{a[0]b}", (1, 1), "only `.` or `[` may follow `]`"),
            ("{a{b}}", (1, 1), "`{` inside a field name"),
            ("{a!x}", (1, 1), "unknown conversion `!x`"),
            ("{a!}", (1, 1), "missing conversion"),
            ("{a!rr}", (1, 1), "expected `:` or `}`"),
            ("{a:{w}}", (1, 1), "nested fields"),
            ("{a:x}", (1, 1), "unsupported type `x`"),
            ("{a:#x}", (1, 1), "`#` option"),
            ("{a:z}", (1, 1), "`z` option"),
            ("{a:5.}", (1, 1), "precision is needed"),
            ("{a:.5000f}", (1, 1), "larger than 1000"),
            ("{a:99999999999999999999999}", (1, 1), "width is too large"),
            ("{a:+s}", (1, 1), "a sign applies to numbers"),
            ("{a:,s}", (1, 1), "thousands separator"),
            ("{a:=5s}", (1, 1), "`=` alignment"),
            ("{a:.2d}", (1, 1), "precision is not allowed"),
            ("{a:5d5}", (1, 1), "expected [[fill]align]"),
        ];
        for (src, (line, col), needle) in cases {
            let err = parse_err(src);
            assert_eq!(err.pos, Pos::new(*line, *col), "{src:?}: {err}");
            assert!(err.message.contains(needle), "{src:?}: {err}");
        }
    }

    #[test]
    fn variables_with_paths_and_positions() {
        let t = Template::parse("Hi {name}\n  {a.b[0].c!r:>4} {{x}} {m[k]}").unwrap();
        let got: Vec<_> = t
            .variables()
            .into_iter()
            .map(|v| (v.path, v.pos, v.kind))
            .collect();
        assert_eq!(
            got,
            [
                (
                    vec!["name".to_string()],
                    Pos::new(1, 4),
                    UseKind::Interpolation
                ),
                (
                    ["a", "b", "0", "c"].map(String::from).to_vec(),
                    Pos::new(2, 3),
                    UseKind::Interpolation
                ),
                (
                    ["m", "k"].map(String::from).to_vec(),
                    Pos::new(2, 25),
                    UseKind::Interpolation
                ),
            ]
        );
    }

    #[test]
    fn huge_width_stops_at_the_output_limit() {
        let opts = RenderOptions {
            max_output_bytes: 100,
            ..Default::default()
        };
        let t = Template::parse("{x:99999999999}").unwrap();
        assert_eq!(
            t.render(&json!({"x": 1}), &opts),
            Err(RenderError::OutputTooLarge { limit: 100 })
        );
    }

    #[test]
    fn parse_and_render_never_panic_on_arbitrary_text() {
        let pieces = [
            "{", "}", "{{", "}}", "a", "b", ".", "[", "]", "0", "1", "!", "r", "s", ":", ">", "<",
            "^", "=", "+", ",", "_", "f", "d", "e", "%", "g", " ", "\n", "é", "😀", "x", "5",
        ];
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let ctx = json!({"a": {"b": [1.5, "s"], "0": -2}, "b": [null, true], "x": 123456});
        let mut parsed = 0;
        for _ in 0..30_000 {
            let len = next() % 16;
            let src: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            match Template::parse(&src) {
                Ok(t) => {
                    parsed += 1;
                    let _ = t.variables();
                    for opts in [strict(), lenient()] {
                        let _ = t.render(&ctx, &opts);
                    }
                }
                Err(e) => assert!(e.pos.line >= 1 && e.pos.col >= 1, "{src:?}"),
            }
        }
        assert!(parsed > 1000, "only {parsed} parsed");
    }
}
