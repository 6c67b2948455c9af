//! Validation (contract §7): a prompt file in, diagnostics out. Used by `check` and before
//! `commit`.
//!
//! Every rule has a name (`Rule`) so that output can be filtered and CI annotations grouped. Rules
//! read only the prompt and, for partials, other prompts through `PartialSource`: no git here.

pub mod sarif;
pub mod schema;
pub mod secrets;
mod test_cases;

use std::collections::HashSet;

use serde::Serialize;

use crate::error::Location;
use crate::model::{load, Content, InputType, Loaded, Prompt, PromptId, Role, ToolChoice};
use crate::partials::{PartialLookup, PartialSource};
use crate::template::mustache::ParentUse;
use crate::template::{Pos, Syntax, Template, UseKind, VarUse};

/// How bad a finding is: errors fail `check` and block `commit`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The rules, each with a stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The file is not valid YAML, or not a valid format-1 prompt (unknown keys, wrong types).
    Schema,
    /// The file name is not a valid id.
    Id,
    /// A template does not parse (unclosed section, bad delimiters).
    TemplateSyntax,
    /// A template uses a variable that `inputs` does not declare.
    UndeclaredVariable,
    /// An input is declared but never used.
    UnusedInput,
    /// An input's type, default, enum, or a sample or example value, does not fit.
    InputType,
    /// A partial does not exist, is not a text prompt, or partials include each other.
    Partial,
    /// A rule of the model provider that is certain (e.g. anthropic needs max_tokens).
    Provider,
    /// A tool's parameters or the response schema is not a valid JSON Schema.
    JsonSchema,
    /// Text that looks like an API key or a private key.
    Secret,
    /// A change that breaks callers of the reference given to `check --against`.
    Breaking,
    /// A test case (`tests:`, contract §14) that cannot run: an unknown sample or tool, a schema
    /// check with no schema, a bad regex, missing values, a duplicate name.
    Test,
}

impl Rule {
    /// Every rule, in the order they are documented.
    pub const ALL: [Rule; 12] = [
        Rule::Schema,
        Rule::Id,
        Rule::TemplateSyntax,
        Rule::UndeclaredVariable,
        Rule::UnusedInput,
        Rule::InputType,
        Rule::Partial,
        Rule::Provider,
        Rule::JsonSchema,
        Rule::Secret,
        Rule::Breaking,
        Rule::Test,
    ];

    /// The rule's name, as printed.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Schema => "schema",
            Rule::Id => "id",
            Rule::TemplateSyntax => "template-syntax",
            Rule::UndeclaredVariable => "undeclared-variable",
            Rule::UnusedInput => "unused-input",
            Rule::InputType => "input-type",
            Rule::Partial => "partial",
            Rule::Provider => "provider",
            Rule::JsonSchema => "json-schema",
            Rule::Secret => "secret",
            Rule::Breaking => "breaking",
            Rule::Test => "test",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, relative to the repository root.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
}

/// Checks one prompt file's bytes. `file` names it in diagnostics (relative to the repository root);
/// `name` is its path below the registry root, whose id is checked.
pub fn check_file(
    file: &str,
    name: &str,
    bytes: &[u8],
    partials: &dyn PartialSource,
) -> Vec<Diagnostic> {
    check_file_allowing(file, name, bytes, partials, &[])
}

