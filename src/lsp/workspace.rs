//! Which registry a file belongs to, and the prompts the server sees: the working tree with the
//! editor's open buffers on top (an unsaved partial is what its includers are checked against).
//!
//! A `Registry` is not shared between threads (libgit2 handles), so each thread of the server
//! keeps its own `Workspaces`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::model::{load, PromptId, PROMPT_EXT};
use crate::partials::{PartialLookup, PartialSource, RegistryPartials};
use crate::store::{Registry, Rev};
use crate::template::PartialResolver;

use super::documents::Documents;

/// Where a file sits in its registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The path from the repository root, `/`-separated (`prompts/a/b.prompt.yaml`): how
    /// `check` names the file.
    pub rel: String,
    /// The path below the registry root (`a/b.prompt.yaml`) when the file is a prompt file
    /// there (`*.prompt.yaml` under the root), whatever its name's validity.
    pub name: Option<String>,
    /// Its id, when the name is a valid one.
    pub id: Option<PromptId>,
}

/// The registries of the files seen so far, opened once each.
#[derive(Default)]
pub struct Workspaces {
    open: Vec<(PathBuf, Registry)>,
}

impl Workspaces {
    /// The registry holding `path` and the file's place in it; `None` outside any repository
    /// with a working tree.
    pub fn place(&mut self, path: &Path) -> Option<(&Registry, Place)> {
        let i = match self.find(path) {
            Some(i) => i,
            None => {
                let start = existing_ancestor(path)?;
                let reg = Registry::open(&start).ok()?;
                let workdir = canonical(reg.workdir()?);
                self.open.push((workdir, reg));
                self.find(path)?
            }
        };
        let (workdir, reg) = &self.open[i];
        let place = place_in(reg, workdir, path)?;
        Some((reg, place))
    }

    /// The registry a path lies in, if already open (the deepest working tree holding it).
    fn find(&self, path: &Path) -> Option<usize> {
        let path = canonical(path);
        self.open
            .iter()
            .enumerate()
            .filter(|(_, (dir, _))| path.starts_with(dir))
            .max_by_key(|(_, (dir, _))| dir.as_os_str().len())
            .map(|(i, _)| i)
    }

    /// Forgets every registry (after `.prompts.yaml` changed): they are opened again on use.
    pub fn reset(&mut self) {
        self.open.clear();
    }
}

/// The path with its folders resolved (`/tmp` → `/private/tmp`), as far as they exist.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => canonical(parent).join(name),
        _ => path.to_path_buf(),
    }
}

fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|p| p.is_dir())
        .map(Path::to_path_buf)
}

fn place_in(reg: &Registry, workdir: &Path, path: &Path) -> Option<Place> {
    let rel = canonical(path)
        .strip_prefix(workdir)
        .ok()?
        .to_str()?
        .replace('\\', "/");
    let root = &reg.config().root;
    let below = if root.is_empty() {
        Some(rel.as_str())
    } else {
        rel.strip_prefix(root.as_str())
            .and_then(|r| r.strip_prefix('/'))
    };
    let name = below
        .filter(|b| b.ends_with(PROMPT_EXT) && b.len() > PROMPT_EXT.len())
        .map(str::to_string);
    let id = name.as_deref().and_then(PromptId::from_file_name);
    Some(Place { rel, name, id })
}

/// The open buffers of one registry's prompt files, by id.
pub fn open_prompts(
    docs: &Documents,
    ws: &mut Workspaces,
    reg_workdir: &Path,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let reg_workdir = canonical(reg_workdir);
    for doc in docs.all() {
        let Some(path) = &doc.path else { continue };
        if !canonical(path).starts_with(&reg_workdir) {
            continue;
        }
        if let Some((_, place)) = ws.place(path) {
            if let Some(id) = place.id {
                out.insert(id.to_string(), doc.text.clone());
            }
        }
    }
    out
}

/// Other prompts' templates as the editor sees them: an open buffer where there is one, else
/// the working tree.
pub struct Overlay<'a> {
    pub reg: &'a Registry,
    disk: RegistryPartials<'a>,
    open: HashMap<String, String>,
}

impl<'a> Overlay<'a> {
    pub fn new(reg: &'a Registry, open: HashMap<String, String>) -> Overlay<'a> {
        Overlay {
            reg,
            disk: RegistryPartials::new(reg, Rev::WorkingTree),
            open,
        }
    }

    /// The whole file of prompt `id` (its open buffer, else the working tree's bytes).
    pub fn file_text(&self, id: &str) -> Option<String> {
        if let Some(text) = self.open.get(id) {
            return Some(text.clone());
        }
        let id = PromptId::parse(id).ok()?;
        let bytes = self.reg.read(Rev::WorkingTree, &id).ok()??;
        String::from_utf8(bytes).ok()
    }

    /// The ids of every prompt: the working tree's and the open buffers', sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .reg
            .ids(Rev::WorkingTree)
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect();
        ids.extend(self.open.keys().cloned());
        ids.sort();
        ids.dedup();
        ids
    }
}

impl PartialSource for Overlay<'_> {
    fn lookup(&self, name: &str) -> PartialLookup {
        match self.open.get(name) {
            Some(text) => match load::parse(text) {
                Ok(loaded) => match loaded.prompt.template {
                    Some(t) => PartialLookup::Text(t),
                    None => PartialLookup::NotText,
                },
                Err(_) => PartialLookup::Invalid,
            },
            None => self.disk.lookup(name),
        }
    }

    fn similar(&self, name: &str) -> Vec<String> {
        let ids = self.ids();
        crate::store::similar_ids(name, ids.iter().map(String::as_str))
    }
}

impl PartialResolver for Overlay<'_> {
    fn resolve(&self, name: &str) -> Option<Cow<'_, str>> {
        match self.lookup(name) {
            PartialLookup::Text(t) => Some(Cow::Owned(t)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{registry, write};

    #[test]
    fn places_and_overlay() {
        let (dir, _reg) = registry();
        write(dir.path(), "shared/head", "format: 1\ntemplate: disk\n");
        let mut ws = Workspaces::default();
        let file = dir.path().join("prompts/team/a.prompt.yaml");
        let (reg, place) = ws.place(&file).unwrap();
        assert_eq!(place.rel, "prompts/team/a.prompt.yaml");
        assert_eq!(place.name.as_deref(), Some("team/a.prompt.yaml"));
        assert_eq!(place.id.unwrap().as_str(), "team/a");
        let mut open = HashMap::new();
        let overlay = Overlay::new(reg, open.clone());
        assert_eq!(
            overlay.lookup("shared/head"),
            PartialLookup::Text("disk".into())
        );
        open.insert(
            "shared/head".to_string(),
            "format: 1\ntemplate: buffer\n".to_string(),
        );
        let overlay = Overlay::new(reg, open);
        assert_eq!(
            overlay.lookup("shared/head"),
            PartialLookup::Text("buffer".into())
        );
        assert_eq!(overlay.lookup("nope"), PartialLookup::Missing);
        // Outside the root, and not a prompt file.
        let (_, other) = ws.place(&dir.path().join("README.md")).unwrap();
        assert_eq!(other.name, None);
        assert!(ws.place(Path::new("/")).is_none());
    }
}
