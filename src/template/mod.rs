//! Template engines for prompt text, behind one parse-once, render-many interface.
//!
//! This module owns template syntax: parsing with positions, listing the variables and partials a
//! template uses (for `check`), and rendering a parsed template against a JSON context (for
//! `render`, including batch runs that render one template many times). Three languages live
//! here, each in its own module behind [`Template`]: [`mustache`] (the default: the spec with its
//! inheritance and dynamic-names modules, without lambdas), [`fstring`] (Python's `str.format`)
//! and [`jinja`] (Python's Jinja2, through minijinja); `none` passes the text through.
//!
//! It knows nothing about prompt files, declared inputs or where partials are stored: partial text
//! (and parent or included template text) comes only through a [`PartialResolver`], never from
//! the filesystem.

// Everything here is used by other modules of the crate; an undocumented item is a contract gap.
#![warn(missing_docs)]

pub mod fstring;
pub mod jinja;
pub mod mustache;

#[cfg(test)]
mod corpus;
mod engine;
mod error;
mod python;
mod value;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use engine::Engine;
pub use error::{ParseError, RenderError};

/// 1-based position inside the template text (line, column counted in chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// Line number, from 1. Lines end at `\n` (so `\r\n` counts once).
    pub line: usize,
    /// Column number, from 1, in chars (not bytes).
    pub col: usize,
}

impl Pos {
    /// A position from line and column numbers.
    pub const fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.col)
    }
}

/// Which template language a prompt uses (the YAML field `template_format`, which is why it is
/// (de)serialised by the names below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Syntax {
    /// `mustache` (the default).
    #[default]
    #[serde(rename = "mustache")]
    Mustache,
    /// `f-string`: Python `str.format` fields.
    #[serde(rename = "f-string")]
    FString,
    /// `jinja2`: Python's Jinja2.
    #[serde(rename = "jinja2")]
    Jinja2,
    /// `none`: the text is used as it is.
    #[serde(rename = "none")]
    None,
}

impl Syntax {
    /// The syntax for a `template_format` value (`mustache`, `f-string`, `none`).
    pub fn from_name(name: &str) -> Option<Syntax> {
        match name {
            "mustache" => Some(Syntax::Mustache),
            "f-string" => Some(Syntax::FString),
            "jinja2" => Some(Syntax::Jinja2),
            "none" => Some(Syntax::None),
            _ => None,
        }
    }

    /// The `template_format` value that names this syntax.
    pub fn name(self) -> &'static str {
        match self {
            Syntax::Mustache => "mustache",
            Syntax::FString => "f-string",
            Syntax::Jinja2 => "jinja2",
            Syntax::None => "none",
        }
    }
}

/// How a variable is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UseKind {
    /// Written out: mustache `{{x}}`, `{{{x}}}`, `{{&x}}`; any f-string field.
    Interpolation,
    /// Mustache `{{#x}}…{{/x}}`.
    Section,
    /// Mustache `{{^x}}…{{/x}}`.
    InvertedSection,
}

/// A variable use found by [`Template::variables`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VarUse {
    /// The name split into its parts: mustache `a.b.c` is `["a", "b", "c"]`; f-string `a.b[0]` is
    /// `["a", "b", "0"]`. The mustache implicit iterator `{{.}}` is the **empty** path: it names
    /// no variable, only the current item.
    pub path: Vec<String>,
    /// Where the tag or field starts (its opening delimiter).
    pub pos: Pos,
    /// Interpolation or (inverted) section.
    pub kind: UseKind,
    /// Names (as written, e.g. `order.items` or `.`) of the enclosing mustache `{{#…}}` sections,
    /// outermost first. A use inside a section may name a field of the section's item, so a
    /// checker must not demand that it be declared at top level. Inverted sections are not listed:
    /// they do not change the context, so names inside them resolve as they would outside.
    pub sections: Vec<String>,
}

impl VarUse {
    /// True for the mustache implicit iterator `{{.}}`.
    pub fn is_implicit(&self) -> bool {
        self.path.is_empty()
    }

