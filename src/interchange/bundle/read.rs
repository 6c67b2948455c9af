//! Reading a bundle back (contract §13: `render --bundle`, `prompt serve --bundle`): the file is
//! checked before anything in it is used (its format, its digest, every file's SHA-256), and
//! references are answered from it alone, no git needed.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::{digest, Included, BUNDLE_FORMAT};
use crate::error::Error;
use crate::model::{load, PromptId, Reference, Selector};

/// A bundle whose content was checked: every prompt's file and included file matches its
/// SHA-256, and the digest matches the content.
#[derive(Debug, Clone)]
pub struct Opened {
    /// How messages name the file.
    pub name: String,
    pub environment: String,
    pub generated_from: String,
    pub digest: String,
    /// By id, sorted.
    pub prompts: IndexMap<String, OpenedPrompt>,
    /// The bundle as read, for those who serve it whole.
    pub json: Value,
}

/// One prompt of a checked bundle.
#[derive(Debug, Clone)]
pub struct OpenedPrompt {
    pub id: PromptId,
    pub version: Option<usize>,
    /// `Some(branch-or-None)` when the environment runs a draft.
    pub draft: Option<Option<String>>,
    pub commit: String,
    pub sha256: String,
    /// The prompt file's text.
    pub source: String,
    /// Template texts of the prompts it includes, by id.
    pub partials: BTreeMap<String, String>,
    pub includes: IndexMap<String, Included>,
}

#[derive(Deserialize)]
struct FileShape {
    #[allow(dead_code)] // checked above, before the shape is read
    format: u32,
    environment: String,
    generated_from: String,
    #[serde(default)]
    digest: Option<String>,
    prompts: IndexMap<String, PromptShape>,
}

#[derive(Deserialize)]
struct DraftShape {
    branch: Option<String>,
}

#[derive(Deserialize)]
struct PromptShape {
    id: String,
    version: Option<usize>,
    #[serde(default)]
    draft: Option<DraftShape>,
    commit: String,
    sha256: String,
    source: String,
    #[serde(default)]
    partials: BTreeMap<String, String>,
    #[serde(default)]
    includes: IndexMap<String, Included>,
}

/// Reads and checks the bundle file at `path`.
pub fn open_file(path: &std::path::Path) -> Result<Opened, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    open(&bytes, &path.display().to_string())
}

/// Reads and checks a bundle file's bytes; `name` is how messages call it (its path).
pub fn open(bytes: &[u8], name: &str) -> Result<Opened, Error> {
    let bad = |message: String| Error::Unreadable {
        file: name.to_string(),
        message,
    };
    let json: Value =
        serde_json::from_slice(bytes).map_err(|e| bad(format!("not a bundle (not JSON: {e})")))?;
    if let Some(format) = json.get("format").and_then(Value::as_u64) {
        if format != u64::from(BUNDLE_FORMAT) {
            return Err(bad(format!(
                "bundle format {format}; this version of prompt reads format {BUNDLE_FORMAT}"
            )));
        }
    }
    let shape: FileShape = serde_json::from_value(json.clone())
        .map_err(|e| bad(format!("not a bundle of format {BUNDLE_FORMAT}: {e}")))?;
    let Some(recorded) = shape.digest else {
        return Err(bad(
            "the bundle has no `digest`: it was written by an older prompt; write it again with \
             `prompt bundle --env ENV -o FILE`"
                .into(),
        ));
    };
    let actual = digest::of_value(&json);
    if actual != recorded {
        return Err(bad(format!(
            "the bundle's content does not match its digest (recorded {recorded}, content \
             {actual}): it was changed after it was written; refusing to use it"
        )));
    }
    let mut prompts = IndexMap::new();
    for (key, p) in shape.prompts {
        let id = PromptId::parse(&key).map_err(|e| bad(format!("prompt `{key}`: {e}")))?;
        if p.id != key {
            return Err(bad(format!("prompt `{key}` says its id is `{}`", p.id)));
        }
        let sum = digest::sha256_hex(p.source.as_bytes());
        if sum != p.sha256 {
            return Err(bad(format!(
                "prompt `{key}`: its file does not match its sha256 (recorded {}, file {sum}); \
                 refusing to use the bundle",
                p.sha256
            )));
        }
        for (name, inc) in &p.includes {
            let sum = digest::sha256_hex(inc.source.as_bytes());
            if sum != inc.sha256 {
                return Err(bad(format!(
                    "prompt `{key}`: the included file `{name}` does not match its sha256 \
                     (recorded {}, file {sum}); refusing to use the bundle",
                    inc.sha256
                )));
            }
        }
        prompts.insert(
            key,
            OpenedPrompt {
                id,
                version: p.version,
                draft: p.draft.map(|d| d.branch),
                commit: p.commit,
                sha256: p.sha256,
                source: p.source,
                partials: p.partials,
                includes: p.includes,
            },
        );
    }
    Ok(Opened {
        name: name.to_string(),
        environment: shape.environment,
        generated_from: shape.generated_from,
        digest: recorded,
        prompts,
        json,
    })
}

