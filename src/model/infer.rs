//! The inputs a template implies, from how it uses each value: what `prompt new` declares from the
//! texts it is given, what an import declares for the variables its source did not type, and the
//! uses `check` holds against the declared types.
//!
//! The rules, for values used at the top level of a template:
//! - written out (`{{x}}`, `{{ x }}`, `{x}`): a string;
//! - a field read (`{{user.name}}`, `{{ user.name }}`): an object;
//! - iterated: a mustache section whose body reads its items (`{{#items}}{{title}}{{/items}}`, a list
//!   of objects; `{{#tags}}{{.}}{{/tags}}`, a list of strings), a Jinja2 `{% for x in items %}`: a
//!   list (`{% for k, v in m.items() %}`: an object);
//! - a mustache section or inverted section that only shows or hides text (`{{#urgent}}!{{/urgent}}`):
//!   a boolean;
//! - guarded, and so optional: a string written out inside its own section (`{{#tone}}in a {{tone}}
//!   tone{{/tone}}`) or beside an inverted section over it (`{{^tone}}neutral{{/tone}}`), a Jinja2
//!   value with `| default(…)`, `is defined`, `is none`, or tested by `{% if x %}`.

use crate::model::prompt::{Input, InputType};
use crate::template::{Pos, Syntax, Template, UseKind, VarUse};

/// How a template uses one top-level value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// The input's name.
    pub name: String,
    /// The type its use proves.
    pub kind: InputType,
    /// Whether the template guards its absence (so the input can be optional).
    pub optional: bool,
    /// Where it is first used.
    pub pos: Pos,
    /// What the deciding use does, for `check`'s message: "`{{user.name}}` reads a field of it",
    /// "`{{#items}}` iterates it".
    pub shown_as: String,
}

/// The inputs `template` (parsed from `text`) implies, in order of first use, each once.
pub fn usages(template: &Template, text: &str) -> Vec<Usage> {
    match template.syntax() {
        Syntax::Jinja2 => jinja_usages(template, text),
        _ => mustache_usages(template),
    }
}

/// The inputs `template` implies, as declarations: the type its use proves, optional where the
/// template guards the value.
pub fn inputs(template: &Template, text: &str) -> Vec<(String, Input)> {
    usages(template, text)
        .into_iter()
        .map(|u| {
            let input = Input {
                kind: u.kind,
                required: u.optional.then_some(false),
                ..Input::default()
            };
            (u.name, input)
        })
        .collect()
}

/// The inputs `template`'s top-level variables imply, with their types only.
pub fn inputs_used(template: &Template) -> Vec<(String, InputType)> {
    mustache_usages(template)
        .into_iter()
        .map(|u| (u.name, u.kind))
        .collect()
}

fn mustache_usages(template: &Template) -> Vec<Usage> {
    let uses = template.variables();
    let top: Vec<&VarUse> = uses.iter().filter(|u| u.sections.is_empty()).collect();
    let top_names: Vec<&str> = top.iter().filter_map(|u| u.root()).collect();
    let mut out: Vec<Usage> = Vec::new();
    for u in &top {
        let Some(root) = u.root() else { continue };
        if out.iter().any(|o| o.name == root) {
            continue;
        }
        let mine = |u: &&&VarUse| u.root() == Some(root);
        let sections: Vec<&&VarUse> = top
            .iter()
            .filter(mine)
            .filter(|u| u.kind == UseKind::Section && u.path.len() == 1)
            .collect();
        let inverted = top
            .iter()
            .filter(mine)
            .any(|u| u.kind == UseKind::InvertedSection);
        let written = top
            .iter()
            .filter(mine)
            .any(|u| u.kind == UseKind::Interpolation);
        let field = top
            .iter()
            .filter(mine)
            .find(|u| u.path.len() > 1)
            .map(|u| (u.dotted(), u.pos));
        // Uses inside the section over `root`: its items' fields (names no top-level use has),
        // the implicit iterator, or `root` itself (the section guards a value it writes out).
        let inside = |u: &&VarUse| u.sections.first().is_some_and(|s| s == root);
        let item_fields = uses.iter().filter(inside).any(|u| {
            u.root()
                .is_some_and(|r| r != root && !top_names.contains(&r))
        });
        let item_itself = uses.iter().filter(inside).any(|u| u.path.is_empty());
        let guards_itself = uses
            .iter()
            .filter(inside)
            .any(|u| u.root() == Some(root) && u.path.len() == 1);
        let (kind, optional, shown_as, pos) =
            if !sections.is_empty() && (item_fields || item_itself) {
                let pos = sections[0].pos;
                (
                    InputType::Array,
                    false,
                    format!("`{{{{#{root}}}}}` iterates it"),
                    pos,
                )
            } else if let Some((dotted, pos)) = field {
                let shown = format!("`{{{{{dotted}}}}}` reads a field of it");
                (InputType::Object, inverted, shown, pos)
            } else if written {
                let guarded = inverted || (!sections.is_empty() && guards_itself);
                (
                    InputType::String,
                    guarded,
                    format!("`{{{{{root}}}}}` writes it out"),
                    u.pos,
                )
            } else if !sections.is_empty() && guards_itself {
                (
                    InputType::String,
                    true,
                    format!("`{{{{{root}}}}}` writes it out"),
                    u.pos,
                )
            } else {
                (
                    InputType::Boolean,
                    false,
                    format!("`{{{{#{root}}}}}` tests it"),
                    u.pos,
                )
            };
        out.push(Usage {
            name: root.to_string(),
            kind,
            optional,
            pos,
            shown_as,
        });
    }
    out
}

