//! Differential tests of the single-pass loader against the two-parser loader it replaced.
//!
//! The oracle is the old read, kept here as it was: the eager event pass (`old_index`, which
//! built its position tables as it went), then serde_yaml_ng from the text, then the shape rules.
//! Generated prompt-shaped YAML (every field of the format, scalars that look like numbers,
//! quoted and block scalars, flow collections, mistakes) must give the same `Prompt` and
//! positions, or the same error at the same place with the same words.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use saphyr_parser::{Event, Parser, ScalarStyle};

use super::*;
use crate::model::spans::Style;

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        seen: HashSet<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The event pass as it was before the single pass (positions in tables built as it goes).
fn old_index(text: &str) -> Result<SpanIndex, LoadError> {
    let mut keys: HashMap<String, Location> = HashMap::new();
    let mut values: HashMap<String, (Location, Style)> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| parse_error(&e))?;
        let at = position(&span);
        // The refusals are the loader's own function, moved out of this pass unchanged.
        refuse(&event, at, &mut documents)?;
        match &event {
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) => {}
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                continue;
            }
            _ => continue,
        }
        // Is this node a mapping key, or a value at some path?
        let path = match stack.last_mut() {
            Some(Frame::Map { path, key, seen }) if key.is_none() => {
                let Event::Scalar(name, ..) = &event else {
                    return Err(LoadError::new(at, "mapping keys must be plain text"));
                };
                let name = name.to_string();
                if !seen.insert(name.clone()) {
                    return Err(LoadError::new(
                        at,
                        format!("duplicate key `{}`", crate::model::id::printable(&name)),
                    ));
                }
                keys.insert(child(path, &name), at);
                *key = Some(name);
                continue;
            }
            Some(Frame::Map { path, key, .. }) => child(path, &key.take().unwrap_or_default()),
            Some(Frame::Seq { path, next }) => {
                *next += 1;
                child(path, &(*next - 1).to_string())
            }
            None => String::new(),
        };
        let style = match &event {
            Event::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded, ..) => Style::Block,
            Event::Scalar(_, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, ..) => {
                Style::Quoted
            }
            _ => Style::Plain,
        };
        values.insert(path.clone(), (at, style));
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(LoadError::new(
                        at,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        key: None,
                        seen: HashSet::new(),
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            _ => {}
        }
    }
    Ok(SpanIndex::prebuilt(keys, values))
}