    /// The first part of the path: the name looked up in the context. `None` for `{{.}}`.
    pub fn root(&self) -> Option<&str> {
        self.path.first().map(String::as_str)
    }

    /// The path joined with dots, or `.` for the implicit iterator.
    pub fn dotted(&self) -> String {
        if self.path.is_empty() {
            ".".to_string()
        } else {
            self.path.join(".")
        }
    }
}

/// A partial inclusion (`{{> name}}`) or parent (`{{< name}}…{{/name}}`) found by
/// [`Template::partials`]. Both name another prompt at the same revision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartialUse {
    /// The partial's name as written, without surrounding spaces.
    pub name: String,
    /// Where the partial tag starts.
    pub pos: Pos,
    /// A parent tag (inheritance) rather than a plain partial.
    pub parent: bool,
}

/// A parsed template of any syntax, reusable for many renders (parse once, render many). Each
/// language implements [`Engine`]; this enum dispatches to it.
#[derive(Debug, Clone)]
pub enum Template {
    /// A mustache template.
    Mustache(mustache::Template),
    /// A Python `str.format` template.
    FString(fstring::Template),
    /// A Jinja2 template.
    Jinja(jinja::Template),
    /// Text used as it is (`template_format: none`).
    Plain(String),
}

impl Template {
    /// Parses `src` in the given syntax. Fails with the position of the first problem found.
    pub fn parse(syntax: Syntax, src: &str) -> Result<Template, ParseError> {
        Ok(match syntax {
            Syntax::Mustache => Template::Mustache(Engine::parse(src)?),
            Syntax::FString => Template::FString(Engine::parse(src)?),
            Syntax::Jinja2 => Template::Jinja(Engine::parse(src)?),
            Syntax::None => Template::Plain(src.to_string()),
        })
    }

    /// The syntax this template was parsed as.
    pub fn syntax(&self) -> Syntax {
        match self {
            Template::Mustache(_) => Syntax::Mustache,
            Template::FString(_) => Syntax::FString,
            Template::Jinja(_) => Syntax::Jinja2,
            Template::Plain(_) => Syntax::None,
        }
    }

    /// Every variable use, in source order (partials are not followed: check them on their own).
    pub fn variables(&self) -> Vec<VarUse> {
        match self {
            Template::Mustache(t) => Engine::variables(t),
            Template::FString(t) => Engine::variables(t),
            Template::Jinja(t) => Engine::variables(t),
            Template::Plain(_) => Vec::new(),
        }
    }

    /// Every other prompt the template names (mustache partials and parents, Jinja2 includes,
    /// extends and imports), in source order; empty for syntaxes without them.
    pub fn partials(&self) -> Vec<PartialUse> {
        match self {
            Template::Mustache(t) => t.includes(),
            Template::FString(t) => t.includes(),
            Template::Jinja(t) => t.includes(),
            Template::Plain(_) => Vec::new(),
        }
    }

    /// Every mustache dynamic partial or parent (`{{>*name}}`): the path of the value naming the
    /// prompt, the tag's position, and whether it is a parent; empty for other syntaxes.
    pub fn dynamic_partials(&self) -> Vec<(Vec<String>, Pos, bool)> {
        match self {
            Template::Mustache(t) => t.dynamic_partials(),
            _ => Vec::new(),
        }
    }

    /// Every mustache parent tag (`{{<base}}…{{/base}}`) with the blocks it overrides; empty for
    /// other syntaxes.
    pub fn parents(&self) -> Vec<mustache::ParentUse> {
        match self {
            Template::Mustache(t) => t.parents(),
            _ => Vec::new(),
        }
    }

    /// The names of the mustache blocks (`{{$name}}`) anywhere in the template; empty for other
    /// syntaxes.
    pub fn block_names(&self) -> Vec<String> {
        match self {
            Template::Mustache(t) => t.block_names(),
            _ => Vec::new(),
        }
    }