fn jinja_usages(template: &Template, text: &str) -> Vec<Usage> {
    let loops = jinja_loops(text);
    let mut out: Vec<Usage> = Vec::new();
    for u in template.variables() {
        let Some(root) = u.root() else { continue };
        if out.iter().any(|o| o.name == root) {
            continue;
        }
        let iterated = loops
            .iter()
            .find(|l| l.path.first().map(String::as_str) == Some(root));
        let field = template
            .variables()
            .into_iter()
            .find(|v| v.root() == Some(root) && v.path.len() > 1)
            .map(|v| (v.dotted(), v.pos));
        let (kind, shown_as) = match (iterated, field) {
            // `for x in user.tags`: `user` is an object holding the list.
            (Some(l), _) if l.path.len() > 1 => (
                InputType::Object,
                format!(
                    "`{{% for … in {} %}}` reads a field of it",
                    l.path.join(".")
                ),
            ),
            (Some(l), _) if l.items => (
                InputType::Object,
                format!("`{{% for … in {root}.items() %}}` iterates its keys and values"),
            ),
            (Some(_), _) => (
                InputType::Array,
                format!("`{{% for … in {root} %}}` iterates it"),
            ),
            (None, Some((dotted, _))) => (
                InputType::Object,
                format!("`{{{{ {dotted} }}}}` reads a field of it"),
            ),
            (None, None) => (
                InputType::String,
                format!("`{{{{ {root} }}}}` writes it out"),
            ),
        };
        out.push(Usage {
            name: root.to_string(),
            kind,
            optional: jinja_guarded(text, root),
            pos: u.pos,
            shown_as,
        });
    }
    out
}

/// A Jinja2 `{% for … in PATH %}` loop: the iterated value's path, and whether it is
/// `PATH.items()` (a mapping's pairs).
#[derive(Debug, Clone, PartialEq, Eq)]
struct JinjaLoop {
    path: Vec<String>,
    items: bool,
}

/// Every `{% for TARGETS in EXPR %}` of `text` whose EXPR starts with a plain dotted name.
fn jinja_loops(text: &str) -> Vec<JinjaLoop> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("{%") {
        let tag = &rest[at + 2..];
        let end = tag.find("%}").unwrap_or(tag.len());
        let body = tag[..end].trim_start_matches(['-', '+']).trim();
        rest = &tag[end..];
        let Some(after_for) = body.strip_prefix("for ") else {
            continue;
        };
        let Some(in_at) = after_for.find(" in ") else {
            continue;
        };
        let expr = after_for[in_at + 4..].trim_start();
        let name_len = expr
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(expr.len());
        let dotted = expr[..name_len].trim_end_matches('.');
        if dotted.is_empty() || dotted.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let mut path: Vec<String> = dotted.split('.').map(str::to_string).collect();
        let items = expr[name_len..].starts_with("()")
            && matches!(
                path.last().map(String::as_str),
                Some("items" | "keys" | "values")
            );
        if items {
            path.pop();
        }
        out.push(JinjaLoop { path, items });
    }
    out
}

