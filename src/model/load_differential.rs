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
    // The loader's own answer, before the "quote it" hint (a layer with its own tests) is added.
    let new = super::parse_unhinted(text, true);
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

// The prompt-shaped YAML the tests generate: a node tree and its writer, and the strategies.
#[path = "load_differential_gen.rs"]
mod generate;
use generate::*;

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
