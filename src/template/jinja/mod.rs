//! Jinja2 templates (`template_format: jinja2`) through the `minijinja` crate, configured to behave
//! as Python's Jinja2 does for prompts:
//!
//! - undefined values are an error that names them (Jinja2's `StrictUndefined`); lenient renders
//!   use Jinja2's default `Undefined` (empty when printed, an error when an attribute is taken);
//! - no autoescape unless the prompt says `escape: html`;
//! - one trailing newline is dropped (Jinja2's default `keep_trailing_newline=False`), blocks are
//!   neither trimmed nor left-stripped (Jinja2's defaults);
//! - values print as Python prints them (`True`, `['a', 'b']`, `1e+16`), a null as empty text (an
//!   optional input that was not given, as in the other engines);
//! - `{% include %}`, `{% extends %}`, `{% import %}` and `{% from %}` name other prompts of the
//!   registry at the same revision, given by a [`PartialResolver`]; nothing else is reachable (no
//!   file system, no network);
//! - the work of one render is bounded by fuel ([`RenderOptions::max_steps`]), its output by
//!   [`RenderOptions::max_output_bytes`], recursion by the engine's own limit.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::sync::{Arc, Mutex};

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde_json::Value;

use super::{
    python, Escape, ParseError, PartialResolver, PartialUse, Pos, RenderError, RenderOptions,
    UseKind, VarUse,
};

/// The name the prompt's own text has inside the engine (not a valid prompt id, so no include can
/// name it).
const MAIN: &str = "(this prompt)";

/// Names the engine provides itself; a template that uses them does not need an input.
const GLOBALS: &[&str] = &[
    "range",
    "dict",
    "namespace",
    "cycler",
    "joiner",
    "loop",
    "self",
    "super",
    "caller",
    "varargs",
    "kwargs",
    "debug",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
];

/// A parsed Jinja2 template: its syntax was checked; rendering compiles it with the templates it
/// includes.
#[derive(Debug, Clone)]
pub struct Template {
    src: String,
}

/// The templates a Jinja2 template can reach through include/extends/import, read once.
#[derive(Debug, Clone, Default)]
pub struct Includes {
    /// Name -> text of every reachable template that was found.
    found: BTreeMap<String, String>,
}

impl Template {
    /// Checks the syntax of `src`. Errors carry the line and column of the problem.
    pub fn parse(src: &str) -> Result<Template, ParseError> {
        let env = environment(Escape::None, true, &RenderOptions::default());
        match env.template_from_named_str(MAIN, src) {
            Ok(_) => Ok(Template {
                src: src.to_string(),
            }),
            Err(e) => Err(ParseError::new(
                error_pos(src, &e).unwrap_or(Pos::new(1, 1)),
                e.detail()
                    .map_or_else(|| e.kind().to_string(), str::to_string),
            )),
        }
    }

    /// The template text.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// The variables the template reads from its context (not those it sets or loops over), each
    /// at its first use: a name and the attributes taken of it (`user.name`).
    pub fn variables(&self) -> Vec<VarUse> {
        let mut out: Vec<VarUse> = undeclared(&self.src)
            .into_iter()
            .map(|dotted| {
                let path: Vec<String> = dotted.split('.').map(str::to_string).collect();
                VarUse {
                    pos: find_use(&self.src, &path[0]),
                    path,
                    kind: UseKind::Interpolation,
                    sections: Vec::new(),
                }
            })
            .collect();
        out.sort_by(|a, b| (a.pos, &a.path).cmp(&(b.pos, &b.path)));
        out
    }

    /// The templates named by `{% include %}`, `{% extends %}`, `{% import %}` and `{% from %}`
    /// with a literal name, in source order.
    pub fn includes(&self) -> Vec<PartialUse> {
        included_names(&self.src)
            .into_iter()
            .map(|(name, offset, parent)| PartialUse {
                name,
                pos: pos_at(&self.src, offset),
                parent,
            })
            .collect()
    }