/// Whether `text` guards the Jinja2 value `name`: `name | default(…)` (or `d(…)`), `name is
/// defined`/`undefined`/`none`, or `{% if name %}` / `{% if not name %}` / `{% elif name %}`.
fn jinja_guarded(text: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(found) = text[from..].find(name) {
        let start = from + found;
        let end = start + name.len();
        from = end;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !boundary(before) || !boundary(after) || before == Some('.') {
            continue;
        }
        let rest = text[end..].trim_start();
        if let Some(filter) = rest.strip_prefix('|') {
            let filter = filter.trim_start();
            if filter.starts_with("default") || filter.starts_with("d(") {
                return true;
            }
        }
        if let Some(test) = rest.strip_prefix("is ") {
            let test = test.trim_start().trim_start_matches("not ").trim_start();
            if ["defined", "undefined", "none"]
                .iter()
                .any(|t| test.starts_with(t))
            {
                return true;
            }
        }
        let head = text[..start].trim_end();
        let head = head.strip_suffix("not").map_or(head, str::trim_end);
        if (head.ends_with("if") || head.ends_with("elif"))
            && head[..head.len() - 2]
                .trim_end()
                .trim_end_matches(['-', '+'])
                .ends_with("{%")
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(syntax: Syntax, text: &str) -> Vec<(String, &'static str, bool)> {
        let template = Template::parse(syntax, text).unwrap();
        inputs(&template, text)
            .into_iter()
            .map(|(name, input)| (name, input.kind.as_str(), input.is_required()))
            .collect()
    }

    fn want(list: &[(&str, &'static str, bool)]) -> Vec<(String, &'static str, bool)> {
        list.iter()
            .map(|(n, k, r)| (n.to_string(), *k, *r))
            .collect()
    }

    #[test]
    fn mustache_uses_prove_objects_lists_booleans_and_optional_strings() {
        let got = declared(
            Syntax::Mustache,
            "{{#items}}{{title}}{{/items}} {{name}} {{^quiet}}!{{/quiet}} {{#loud}}!{{/loud}} \
             {{name}} {{user.email}} {{#tags}}{{.}}, {{/tags}} {{#tone}}in a {{tone}} tone{{/tone}} \
             {{^mood}}calm{{/mood}}{{mood}}",
        );
        assert_eq!(
            got,
            want(&[
                ("items", "array", true),
                ("name", "string", true),
                ("quiet", "boolean", true),
                ("loud", "boolean", true),
                ("user", "object", true),
                ("tags", "array", true),
                ("tone", "string", false),
                ("mood", "string", false),
            ])
        );
    }

    #[test]
    fn an_outer_value_used_inside_a_section_is_not_an_item_field() {
        // `name` is used at the top level too: inside `{{#urgent}}` it is the same input, so the
        // section only shows text and `urgent` is a boolean.
        let got = declared(
            Syntax::Mustache,
            "{{name}} {{#urgent}}now, {{name}}{{/urgent}}",
        );
        assert_eq!(
            got,
            want(&[("name", "string", true), ("urgent", "boolean", true)])
        );
    }

    #[test]
    fn jinja2_uses_prove_lists_objects_and_optional_values() {
        let got = declared(
            Syntax::Jinja2,
            "{% for item in items %}{{ item.title }}{% endfor %} {{ user.name }} \
             {{ tone | default('neutral') }} {% if extra %}{{ extra }}{% endif %} {{ name }} \
             {% for k, v in meta.items() %}{{ k }}={{ v }}{% endfor %} {{ note is defined }}",
        );
        assert_eq!(
            got,
            want(&[
                ("items", "array", true),
                ("user", "object", true),
                ("tone", "string", false),
                ("extra", "string", false),
                ("name", "string", true),
                ("meta", "object", true),
                ("note", "string", false),
            ])
        );
    }

    #[test]
    fn a_loop_over_a_field_makes_its_holder_an_object() {
        let got = declared(
            Syntax::Jinja2,
            "{%- for t in user.tags -%}{{ t }}{%- endfor %}",
        );
        assert_eq!(got, want(&[("user", "object", true)]));
    }

    #[test]
    fn guards_are_whole_names() {
        assert!(jinja_guarded("{{ tone|default('x') }}", "tone"));
        assert!(jinja_guarded("{%- if not tone %}x{% endif %}", "tone"));
        assert!(!jinja_guarded(
            "{{ undertone | default('x') }} {{ tone }}",
            "tone"
        ));
        assert!(!jinja_guarded(
            "{{ a.tone | default('x') }} {{ tone }}",
            "tone"
        ));
        assert!(!jinja_guarded(
            "{{ tone }} {% if other %}{% endif %}",
            "tone"
        ));
    }

    #[test]
    fn f_string_fields_are_strings_or_objects() {
        let got = declared(Syntax::FString, "{a} and {b.c}");
        assert_eq!(got, want(&[("a", "string", true), ("b", "object", true)]));
    }
}
