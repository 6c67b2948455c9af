//! References (contract §4): `ID`, `ID@N`, `ID@latest`, `ID@ENV`, `ID@REV`.
//!
//! Parsing is pure: the id is validated here, before anything touches the filesystem or git. What a
//! name after `@` means (an environment or a git revision) is decided by the store, which knows the
//! configured environments.

use std::fmt;

use crate::error::Error;
use crate::model::id::{printable, PromptId};

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub id: PromptId,
    pub selector: Selector,
}

/// What follows the `@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// No `@`: the file in the working tree.
    WorkingTree,
    /// `@N`: version N, from 1.
    Version(usize),
    /// `@latest`: the newest committed version.
    Latest,
    /// `@NAME`: an environment when configured as one, else a git revision.
    Named(String),
}

impl Reference {
    /// Parses `text`. The id ends at the first `@` (ids cannot contain one, revisions can).
    pub fn parse(text: &str) -> Result<Reference, Error> {
        let (id, selector) = match text.split_once('@') {
            None => (text, Selector::WorkingTree),
            Some((id, rest)) => (id, parse_selector(text, rest)?),
        };
        Ok(Reference {
            id: PromptId::parse(id)?,
            selector,
        })
    }

    /// A reference to the working-tree file of `id`.
    pub fn working(id: PromptId) -> Reference {
        Reference {
            id,
            selector: Selector::WorkingTree,
        }
    }
}

fn parse_selector(whole: &str, rest: &str) -> Result<Selector, Error> {
    let bad = |reason: &str| Error::BadReference {
        reference: printable(whole),
        reason: reason.to_string(),
    };
    if rest.is_empty() {
        return Err(bad(
            "nothing follows `@` (use ID@N, ID@latest, ID@ENV or ID@REV)",
        ));
    }
    if rest.chars().any(char::is_control) {
        return Err(bad("it contains a control character"));
    }
    if rest.bytes().all(|b| b.is_ascii_digit()) {
        return match rest.parse::<usize>() {
            Ok(0) => Err(bad("versions are numbered from 1")),
            Ok(n) => Ok(Selector::Version(n)),
            Err(_) => Err(bad("the version number is too large")),
        };
    }
    if rest == "latest" {
        return Ok(Selector::Latest);
    }
    Ok(Selector::Named(rest.to_string()))
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.selector {
            Selector::WorkingTree => write!(f, "{}", self.id),
            Selector::Version(n) => write!(f, "{}@{n}", self.id),
            Selector::Latest => write!(f, "{}@latest", self.id),
            Selector::Named(name) => write!(f, "{}@{name}", self.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let r = |s| Reference::parse(s).unwrap().selector;
        assert_eq!(r("a/b"), Selector::WorkingTree);
        assert_eq!(r("a/b@3"), Selector::Version(3));
        assert_eq!(r("a/b@latest"), Selector::Latest);
        assert_eq!(r("a/b@production"), Selector::Named("production".into()));
        assert_eq!(r("a/b@HEAD~2"), Selector::Named("HEAD~2".into()));
        assert_eq!(r("a/b@HEAD@{1}"), Selector::Named("HEAD@{1}".into()));
        assert_eq!(
            Reference::parse("a/b@HEAD~2").unwrap().to_string(),
            "a/b@HEAD~2"
        );
    }

    #[test]
    fn rejects_bad_references() {
        for bad in [
            "a@",
            "a@0",
            "a@99999999999999999999999",
            "A@1",
            "../x@1",
            "a@x\ny",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad}");
        }
    }
}