    /// Renders against `ctx`, taking partial text from `partials`. Each partial the template can
    /// reach is resolved and parsed once per call; to reuse that work across many renders, use
    /// [`Template::prepare_partials`] and [`Template::render_prepared`].
    pub fn render(
        &self,
        ctx: &Value,
        partials: &dyn PartialResolver,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared_with(ctx, &self.prepare_partials(partials), partials, opts)
    }

    /// Resolves and parses every partial this template can reach, for
    /// [`Template::render_prepared`]. Empty for syntaxes without partials.
    pub fn prepare_partials(&self, resolver: &dyn PartialResolver) -> Partials {
        match self {
            Template::Mustache(t) => Partials::Mustache(t.prepare(resolver)),
            Template::Jinja(t) => Partials::Jinja(t.prepare(resolver)),
            Template::FString(_) | Template::Plain(_) => Partials::None,
        }
    }

    /// As [`Template::render_prepared`], asking `resolver` for the partials that could not be
    /// prepared (mustache dynamic names, `{{>*name}}`, whose value names the partial).
    pub fn render_prepared_with(
        &self,
        ctx: &Value,
        partials: &Partials,
        resolver: &dyn PartialResolver,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.dispatch(ctx, partials, Some(resolver), opts)
    }

    /// Renders against `ctx` with partials prepared beforehand (see
    /// [`Template::prepare_partials`]); a partial not among them counts as missing.
    pub fn render_prepared(
        &self,
        ctx: &Value,
        partials: &Partials,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.dispatch(ctx, partials, None, opts)
    }

    fn dispatch(
        &self,
        ctx: &Value,
        partials: &Partials,
        resolver: Option<&dyn PartialResolver>,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        match (self, partials) {
            (Template::Mustache(t), Partials::Mustache(p)) => t.render_with(ctx, p, resolver, opts),
            (Template::Mustache(t), _) => t.render_with(ctx, &Default::default(), resolver, opts),
            (Template::Jinja(t), Partials::Jinja(p)) => t.render_with(ctx, p, resolver, opts),
            (Template::Jinja(t), _) => t.render_with(ctx, &Default::default(), resolver, opts),
            (Template::FString(t), _) => t.render_with(ctx, &(), resolver, opts),
            (Template::Plain(text), _) => {
                let mut out = value::Output::new(text.len(), opts.max_output_bytes);
                out.push(text)?;
                Ok(out.finish())
            }
        }
    }
}

/// The partials (mustache) or included templates (Jinja2) a template reaches, read and parsed
/// once by [`Template::prepare_partials`] for many renders.
#[derive(Debug, Clone, Default)]
pub enum Partials {
    /// For a mustache template.
    Mustache(mustache::Partials),
    /// For a Jinja2 template.
    Jinja(jinja::Includes),
    /// For a syntax that includes nothing.
    #[default]
    None,
}

/// Where partial text comes from (the registry, or a map in tests). Partials are looked up only
/// through this trait; the engine never touches the filesystem.
pub trait PartialResolver {
    /// The partial's template text, or `None` when there is no such partial. Borrowed text avoids
    /// a copy when the resolver already holds it; owned text is fine too.
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl PartialResolver for HashMap<String, String> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(|s| Cow::Borrowed(s.as_str()))
    }
}

impl PartialResolver for BTreeMap<String, String> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(|s| Cow::Borrowed(s.as_str()))
    }
}

/// A resolver that has no partials: every `{{> name}}` is missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPartials;

impl PartialResolver for NoPartials {
    fn resolve(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }
}

/// A resolver made from a function, for callers that look partials up on demand.
pub struct FnResolver<F>(pub F);

impl<F: Fn(&str) -> Option<String>> PartialResolver for FnResolver<F> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        (self.0)(name).map(Cow::Owned)
    }
}

