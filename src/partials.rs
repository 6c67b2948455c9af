//! Partials (`{{> other/id}}`): other prompts' `template` text, read from the registry at the same
//! revision as the prompt that includes them (SPEC §4). One source serves both `check` (does it
//! exist, is it a text prompt) and rendering (the template engine's resolver).
//!
//! `check` sees partials only through `PartialSource`, so that it reads no git itself.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use crate::model::{load, Prompt, PromptId, TemplateFormat};
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

/// The partials a mustache template text includes, in source order (none when it does not parse:
/// `check` reports that).
pub fn names_in(text: &str) -> Vec<String> {
    Template::parse(Syntax::Mustache, text)
        .map(|t| t.partials().into_iter().map(|p| p.name).collect())
        .unwrap_or_default()
}

/// The partials a prompt's own templates include, each once, in order of first use; none unless
/// the prompt is mustache (the only syntax with partials).
pub fn included_by(prompt: &Prompt) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if prompt.template_format != TemplateFormat::Mustache {
        return names;
    }
    for field in prompt.template_texts() {
        for name in names_in(field.text) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
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
}

impl PartialResolver for RegistryPartials<'_> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        match self.lookup(name) {
            PartialLookup::Text(t) => Some(Cow::Owned(t)),
            _ => None,
        }
    }
}
