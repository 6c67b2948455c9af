//! The inputs a template implies: what `prompt new` declares from the texts it is given, and what
//! an imported prompt declares for the variables its service did not list.

use crate::model::prompt::InputType;
use crate::template::{Template, UseKind};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Syntax;

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