/// How many cases each differential test generates: `PROMPT_DIFF_CASES` for a longer run by hand
/// (1.5 million cases passed when the fast path was written). The defaults keep the unit tests,
/// which run on every `cargo test`, near two seconds in a debug build.
fn cases(default: u32) -> u32 {
    std::env::var("PROMPT_DIFF_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The old read: the eager event pass, then serde_yaml_ng from the text, then the shape rules.
fn old_parse(text: &str) -> Result<Loaded, LoadError> {
    crate::model::nesting::check_nesting(text)?;
    let spans = old_index(text)?;
    let prompt: Prompt = serde_yaml::from_str(text).map_err(|e| serde_error(&e))?;
    check_shape(&prompt, &spans)?;
    Ok(Loaded { prompt, spans })
}

/// Whether the events alone built a `Prompt` for `text`.
fn built_from_events(text: &str) -> Option<Prompt> {
    let read = read_events(text).ok()?;
    build_from_events(text, read.events, read.unsure)
}

/// Asserts that the loader answers as the old one did; returns whether the events built the prompt.
fn same_as_before(text: &str) -> Result<bool, TestCaseError> {
    let new = parse(text);
    let old = old_parse(text);
    match (&new, &old) {
        (Ok(n), Ok(o)) => {
            prop_assert_eq!(&n.prompt, &o.prompt, "{}", text);
            prop_assert_eq!(n.spans.dump(), o.spans.dump(), "{}", text);
        }
        (Err(n), Err(o)) => prop_assert_eq!(n, o, "{}", text),
        _ => prop_assert!(false, "{text}\nnew: {new:?}\nold: {old:?}"),
    }
    let two = parse_two_pass(text);
    prop_assert_eq!(
        two.as_ref().map(|l| &l.prompt),
        old.as_ref().map(|l| &l.prompt),
        "{}",
        text
    );
    // The core property, even where a shape rule fails afterwards: what the events build is what
    // serde_yaml_ng builds.
    let fast = built_from_events(text);
    if let Some(fast) = &fast {
        let serde: Result<Prompt, _> = serde_yaml::from_str(text);
        prop_assert!(
            serde.as_ref().ok() == Some(fast),
            "{text}\nevents: {fast:?}\nserde: {serde:?}"
        );
    }
    Ok(fast.is_some())
}

/// A YAML node to write, with how to write it.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String, Way),
    /// Items, and whether written in flow style (`[a, b]`).
    Seq(Vec<Node>, bool),
    /// Entries, and whether written in flow style (`{a: 1}`).
    Map(Vec<(String, Node)>, bool),
}

#[derive(Debug, Clone, Copy)]
enum Way {
    Plain,
    Single,
    Double,
    /// A block scalar with this header (`|`, `|-`, `>`, ...).
    Block(&'static str),
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            'é' => out.push_str("\\u00e9"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn inline(s: &str, way: Way, in_flow: bool) -> String {
    let flow_unsafe = |s: &str| s.contains([',', '[', ']', '{', '}']) || s.contains(": ");
    match way {
        Way::Plain if s.contains('\n') || (in_flow && flow_unsafe(s)) => double_quoted(s),
        Way::Plain => s.to_string(),
        Way::Single if s.contains('\n') => double_quoted(s),
        Way::Single => format!("'{}'", s.replace('\'', "''")),
        Way::Double | Way::Block(_) => double_quoted(s),
    }
}

fn flow(node: &Node) -> String {
    match node {
        Node::Scalar(s, way) => inline(s, *way, true),
        Node::Seq(items, _) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Node::Map(entries, _) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", inline(k, Way::Plain, true), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Writes the value after `key:` or `-` (block context, the parent at `indent`).
fn value(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Scalar(s, Way::Block(header)) => {
            out.push(' ');
            out.push_str(header);
            out.push('\n');
            for line in s.split('\n') {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        Node::Scalar(s, way) => {
            out.push(' ');
            out.push_str(&inline(s, *way, false));
            out.push('\n');
        }
        Node::Seq(items, false) if !items.is_empty() => {
            out.push('\n');
            seq(items, indent + 2, out);
        }
        Node::Map(entries, false) if !entries.is_empty() => {
            out.push('\n');
            map(entries, indent + 2, None, out);
        }
        _ => {
            out.push(' ');
            out.push_str(&flow(node));
            out.push('\n');
        }
    }
}

fn map(entries: &[(String, Node)], indent: usize, first: Option<&str>, out: &mut String) {
    for (i, (k, v)) in entries.iter().enumerate() {
        match (i, first) {
            (0, Some(prefix)) => out.push_str(prefix),
            _ => out.push_str(&" ".repeat(indent)),
        }
        out.push_str(&inline(k, Way::Plain, false));
        out.push(':');
        value(v, indent, out);
    }
}

fn seq(items: &[Node], indent: usize, out: &mut String) {
    for item in items {
        match item {
            // `- role: user` with the other keys under it.
            Node::Map(entries, false) if !entries.is_empty() => {
                let prefix = format!("{}- ", " ".repeat(indent));
                map(entries, indent + 2, Some(&prefix), out);
            }
            _ => {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                value(item, indent, out);
            }
        }
    }
}

/// Plain words that YAML or serde_yaml_ng type specially, or nearly do.
const TRICKY: &[&str] = &[
    "1",
    "0",
    "-0",
    "+1",
    "-1",
    "007",
    "-01",
    "+00",
    "1.5",
    "-2.5",
    ".5",
    "1.",
    "1e3",
    "1E-3",
    "+1.0",
    "-1e+2",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    ".NAN",
    ".nan",
    "+.nan",
    "inf",
    "nan",
    "NaN",
    "infinity",
    "0x1F",
    "-0x1f",
    "0o17",
    "0b101",
    "+0x1",
    "0x",
    "1_000",
    "1,000",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "1e400",
    "true",
    "True",
    "TRUE",
    "false",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "null",
    "Null",
    "NULL",
    "~",
    "",
    "2001-12-14",
    "12:30",
    "+-1",
    "-",
    "+",
    ".",
    "3.14abc",
    "0.1.2",
    "1 2",
    "a b",
    "é",
];

fn way() -> impl Strategy<Value = Way> {
    prop_oneof![
        6 => Just(Way::Plain),
        2 => Just(Way::Single),
        2 => Just(Way::Double),
        2 => prop::sample::select(vec!["|", "|-", "|+", ">", ">-", ">+"]).prop_map(Way::Block),
    ]
}

fn tricky() -> impl Strategy<Value = Node> {
    (
        prop::sample::select(TRICKY),
        prop_oneof![4 => Just(Way::Plain), 1 => way()],
    )
        .prop_map(|(s, w)| Node::Scalar(s.to_string(), w))
}

/// Prompt-like text: words, template markers, punctuation; sometimes several lines.
fn text() -> impl Strategy<Value = Node> {
    let line = "[A-Za-z][A-Za-z0-9 {}.,!?'_()é-]{0,24}";
    let lines = prop::collection::vec(
        prop_oneof![6 => line, 1 => Just(String::new()), 1 => "  [a-z ]{1,10}"],
        1..4,
    );
    (
        prop_oneof![3 => line.prop_map(|s| s.trim_end().to_string()), 1 => lines.prop_map(|l| l.join("\n"))],
        way(),
    )
        .prop_map(|(s, w)| Node::Scalar(s, w))
}

/// A boolean field's value: mostly a boolean.
fn flag() -> impl Strategy<Value = Node> {
    prop_oneof![6 => word(&["true", "false", "True", "FALSE"]), 1 => tricky()]
}

fn scalar() -> impl Strategy<Value = Node> {
    prop_oneof![tricky(), text()]
}

fn word(words: &'static [&'static str]) -> impl Strategy<Value = Node> {
    prop::sample::select(words).prop_map(|w| Node::Scalar(w.to_string(), Way::Plain))
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z_]{0,7}",
        1 => prop::sample::select(vec!["1", "true", "~", "null", "a.b", "é"]).prop_map(String::from),
    ]
}

/// Entries with distinct keys (duplicates are their own test).
fn entries<S: Strategy<Value = Node>>(
    value: S,
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<(String, Node)>> {
    prop::collection::vec((key(), value), n).prop_map(|mut v| {
        let mut seen = HashSet::new();
        v.retain(|(k, _)| seen.insert(k.clone()));
        v
    })
}

/// Free-form data: metadata, params, defaults, schemas, sample values.
fn any_value() -> impl Strategy<Value = Node> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..4), any::<bool>())
                .prop_map(|(v, f)| Node::Seq(v, f)),
            (entries(inner, 0..4), any::<bool>()).prop_map(|(v, f)| Node::Map(v, f)),
        ]
    })
}

