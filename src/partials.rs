//! Partials (`{{> other/id}}`), parents (`{{< base/id}}…{{/base/id}}`) and Jinja2 includes
//! (`{% include 'other/id' %}`, `extends`, `import`): other prompts' `template` text, read from
//! the registry at the same revision as the prompt that names them (contract §4, §9). One source
//! serves `check` (does it exist, is it a text prompt), rendering (the engines' resolver) and
//! bundles.
//!
//! `check` sees partials only through `PartialSource`, so that it reads no git itself.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use crate::model::{load, Prompt, PromptId};
use crate::store::{Registry, Rev};
use crate::template::{PartialResolver, Syntax, Template};

/// What a partial name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartialLookup {
    /// A text prompt's template.
    Text(String),
    /// The name is not a valid id.
    BadName(String),
    /// No such prompt.
    Missing,
    /// The prompt is a chat prompt: it has no template to include.
    NotText,
    /// The prompt does not load.
    Invalid,
}

/// Where partials come from: other prompts at the same revision.
pub trait PartialSource {
    fn lookup(&self, name: &str) -> PartialLookup;

    /// Up to three existing prompt ids close to `name`, for a "did you mean" when it is missing.
    fn similar(&self, _name: &str) -> Vec<String> {
        Vec::new()
    }
}

/// Partials given by name (tests, and prompts not yet in the registry).
impl PartialSource for HashMap<String, String> {
    fn lookup(&self, name: &str) -> PartialLookup {
        match self.get(name) {
            Some(t) => PartialLookup::Text(t.clone()),
            None => PartialLookup::Missing,
        }
    }
}

/// The other prompts a template text names, in source order: mustache partials and parents, and
/// Jinja2 includes, extends and imports (a partial's own syntax is not recorded with it, so both
/// readings are taken; a text that does not parse in one of them names nothing there).
pub fn names_in(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for syntax in [Syntax::Mustache, Syntax::Jinja2] {
        if let Ok(t) = Template::parse(syntax, text) {
            for p in t.partials() {
                if !names.contains(&p.name) {
                    names.push(p.name);
                }
            }
        }
    }
    names
}

/// The partials, parents (mustache) and included templates (Jinja2) a prompt's own templates
/// name, each once, in order of first use.
pub fn included_by(prompt: &Prompt) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let syntax = prompt.template_format;
    for field in prompt.template_texts() {
        let found = Template::parse(syntax, field.text)
            .map(|t| t.partials().into_iter().map(|p| p.name).collect())
            .unwrap_or_else(|_| Vec::new());
        for name in found {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// A prompt that includes another, directly or through other prompts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Includer {
    pub id: String,
    /// The prompt it includes on the way (itself an includer, listed too); `None` when it
    /// includes the prompt directly.
    pub through: Option<String>,
}

/// The prompts at `rev` that include `id` (partials, parents, Jinja2 includes), directly or
/// through other prompts, sorted by id: the prompts whose versions a change to `id` makes
/// (contract §4).
pub fn includers(
    registry: &Registry,
    rev: Rev,
    id: &PromptId,
) -> Result<Vec<Includer>, crate::error::Error> {
    let mut direct: HashMap<PromptId, Vec<PromptId>> = HashMap::new();
    for other in registry.ids(rev)? {
        let Some(bytes) = registry.read(rev, &other)? else {
            continue;
        };
        for name in crate::model::includes::included_ids(&bytes) {
            if let Ok(target) = PromptId::parse(&name) {
                direct.entry(target).or_default().push(other.clone());
            }
        }
    }
    let mut out: Vec<Includer> = Vec::new();
    let mut queue: std::collections::VecDeque<(PromptId, Option<PromptId>)> =
        std::collections::VecDeque::from([(id.clone(), None)]);
    while let Some((target, _)) = queue.pop_front() {
        for includer in direct.get(&target).into_iter().flatten() {
            if includer == id || out.iter().any(|i| i.id == includer.as_str()) {
                continue;
            }
            let through = (target != *id).then(|| target.clone());
            out.push(Includer {
                id: includer.to_string(),
                through: through.as_ref().map(ToString::to_string),
            });
            queue.push_back((includer.clone(), through));
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Partials read from a registry at one revision, each read and parsed once.
pub struct RegistryPartials<'a> {
    registry: &'a Registry,
    rev: Rev,
    cache: RefCell<HashMap<String, PartialLookup>>,
}

impl<'a> RegistryPartials<'a> {
    /// Partials at `rev`.
    pub fn new(registry: &'a Registry, rev: Rev) -> Self {
        RegistryPartials {
            registry,
            rev,
            cache: RefCell::new(HashMap::new()),
        }
    }

    fn load(&self, name: &str) -> PartialLookup {
        let id = match PromptId::parse(name) {
            Ok(id) => id,
            Err(e) => return PartialLookup::BadName(e.to_string()),
        };
        let bytes = match self.registry.read(self.rev, &id) {
            Ok(Some(b)) => b,
            Ok(None) => return PartialLookup::Missing,
            Err(_) => return PartialLookup::Invalid,
        };
        match load::parse_bytes(&bytes) {
            Ok(loaded) => match loaded.prompt.template {
                Some(t) => PartialLookup::Text(t),
                None => PartialLookup::NotText,
            },
            Err(_) => PartialLookup::Invalid,
        }
    }
}

impl PartialSource for RegistryPartials<'_> {
    fn lookup(&self, name: &str) -> PartialLookup {
        if let Some(found) = self.cache.borrow().get(name) {
            return found.clone();
        }
        let found = self.load(name);
        self.cache
            .borrow_mut()
            .insert(name.to_string(), found.clone());
        found
    }

    fn similar(&self, name: &str) -> Vec<String> {
        let Ok(ids) = self.registry.ids(self.rev) else {
            return Vec::new();
        };
        crate::store::similar_ids(name, ids.iter().map(PromptId::as_str))
    }
}

impl PartialResolver for RegistryPartials<'_> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        match self.lookup(name) {
            PartialLookup::Text(t) => Some(Cow::Owned(t)),
            _ => None,
        }
    }
}
