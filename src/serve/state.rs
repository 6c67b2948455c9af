//! The served state: one immutable snapshot of every environment, built from the repository or
//! a bundle, swapped whole on reload (contract §13: a request reads one snapshot, so a promotion
//! during a request never mixes two versions). Also what changed between two snapshots, as the
//! `promotion` events of `GET /v1/events`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::interchange::bundle::{self, read::Opened};
use crate::model::{EnvName, Prompt};
use crate::store::Registry;

/// Where the served prompts come from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The repository around this folder (every configured environment).
    Repository(PathBuf),
    /// One bundle file.
    Bundle(PathBuf),
}

/// Every environment at one moment.
pub struct Snapshot {
    /// `HEAD` (repository) or the bundle's `generated_from`.
    pub commit: Option<String>,
    /// The environments served, by name: a checked bundle each, or why it cannot be served.
    pub envs: BTreeMap<String, Result<Env, String>>,
    /// The environment names in the registry's order (for "this registry has: …").
    pub names: Vec<String>,
    /// Broken environment tags (`ID@ENV` → what is wrong with it): served as 503.
    pub broken: HashMap<String, String>,
    /// What was compared to decide a reload (refs and `HEAD`, or the bundle file's bytes).
    pub key: String,
}

/// One environment of a snapshot.
pub struct Env {
    pub bundle: Opened,
    /// The bundle as `prompt bundle --env ENV -o -` prints it.
    pub body: Vec<u8>,
    /// Each prompt parsed once.
    pub prompts: HashMap<String, Prompt>,
}

impl Snapshot {
    /// An empty state (before the first load).
    pub fn empty() -> Snapshot {
        Snapshot {
            commit: None,
            envs: BTreeMap::new(),
            names: Vec::new(),
            broken: HashMap::new(),
            key: String::new(),
        }
    }
}

/// What decides whether the state must be rebuilt: cheap to read every 250 ms. `reg` is the
/// watcher's own handle on the repository, kept between polls (opened when `None`).
pub fn key_of(origin: &Origin, reg: &mut Option<Registry>) -> Result<String, Error> {
    match origin {
        Origin::Bundle(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Ok(bundle::digest::sha256_hex(&bytes))
        }
        Origin::Repository(dir) => {
            if reg.is_none() {
                *reg = Some(Registry::open(dir)?);
            }
            let Some(handle) = reg.as_ref() else {
                unreachable!("opened above")
            };
            match handle.refs_fingerprint() {
                Ok(key) => Ok(key),
                Err(e) => {
                    // Open afresh next time: the repository may have been replaced.
                    *reg = None;
                    Err(e)
                }
            }
        }
    }
}

/// Builds the state of `origin` now.
pub fn load(origin: &Origin) -> Result<Snapshot, Error> {
    match origin {
        Origin::Bundle(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let key = bundle::digest::sha256_hex(&bytes);
            let opened = bundle::read::open(&bytes, &path.display().to_string())?;
            let commit = Some(opened.generated_from.clone());
            let name = opened.environment.clone();
            let env = env_of(opened, bytes)?;
            Ok(Snapshot {
                commit,
                names: vec![name.clone()],
                envs: BTreeMap::from([(name, Ok(env))]),
                broken: HashMap::new(),
                key,
            })
        }
        Origin::Repository(dir) => {
            let reg = Registry::open(dir)?;
            let key = reg.refs_fingerprint()?;
            let head = reg.head()?;
            let broken = reg
                .broken_env_tags()?
                .into_iter()
                .map(|b| (b.tag.clone(), Error::from(b).to_string()))
                .collect();
            let mut envs = BTreeMap::new();
            for env in &reg.config().environments {
                envs.insert(env.to_string(), env_from_registry(&reg, env, head));
            }
            Ok(Snapshot {
                commit: head.map(|c| c.to_string()),
                names: reg
                    .config()
                    .environments
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                envs,
                broken,
                key,
            })
        }
    }
}

fn env_from_registry(
    reg: &Registry,
    env: &EnvName,
    head: Option<crate::store::CommitId>,
) -> Result<Env, String> {
    let Some(head) = head else {
        return Err("the repository has no commits yet".into());
    };
    let built = bundle::build(reg, env, head).map_err(|e| e.to_string())?;
    let mut body = serde_json::to_vec_pretty(&built.bundle).map_err(|e| e.to_string())?;
    body.push(b'\n');
    let opened = bundle::read::open(&body, &format!("{env}")).map_err(|e| e.to_string())?;
    env_of(opened, body).map_err(|e| e.to_string())
}