/// A mapping node from optional fields, in the order given.
fn fields(items: Vec<Option<(&'static str, Node)>>, flow: bool) -> Node {
    Node::Map(
        items
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        flow,
    )
}

fn some<S: Strategy<Value = Node>>(
    key: &'static str,
    value: S,
) -> impl Strategy<Value = Option<(&'static str, Node)>> {
    prop::option::weighted(0.6, value.prop_map(move |v| (key, v)))
}

fn always<S: Strategy<Value = Node>>(
    key: &'static str,
    value: S,
) -> impl Strategy<Value = Option<(&'static str, Node)>> {
    prop::option::weighted(0.98, value.prop_map(move |v| (key, v)))
}

fn model() -> impl Strategy<Value = Node> {
    let param = prop_oneof![
        2 => (prop::sample::select(vec!["temperature", "max_tokens", "top_p", "seed", "stop"]), scalar())
            .prop_map(|(k, v)| (k.to_string(), v)),
        1 => (key(), any_value()),
    ];
    let params = prop::collection::vec(param, 0..4).prop_map(|mut v| {
        let mut seen = HashSet::new();
        v.retain(|(k, _)| seen.insert(k.clone()));
        Node::Map(v, false)
    });
    (
        always(
            "provider",
            prop_oneof![word(&["openai", "anthropic", "ollama"]), scalar()],
        ),
        always(
            "name",
            prop_oneof![word(&["gpt-4o-mini", "claude-3"]), scalar()],
        ),
        some("params", params),
        any::<bool>(),
    )
        .prop_map(|(a, b, c, flow)| fields(vec![a, b, c], flow))
}

fn input() -> impl Strategy<Value = Node> {
    let kind = prop_oneof![
        word(&[
            "string", "number", "integer", "boolean", "array", "object", "image", "audio",
            "messages", "text", ""
        ]),
        tricky()
    ];
    (
        some("type", kind),
        some("description", text()),
        some("required", flag()),
        some("default", any_value()),
        some(
            "enum",
            prop::collection::vec(scalar(), 0..4).prop_map(|v| Node::Seq(v, true)),
        ),
        any::<bool>(),
    )
        .prop_map(|(a, b, c, d, e, flow)| fields(vec![a, b, c, d, e], flow))
}

fn message() -> impl Strategy<Value = Node> {
    let part = prop_oneof![
        ("text", text()),
        ("image", word(&["photo", "img"])),
        ("audio", word(&["clip"])),
    ]
    .prop_map(|(k, v)| Node::Map(vec![(k.to_string(), v)], false));
    let content = prop_oneof![
        6 => text(),
        1 => tricky(),
        2 => prop::collection::vec(part, 0..3).prop_map(|v| Node::Seq(v, false)),
    ];
    let role = prop_oneof![
        30 => word(&["system", "user", "assistant", "tool", "developer"]),
        1 => word(&["robot", "User", ""]),
    ];
    prop_oneof![
        30 => (always("role", role), some("name", text()), always("content", content))
            .prop_map(|(a, b, c)| fields(vec![a, b, c], false)),
        1 => text().prop_map(|h| Node::Map(vec![("history".into(), h)], false)),
        1 => (always("role", word(&["user"])), always("contnt", text()))
            .prop_map(|(a, b)| fields(vec![a, b], false)),
    ]
}

fn tool() -> impl Strategy<Value = Node> {
    (
        always("name", text()),
        some("description", text()),
        some("parameters", any_value()),
        some("strict", flag()),
    )
        .prop_map(|(a, b, c, d)| fields(vec![a, b, c, d], false))
}

/// A whole prompt file's top-level mapping.
fn prompt() -> impl Strategy<Value = Node> {
    let format = prop_oneof![
        30 => word(&["1"]),
        1 => tricky(),
    ];
    let labels = prop_oneof![
        20 => (prop::collection::vec(scalar(), 0..3), any::<bool>()).prop_map(|(v, f)| Node::Seq(v, f)),
        1 => tricky(),
    ];
    let body = prop_oneof![
        4 => (prop::collection::vec(message(), 0..4), any::<bool>())
            .prop_map(|(v, f)| ("messages", Node::Seq(v, f))),
        3 => text().prop_map(|t| ("template", t)),
    ];
    let head = (
        always("format", format),
        some("name", scalar()),
        some("description", text()),
        some("labels", labels),
        some(
            "metadata",
            entries(any_value(), 0..4).prop_map(|v| Node::Map(v, false)),
        ),
        some("model", model()),
        some(
            "template_format",
            prop_oneof![
                30 => word(&["mustache", "f-string", "jinja2", "none"]),
                1 => word(&["handlebars", ""]),
            ],
        ),
        some(
            "escape",
            prop_oneof![30 => word(&["none", "html"]), 1 => word(&["xml"])],
        ),
    );
    let tail = (
        some(
            "inputs",
            entries(input(), 0..3).prop_map(|v| Node::Map(v, false)),
        ),
        prop::option::weighted(0.98, body),
        some(
            "tools",
            prop::collection::vec(tool(), 0..2).prop_map(|v| Node::Seq(v, false)),
        ),
        some(
            "tool_choice",
            prop_oneof![
                prop_oneof![20 => word(&["auto", "none", "required"]), 1 => word(&["any"])],
                text().prop_map(|n| Node::Map(vec![("name".into(), n)], true)),
            ],
        ),
        some(
            "response_format",
            (
                always("name", text()),
                always("schema", any_value()),
                some("strict", flag()),
            )
                .prop_map(|(a, b, c)| fields(vec![a, b, c], false)),
        ),
        some(
            "examples",
            prop::collection::vec(
                (
                    always(
                        "input",
                        entries(any_value(), 0..3).prop_map(|v| Node::Map(v, true)),
                    ),
                    always("output", any_value()),
                )
                    .prop_map(|(a, b)| fields(vec![a, b], false)),
                0..2,
            )
            .prop_map(|v| Node::Seq(v, false)),
        ),
        some(
            "samples",
            entries(
                entries(any_value(), 0..3).prop_map(|v| Node::Map(v, false)),
                0..2,
            )
            .prop_map(|v| Node::Map(v, false)),
        ),
        prop::option::weighted(0.05, (key(), scalar())),
    );
    (head, tail).prop_map(|(h, t)| {
        let mut items = vec![h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7, t.0];
        items.push(t.1);
        items.extend([t.2, t.3, t.4, t.5, t.6]);
        let mut node = fields(items, false);
        if let (Node::Map(entries, _), Some((k, v))) = (&mut node, t.7) {
            if !entries.iter().any(|(e, _)| *e == k) {
                entries.push((k, v));
            }
        }
        node
    })
}

fn file(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries, _) => map(entries, 0, None, &mut out),
        other => out.push_str(&flow(other)),
    }
    out
}