/// `check_file`, not reporting secrets whose fingerprints are in `allowed_secrets`.
pub fn check_file_allowing(
    file: &str,
    name: &str,
    bytes: &[u8],
    partials: &dyn PartialSource,
    allowed_secrets: &[String],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut push = |at: Location, severity, rule, message: String| {
        out.push(Diagnostic {
            file: file.to_string(),
            line: at.line,
            column: at.column,
            severity,
            rule,
            message,
        })
    };
    let stem = name.strip_suffix(crate::model::PROMPT_EXT).unwrap_or(name);
    if let Err(e) = PromptId::parse(stem) {
        push(
            Location { line: 1, column: 1 },
            Severity::Error,
            Rule::Id,
            e.to_string(),
        );
    }
    let text = match load::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            push(e.at, Severity::Error, Rule::Schema, e.message);
            return out;
        }
    };
    for s in secrets::find(&text) {
        if allowed_secrets.contains(&s.fingerprint) {
            continue;
        }
        push(
            Location {
                line: s.line,
                column: s.column,
            },
            Severity::Error,
            Rule::Secret,
            format!(
                "this looks like {} ({}): keep secrets out of prompts (not a secret? allow it \
                 with --allow-secret {})",
                s.kind, s.redacted, s.fingerprint
            ),
        );
    }
    match load::parse(&text) {
        Ok(loaded) => out.extend(check_prompt(file, &loaded, partials)),
        Err(e) => push(e.at, Severity::Error, Rule::Schema, e.message),
    }
    out.sort_by_key(|d| (d.line, d.column));
    out
}

/// A variable use found in the prompt, with where it is in the file.
struct Use {
    var: VarUse,
    at: Location,
    /// The partial or parent the use is in (e.g. "parent `base`"), when not in the prompt's own text.
    via: Option<String>,
}

/// The semantic rules on a loaded prompt.
pub fn check_prompt(file: &str, loaded: &Loaded, partials: &dyn PartialSource) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        prompt: &loaded.prompt,
        spans: &loaded.spans,
        out: Vec::new(),
    };
    let (uses, complete) = c.templates(partials);
    c.variables(&uses, complete);
    c.inputs();
    c.values();
    c.provider();
    c.schemas();
    c.tests();
    c.out
}

