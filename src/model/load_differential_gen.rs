//! What the differential tests feed the loader: prompt-shaped YAML as a node tree (`Node`), a
//! writer that puts it on the page in block, flow, plain, quoted or block-scalar style, and the
//! proptest strategies that build every field of the format, with scalars that YAML or
//! serde_yaml_ng type specially.

use std::collections::HashSet;

use proptest::prelude::*;

/// A YAML node to write, with how to write it.
#[derive(Debug, Clone)]
pub(super) enum Node {
    Scalar(String, Way),
    /// Items, and whether written in flow style (`[a, b]`).
    Seq(Vec<Node>, bool),
    /// Entries, and whether written in flow style (`{a: 1}`).
    Map(Vec<(String, Node)>, bool),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Way {
    Plain,
    Single,
    Double,
    /// A block scalar with this header (`|`, `|-`, `>`, ...).
    Block(&'static str),
}

pub(super) fn double_quoted(s: &str) -> String {
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

pub(super) fn inline(s: &str, way: Way, in_flow: bool) -> String {
    let flow_unsafe = |s: &str| s.contains([',', '[', ']', '{', '}']) || s.contains(": ");
    match way {
        Way::Plain if s.contains('\n') || (in_flow && flow_unsafe(s)) => double_quoted(s),
        Way::Plain => s.to_string(),
        Way::Single if s.contains('\n') => double_quoted(s),
        Way::Single => format!("'{}'", s.replace('\'', "''")),
        Way::Double | Way::Block(_) => double_quoted(s),
    }
}

pub(super) fn flow(node: &Node) -> String {
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
pub(super) fn value(node: &Node, indent: usize, out: &mut String) {
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

pub(super) fn map(
    entries: &[(String, Node)],
    indent: usize,
    first: Option<&str>,
    out: &mut String,
) {
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

pub(super) fn seq(items: &[Node], indent: usize, out: &mut String) {
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
pub(super) const TRICKY: &[&str] = &[
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

pub(super) fn way() -> impl Strategy<Value = Way> {
    prop_oneof![
        6 => Just(Way::Plain),
        2 => Just(Way::Single),
        2 => Just(Way::Double),
        2 => prop::sample::select(vec!["|", "|-", "|+", ">", ">-", ">+"]).prop_map(Way::Block),
    ]
}

pub(super) fn tricky() -> impl Strategy<Value = Node> {
    (
        prop::sample::select(TRICKY),
        prop_oneof![4 => Just(Way::Plain), 1 => way()],
    )
        .prop_map(|(s, w)| Node::Scalar(s.to_string(), w))
}

/// Prompt-like text: words, template markers, punctuation; sometimes several lines.
pub(super) fn text() -> impl Strategy<Value = Node> {
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
pub(super) fn flag() -> impl Strategy<Value = Node> {
    prop_oneof![6 => word(&["true", "false", "True", "FALSE"]), 1 => tricky()]
}

pub(super) fn scalar() -> impl Strategy<Value = Node> {
    prop_oneof![tricky(), text()]
}

pub(super) fn word(words: &'static [&'static str]) -> impl Strategy<Value = Node> {
    prop::sample::select(words).prop_map(|w| Node::Scalar(w.to_string(), Way::Plain))
}

pub(super) fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z_]{0,7}",
        1 => prop::sample::select(vec!["1", "true", "~", "null", "a.b", "é"]).prop_map(String::from),
    ]
}

/// Entries with distinct keys (duplicates are their own test).
pub(super) fn entries<S: Strategy<Value = Node>>(
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
pub(super) fn any_value() -> impl Strategy<Value = Node> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..4), any::<bool>())
                .prop_map(|(v, f)| Node::Seq(v, f)),
            (entries(inner, 0..4), any::<bool>()).prop_map(|(v, f)| Node::Map(v, f)),
        ]
    })
}

/// A mapping node from optional fields, in the order given.
pub(super) fn fields(items: Vec<Option<(&'static str, Node)>>, flow: bool) -> Node {
    Node::Map(
        items
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        flow,
    )
}

pub(super) fn some<S: Strategy<Value = Node>>(
    key: &'static str,
    value: S,
) -> impl Strategy<Value = Option<(&'static str, Node)>> {
    prop::option::weighted(0.6, value.prop_map(move |v| (key, v)))
}

pub(super) fn always<S: Strategy<Value = Node>>(
    key: &'static str,
    value: S,
) -> impl Strategy<Value = Option<(&'static str, Node)>> {
    prop::option::weighted(0.98, value.prop_map(move |v| (key, v)))
}

pub(super) fn model() -> impl Strategy<Value = Node> {
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

pub(super) fn input() -> impl Strategy<Value = Node> {
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

pub(super) fn message() -> impl Strategy<Value = Node> {
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

pub(super) fn tool() -> impl Strategy<Value = Node> {
    (
        always("name", text()),
        some("description", text()),
        some("parameters", any_value()),
        some("strict", flag()),
    )
        .prop_map(|(a, b, c, d)| fields(vec![a, b, c, d], false))
}

/// A whole prompt file's top-level mapping.
pub(super) fn prompt() -> impl Strategy<Value = Node> {
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

pub(super) fn file(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries, _) => map(entries, 0, None, &mut out),
        other => out.push_str(&flow(other)),
    }
    out
}