#[test]
fn generated_prompts_load_as_before() {
    // The strategy is deep: generating and shrinking a whole prompt needs more than a test
    // thread's stack in a debug build.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(generate_prompts)
        .unwrap()
        .join()
        .unwrap();
}

fn generate_prompts() {
    let cases = cases(800);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let built = Cell::new(0);
    let loaded = Cell::new(0);
    runner
        .run(
            &(prompt(), prop::bool::weighted(0.2)),
            |(node, unterminated)| {
                // Hand-written files often lack the final line break.
                let mut text = file(&node);
                if unterminated {
                    text.truncate(text.trim_end_matches('\n').len());
                }
                if same_as_before(&text)? {
                    built.set(built.get() + 1);
                }
                if parse(&text).is_ok() {
                    loaded.set(loaded.get() + 1);
                }
                Ok(())
            },
        )
        .unwrap();
    // Not vacuous: most generated files load, and the events build most of those.
    let (built, loaded) = (built.get(), loaded.get());
    assert!(loaded * 5 > cases as usize, "{loaded} of {cases} loaded");
    // (Files without a final line break that end in a block scalar are left to serde_yaml_ng.)
    assert!(
        built * 10 > loaded * 7,
        "{built} built from events, {loaded} loaded"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(700)))]

    /// Loose YAML-like text, mostly broken: the same errors at the same places.
    #[test]
    fn yaml_like_text_loads_as_before(s in "(format: 1\n)?(template: ?(\\||>|'|\")?[ a-z{}:#\n-]{0,12}\n)?([a-z_]{1,8}: ?(\\[|\\{|'|\"|\\||>|-|&a|\\*a|!t|!!str |!!int )?[ a-z0-9.{}:#\n\t\r%-]{0,20}\n){0,8}") {
        same_as_before(&s)?;
    }

    /// Tabs, the line breaks YAML 1.1 knows and 1.2 does not (NEL, LS, PS), a BOM, quotes and
    /// escapes inside texts of every style.
    #[test]
    fn odd_characters_load_as_before(
        template in "[a-z \t\u{85}\u{2028}\u{2029}\u{feff}\u{7}\u{7f}\u{9b}\u{fffe}\r%\\\"':#é\n]{0,16}",
        description in "[a-z \t\u{85}\u{2028}:#\n-]{0,12}",
        ways in (way(), way()),
    ) {
        let node = Node::Map(vec![
            ("format".into(), Node::Scalar("1".into(), Way::Plain)),
            ("description".into(), Node::Scalar(description, ways.0)),
            ("template".into(), Node::Scalar(template, ways.1)),
        ], false);
        same_as_before(&file(&node))?;
    }

    /// The same characters where YAML's structure is: around keys, indicators and indentation.
    #[test]
    fn odd_structure_loads_as_before(s in "(%YAML 1.[1-3]\n---\n)?format: 1\ntemplate:[ \t]?[|>]?[ \t\u{85}\u{2028}]?\n?[ \t]{0,3}[a-z\u{85}\u{2028}\t]{1,6}\n([a-z]{1,4}:[ \t\u{85}\u{2028}]{0,2}[a-z0-9\t\u{85}]{0,6}\n){0,3}") {
        same_as_before(&s)?;
    }

    /// Lines of YAML fragments at any indentation: flow collections across lines, comments
    /// inside them, explicit keys, document markers, properties, quotes and block headers.
    #[test]
    fn fragment_soup_loads_as_before(
        lines in prop::collection::vec(
            (0usize..5, prop::collection::vec(prop::sample::select(vec![
                "a:", "b: ", "- ", "[", "]", "{", "}", ", ", "#c", " #c", "'x'", "\"y\"", "|", ">-",
                "---", "...", "? ", ": ", "&a ", "x", "1", " ", "\t", "%", "z y", "a: [", "b: {",
                "c: |", "d: >", "- a", "- [", "'", "\"", "\r", "é", "!!str ", "*a", "~", "0x1",
                "'a''b'", "\"\\n\"", "? [a]", "{a: [b, {c: d}]}", "|+", "|-1", ">2",
                "\"k\": 1", "'k': ", "!!int ", "&b [", "- -", "? - a", "--- a", "... x", "a:b",
                "http://x", "{\"a\":1}", "[a,b]", "a b: c", "x: y: z", "- ? a", "\\", "é: é",
                "  ", "\"a", "b'", "-1", ".5", "<<: ", "=", "~: ~", "[]", "{}", "a # b", "'\n'",
            ]), 1..5)),
            0..8,
        ),
        under_metadata in any::<bool>(),
    ) {
        // Under `metadata` anything well-formed loads, so the events build the prompt.
        let mut text = String::from(if under_metadata {
            "format: 1\ntemplate: t\nmetadata:\n "
        } else {
            "format: 1\ntemplate: "
        });
        for (indent, parts) in lines {
            text.push_str(&" ".repeat(indent));
            text.extend(parts);
            text.push('\n');
        }
        same_as_before(&text)?;
    }

    /// Block scalars: every header, lines at any indentation, blank and space-only lines, text
    /// that looks like structure, and what follows the scalar.
    #[test]
    fn block_scalars_load_as_before(
        header in prop::sample::select(vec!["|", "|-", "|+", ">", ">-", ">+", "|1", "|2-", ">+3", "| # c", ">-\n"]),
        lines in prop::collection::vec((0usize..7, prop::sample::select(vec![
            "", "a", "a b", "  ", "# c", "- x", "k: v", "---", "...", "{{x}}", "'q'", "b  ", "é",
        ])), 0..6),
        after in prop::sample::select(vec!["", "description: d\n", "# end\n", "\n\n", "...\n"]),
        under_metadata in any::<bool>(),
    ) {
        let mut text = String::from(if under_metadata {
            "format: 1\ntemplate: t\nmetadata:\n  k: "
        } else {
            "format: 1\ntemplate: "
        });
        text.push_str(header);
        text.push('\n');
        for (indent, line) in lines {
            text.push_str(&" ".repeat(indent));
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(after);
        same_as_before(&text)?;
    }

    /// Quoted scalars across lines: escapes, line continuations, blank lines, indentation, and
    /// quotes inside.
    #[test]
    fn quoted_scalars_load_as_before(
        double in any::<bool>(),
        parts in prop::collection::vec((0usize..4, prop::sample::select(vec![
            "a", " b ", "\\n", "\\t", "\\\"", "''", "\\", "\\x41", "\\u00e9", "\\ ",
            "# c", ": d", "- e", "{f}", "é", "  ",
        ]), any::<bool>()), 1..6),
        in_flow in any::<bool>(),
    ) {
        let quote = if double { '"' } else { '\'' };
        let mut scalar = String::from(quote);
        for (indent, part, newline) in parts {
            scalar.push_str(part);
            if newline {
                scalar.push('\n');
                scalar.push_str(&" ".repeat(indent));
            }
        }
        scalar.push(quote);
        let text = if in_flow {
            format!("format: 1\ntemplate: t\nlabels: [{scalar}, x]\n")
        } else {
            format!("format: 1\ntemplate: {scalar}\n")
        };
        same_as_before(&text)?;
    }

    /// Values in flow collections and after keys: every scalar form serde_yaml_ng types.
    #[test]
    fn metadata_values_load_as_before(values in entries(any_value(), 1..6), flow in any::<bool>()) {
        let node = Node::Map(vec![
            ("format".into(), Node::Scalar("1".into(), Way::Plain)),
            ("template".into(), Node::Scalar("hi".into(), Way::Plain)),
            ("metadata".into(), Node::Map(values, flow)),
        ], false);
        let text = file(&node);
        let built = same_as_before(&text)?;
        // Every file that loads is built from its events, but for the forms left to serde_yaml_ng.
        let left = ["0x", "0o", "0b", "18446744073709551616", "9223372036854775809", "1234567890123"];
        if parse(&text).is_ok() && !left.iter().any(|f| text.contains(f)) {
            prop_assert!(built, "{}", text);
        }
    }
}