struct Checker<'a> {
    file: &'a str,
    prompt: &'a Prompt,
    spans: &'a load::SpanIndex,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, at: Location, severity: Severity, rule: Rule, message: String) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: at.line,
            column: at.column,
            severity,
            rule,
            message,
        });
    }

    fn error(&mut self, at: Location, rule: Rule, message: String) {
        self.push(at, Severity::Error, rule, message);
    }

    /// Parses every template text (syntax errors), follows partials (existence, cycles) and collects
    /// the variables used, including those used inside partials (which render in this prompt's
    /// context).
    /// The second value is false when a template did not parse, so the uses are incomplete.
    /// The syntax of this prompt's texts, and of the partials or includes they name.
    fn syntax(&self) -> Syntax {
        self.prompt.template_format
    }

    fn templates(&mut self, partials: &dyn PartialSource) -> (Vec<Use>, bool) {
        let syntax = self.prompt.template_format;
        let mut uses = Vec::new();
        let mut complete = true;
        for field in self.prompt.template_texts() {
            let locate = |p: Pos| self.spans.in_text(&field.path, p.line, p.col);
            let template = match Template::parse(syntax, field.text) {
                Ok(t) => t,
                Err(e) => {
                    let at = locate(e.pos);
                    self.error(at, Rule::TemplateSyntax, e.message.clone());
                    complete = false;
                    continue;
                }
            };
            for var in template.variables() {
                let at = locate(var.pos);
                uses.push(Use { var, at, via: None });
            }
            // A value the template reads fields of, or iterates, cannot be a string, number or
            // boolean: such a prompt passes every other rule and then refuses every value.
            for usage in crate::model::infer::usages(&template, field.text) {
                let Some(input) = self.prompt.inputs.get(&usage.name) else {
                    continue;
                };
                let scalar = matches!(
                    input.kind,
                    InputType::String | InputType::Number | InputType::Integer | InputType::Boolean
                );
                if scalar && matches!(usage.kind, InputType::Array | InputType::Object) {
                    let at = locate(usage.pos);
                    let message = format!(
                        "input `{}` is declared `type: {}`, but {}: declare it `type: {}`",
                        usage.name,
                        input.kind.as_str(),
                        usage.shown_as,
                        usage.kind.as_str()
                    );
                    self.error(at, Rule::InputType, message);
                }
            }
            for partial in template.partials() {
                let at = locate(partial.pos);
                let mut stack = Vec::new();
                let what = if partial.parent { "parent" } else { "partial" };
                self.follow_partial(&partial.name, what, at, partials, &mut stack, &mut uses);
            }
            // A dynamic partial includes the prompt a value names. When that value is an input
            // with an `enum`, each name it allows is followed like a static partial; otherwise
            // any prompt may be included, so which inputs it uses is unknown (unused inputs are
            // then not reported).
            for (path, pos, parent) in template.dynamic_partials() {
                let at = locate(pos);
                let what = if parent { "parent" } else { "partial" };
                let choices = match path.as_slice() {
                    [name] => self.prompt.inputs.get(name).and_then(|i| i.allowed.clone()),
                    _ => None,
                };
                match choices {
                    Some(names) => {
                        for name in names.iter().filter_map(|v| v.as_str()) {
                            let mut stack = Vec::new();
                            self.follow_partial(name, what, at, partials, &mut stack, &mut uses);
                        }
                    }
                    None => complete = false,
                }
            }
            for parent in template.parents() {
                self.overridden_blocks(&parent, &locate, partials);
            }
        }
        (uses, complete)
    }

    /// Checks one partial and, recursively, the partials it includes. Variables used inside are
    /// reported at the including tag `at`.
    fn follow_partial(
        &mut self,
        name: &str,
        what: &str,
        at: Location,
        partials: &dyn PartialSource,
        stack: &mut Vec<String>,
        uses: &mut Vec<Use>,
    ) {
        if let Some(i) = stack.iter().position(|n| n == name) {
            let mut cycle: Vec<&str> = stack[i..].iter().map(String::as_str).collect();
            cycle.push(name);
            self.error(
                at,
                Rule::Partial,
                format!("{what}s include each other: {}", cycle.join(" → ")),
            );
            return;
        }
        let problem = match partials.lookup(name) {
            PartialLookup::Text(text) => match Template::parse(self.syntax(), &text) {
                Ok(t) => {
                    stack.push(name.to_string());
                    for var in t.variables() {
                        let via = Some(format!("{what} `{name}`"));
                        uses.push(Use { var, at, via });
                    }
                    for p in t.partials() {
                        let what = if p.parent { "parent" } else { "partial" };
                        self.follow_partial(&p.name, what, at, partials, stack, uses);
                    }
                    stack.pop();
                    return;
                }
                Err(e) => format!(
                    "{what} `{name}` has a template error at {}: {}",
                    e.pos, e.message
                ),
            },
            PartialLookup::BadName(reason) => {
                format!("{what} `{name}` is not a prompt id: {reason}")
            }
            PartialLookup::Missing => {
                let similar = partials.similar(name);
                let hint = match similar.first() {
                    Some(close) => format!("; did you mean `{close}`?"),
                    None => String::new(),
                };
                format!("{what} `{name}` does not exist (no prompt `{name}`{hint})")
            }
            PartialLookup::NotText => {
                format!("{what} `{name}` is a chat prompt; only text prompts (`template`) can be included")
            }
            PartialLookup::Invalid => {
                format!("{what} `{name}` does not load (`prompt check {name}`)")
            }
        };
        self.error(at, Rule::Partial, problem);
    }

    /// A block given inside `{{<parent}}` that neither the parent nor the templates it extends
    /// declares is never rendered: a warning, since it is most likely a misspelt name. (A parent
    /// that cannot be read is reported by `follow_partial`.)
    fn overridden_blocks(
        &mut self,
        parent: &ParentUse,
        locate: &dyn Fn(Pos) -> Location,
        partials: &dyn PartialSource,
    ) {
        let mut declared: Vec<String> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut queue = vec![parent.name.clone()];
        while let Some(name) = queue.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let PartialLookup::Text(text) = partials.lookup(&name) else {
                return;
            };
            let Ok(t) = Template::parse(Syntax::Mustache, &text) else {
                return;
            };
            declared.extend(t.block_names());
            queue.extend(t.partials().into_iter().map(|p| p.name));
        }
        for (block, pos) in &parent.blocks {
            if !declared.contains(block) {
                self.push(
                    locate(*pos),
                    Severity::Warning,
                    Rule::Partial,
                    format!(
                        "block `{block}` is not declared by parent `{}` (nor by the templates it \
                         extends), so it is never rendered",
                        parent.name
                    ),
                );
            }
        }
    }

    /// Every variable used is declared; every required input is used (known only when every
    /// template parsed: `complete`).
    fn variables(&mut self, uses: &[Use], complete: bool) {
        let inputs = &self.prompt.inputs;
        let mut reported = HashSet::new();
        for u in uses {
            let Some(root) = u.var.root() else { continue };
            if inputs.contains_key(root) {
                continue;
            }
            // Inside a section a name may be a field of the section's item.
            let in_item = u.var.sections.iter().any(|s| {
                let section_root = s.split('.').next().unwrap_or(s);
                s == "."
                    || match inputs.get(section_root) {
                        Some(input) => matches!(
                            input.kind,
                            InputType::Array | InputType::Object | InputType::Messages
                        ),
                        None => true,
                    }
            });
            if in_item || !reported.insert(root.to_string()) {
                continue;
            }
            let what = match u.var.kind {
                UseKind::Interpolation => "variable",
                UseKind::Section | UseKind::InvertedSection => "section variable",
            };
            let place = match &u.via {
                Some(partial) => format!(" (in {partial})"),
                None => String::new(),
            };
            self.error(
                u.at,
                Rule::UndeclaredVariable,
                format!("{what} `{root}`{place} is used but not declared in `inputs`"),
            );
        }
        if !complete {
            return;
        }
        let structural = self.prompt.structural_inputs();
        let used: HashSet<&str> = uses
            .iter()
            .filter_map(|u| u.var.root())
            .chain(structural.iter().map(|(_, name, _)| *name))
            .collect();
        for (name, input) in inputs {
            if used.contains(name.as_str()) {
                continue;
            }
            let at = self.spans.key(&format!("inputs.{name}"));
            if input.is_required() {
                self.error(
                    at,
                    Rule::UnusedInput,
                    format!("input `{name}` is required but no template uses it"),
                );
            } else {
                self.push(
                    at,
                    Severity::Warning,
                    Rule::UnusedInput,
                    format!("optional input `{name}` is never used"),
                );
            }
        }
    }

    /// History placeholders and media parts name declared inputs of the right type; defaults and
    /// enums fit their type.
    fn inputs(&mut self) {
        for (path, name, want) in self.prompt.structural_inputs() {
            let at = self.spans.value(&path);
            match self.prompt.inputs.get(name) {
                None => self.error(
                    at,
                    Rule::UndeclaredVariable,
                    format!(
                        "input `{name}` is used but not declared in `inputs` (type: {})",
                        want.as_str()
                    ),
                ),
                Some(input) if input.kind != want => self.error(
                    at,
                    Rule::InputType,
                    format!(
                        "input `{name}` is used as {} but declared as {}",
                        want.as_str(),
                        input.kind.as_str()
                    ),
                ),
                Some(_) => {}
            }
        }
        for (name, input) in &self.prompt.inputs {
            if !is_input_name(name) {
                let at = self.spans.key(&format!("inputs.{name}"));
                self.error(
                    at,
                    Rule::Schema,
                    format!(
                        "input name `{name}` must match [A-Za-z_][A-Za-z0-9_]* (templates refer to it \
                         by name)"
                    ),
                );
            }
            let ty = input.kind;
            if input.schema.is_some() && !matches!(ty, InputType::Object | InputType::Array) {
                let at = self.spans.key(&format!("inputs.{name}.schema"));
                self.error(
                    at,
                    Rule::InputType,
                    format!(
                        "`schema` describes the value of an object or array input; `{name}` is {}",
                        ty.with_article()
                    ),
                );
            }
            if let Some(default) = &input.default {
                let at = self.spans.value(&format!("inputs.{name}.default"));
                if let Some(why) = input
                    .schema
                    .as_ref()
                    .filter(|_| ty.accepts(default))
                    .and_then(|schema| schema::mismatch(schema, default))
                {
                    self.error(
                        at,
                        Rule::InputType,
                        format!("the default of `{name}` does not match its schema: {why}"),
                    );
                }
                if !ty.accepts(default) {
                    self.error(
                        at,
                        Rule::InputType,
                        format!("the default of `{name}` is not {}", ty.with_article()),
                    );
                } else if let Some(allowed) = &input.allowed {
                    if !allowed.contains(default) {
                        self.error(
                            at,
                            Rule::InputType,
                            format!("the default of `{name}` is not one of its `enum` values"),
                        );
                    }
                }
                if input.required == Some(true) {
                    self.push(
                        at,
                        Severity::Warning,
                        Rule::InputType,
                        format!(
                            "`{name}` is required and has a default: the default is never used"
                        ),
                    );
                }
            }
            for (i, v) in input.allowed.iter().flatten().enumerate() {
                if !ty.accepts(v) {
                    let at = self.spans.value(&format!("inputs.{name}.enum.{i}"));
                    self.error(
                        at,
                        Rule::InputType,
                        format!("`enum` value of `{name}` is not {}", ty.with_article()),
                    );
                }
            }
        }
    }

    /// Samples and examples give values for declared inputs, of the declared types.
    fn values(&mut self) {
        let mut sets: Vec<(String, &indexmap::IndexMap<String, serde_json::Value>)> = Vec::new();
        for (name, values) in &self.prompt.samples {
            sets.push((format!("samples.{name}"), values));
        }
        for (i, example) in self.prompt.examples.iter().enumerate() {
            sets.push((format!("examples.{i}.input"), &example.input));
        }
        for (path, values) in sets {
            for (key, value) in values {
                let at = self.spans.key(&format!("{path}.{key}"));
                match self.prompt.inputs.get(key) {
                    None => self.error(
                        at,
                        Rule::InputType,
                        format!("`{key}` is not a declared input"),
                    ),
                    Some(input) if !input.kind.accepts(value) => self.error(
                        at,
                        Rule::InputType,
                        format!("`{key}` should be {}", input.kind.with_article()),
                    ),
                    Some(input) => {
                        if input.allowed.as_ref().is_some_and(|a| !a.contains(value)) {
                            self.error(
                                at,
                                Rule::InputType,
                                format!("`{key}` is not one of its `enum` values"),
                            );
                        } else if let Some(why) = input
                            .schema
                            .as_ref()
                            .and_then(|schema| schema::mismatch(schema, value))
                        {
                            self.error(
                                at,
                                Rule::InputType,
                                format!("`{key}` does not match its schema: {why}"),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Rules of the provider APIs that are certain.
    fn provider(&mut self) {
        if let Some(model) = &self.prompt.model {
            // Any spelling of the output cap is the cap (`max_completion_tokens`, `maxTokens`, …).
            let has_cap = model.params.keys().any(|k| {
                matches!(
                    crate::model::params::canonical(k),
                    "max_tokens" | "max_completion_tokens"
                )
            });
            if model.provider == "anthropic" && !has_cap {
                let at = self.spans.key("model.params");
                self.error(
                    at,
                    Rule::Provider,
                    "anthropic requires `max_tokens` in `model.params`".into(),
                );
            }
            if matches!(model.provider.as_str(), "openai" | "azure_openai")
                && crate::model::params::is_reasoning_model(&model.name)
                && model
                    .params
                    .get("reasoning_effort")
                    .and_then(|v| v.as_str())
                    != Some("none")
            {
                let refused: Vec<&str> = model
                    .params
                    .keys()
                    .map(|k| crate::model::params::canonical(k))
                    .filter(|k| crate::model::params::REFUSED_BY_REASONING_MODELS.contains(k))
                    .collect();
                if !refused.is_empty() {
                    let at = self.spans.key("model.params");
                    self.push(
                        at,
                        Severity::Warning,
                        Rule::Provider,
                        format!(
                            "`{}` is a reasoning model, which does not take {}: the openai body \
                             leaves them out",
                            model.name,
                            refused.join(", ")
                        ),
                    );
                }
            }
        }
        for (i, item) in self.prompt.messages.iter().flatten().enumerate() {
            if !matches!(item.role, Some(Role::System | Role::Developer)) {
                continue;
            }
            let Some(Content::Parts(parts)) = &item.content else {
                continue;
            };
            for (j, part) in parts.iter().enumerate() {
                if part.image.is_some() || part.audio.is_some() {
                    let at = self.spans.key(&format!("messages.{i}.content.{j}"));
                    self.push(
                        at,
                        Severity::Warning,
                        Rule::Provider,
                        "no provider takes an image or audio in a system message: provider \
                         bodies move it to the first user message after it"
                            .into(),
                    );
                }
            }
        }
        let mut names = HashSet::new();
        for (i, tool) in self.prompt.tools.iter().enumerate() {
            let at = self.spans.value(&format!("tools.{i}.name"));
            let valid = !tool.name.is_empty()
                && tool.name.len() <= 64
                && tool
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !valid {
                self.error(
                    at,
                    Rule::Provider,
                    format!("tool name `{}` must match [a-zA-Z0-9_-]{{1,64}}", tool.name),
                );
            }
            if !names.insert(tool.name.as_str()) {
                self.error(
                    at,
                    Rule::Provider,
                    format!("tool `{}` is defined twice", tool.name),
                );
            }
        }
        if let Some(ToolChoice::Named { name }) = &self.prompt.tool_choice {
            if !names.contains(name.as_str()) {
                let at = self.spans.value("tool_choice.name");
                self.error(
                    at,
                    Rule::Provider,
                    format!("tool_choice names `{name}`, which is not in `tools`"),
                );
            }
        }
        if self.prompt.tool_choice.is_some() && self.prompt.tools.is_empty() {
            let at = self.spans.key("tool_choice");
            self.error(
                at,
                Rule::Provider,
                "tool_choice is set but there are no `tools`".into(),
            );
        }
    }

    /// Tool parameters and the response schema are JSON Schemas.
    fn schemas(&mut self) {
        let mut docs = Vec::new();
        for (i, tool) in self.prompt.tools.iter().enumerate() {
            if let Some(p) = &tool.parameters {
                docs.push((format!("tools.{i}.parameters"), p));
            }
        }
        if let Some(rf) = &self.prompt.response_format {
            docs.push(("response_format.schema".to_string(), &rf.schema));
        }
        for (name, input) in &self.prompt.inputs {
            if let Some(doc) = &input.schema {
                docs.push((format!("inputs.{name}.schema"), doc));
            }
        }
        for (path, doc) in docs {
            let problems = schema::problems(doc);
            for problem in &problems {
                let at = self.spans.value(&format!("{path}{}", problem.path));
                self.error(at, Rule::JsonSchema, problem.message.clone());
            }
            // An input's schema judges values at every render: it must compile as a whole.
            if problems.is_empty() && path.starts_with("inputs.") {
                if let Err(e) = jsonschema::validator_for(doc) {
                    let at = self.spans.value(&path);
                    self.error(
                        at,
                        Rule::JsonSchema,
                        format!("not a valid JSON Schema: {e}"),
                    );
                }
            }
        }
    }
}

/// Input names are looked up by templates: an identifier.
fn is_input_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The changes from `old` (the prompt at the `--against` reference) to `new` that break callers:
/// inputs added as required, removed, retyped. Each is an error at the input it concerns.
pub fn against(file: &str, new: &Loaded, old: &Prompt, reference: &str) -> Vec<Diagnostic> {
    crate::diff::breaking_changes(Some(old), Some(&new.prompt))
        .into_iter()
        .map(|message| {
            // Point at the input the message names, when it still exists.
            let at = message
                .split('`')
                .nth(1)
                .map(|name| new.spans.key(&format!("inputs.{name}")))
                .unwrap_or(Location { line: 1, column: 1 });
            Diagnostic {
                file: file.to_string(),
                line: at.line,
                column: at.column,
                severity: Severity::Error,
                rule: Rule::Breaking,
                message: format!("against {reference}: {message}"),
            }
        })
        .collect()
}

/// Counts errors and warnings.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}