    /// Renders against `ctx`, reading the templates it includes from `resolver`.
    pub fn render(
        &self,
        ctx: &Value,
        resolver: &dyn PartialResolver,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared(ctx, &Includes::load(self, resolver), opts)
    }

    /// Renders against `ctx` with the included templates read beforehand.
    pub fn render_prepared(
        &self,
        ctx: &Value,
        includes: &Includes,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        let mut env = environment(opts.escape, opts.strict, opts);
        let sources: BTreeMap<&str, &str> = includes
            .found
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([(MAIN, self.src.as_str())])
            .collect();
        for (name, text) in &includes.found {
            // An included template that does not parse fails where it is included.
            let _ = env.add_template_owned(name.clone(), text.clone());
        }
        env.add_template_owned(MAIN, self.src.clone())
            .map_err(|e| engine_error(&e, &sources))?;
        let template = env
            .get_template(MAIN)
            .map_err(|e| engine_error(&e, &sources))?;
        let full = Arc::new(Mutex::new(false));
        let writer = Limited {
            buf: Vec::with_capacity(self.src.len()),
            limit: opts.max_output_bytes,
            full: Arc::clone(&full),
        };
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Shared {
            inner: writer,
            done: Arc::clone(&buf),
        };
        let result =
            template.render_captured_to(minijinja::Value::from(minijinja::value::Serde(ctx)), sink);
        if *full.lock().unwrap_or_else(|e| e.into_inner()) {
            return Err(RenderError::OutputTooLarge {
                limit: opts.max_output_bytes,
            });
        }
        result.map_err(|e| match e.kind() {
            ErrorKind::OutOfFuel => RenderError::TooManySteps {
                limit: opts.max_steps,
            },
            _ => engine_error(&e, &sources),
        })?;
        let bytes = std::mem::take(&mut *buf.lock().unwrap_or_else(|e| e.into_inner()));
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl Includes {
    /// Reads every template `template` can reach, each name once. Missing ones are left out:
    /// the engine reports them where a render reaches them.
    pub fn load(template: &Template, resolver: &dyn PartialResolver) -> Includes {
        let mut found = BTreeMap::new();
        let mut seen = HashSet::new();
        let mut queue: Vec<String> = template.includes().into_iter().map(|p| p.name).collect();
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(text) = resolver.resolve(&name) {
                queue.extend(included_names(&text).into_iter().map(|(n, ..)| n));
                found.insert(name, text.into_owned());
            }
        }
        Includes { found }
    }
}

/// An engine set up as Python's Jinja2 with the product's rules (see the module docs).
fn environment(escape: Escape, strict: bool, opts: &RenderOptions) -> Environment<'static> {
    let mut env = Environment::new();
    minijinja_contrib::add_to_environment(&mut env);
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.set_undefined_behavior(if strict {
        UndefinedBehavior::Strict
    } else {
        UndefinedBehavior::Lenient
    });
    let auto = match escape {
        Escape::None => AutoEscape::None,
        Escape::Html => AutoEscape::Html,
    };
    env.set_auto_escape_callback(move |_| auto.clone());
    env.set_fuel(Some(opts.max_steps as u64));
    env.add_filter("truncate", truncate);
    env.add_filter("escape", escape_filter);
    env.add_filter("e", escape_filter);
    env.add_filter("tojson", filters::tojson);
    env.add_filter("pprint", filters::pprint);
    env.set_formatter(|out, state, value| {
        let text = match value.kind() {
            ValueKind::None => return Ok(()),
            _ if value.is_safe() => return minijinja::escape_formatter(out, state, value),
            ValueKind::Bool => if value.is_true() { "True" } else { "False" }.to_string(),
            ValueKind::Number if !value.is_integer() => match f64::try_from(value.clone()) {
                Ok(x) => python::float_repr(x),
                Err(_) => value.to_string(),
            },
            ValueKind::Seq | ValueKind::Map => match serde_json::to_value(value) {
                Ok(v) => python::repr(&v),
                Err(_) => value.to_string(),
            },
            _ => value.to_string(),
        };
        let text = match state.auto_escape() {
            AutoEscape::Html => html_escape(&text),
            _ => text,
        };
        out.write_str(&text).map_err(minijinja::Error::from)
    });
    env
}