/// Every prompt file in the repository's examples and test fixtures.
#[test]
fn the_repository_prompt_files_load_as_before() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.to_string_lossy().ends_with(".yaml") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("examples"), &mut files);
    walk(&root.join("tests/fixtures"), &mut files);
    assert!(files.len() > 10, "{files:?}");
    let mut built = 0;
    for path in &files {
        let Ok(text) = decode(&std::fs::read(path).unwrap()) else {
            continue;
        };
        if same_as_before(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
            built += 1;
        }
    }
    assert!(built > 10, "{built} of {} built from events", files.len());
}

/// Paths that two nodes share (a key with a dot beside a nested key, an empty key, a key that
/// looks like an index) answer as the old tables did: the last node in the document.
#[test]
fn shared_paths_answer_as_before() {
    let texts = [
        "format: 1\ntemplate: a\nmetadata:\n  a.b: 1\n  a:\n    b: 2\n",
        "format: 1\ntemplate: a\nmetadata:\n  a:\n    b: 2\n  a.b: 1\n",
        "format: 1\ntemplate: a\nmetadata:\n  '': {'': [x, [y, {z: ''}]]}\n  '0': 1\n",
        "format: 1\ntemplate: a\nmetadata:\n  l: [[1, 2], [3, [4, 5]]]\n  l.1.1: 9\n",
        "format: 1\ntemplate: a\nsamples: {s: {x: 1}}\nmetadata: {samples.s.x: 2}\n",
    ];
    for text in texts {
        same_as_before(text).unwrap();
        let new = parse(text).unwrap();
        let old = old_parse(text).unwrap();
        for path in [
            "metadata.a.b",
            "metadata.",
            "metadata..",
            "metadata.l.1.1",
            "samples.s.x",
        ] {
            assert_eq!(new.spans.value(path), old.spans.value(path), "{text}{path}");
            assert_eq!(new.spans.key(path), old.spans.key(path), "{text}{path}");
        }
    }
}