/// What mustache `{{x}}` does to a value (the YAML field `escape`). Triple mustache `{{{x}}}` and
/// `{{&x}}` never escape; f-string fields never escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Escape {
    /// Values are written as they are (the product default: prompts are not HTML).
    #[default]
    None,
    /// `& " < > '` become `&amp; &quot; &lt; &gt; &#39;`: the spec's set, plus the apostrophe as
    /// other mustache engines escape it.
    Html,
}

/// How to render. Build with `RenderOptions { strict: false, ..Default::default() }` so that new
/// limits get their defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// HTML-escape `{{x}}` or not (default: not).
    pub escape: Escape,
    /// Strict (default): a missing variable or partial is an error. Lenient (`false`): the mustache
    /// spec to the letter, missing values and partials render as empty text.
    pub strict: bool,
    /// How deeply partials may nest (a partial including itself counts each time). Default 32.
    pub max_partial_depth: usize,
    /// The largest output allowed, in bytes. Default 16 MiB.
    pub max_output_bytes: usize,
    /// The most render steps (tags visited, list items entered) allowed; stops templates that
    /// loop over large data without writing much. Default 100 million (well under a second's work
    /// per render on a slow machine is far below this for any real prompt).
    pub max_steps: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            escape: Escape::None,
            strict: true,
            max_partial_depth: 32,
            max_output_bytes: 16 * 1024 * 1024,
            max_steps: 100_000_000,
        }
    }
}