/// Jinja2's `truncate(s, length=255, killwords=False, end='...', leeway=5)`: text up to `length +
/// leeway` characters is kept whole; longer text is cut to `length` characters including `end`,
/// at the last space unless `killwords`.
fn truncate(
    s: &str,
    length: Option<usize>,
    killwords: Option<bool>,
    end: Option<&str>,
    leeway: Option<usize>,
) -> Result<String, minijinja::Error> {
    let length = length.unwrap_or(255);
    let end = end.unwrap_or("...");
    let leeway = leeway.unwrap_or(5);
    let chars: Vec<char> = s.chars().collect();
    let end_len = end.chars().count();
    if length < end_len {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!("truncate: expected length >= {end_len}, got {length}"),
        ));
    }
    if chars.len() <= length + leeway {
        return Ok(s.to_string());
    }
    let kept: String = chars[..length - end_len].iter().collect();
    if killwords.unwrap_or(false) {
        return Ok(kept + end);
    }
    let cut = match kept.rfind(' ') {
        Some(i) => &kept[..i],
        None => &kept[..],
    };
    Ok(format!("{cut}{end}"))
}

/// HTML escaping as Jinja2 (markupsafe) does it: `& < > " '` become `&amp; &lt; &gt; &#34; &#39;`.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `escape`/`e` filter with markupsafe's table; text already marked safe is left alone.
fn escape_filter(value: minijinja::Value) -> minijinja::Value {
    if value.is_safe() {
        return value;
    }
    let text = match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    };
    minijinja::Value::from_safe_string(html_escape(&text))
}

/// The root-and-attribute names the template reads and does not set.
fn undeclared(src: &str) -> Vec<String> {
    let env = environment(Escape::None, true, &RenderOptions::default());
    let Ok(t) = env.template_from_named_str(MAIN, src) else {
        return Vec::new();
    };
    let nested = t.undeclared_variables(true);
    let roots: HashSet<String> = t.undeclared_variables(false);
    let mut out: Vec<String> = nested
        .into_iter()
        .filter(|n| !GLOBALS.contains(&n.split('.').next().unwrap_or(n)))
        .collect();
    // A root that only appears with attributes is listed through them.
    for root in roots {
        if !GLOBALS.contains(&root.as_str())
            && !out
                .iter()
                .any(|n| n.split('.').next() == Some(root.as_str()))
        {
            out.push(root);
        }
    }
    out.sort();
    out
}

/// The literal names after `include`, `extends`, `import` and `from` in block tags, with the
/// offset of each tag and whether it is `extends` (a parent).
fn included_names(src: &str) -> Vec<(String, usize, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = src[at..].find("{%") {
        let start = at + found;
        let Some(len) = src[start..].find("%}") else {
            break;
        };
        let body = src[start + 2..start + len]
            .trim_start_matches(['-', '+'])
            .trim();
        at = start + len + 2;
        let Some((keyword, rest)) = body.split_once(char::is_whitespace) else {
            continue;
        };
        if !matches!(keyword, "include" | "extends" | "import" | "from") {
            continue;
        }
        // `include ["a", "b"]` names several; take every quoted literal before a keyword.
        let rest = rest.split(" import ").next().unwrap_or(rest);
        let rest = rest.split(" ignore ").next().unwrap_or(rest);
        let rest = rest.split(" with").next().unwrap_or(rest);
        let rest = rest.split(" without").next().unwrap_or(rest);
        let mut chars = rest.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if c != '"' && c != '\'' {
                continue;
            }
            let name: String = chars
                .by_ref()
                .map(|(_, c)| c)
                .take_while(|d| *d != c)
                .collect();
            out.push((name, start, keyword == "extends"));
        }
    }
    out
}

