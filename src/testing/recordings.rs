//! Recordings of model answers (contract §14): `<root>/.recordings/<id>/<key>.json`, where
//! `<root>` is the registry's prompt folder (`root` in `.prompts.yaml`, `prompts` by default).
//!
//! The key is the lowercase hex SHA-256 of the canonical request body (object keys sorted by
//! their UTF-8 bytes at every depth, no white space, numbers and strings as `serde_json` writes
//! them), then one line feed, then the repeat index in decimal (`0` for the first run):
//! `sha256(canonical(body) + "\n" + repeat)`. A file holds pretty JSON with the request body
//! and the response body and nothing else that could carry a secret (no headers, no URL).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::model::PromptId;
use crate::store::{Registry, Rev};

/// The folder below the prompt root that holds recordings.
pub const FOLDER: &str = ".recordings";

/// The version of the recording file's shape.
pub const FORMAT: u32 = 1;

/// `value` with every object's keys sorted, written compactly.
pub fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = Map::with_capacity(map.len());
                for k in keys {
                    out.insert(k.clone(), sorted(&map[k]));
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(value)).unwrap_or_default()
}

/// The recording key of a request body and a repeat index.
pub fn key(body: &Value, repeat: usize) -> String {
    let mut hasher = Sha256::new();
    hasher.update(canonical(body).as_bytes());
    hasher.update(b"\n");
    hasher.update(repeat.to_string().as_bytes());
    let digest = hasher.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The path of a recording relative to the repository root.
pub fn rel_path(reg: &Registry, id: &PromptId, key: &str) -> String {
    format!("{}/{key}.json", folder_of(reg, id))
}

/// `<root>/.recordings/<id>`, relative to the repository root.
fn folder_of(reg: &Registry, id: &PromptId) -> String {
    reg.config().path_of(&format!("{FOLDER}/{id}"))
}

/// `<root>/.recordings`, relative to the repository root.
pub fn root_folder(reg: &Registry) -> String {
    reg.config().path_of(FOLDER)
}

/// A recorded exchange.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recording {
    pub format: u32,
    /// `openai-chat-completions` or `anthropic-messages`.
    pub api: String,
    pub prompt: String,
    pub repeat: usize,
    pub key: String,
    pub request: Value,
    pub response: Value,
}

/// Reads the recording of `key` for `id` at `rev` (the working tree, or a commit's tree);
/// `Ok(None)` when there is none.
pub fn read(
    reg: &Registry,
    rev: Rev,
    id: &PromptId,
    key: &str,
) -> Result<Option<Recording>, String> {
    let path = rel_path(reg, id, key);
    let bytes = match reg.read_path(rev, &path) {
        Ok(Some(b)) => b,
        Ok(None) => return Ok(None),
        Err(e) => return Err(format!("reading {path}: {e}")),
    };
    serde_json::from_slice(&bytes).map_err(|e| format!("{path} is not a recording: {e}"))
}

/// Writes a recording into the working tree, whole or not at all (a temporary file renamed into
/// place; an interruption removes the temporary file). Returns the path relative to the
/// repository root.
pub fn write(reg: &Registry, id: &PromptId, rec: &Recording) -> Result<String, Error> {
    let dir = reg.require_workdir("writing recordings")?;
    let rel = rel_path(reg, id, &rec.key);
    let mut text = serde_json::to_string_pretty(rec).expect("a recording is JSON");
    text.push('\n');
    crate::store::write_file_atomically(&dir.join(&rel), text.as_bytes())?;
    Ok(rel)
}

/// Every recording file in the working tree, as (id folder, key, path relative to the
/// repository root), sorted by path.
pub fn all(reg: &Registry) -> Result<Vec<(String, String, String)>, Error> {
    let dir = reg.require_workdir("listing recordings")?;
    let base_rel = root_folder(reg);
    let base = dir.join(&base_rel);
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(base.clone(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&folder, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&folder, e))?;
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if kind.is_dir() {
                stack.push((entry.path(), format!("{prefix}{name}/")));
            } else if kind.is_file() {
                if let Some(key) = name.strip_suffix(".json") {
                    let id = prefix.trim_end_matches('/').to_string();
                    out.push((id, key.to_string(), format!("{base_rel}/{prefix}{name}")));
                }
            }
        }
    }
    out.sort_by(|a, b| a.2.cmp(&b.2));
    Ok(out)
}

/// Removes a recording file (relative to the repository root) and the folders it leaves empty
/// below `<root>/.recordings`.
pub fn remove(reg: &Registry, rel: &str) -> Result<(), Error> {
    let dir = reg.require_workdir("removing recordings")?;
    let path = dir.join(rel);
    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    let stop = dir.join(root_folder(reg));
    let mut parent = path.parent().map(Path::to_path_buf);
    while let Some(p) = parent {
        if p == stop || !p.starts_with(&stop) || std::fs::remove_dir(&p).is_err() {
            break;
        }
        parent = p.parent().map(Path::to_path_buf);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_key_is_the_documented_sha256() {
        let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "a": 1.5});
        assert_eq!(
            canonical(&body),
            r#"{"a":1.5,"messages":[{"content":"hi","role":"user"}],"model":"m"}"#
        );
        // printf '%s\n0' '{"a":1.5,…}' | sha256sum
        let text = format!("{}\n0", canonical(&body));
        let want: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(key(&body, 0), want);
        assert_eq!(key(&body, 0).len(), 64);
        assert_ne!(key(&body, 0), key(&body, 1));
        let reordered =
            json!({"a": 1.5, "model": "m", "messages": [{"content": "hi", "role": "user"}]});
        assert_eq!(key(&body, 0), key(&reordered, 0));
    }
}