fn env_of(bundle: Opened, body: Vec<u8>) -> Result<Env, Error> {
    let mut prompts = HashMap::new();
    for (id, p) in &bundle.prompts {
        prompts.insert(id.clone(), p.load()?.prompt);
    }
    Ok(Env {
        bundle,
        body,
        prompts,
    })
}

/// A version of a prompt in an environment, as events show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct At {
    pub version: Option<usize>,
    pub commit: Option<String>,
}

/// `{"id","environment","from":{version,commit},"to":{version,commit}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promotion {
    pub id: String,
    pub environment: String,
    pub from: At,
    pub to: At,
}

/// What a prompt renders from in an environment: its commit and every file's SHA-256.
fn fingerprint(env: &Env, id: &str) -> Option<(At, Vec<String>)> {
    let p = env.bundle.prompts.get(id)?;
    let mut sums = vec![p.sha256.clone()];
    sums.extend(p.includes.values().map(|i| i.sha256.clone()));
    Some((
        At {
            version: p.version,
            commit: Some(p.commit.clone()),
        },
        sums,
    ))
}

/// The promotions between two snapshots: each prompt whose environment moved, or whose rendering
/// changed because an included partial or parent changed with it; sorted by environment and id.
pub fn promotions(old: &Snapshot, new: &Snapshot) -> Vec<Promotion> {
    let none = At {
        version: None,
        commit: None,
    };
    let mut out = Vec::new();
    for (name, env) in &new.envs {
        let Ok(env) = env else { continue };
        let before = old.envs.get(name).and_then(|e| e.as_ref().ok());
        let mut ids: Vec<&String> = env.bundle.prompts.keys().collect();
        if let Some(b) = before {
            ids.extend(
                b.bundle
                    .prompts
                    .keys()
                    .filter(|k| !env.bundle.prompts.contains_key(*k)),
            );
        }
        ids.sort();
        for id in ids {
            let was = before.and_then(|b| fingerprint(b, id));
            let is = fingerprint(env, id);
            if was == is {
                continue;
            }
            out.push(Promotion {
                id: id.clone(),
                environment: name.clone(),
                from: was.map(|w| w.0).unwrap_or_else(|| none.clone()),
                to: is.map(|w| w.0).unwrap_or_else(|| none.clone()),
            });
        }
    }
    out
}

/// The folder a repository origin starts from.
pub fn repository(dir: &Path) -> Origin {
    Origin::Repository(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::bundle::digest;

    fn env(prompts: &[(&str, Option<usize>, &str, &str)]) -> Env {
        let mut map = serde_json::Map::new();
        for (id, version, commit, text) in prompts {
            let source = format!("format: 1\ntemplate: {text}\n");
            map.insert(
                id.to_string(),
                serde_json::json!({"id": id, "version": version, "commit": commit,
                    "sha256": digest::sha256_hex(source.as_bytes()), "source": source,
                    "prompt": {}}),
            );
        }
        let mut v = serde_json::json!({"format": 1, "environment": "production",
            "generated_from": "x", "prompts": map});
        v["digest"] = digest::of_value(&v).into();
        let body = v.to_string().into_bytes();
        env_of(bundle::read::open(&body, "t").unwrap(), body).unwrap()
    }

    fn snap(e: Env) -> Snapshot {
        let mut s = Snapshot::empty();
        s.envs.insert("production".into(), Ok(e));
        s
    }

    #[test]
    fn promotions_are_moves_additions_removals_and_content_changes() {
        let old = snap(env(&[("a", Some(1), "c1", "A"), ("b", Some(1), "c1", "B")]));
        let new = snap(env(&[
            ("a", Some(2), "c2", "A2"),
            ("c", Some(1), "c2", "C"),
        ]));
        let moved = promotions(&old, &new);
        let ids: Vec<&str> = moved.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(moved[0].from.version, Some(1));
        assert_eq!(moved[0].to.commit.as_deref(), Some("c2"));
        assert_eq!(moved[1].to.commit, None, "b left the environment");
        assert_eq!(moved[2].from.version, None, "c arrived");
        assert!(promotions(
            &new,
            &snap(env(&[
                ("a", Some(2), "c2", "A2"),
                ("c", Some(1), "c2", "C")
            ]))
        )
        .is_empty());
    }
}