/// Where `name` is first read inside an expression or statement (`{{ … }}`, `{% … %}`).
fn find_use(src: &str, name: &str) -> Pos {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut at = 0;
    while let Some(found) = src[at..].find(['{']) {
        let start = at + found;
        let close = match src[start + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let end = src[start..].find(close).map_or(src.len(), |n| start + n);
        let body = &src[start..end];
        let mut from = 0;
        while let Some(n) = body[from..].find(name) {
            let i = from + n;
            let before = body[..i].chars().next_back();
            let after = body[i + name.len()..].chars().next();
            let quoted = body[..i].matches(['"', '\'']).count() % 2 == 1;
            if !before.is_some_and(|c| is_ident(c) || c == '.')
                && !after.is_some_and(is_ident)
                && !quoted
            {
                return pos_at(src, start + i);
            }
            from = i + name.len();
        }
        at = end.max(start + 1);
    }
    Pos::new(1, 1)
}

fn pos_at(src: &str, offset: usize) -> Pos {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos::new(line, col)
}

/// The position an engine error points at in `src`.
fn error_pos(src: &str, e: &minijinja::Error) -> Option<Pos> {
    if let Some(range) = e.range() {
        if range.start <= src.len() && src.is_char_boundary(range.start) {
            return Some(pos_at(src, range.start));
        }
    }
    e.line().map(|line| Pos::new(line, 1))
}

/// An engine error in the product's words: an undefined value names the expression that is
/// undefined, with its position; other errors keep the engine's description.
fn engine_error(e: &minijinja::Error, sources: &BTreeMap<&str, &str>) -> RenderError {
    let name = e.name().unwrap_or(MAIN);
    let src = sources.get(name).copied().unwrap_or("");
    let pos = error_pos(src, e).unwrap_or(Pos::new(1, 1));
    let span = e
        .range()
        .and_then(|r| src.get(r))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let place = if name == MAIN {
        String::new()
    } else {
        format!(" in `{name}`")
    };
    match (e.kind(), span) {
        (ErrorKind::UndefinedError, Some(span)) if name == MAIN => RenderError::MissingVariable {
            name: span.to_string(),
            pos,
        },
        // The engine knows only the templates read beforehand: the missing one is the first
        // name this template includes that was not found.
        (ErrorKind::TemplateNotFound, _) => RenderError::MissingPartial {
            name: included_names(src)
                .into_iter()
                .map(|(n, ..)| n)
                .find(|n| !sources.contains_key(n.as_str()))
                .unwrap_or_else(|| e.detail().unwrap_or("?").to_string()),
            pos,
        },
        _ => {
            let what = e
                .detail()
                .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
            let what = match span {
                Some(span) => format!("{what} (`{span}`)"),
                None => what,
            };
            RenderError::Engine {
                message: format!("{what}{place}"),
                pos,
            }
        }
    }
}

/// Collects output up to a limit; past it, writing fails and `full` is set.
struct Limited {
    buf: Vec<u8>,
    limit: usize,
    full: Arc<Mutex<bool>>,
}

/// Hands the collected bytes back when the engine drops the writer.
struct Shared {
    inner: Limited,
    done: Arc<Mutex<Vec<u8>>>,
}

impl io::Write for Shared {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.inner.buf.len() + data.len() > self.inner.limit {
            *self.inner.full.lock().unwrap_or_else(|e| e.into_inner()) = true;
            return Err(io::Error::other("output limit"));
        }
        self.inner.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        *self.done.lock().unwrap_or_else(|e| e.into_inner()) = std::mem::take(&mut self.inner.buf);
    }
}

mod filters;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests;