/// Turns byte offsets into [`Pos`]itions. Offsets must be asked for in increasing order, which is
/// how both parsers scan, so the whole text is walked once.
pub(crate) struct LineCounter<'a> {
    src: &'a str,
    offset: usize,
    pos: Pos,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        LineCounter {
            src,
            offset: 0,
            pos: Pos::new(1, 1),
        }
    }

    pub(crate) fn pos_at(&mut self, offset: usize) -> Pos {
        debug_assert!(
            offset >= self.offset,
            "positions must be asked for in order"
        );
        for c in self.src[self.offset..offset].chars() {
            if c == '\n' {
                self.pos.line += 1;
                self.pos.col = 1;
            } else {
                self.pos.col += 1;
            }
        }
        self.offset = offset;
        self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn line_counter_counts_chars_and_lines() {
        let src = "ab\né😀x\r\ny";
        let mut lc = LineCounter::new(src);
        assert_eq!(lc.pos_at(0), Pos::new(1, 1));
        assert_eq!(lc.pos_at(2), Pos::new(1, 3));
        assert_eq!(lc.pos_at(3), Pos::new(2, 1));
        assert_eq!(lc.pos_at(src.find('x').unwrap()), Pos::new(2, 3));
        assert_eq!(lc.pos_at(src.find('y').unwrap()), Pos::new(3, 1));
    }

    #[test]
    fn syntax_names_round_trip() {
        for s in [
            Syntax::Mustache,
            Syntax::FString,
            Syntax::Jinja2,
            Syntax::None,
        ] {
            assert_eq!(Syntax::from_name(s.name()), Some(s));
        }
        assert_eq!(Syntax::from_name("jinja"), None);
        assert_eq!(Syntax::from_name("jinja2"), Some(Syntax::Jinja2));
    }

    #[test]
    fn defaults_are_strict_and_unescaped() {
        let opts = RenderOptions::default();
        assert!(opts.strict);
        assert_eq!(opts.escape, Escape::None);
        assert_eq!(opts.max_partial_depth, 32);
        assert_eq!(opts.max_output_bytes, 16 << 20);
    }

    #[test]
    fn each_syntax_through_the_common_interface() {
        let ctx = json!({"x": "<&>", "y": {"z": 2}});
        let opts = RenderOptions::default();
        let cases = [
            (Syntax::Mustache, "{{x}} {{y.z}}", "<&> 2"),
            (Syntax::FString, "{x} {y.z}", "<&> 2"),
            (Syntax::Jinja2, "{{ x }} {{ y.z }}", "<&> 2"),
            (Syntax::None, "{{x}} {x}", "{{x}} {x}"),
        ];
        for (syntax, src, want) in cases {
            let t = Template::parse(syntax, src).unwrap();
            assert_eq!(t.syntax(), syntax);
            assert_eq!(
                t.render(&ctx, &NoPartials, &opts).unwrap(),
                want,
                "{syntax:?}"
            );
            let prepared = t.prepare_partials(&NoPartials);
            assert_eq!(t.render_prepared(&ctx, &prepared, &opts).unwrap(), want);
        }
        let plain = Template::parse(Syntax::None, "{{x}}").unwrap();
        assert!(plain.variables().is_empty() && plain.partials().is_empty());
        let small = RenderOptions {
            max_output_bytes: 3,
            ..Default::default()
        };
        assert_eq!(
            plain.render(&ctx, &NoPartials, &small),
            Err(RenderError::OutputTooLarge { limit: 3 })
        );
    }

    #[test]
    fn variables_of_each_syntax() {
        let m = Template::parse(Syntax::Mustache, "{{a.b}}{{.}}").unwrap();
        let vars = m.variables();
        assert_eq!(vars[0].path, ["a", "b"]);
        assert_eq!(vars[0].root(), Some("a"));
        assert_eq!(vars[0].dotted(), "a.b");
        assert!(vars[1].is_implicit());
        assert_eq!(vars[1].dotted(), ".");
        let f = Template::parse(Syntax::FString, "{a.b[0]}").unwrap();
        assert_eq!(f.variables()[0].path, ["a", "b", "0"]);
    }

    #[test]
    fn resolvers() {
        let mut map = HashMap::new();
        map.insert("p".to_string(), "P".to_string());
        assert_eq!(map.resolve("p").as_deref(), Some("P"));
        assert_eq!(map.resolve("q"), None);
        assert_eq!(NoPartials.resolve("p"), None);
        let f = FnResolver(|name: &str| (name == "p").then(|| "F".to_string()));
        assert_eq!(f.resolve("p").as_deref(), Some("F"));
        let t = Template::parse(Syntax::Mustache, "[{{>p}}]").unwrap();
        assert_eq!(
            t.render(&json!({}), &f, &RenderOptions::default()).unwrap(),
            "[F]"
        );
    }

    #[test]
    fn errors_display_actionably() {
        let e = RenderError::MissingVariable {
            name: "ticket".into(),
            pos: Pos::new(3, 5),
        };
        assert_eq!(
            e.to_string(),
            "missing variable `ticket` (used at line 3, column 5)"
        );
        let p = ParseError::new(Pos::new(1, 2), "unclosed section `{{#a}}`");
        assert_eq!(p.to_string(), "line 1, column 2: unclosed section `{{#a}}`");
        let nested = RenderError::PartialSyntax {
            name: "hdr".into(),
            error: p,
        };
        assert!(nested
            .to_string()
            .starts_with("in partial `hdr`: line 1, column 2"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn mustache_parse_and_render_never_panic(src in "([a-z .#^/>!&={}<$*]|\\{\\{|\\}\\}|\n){0,60}") {
            if let Ok(t) = Template::parse(Syntax::Mustache, &src) {
                let ctx = serde_json::json!({"a": [1, {"b": true}], "b": "x", "c": {"d": null}});
                let partials: HashMap<String, String> =
                    [("p".to_string(), src.clone()), ("b".to_string(), "{{$a}}x{{/a}}".into())].into();
                let _ = t.render(&ctx, &partials, &RenderOptions::default());
                let lenient = RenderOptions { strict: false, ..RenderOptions::default() };
                let _ = t.render(&ctx, &partials, &lenient);
                let _ = t.variables();
            }
        }

        #[test]
        fn fstring_parse_and_render_never_panic(src in "([a-z0-9.:!<>^=+ _\\[\\]]|\\{|\\}){0,40}") {
            if let Ok(t) = Template::parse(Syntax::FString, &src) {
                let ctx = serde_json::json!({"a": [1, 2.5], "b": "x", "c": {"d": -3}});
                let _ = t.render(&ctx, &NoPartials, &RenderOptions::default());
            }
        }
    }
}
