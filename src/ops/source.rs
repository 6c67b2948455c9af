//! Where a command reads prompts from: the registry (git) or a bundle file (contract §13,
//! `render --bundle`). One resolution and one set of partials for either, so that rendering
//! code is written once and a bundle renders exactly as the repository does.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::error::Error;
use crate::interchange::bundle::read::{Opened, OpenedPrompt};
use crate::model::{load, PromptId, Reference};
use crate::partials::{PartialLookup, PartialSource, RegistryPartials};
use crate::store::{Registry, Rev};
use crate::template::PartialResolver;

/// Prompts and their partials, from a registry or from a checked bundle.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Registry(&'a Registry),
    Bundle(&'a Opened),
}

/// A prompt a reference named, with where it came from.
pub struct Found<'a> {
    pub id: PromptId,
    /// The version number when the reference named one or the bundle records it.
    pub version: Option<usize>,
    /// The commit read (`None`: the working tree).
    pub commit: Option<String>,
    /// SHA-256 of the file's bytes, when known without hashing (a bundle records it).
    pub sha256: Option<String>,
    /// The environment the reference named (a bundle's own environment for a bundled prompt).
    pub environment: Option<String>,
    /// `Some(branch)` when a bundle records the prompt as a draft.
    pub draft: Option<Option<String>>,
    /// How messages name the file.
    pub display_name: String,
    pub bytes: Cow<'a, [u8]>,
    /// The registry's revision, for a prompt read from the registry.
    pub rev: Option<Rev>,
    bundled: Option<&'a OpenedPrompt>,
}

impl Found<'_> {
    /// The prompt file parsed and checked, a parse error naming this file and revision.
    pub fn load(&self) -> Result<load::Loaded, Error> {
        load::parse_bytes(&self.bytes).map_err(|e| Error::Parse {
            file: self.display_name.clone(),
            at: e.at,
            message: e.message,
        })
    }
}

/// The partials a prompt sees: what both `check`-style lookups and the template engines ask.
pub trait Includes {
    fn source(&self) -> &dyn PartialSource;
    fn resolver(&self) -> &dyn PartialResolver;
}

impl<T: PartialSource + PartialResolver> Includes for T {
    fn source(&self) -> &dyn PartialSource {
        self
    }
    fn resolver(&self) -> &dyn PartialResolver {
        self
    }
}

impl<'a> Source<'a> {
    /// The prompt `reference` names.
    pub fn resolve(&self, reference: &Reference) -> Result<Found<'a>, Error> {
        match self {
            Source::Registry(reg) => {
                let r = reg.resolve(reference)?;
                let display_name = r.display_name();
                Ok(Found {
                    id: r.id,
                    version: r.version,
                    commit: match r.rev {
                        Rev::Commit(c) => Some(c.to_string()),
                        Rev::WorkingTree => None,
                    },
                    sha256: None,
                    environment: r.env.map(|e| e.to_string()),
                    draft: None,
                    display_name,
                    bytes: Cow::Owned(r.bytes),
                    rev: Some(r.rev),
                    bundled: None,
                })
            }
            Source::Bundle(b) => {
                let p = b.resolve(reference)?;
                Ok(Found {
                    id: p.id.clone(),
                    version: p.version,
                    commit: Some(p.commit.clone()),
                    sha256: Some(p.sha256.clone()),
                    environment: Some(b.environment.clone()),
                    draft: p.draft.clone(),
                    display_name: format!("{}@{}", p.id, &p.commit[..p.commit.len().min(7)]),
                    bytes: Cow::Borrowed(p.source.as_bytes()),
                    rev: None,
                    bundled: Some(p),
                })
            }
        }
    }

    /// The partials `found` sees: other prompts at its revision, or those its bundle carries.
    pub fn partials(&self, found: &Found<'a>) -> Box<dyn Includes + 'a> {
        match (self, found.bundled) {
            (Source::Bundle(b), Some(p)) => Box::new(BundlePartials::new(&p.partials, b)),
            (Source::Registry(reg), _) => Box::new(RegistryPartials::new(
                reg,
                found.rev.unwrap_or(Rev::WorkingTree),
            )),
            (Source::Bundle(_), None) => unreachable!("a bundle finds bundled prompts only"),
        }
    }
}

/// The partials a bundle carries for one prompt.
pub struct BundlePartials<'a> {
    texts: &'a BTreeMap<String, String>,
    /// The bundle, whose ids are suggested for a missing partial ("did you mean").
    bundle: Option<&'a Opened>,
}

impl<'a> BundlePartials<'a> {
    /// `texts` of one bundled prompt; `bundle` for the ids suggested when one is missing.
    pub fn new(texts: &'a BTreeMap<String, String>, bundle: &'a Opened) -> Self {
        BundlePartials {
            texts,
            bundle: Some(bundle),
        }
    }

    /// `texts` alone (no suggestions beyond them).
    pub fn of(texts: &'a BTreeMap<String, String>) -> Self {
        BundlePartials {
            texts,
            bundle: None,
        }
    }
}

impl PartialSource for BundlePartials<'_> {
    fn lookup(&self, name: &str) -> PartialLookup {
        match self.texts.get(name) {
            Some(t) => PartialLookup::Text(t.clone()),
            None => PartialLookup::Missing,
        }
    }

    fn similar(&self, name: &str) -> Vec<String> {
        let bundled = self.bundle.into_iter().flat_map(|b| b.prompts.keys());
        let mut known: Vec<&str> = self
            .texts
            .keys()
            .chain(bundled)
            .map(String::as_str)
            .collect();
        known.sort_unstable();
        known.dedup();
        crate::store::similar_ids(name, known.into_iter())
    }
}

impl PartialResolver for BundlePartials<'_> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        self.texts.get(name).map(|t| Cow::Borrowed(t.as_str()))
    }
}
