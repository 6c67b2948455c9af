//! The rules for `tests:` (contract §14): each test must be able to run as written. A sample
//! that does not exist, a tool that is not declared, a `json_schema` check with no schema to
//! check against, a regular expression that does not compile, a test with no values where
//! inputs are required, two tests of one name, an inline schema that is not a JSON Schema.

use std::collections::HashSet;

use super::{schema, Checker, Rule};
use crate::model::CheckKind;

impl Checker<'_> {
    pub(super) fn tests(&mut self) {
        let mut names = HashSet::new();
        for (i, test) in self.prompt.tests.iter().enumerate() {
            let path = format!("tests.{i}");
            if !names.insert(test.name.as_str()) {
                let at = self.spans.value(&format!("{path}.name"));
                self.error(
                    at,
                    Rule::Test,
                    format!("a second test named `{}`: test names are unique", test.name),
                );
            }
            self.test_values(i);
            for (list, checks) in [("rendered", &test.rendered), ("output", &test.output)] {
                for (j, check) in checks.iter().enumerate() {
                    let Some(kind) = check.kind() else { continue };
                    let at_path = format!("{path}.{list}.{j}.{}", kind.key());
                    self.test_check(&at_path, kind);
                }
            }
        }
    }

    /// The sample exists, `vars` name declared inputs of the right type, and every required
    /// input without a default gets a value.
    fn test_values(&mut self, i: usize) {
        let test = &self.prompt.tests[i];
        let path = format!("tests.{i}");
        let mut given: HashSet<&str> = HashSet::new();
        if let Some(sample) = &test.sample {
            match self.prompt.samples.get(sample) {
                Some(values) => given.extend(values.keys().map(String::as_str)),
                None => {
                    let at = self.spans.value(&format!("{path}.sample"));
                    let known: Vec<String> = self
                        .prompt
                        .samples
                        .keys()
                        .map(|k| format!("`{k}`"))
                        .collect();
                    let listed = if known.is_empty() {
                        "the prompt has no `samples`".to_string()
                    } else {
                        format!("samples are {}", known.join(", "))
                    };
                    self.error(
                        at,
                        Rule::Test,
                        format!("test `{}`: no sample `{sample}` ({listed})", test.name),
                    );
                    // Values are unknown: do not also report missing inputs.
                    return;
                }
            }
        }
        for (key, value) in test.vars.iter().flatten() {
            given.insert(key);
            let at = self.spans.key(&format!("{path}.vars.{key}"));
            match self.prompt.inputs.get(key) {
                None => self.error(
                    at,
                    Rule::Test,
                    format!("test `{}`: `{key}` is not a declared input", test.name),
                ),
                Some(input) if !input.kind.accepts(value) => self.error(
                    at,
                    Rule::Test,
                    format!(
                        "test `{}`: `{key}` should be {}",
                        test.name,
                        input.kind.with_article()
                    ),
                ),
                Some(_) => {}
            }
        }
        let missing: Vec<String> = self
            .prompt
            .inputs
            .iter()
            .filter(|(name, input)| input.is_required() && !given.contains(name.as_str()))
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        if !missing.is_empty() {
            let at = self.spans.value(&format!("{path}.name"));
            self.error(
                at,
                Rule::Test,
                format!(
                    "test `{}` gives no value for the required input(s) {}: add `sample: NAME` \
                     or `vars: {{…}}`",
                    test.name,
                    missing.join(", ")
                ),
            );
        }
    }

    fn test_check(&mut self, path: &str, kind: CheckKind<'_>) {
        let at = self.spans.value(path);
        match kind {
            CheckKind::Regex(pattern) => {
                if let Err(e) = regex::Regex::new(pattern) {
                    let first = e.to_string();
                    let why = first.lines().last().unwrap_or("invalid").trim();
                    let why = why.strip_prefix("error: ").unwrap_or(why).to_string();
                    self.error(at, Rule::Test, format!("`regex` does not compile: {why}"));
                }
            }
            CheckKind::ToolCall(name) if !self.prompt.tools.iter().any(|t| t.name == name) => {
                let declared: Vec<String> = self
                    .prompt
                    .tools
                    .iter()
                    .map(|t| format!("`{}`", t.name))
                    .collect();
                let listed = if declared.is_empty() {
                    "the prompt declares no `tools`".to_string()
                } else {
                    format!("declared: {}", declared.join(", "))
                };
                self.error(
                    at,
                    Rule::Test,
                    format!("`tool_call`: no tool `{name}` ({listed})"),
                );
            }
            CheckKind::JsonSchema(serde_json::Value::Bool(true))
                if self.prompt.response_format.is_none() =>
            {
                self.error(
                    at,
                    Rule::Test,
                    "`json_schema: true` checks against `response_format`, which this prompt \
                         does not have: add one, or give the schema inline"
                        .into(),
                );
            }
            CheckKind::JsonSchema(doc) if doc.is_object() => {
                let problems = schema::problems(doc);
                for problem in &problems {
                    let at = self.spans.value(&format!("{path}{}", problem.path));
                    self.error(at, Rule::JsonSchema, problem.message.clone());
                }
                if problems.is_empty() {
                    if let Err(e) = jsonschema::validator_for(doc) {
                        self.error(
                            at,
                            Rule::JsonSchema,
                            format!("not a valid JSON Schema: {e}"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{check_prompt, Rule};
    use crate::model::load::parse;

    fn found(text: &str) -> Vec<(usize, usize, Rule, String)> {
        let loaded = parse(text).unwrap();
        let partials = std::collections::HashMap::<String, String>::new();
        check_prompt("p.prompt.yaml", &loaded, &partials)
            .into_iter()
            .map(|d| (d.line, d.column, d.rule, d.message))
            .collect()
    }

    const HEAD: &str = "format: 1
inputs:
  q:
    type: string
template: '{{q}}'
tools:
  - name: lookup
samples:
  one:
    q: hi
tests:
";

    #[test]
    fn each_mistake_is_an_error_at_its_node() {
        let cases: [(&str, usize, usize, Rule, &str); 8] = [
            (
                "  - name: a\n    sample: two\n",
                13,
                13,
                Rule::Test,
                "no sample `two` (samples are `one`)",
            ),
            (
                "  - name: a\n    sample: one\n    output:\n      - tool_call: find\n",
                15,
                20,
                Rule::Test,
                "no tool `find` (declared: `lookup`)",
            ),
            (
                "  - name: a\n    sample: one\n    output:\n      - json_schema: true\n",
                15,
                22,
                Rule::Test,
                "does not have",
            ),
            (
                "  - name: a\n    sample: one\n    output:\n      - regex: '(a'\n",
                15,
                16,
                Rule::Test,
                "`regex` does not compile",
            ),
            (
                "  - name: a\n",
                12,
                11,
                Rule::Test,
                "no value for the required input(s) `q`",
            ),
            (
                "  - name: a\n    sample: one\n  - name: a\n    sample: one\n",
                14,
                11,
                Rule::Test,
                "a second test named `a`",
            ),
            (
                "  - name: a\n    sample: one\n    output:\n      - json_schema: {type: strin}\n",
                15,
                29,
                Rule::JsonSchema,
                "strin",
            ),
            (
                "  - name: a\n    vars: {q: 1, r: x}\n",
                13,
                12,
                Rule::Test,
                "`q` should be a string",
            ),
        ];
        for (tail, line, column, rule, want) in cases {
            let got = found(&format!("{HEAD}{tail}"));
            assert!(
                got.iter().any(|(l, c, r, m)| *l == line
                    && *c == column
                    && *r == rule
                    && m.contains(want)),
                "{tail}: {got:?}"
            );
        }
        let ok = found(&format!(
            "{HEAD}  - name: a\n    sample: one\n    rendered:\n      - regex: '^h'\n    output:\n      - tool_call: lookup\n      - json_schema: {{type: object}}\n"
        ));
        assert!(ok.is_empty(), "{ok:?}");
    }
}
