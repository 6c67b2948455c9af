//! Diagnostics as SARIF 2.1.0 (the Static Analysis Results Interchange Format), which GitHub code
//! scanning and other review tools read: one run of the tool `prompt`, every rule with its id,
//! a short description and help, and one result per diagnostic with file, line and column.

use serde_json::{json, Value};

use super::{Diagnostic, Rule, Severity};

/// The SARIF version and the schema it follows.
pub const VERSION: &str = "2.1.0";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A rule's one-line description and its help (what to do about it).
fn describe(rule: Rule) -> (&'static str, &'static str) {
    match rule {
        Rule::Schema => (
            "The file is not valid YAML or not a valid format-1 prompt.",
            "Fix the YAML syntax, the key names (unknown keys are errors outside `metadata`) and \
             the value types. `prompt schema` prints the JSON Schema editors can validate with.",
        ),
        Rule::Id => (
            "The file name is not a valid prompt id.",
            "Rename the file: ids are `/`-separated segments of lower-case letters, digits, `_` \
             and `-` (`prompt mv` keeps history).",
        ),
        Rule::TemplateSyntax => (
            "A template does not parse.",
            "Close every section (`{{#x}}…{{/x}}`), balance the delimiters, and check the \
             template_format the prompt declares.",
        ),
        Rule::UndeclaredVariable => (
            "A template uses a variable that `inputs` does not declare.",
            "Declare the variable under `inputs` (with its type), or correct its name in the \
             template.",
        ),
        Rule::UnusedInput => (
            "An input is declared but never used.",
            "Use the input in a template, or remove it; a required input that no template uses \
             is an error, an optional one a warning.",
        ),
        Rule::InputType => (
            "An input's type, default, enum, or a sample or example value does not fit.",
            "Make the default, enum values, samples and examples match the input's declared type.",
        ),
        Rule::Partial => (
            "A partial does not exist, is not a text prompt, or partials include each other.",
            "Partials (`{{> id}}`) name other text prompts of the registry at the same revision; \
             create the prompt or fix the name, and break any cycle.",
        ),
        Rule::Provider => (
            "A rule of the model provider is broken.",
            "Follow the provider's rule named in the message (for example, anthropic needs \
             `max_tokens` in model.params).",
        ),
        Rule::JsonSchema => (
            "A tool's parameters or the response schema is not a valid JSON Schema.",
            "Fix the JSON Schema at the path named in the message.",
        ),
        Rule::Secret => (
            "Text that looks like an API key or a private key.",
            "Remove the secret and rotate it; a false positive is allowed with `check \
             --allow-secret FINGERPRINT` or `allowed_secrets` in .prompts.yaml.",
        ),
        Rule::Breaking => (
            "A change breaks callers of the reference given to `check --against`.",
            "Keep the input (or make the new one optional), or promote with the callers updated.",
        ),
        Rule::Test => (
            "A test case in `tests:` cannot run as written.",
            "Name a sample that exists and a tool the prompt declares, give `vars` for required \
             inputs, add `response_format` (or an inline schema) for `json_schema`, fix the \
             regular expression, and give each test its own name.",
        ),
    }
}

/// A rule's SARIF `name`: an identifier for people, distinct from its `id` (`undeclared-variable`
/// is `UndeclaredVariable`), as code-scanning UIs show it.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The SARIF log of one `check` run. `version` is the tool's version.
pub fn log(diagnostics: &[Diagnostic], version: &str) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|&rule| {
            let (short, help) = describe(rule);
            json!({
                "id": rule.name(),
                "name": pascal_case(rule.name()),
                "shortDescription": {"text": short},
                "fullDescription": {"text": short},
                "help": {"text": help, "markdown": help},
                "defaultConfiguration": {"level": if rule == Rule::UnusedInput { "warning" } else { "error" }},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
            json!({
                "ruleId": d.rule.name(),
                "ruleIndex": index,
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&d.file), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": d.line.max(1), "startColumn": d.column.max(1)},
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "prompt",
                "version": version,
                "semanticVersion": version,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
            "results": results,
        }],
    })
}

/// A relative path as a URI reference: `/`-separated, with characters outside the URI grammar
/// percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("prompts/a b/ü.prompt.yaml"),
            "prompts/a%20b/%C3%BC.prompt.yaml"
        );
    }
}
