//! The inputs a template implies: what `prompt new` declares from the texts it is given, and what
//! an imported prompt declares for the variables its service did not list; and the prompts a
//! prompt file includes, which the version model follows (`included_ids`).

use crate::model::prompt::InputType;
use crate::template::{Syntax, Template, UseKind};

/// The inputs `template`'s top-level variables imply, in order of first use, each once (its first
/// use decides): `{{x}}` is a string, `{{^x}}` a boolean, and `{{#x}}…{{/x}}` a list when the
/// section uses fields of its items (`{{#x}}{{name}}{{/x}}`), else a boolean. Names used only
/// inside a section may be fields of its items, so they are not inputs.
pub fn inputs_used(template: &Template) -> Vec<(String, InputType)> {
    let uses = template.variables();
    let mut out: Vec<(String, InputType)> = Vec::new();
    for u in &uses {
        if !u.sections.is_empty() {
            continue;
        }
        let Some(root) = u.root() else { continue };
        if out.iter().any(|(name, _)| name == root) {
            continue;
        }
        let kind = match u.kind {
            UseKind::Interpolation => InputType::String,
            UseKind::InvertedSection => InputType::Boolean,
            UseKind::Section => {
                let uses_fields = uses.iter().any(|inner| {
                    inner.sections.first().is_some_and(|s| s == root)
                        && inner.root().is_some_and(|r| r != root)
                });
                if uses_fields {
                    InputType::Array
                } else {
                    InputType::Boolean
                }
            }
        };
        out.push((root.to_string(), kind));
    }
    out
}

/// The ids of the prompts a prompt file includes (partials, parents, Jinja2 includes, extends and
/// imports), each once, in order: what the version model follows (contract §4). Every template
/// text is read in both syntaxes that have includes, since the file's own `template` is also read
/// as a partial by others, in their syntax; a superset is safe here (at worst, an extra version).
/// Files with no include tag at all (`{{>`, `{{<`, `{{=` for changed delimiters, `{%`) are not
/// parsed: most are like that, and a history walk asks this of every version of every file.
pub fn included_ids(bytes: &[u8]) -> Vec<String> {
    if !may_include(bytes) {
        return Vec::new();
    }
    let Ok(loaded) = crate::model::load::parse_bytes(bytes) else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    for field in loaded.prompt.template_texts() {
        for syntax in [Syntax::Mustache, Syntax::Jinja2] {
            if let Ok(t) = Template::parse(syntax, field.text) {
                for p in t.partials() {
                    if !names.contains(&p.name) {
                        names.push(p.name);
                    }
                }
            }
        }
    }
    names
}

/// Whether the bytes hold something that could be an include tag.
fn may_include(bytes: &[u8]) -> bool {
    if memchr::memmem::find(bytes, b"{%").is_some() {
        return true;
    }
    memchr::memmem::find_iter(bytes, b"{{").any(|at| {
        bytes[at + 2..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'>' | b'<' | b'='))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_ids_are_read_from_every_template_text() {
        let mustache = "format: 1\ntemplate: |\n  {{> shared/tone}} {{>x/y}} {{name}}\n";
        assert_eq!(
            included_ids(mustache.as_bytes()),
            vec!["shared/tone", "x/y"]
        );
        let jinja = "format: 1\ntemplate_format: jinja2\ntemplate: \"{% include 'j/k' %}\"\n";
        assert_eq!(included_ids(jinja.as_bytes()), vec!["j/k"]);
        assert!(included_ids(b"format: 1\ntemplate: Hi {{name}}\n").is_empty());
    }

    fn inputs(syntax: Syntax, text: &str) -> Vec<(String, InputType)> {
        inputs_used(&Template::parse(syntax, text).unwrap())
    }

    #[test]
    fn variables_become_typed_inputs_in_order_of_first_use() {
        let got = inputs(
            Syntax::Mustache,
            "{{#items}}{{title}}{{/items}} {{name}} {{^quiet}}!{{/quiet}} {{#loud}}!{{/loud}} \
             {{name}} {{user.email}}",
        );
        let want = [
            ("items", InputType::Array),
            ("name", InputType::String),
            ("quiet", InputType::Boolean),
            ("loud", InputType::Boolean),
            ("user", InputType::String),
        ];
        let want: Vec<(String, InputType)> =
            want.iter().map(|(n, k)| (n.to_string(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_first_use_decides_and_other_syntaxes_are_read_too() {
        assert_eq!(
            inputs(Syntax::Mustache, "{{x}} {{#x}}{{y}}{{/x}}"),
            [("x".to_string(), InputType::String)]
        );
        assert_eq!(
            inputs(Syntax::FString, "{a} and {b}"),
            [
                ("a".to_string(), InputType::String),
                ("b".to_string(), InputType::String)
            ]
        );
    }
}
