//! What the two prompt-file formats (dotprompt, Prompty) share: finding the files of a folder,
//! splitting YAML front matter from the body, ids from paths, and writing the front matter back.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::PromptId;

/// Largest file read, in bytes.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Most files one folder import reads.
const MAX_FILES: usize = 10_000;

/// The files with extension `ext` below `path` (or `path` itself when it is a file), as (path
/// relative to the folder imported, text), sorted by path. Symbolic links are not followed.
pub fn collect_files(path: &Path, ext: &str) -> Result<Vec<(String, String)>, Error> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return Ok(vec![(name, read_text(path)?)]);
    }
    let mut out = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            let p = entry.path();
            if kind.is_dir() {
                folders.push(p);
            } else if kind.is_file() && p.extension().is_some_and(|e| e == ext) {
                let rel = p.strip_prefix(path).unwrap_or(&p);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, read_text(&p)?));
                if out.len() > MAX_FILES {
                    return Err(Error::Unreadable {
                        file: path.display().to_string(),
                        message: format!("more than {MAX_FILES} .{ext} files"),
                    });
                }
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Unreadable {
            file: path.display().to_string(),
            message: format!("no .{ext} files in this folder"),
        });
    }
    out.sort();
    Ok(out)
}

fn read_text(path: &Path) -> Result<String, Error> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Unreadable {
            file: path.display().to_string(),
            message: format!("larger than {MAX_FILE_BYTES} bytes"),
        });
    }
    String::from_utf8(bytes).map_err(|_| Error::Unreadable {
        file: path.display().to_string(),
        message: "not UTF-8 text".into(),
    })
}

/// Splits `---\nYAML\n---\nbody` (blank and `#` lines may come first); the front matter as a
/// JSON object. A file without front matter is all body.
pub(crate) fn front_matter(text: &str) -> Result<(Map<String, Value>, String), String> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t == "---" {
            let yaml_start = offset + line.len();
            let rest = &text[yaml_start..];
            let (yaml, body) = if let Some(end) = rest.strip_prefix("---\n") {
                ("", end)
            } else {
                let end = rest
                    .find("\n---")
                    .filter(|&i| {
                        let after = &rest[i + 4..];
                        after.is_empty()
                            || after.starts_with('\n')
                            || after.trim_start_matches([' ', '\t']).starts_with('\n')
                    })
                    .ok_or("the front matter is not closed by a `---` line")?;
                let after = &rest[end + 4..];
                let body = after.split_once('\n').map_or("", |(_, b)| b);
                (&rest[..end], body)
            };
            let value: Value = if yaml.trim().is_empty() {
                Value::Object(Map::new())
            } else {
                crate::model::nesting::check_nesting(yaml)
                    .map_err(|e| format!("the front matter, line {}: {}", e.at.line, e.message))?;
                serde_yaml::from_str(yaml)
                    .map_err(|e| format!("the front matter is not valid YAML: {e}"))?
            };
            let Value::Object(map) = value else {
                return Err("the front matter is not a YAML mapping".into());
            };
            return Ok((map, body.to_string()));
        }
        if !(t.is_empty() || t.starts_with('#')) {
            break;
        }
        offset += line.len();
    }
    Ok((Map::new(), text))
}

/// Front matter and body as one file.
pub(crate) fn write_front_matter(front: &Map<String, Value>, body: &str) -> String {
    let yaml = if front.is_empty() {
        String::new()
    } else {
        serde_yaml::to_string(&Value::Object(front.clone())).unwrap_or_default()
    };
    format!("---\n{yaml}---\n{}\n", body.trim_end())
}

/// The id of a file from its path below the folder imported, without `ext`; a leading `_` (a
/// dotprompt partial) is dropped.
pub(crate) fn id_of(path: &str, ext: &str) -> Result<PromptId, String> {
    let stem = path
        .strip_suffix(&format!(".{ext}"))
        .unwrap_or(path)
        .replace('\\', "/");
    let (folder, last) = match stem.rsplit_once('/') {
        Some((f, l)) => (Some(f), l),
        None => (None, stem.as_str()),
    };
    let last = last.strip_prefix('_').unwrap_or(last);
    // dotprompt variants (`name.variant.prompt`) keep the variant as part of the name.
    let handle = match folder {
        Some(f) => format!("{f}/{last}"),
        None => last.to_string(),
    };
    super::slug::path_id(&handle).map_err(|e| e.to_string())
}

/// A new prompt with the `name` and `description` of the front matter (both formats have them).
pub(crate) fn prompt_from_front(front: &Map<String, Value>) -> crate::model::Prompt {
    let text = |key: &str| front.get(key).and_then(Value::as_str).map(str::to_string);
    crate::model::Prompt {
        format: crate::model::FORMAT_VERSION,
        name: text("name"),
        description: text("description"),
        ..crate::model::Prompt::default()
    }
}

/// What reading one file gives: one prompt with one version, named by the file's path.
pub(crate) fn one_file(
    id: PromptId,
    path: &str,
    prompt: crate::model::Prompt,
    warnings: Vec<String>,
) -> super::Imported {
    super::Imported {
        prompts: vec![super::ImportedPrompt {
            id: Some(id),
            source_name: Some(path.to_string()),
            versions: vec![super::ImportedVersion {
                prompt,
                message: None,
                tags: Vec::new(),
                label: path.to_string(),
            }],
        }],
        warnings,
    }
}