/// Corners of YAML the generators reach rarely: directives, document markers, explicit keys,
/// properties, escapes, indentation indicators, control characters, long keys, flow oddities.
#[test]
fn yaml_corners_load_as_before() {
    let long_key = "k".repeat(1100);
    let texts = [
        "%YAML 1.2\n---\nformat: 1\ntemplate: a\n".to_string(),
        "%YAML 1.1\n---\nformat: 1\ntemplate: a\n".into(),
        "%YAML 1.3\n---\nformat: 1\ntemplate: a\n".into(),
        "%YAML 2.0\n---\nformat: 1\ntemplate: a\n".into(),
        "%TAG !e! tag:example.com,2000:\n---\nformat: 1\ntemplate: a\n".into(),
        "%FOO bar\n---\nformat: 1\ntemplate: a\n".into(),
        "---\nformat: 1\ntemplate: a\n...\n".into(),
        "--- # comment\nformat: 1\ntemplate: a\n...\n# after\n".into(),
        "--- {format: 1, template: a}\n".into(),
        "{format: 1, template: a}".into(),
        "? format\n: 1\n? template\n: a\n".into(),
        "&x format: 1\ntemplate: &y a\n".into(),
        "format: 1\ntemplate: a\nmetadata: {a, b: , ? c}\n".into(),
        "format: 1\ntemplate: a\nlabels: [a: 1, b]\n".into(),
        "format: 1\ntemplate: a\nmetadata: {a\n  b: 1, 'c\n  d': 2}\n".into(),
        "format: 1\ntemplate: a\nmetadata: {\"a\n  b\": 1}\n".into(),
        "format: 1\ntemplate: a\nmetadata:\n  \"a\n  b\": 1\n".into(),
        "format: 1\ntemplate: a\n  %not a directive\n".into(),
        "format: 1\ntemplate: |\n  %in a block\n".into(),
        "format: 1\ntemplate: a\nlabels: [a, , b]\n".into(),
        "format: 1\ntemplate: a\nlabels: [a,]\n".into(),
        "format: 1\ntemplate: \"\\x41\\u263A\\U0001F600\\N\\_\\L\\P\\0\\e\\ \\/\\t\"\n".into(),
        "format: 1\ntemplate: \"a\\\n  b \\\n  c\"\n".into(),
        "format: 1\ntemplate: \"\\uD800\"\n".into(),
        "format: 1\ntemplate: \"\\uDC00x\"\n".into(),
        "format: 1\ntemplate: \"\\U00110000\"\n".into(),
        "format: 1\ntemplate: \"\\x\"\n".into(),
        "format: 1\ntemplate: \"\\q\"\n".into(),
        "format: 1\ntemplate: \"\\x4\"\n".into(),
        "format: 1\ntemplate: \"\\u00\"\n".into(),
        "format: 1\ntemplate: @x\n".into(),
        "format: 1\ntemplate: `x\n".into(),
        "format: 1\ntemplate: %x\n".into(),
        "format: 1\ntemplate: !x\n".into(),
        "format: 1\ntemplate: |x\n".into(),
        "format: 1\ntemplate: >x\n".into(),
        "format: 1\ntemplate: -x\n".into(),
        "format: 1\ntemplate: ?x\n".into(),
        "format: 1\ntemplate: :x\n".into(),
        "format: 1\ntemplate: ,x\n".into(),
        "format: 1\ntemplate: ]x\n".into(),
        "format: 1\ntemplate: }x\n".into(),
        "format: 1\ntemplate: #x\n".into(),
        "format: 1\ntemplate: x #\n".into(),
        "format: 1\ntemplate: x:\n".into(),
        "format: 1\ntemplate: x::y\n".into(),
        "format: 1\ntemplate: 'x\n".into(),
        "format: 1\ntemplate: - x\n".into(),
        "format: 1\ntemplate: ? x\n".into(),
        "format: 1\ntemplate: : x\n".into(),
        "format: 1\ntemplate: -\n".into(),
        "format: 1\ntemplate: ?\n".into(),
        "format: 1\ntemplate: :\n".into(),
        "format: 1\ntemplate: <<\n".into(),
        "format: 1\ntemplate: =\n".into(),
        "format: 1\ntemplate: x\\\\y\n".into(),
        "format: 1\ntemplate: a\nmetadata:\n  <<: {a: 1}\n  ? \n  : 2\n".into(),
        "format: 1\ntemplate: a\nmetadata: {? : 1}\n".into(),
        "format: 1\ntemplate: |+\n  a\n\n".into(),
        "format: 1\ntemplate: |\n  a".into(),
        "format: 1\ntemplate: |\n  a\n  b".into(),
        "format: 1\ntemplate: |\n  a\n".into(),
        "format: 1\ntemplate: |\n  a\n\n".into(),
        "format: 1\ntemplate: |\n  a\n  ".into(),
        "format: 1\ntemplate: |\n  a\n\n  ".into(),
        "format: 1\ntemplate: |-\n  a".into(),
        "format: 1\ntemplate: |-\n  a\n  b".into(),
        "format: 1\ntemplate: |-\n  a\n".into(),
        "format: 1\ntemplate: |-\n  a\n\n".into(),
        "format: 1\ntemplate: |-\n  a\n  ".into(),
        "format: 1\ntemplate: |-\n  a\n\n  ".into(),
        "format: 1\ntemplate: >\n  a".into(),
        "format: 1\ntemplate: >\n  a\n  b".into(),
        "format: 1\ntemplate: >\n  a\n".into(),
        "format: 1\ntemplate: >\n  a\n\n".into(),
        "format: 1\ntemplate: >\n  a\n  ".into(),
        "format: 1\ntemplate: >\n  a\n\n  ".into(),
        "format: 1\ntemplate: >+\n  a".into(),
        "format: 1\ntemplate: >+\n  a\n  b".into(),
        "format: 1\ntemplate: >+\n  a\n".into(),
        "format: 1\ntemplate: >+\n  a\n\n".into(),
        "format: 1\ntemplate: >+\n  a\n  ".into(),
        "format: 1\ntemplate: >+\n  a\n\n  ".into(),
        "format: 1\ntemplate: >-\n  a".into(),
        "format: 1\ntemplate: >-\n  a\n  b".into(),
        "format: 1\ntemplate: >-\n  a\n".into(),
        "format: 1\ntemplate: >-\n  a\n\n".into(),
        "format: 1\ntemplate: >-\n  a\n  ".into(),
        "format: 1\ntemplate: >-\n  a\n\n  ".into(),
        "format: 1\ntemplate: |2\n  a".into(),
        "format: 1\ntemplate: |2\n  a\n  b".into(),
        "format: 1\ntemplate: |2\n  a\n".into(),
        "format: 1\ntemplate: |2\n  a\n\n".into(),
        "format: 1\ntemplate: |2\n  a\n  ".into(),
        "format: 1\ntemplate: |2\n  a\n\n  ".into(),
        "format: 1\ntemplate: |+\n  a".into(),
        "format: 1\ntemplate: |+\n  a\n  b".into(),
        "format: 1\ntemplate: |+\n  a\n".into(),
        "format: 1\ntemplate: |+\n  a\n\n".into(),
        "format: 1\ntemplate: |+\n  a\n  ".into(),
        "format: 1\ntemplate: |+\n  a\n\n  ".into(),
        "format: 1\ntemplate: a".into(),
        "format: 1\ntemplate: 'a'".into(),
        "template: a\nformat: 1".into(),
        "format: 1\nmessages:\n  - role: user\n    content: |\n      hi".into(),
        "format: 1\ntemplate: >-\n  a\n  ".into(),
        "format: 1\ntemplate: 'a".into(),
        "format: 1\ntemplate: a\ninputs: {x: {default: [1e+5, 1E5, -0.0, +.5, 0., 00.5, 0e5, 1__0, 0b, 0o, -0x, 0x_1]}}\n".into(),
        "format: 1\ntemplate: \"a\n\n  b\n   c  \"\n".into(),
        "format: 1\ntemplate: 'a\n\n  b '' c'\n".into(),
        "format: 1\ntemplate: a\n  b\n\n  c # d\n".into(),
        "format: 1\ntemplate: a\n  # not a comment?\n  b\n".into(),
        "format: 1\ntemplate: a:b c#d e: f\n".into(),
        "format: 1\ntemplate: |2\n   a\n  b\n".into(),
        "format: 1\ntemplate: |-2\n\n   a\n  b\n\n".into(),
        "format: 1\ntemplate: >+1\n a\n\n  b\n c\n\n\n".into(),
        "format: 1\ntemplate: |\n\n  \n  a\n".into(),
        "format: 1\ntemplate: |\n   \n  a\n".into(),
        "format: 1\ntemplate: >\n  a\n  b\n\n  c\n    d\n  e\n".into(),
        "format: 1\ntemplate: |\n  a\n # comment\n".into(),
        "format: 1\ntemplate: |\nmessages: []\n".into(),
        "format: 1\ntemplate: a\x07b\n".into(),
        "format: 1\ntemplate: \"a\x1bb\"\n".into(),
        "format: 1\ntemplate: a\x7fb\n".into(),
        "format: 1\ntemplate: a\u{9b}b\n".into(),
        "format: 1\ntemplate: a\u{fffe}b\n".into(),
        "format: 1\ntemplate: a\u{ffff}b\n".into(),
        "format: 1\ntemplate: a\u{e000}\u{10ffff}b\n".into(),
        "format: 1\ntemplate: a\rb\n".into(),
        "format: 1\ntemplate: a\r\n".into(),
        format!("format: 1\ntemplate: a\nmetadata:\n  {long_key}: 1\n"),
        format!("format: 1\ntemplate: a\nmetadata: {{{long_key}: 1}}\n"),
        format!("format: 1\ntemplate: a\nmetadata:\n  \"{long_key}\": 1\n"),
        "format: 1\ntemplate: a\nmetadata:\n  'q': 1\n  \"d\": 2\n  ? |\n    block key\n  : 3\n".into(),
        "format: 1\ntemplate: a\nmetadata:\n- a\n".into(),
        "format: 1\ntemplate: a\nmetadata:\n  x:\n  - a\n  - b\n".into(),
        "format: 1\ntemplate: a\nlabels:\n- a\n-\n- ''\n".into(),
        "format: 1\ntemplate: a\nlabels: - a\n".into(),
        "format:  1   \ntemplate:   a   \n".into(),
        "format: 1 # one\ntemplate: a#b # c\n".into(),
        "format: 1\ntemplate: !!str 1\n".into(),
        "format: !!int 1\ntemplate: a\n".into(),
        "format: 1\ntemplate: a\nmetadata: !!map {a: !!null ''}\n".into(),
        "format: 1\ntemplate: a\nmetadata: {a: !!float 1, b: !!bool true, c: !!seq []}\n".into(),
        "format: 1\nmessages:\n  - role: user\n    content:\n      - text: a\n      - image: b\n".into(),
        "format: 1\nmessages:\n- role: user\n  content: [{text: a}, {audio: b}]\n".into(),
        "format: 1\nmessages:\n  - {role: user, content: 12}\n".into(),
        "format: 1\nmessages:\n  - {role: user, content: ~}\n".into(),
        "format: 1\nmessages:\n  - {role: user, content: ''}\n".into(),
        "format: 1\ntemplate: a\ntool_choice: {name: f}\n".into(),
        "format: 1\ntemplate: a\ntool_choice: none\n".into(),
        "format: 1\ntemplate: a\ntool_choice: ~\n".into(),
        "format: 1\ntemplate: a\ninputs: {x: {type: number, default: 1e3, enum: [1, 1.5, -2, .inf]}}\n".into(),
        "format: 1\ntemplate: a\ninputs: {x: {required: yes}}\n".into(),
        "format: 1\ntemplate: a\ninputs: {x: {required: ~}}\n".into(),
        "format: 1\ntemplate: a\ninputs: {x: ~}\n".into(),
        "format: 1\ntemplate: a\ninputs: {x: }\n".into(),
        "format: 1\ntemplate: a\ninputs:\n".into(),
        "format: 1\ntemplate: a\nmodel: {provider: 1, name: true}\n".into(),
        "format: 1\ntemplate: a\nmodel: {provider: a, name: b, params: {t: 0.2, n: 007, s: [x], m: {k: v}}}\n".into(),
        "format: 1\ntemplate: a\nresponse_format: {name: n, schema: ~}\n".into(),
        "format: 1\ntemplate: a\nresponse_format: {name: n}\n".into(),
        "format: 1\ntemplate: a\nexamples: [{input: {}, output: }]\n".into(),
        "format: 1\ntemplate: a\nsamples: {s: }\n".into(),
        "format: 1\ntemplate: a\nname: \ndescription: ~\n".into(),
        "format: 1\ntemplate:\n".into(),
        "format: 1\ntemplate: ~\n".into(),
        "format: 1\ntemplate: [a]\n".into(),
        "format: 1.0\ntemplate: a\n".into(),
        "format: 4294967296\ntemplate: a\n".into(),
        "format: '1'\ntemplate: a\n".into(),
        "format:\n  1\ntemplate: a\n".into(),
        "".into(),
        "# only a comment\n".into(),
        "---\n".into(),
        "~\n".into(),
        "[]\n".into(),
        "- format: 1\n".into(),
    ];
    let failed: Vec<String> = texts
        .iter()
        .filter_map(|text| same_as_before(text).err().map(|e| format!("{text:?}: {e}")))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
