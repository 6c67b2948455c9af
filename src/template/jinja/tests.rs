//! Unit tests of the Jinja2 engine: what the product adds to the engine (errors that name the
//! undefined value, positions, limits, includes only through the resolver).

use std::collections::HashMap;

use serde_json::json;

use super::*;
use crate::template::NoPartials;

fn strict() -> RenderOptions {
    RenderOptions::default()
}

fn render(src: &str, ctx: Value) -> Result<String, RenderError> {
    Template::parse(src)
        .unwrap()
        .render(&ctx, &NoPartials, &strict())
}

#[test]
fn undefined_is_an_error_naming_it_with_its_position() {
    let err = render("Hello\n  {{ ticket }}!", json!({})).unwrap_err();
    assert_eq!(
        err,
        RenderError::MissingVariable {
            name: "ticket".into(),
            pos: Pos::new(2, 6),
        }
    );
    let err = render("{{ user.name }}", json!({"user": {}})).unwrap_err();
    assert!(
        matches!(&err, RenderError::MissingVariable { name, .. } if name == "user.name"),
        "{err:?}"
    );
    // Guarded uses are fine, as in Jinja2.
    assert_eq!(
        render(
            "{% if x is defined %}{{ x }}{% endif %}{{ y|default('d') }}",
            json!({})
        )
        .unwrap(),
        "d"
    );
}

#[test]
fn lenient_is_jinja2_default_undefined() {
    let t = Template::parse("[{{ a }}]{% for x in b %}x{% endfor %}").unwrap();
    let lenient = RenderOptions {
        strict: false,
        ..Default::default()
    };
    assert_eq!(t.render(&json!({}), &NoPartials, &lenient).unwrap(), "[]");
}

#[test]
fn values_print_as_python_and_null_as_nothing() {
    let ctx = json!({"t": true, "l": ["a", 1], "n": null, "f": 1e16});
    assert_eq!(
        render("{{ t }} {{ l }} [{{ n }}] {{ f }}", ctx).unwrap(),
        "True ['a', 1] [] 1e+16"
    );
}

#[test]
fn no_autoescape_unless_html() {
    let ctx = json!({"x": "<a href='/'>"});
    assert_eq!(render("{{ x }}", ctx.clone()).unwrap(), "<a href='/'>");
    let html = RenderOptions {
        escape: Escape::Html,
        ..Default::default()
    };
    let t = Template::parse("{{ x }}{{ x|safe }}").unwrap();
    assert_eq!(
        t.render(&ctx, &NoPartials, &html).unwrap(),
        "&lt;a href=&#39;/&#39;&gt;<a href='/'>"
    );
}

#[test]
fn one_trailing_newline_is_dropped() {
    assert_eq!(render("Hi\n", json!({})).unwrap(), "Hi");
    assert_eq!(render("Hi\n\n", json!({})).unwrap(), "Hi\n");
}

#[test]
fn syntax_errors_have_positions() {
    let err = Template::parse("line\n{% if %}").unwrap_err();
    assert_eq!(err.pos.line, 2, "{err}");
    let err = Template::parse("{% for x in y %}").unwrap_err();
    assert!(err.message.contains("end"), "{err}");
}

#[test]
fn variables_are_listed_with_positions() {
    let t = Template::parse(
        "{% set g = 'Hi' %}{{ g }} {{ user.name }}\n{% for t in tags %}{{ t }}{{ loop.index }}{% endfor %}",
    )
    .unwrap();
    let vars: Vec<(String, Pos)> = t.variables().iter().map(|v| (v.dotted(), v.pos)).collect();
    assert_eq!(
        vars,
        [
            ("user.name".to_string(), Pos::new(1, 30)),
            ("tags".to_string(), Pos::new(2, 13)),
        ]
    );
}

#[test]
fn includes_come_only_from_the_resolver() {
    let t = Template::parse("{% include 'shared/head' %}|{% extends \"base\" %}").unwrap();
    let names: Vec<(String, bool)> = t
        .includes()
        .into_iter()
        .map(|p| (p.name, p.parent))
        .collect();
    assert_eq!(
        names,
        [
            ("shared/head".to_string(), false),
            ("base".to_string(), true)
        ]
    );
    let t = Template::parse("A{% include 'shared/head' %}").unwrap();
    let partials: HashMap<String, String> =
        [("shared/head".to_string(), "[{{ who }}]".to_string())].into();
    assert_eq!(
        t.render(&json!({"who": "Bo"}), &partials, &strict())
            .unwrap(),
        "A[Bo]"
    );
    let err = t.render(&json!({}), &NoPartials, &strict()).unwrap_err();
    assert!(
        matches!(&err, RenderError::MissingPartial { name, .. } if name == "shared/head"),
        "{err:?}"
    );
    // No file system: a path is just a name the resolver does not have.
    let t = Template::parse("{% include '/etc/passwd' %}").unwrap();
    assert!(t.render(&json!({}), &NoPartials, &strict()).is_err());
}

#[test]
fn output_and_work_are_bounded() {
    let small = RenderOptions {
        max_output_bytes: 100,
        ..Default::default()
    };
    let t = Template::parse("{% for i in range(1000) %}xxxxxxxxxx{% endfor %}").unwrap();
    assert_eq!(
        t.render(&json!({}), &NoPartials, &small),
        Err(RenderError::OutputTooLarge { limit: 100 })
    );
    let few = RenderOptions {
        max_steps: 1000,
        ..Default::default()
    };
    let t = Template::parse("{% for i in range(100000) %}{% endfor %}").unwrap();
    assert_eq!(
        t.render(&json!({}), &NoPartials, &few),
        Err(RenderError::TooManySteps { limit: 1000 })
    );
    // A template that includes itself stops at the engine's recursion limit.
    let partials: HashMap<String, String> =
        [("me".to_string(), "{% include 'me' %}".to_string())].into();
    let t = Template::parse("{% include 'me' %}").unwrap();
    assert!(t.render(&json!({}), &partials, &strict()).is_err());
}

#[test]
fn truncate_follows_jinja2() {
    let long = "The quick brown fox jumps over the lazy dog";
    assert_eq!(
        truncate(long, Some(20), None, None, None).unwrap(),
        "The quick brown..."
    );
    assert_eq!(
        truncate(long, Some(20), Some(true), None, None).unwrap(),
        "The quick brown f..."
    );
    assert_eq!(
        truncate("short", Some(3), None, None, None).unwrap(),
        "short"
    );
    assert!(truncate(long, Some(1), None, None, None).is_err());
}