impl OpenedPrompt {
    /// How the prompt is named in messages: `ID@ENV (version N, commit abc1234)`.
    pub fn describe(&self, env: &str) -> String {
        let short = &self.commit[..self.commit.len().min(7)];
        match self.version {
            Some(v) => format!("{}@{env} (version {v}, commit {short})", self.id),
            None => format!("{}@{env} (a draft, commit {short})", self.id),
        }
    }

    /// The prompt file parsed, as rendering from the repository parses it.
    pub fn load(&self) -> Result<load::Loaded, Error> {
        load::parse_bytes(self.source.as_bytes()).map_err(|e| Error::Parse {
            file: format!("{}@{}", self.id, &self.commit[..self.commit.len().min(7)]),
            at: e.at,
            message: e.message,
        })
    }
}

impl Opened {
    /// The prompt a reference names, when the bundle holds it: `ID`, `ID@ENV` for the bundle's
    /// environment, `ID@N` for the bundled version, `ID@COMMIT` for the bundled commit (full or
    /// abbreviated to 4 or more hex digits). Anything else is an error naming what the bundle
    /// holds.
    pub fn resolve(&self, reference: &Reference) -> Result<&OpenedPrompt, Error> {
        let id = reference.id.as_str();
        let Some(p) = self.prompts.get(id) else {
            return Err(Error::PromptNotFound {
                id: id.to_string(),
                place: format!(
                    "in the bundle {} (environment {}, {} prompt(s))",
                    self.name,
                    self.environment,
                    self.prompts.len()
                ),
                similar: crate::store::similar_ids(id, self.prompts.keys().map(String::as_str)),
            });
        };
        let held = match &reference.selector {
            Selector::WorkingTree => true,
            Selector::Version(n) => p.version == Some(*n),
            Selector::Latest => false,
            Selector::Named(name) => {
                name == &self.environment
                    || (name.len() >= 4
                        && name.len() <= p.commit.len()
                        && name.bytes().all(|b| b.is_ascii_hexdigit())
                        && p.commit.starts_with(&name.to_ascii_lowercase()))
            }
        };
        if held {
            Ok(p)
        } else {
            Err(Error::NotInBundle {
                reference: reference.to_string(),
                holds: p.describe(&self.environment),
                bundle: self.name.clone(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        let source = "format: 1\ntemplate: Hi {{name}}\n";
        let mut v = serde_json::json!({
            "format": 1, "environment": "production", "generated_from": "ab",
            "prompts": {"greet": {"id": "greet", "version": 2, "commit": "abcdef0123",
                "sha256": digest::sha256_hex(source.as_bytes()), "source": source,
                "prompt": {"format": 1}}}
        });
        let d = digest::of_value(&v);
        v["digest"] = Value::String(d);
        v
    }

    #[test]
    fn a_checked_bundle_answers_what_it_holds_and_names_it_otherwise() {
        let b = open(sample().to_string().as_bytes(), "b.json").unwrap();
        for ok in ["greet", "greet@production", "greet@2", "greet@abcdef0"] {
            assert!(b.resolve(&Reference::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        let e = b
            .resolve(&Reference::parse("greet@3").unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("greet@production (version 2"), "{e}");
        let e = b
            .resolve(&Reference::parse("greet@staging").unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("holds"), "{e}");
        let e = b.resolve(&Reference::parse("gret").unwrap()).unwrap_err();
        assert!(matches!(e, Error::PromptNotFound { ref similar, .. } if similar == &["greet"]));
    }

    #[test]
    fn a_changed_bundle_is_refused() {
        let mut v = sample();
        v["prompts"]["greet"]["source"] = Value::String("format: 1\ntemplate: Bye\n".into());
        let e = open(v.to_string().as_bytes(), "b.json").unwrap_err();
        assert!(e.to_string().contains("does not match its digest"), "{e}");
        let d = {
            let mut c = v.clone();
            c.as_object_mut().unwrap().remove("digest");
            digest::of_value(&c)
        };
        v["digest"] = Value::String(d);
        let e = open(v.to_string().as_bytes(), "b.json").unwrap_err();
        assert!(e.to_string().contains("does not match its sha256"), "{e}");
        let e = open(b"{", "b.json").unwrap_err();
        assert!(e.to_string().contains("not JSON"), "{e}");
    }
}
