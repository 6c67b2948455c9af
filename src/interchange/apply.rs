//! Writing imported prompts into a registry: check first, then write.
//!
//! `plan` decides every id, refuses to overwrite an existing prompt without `--force`, renders
//! every version to canonical YAML and validates it, all before anything is written. `apply` then
//! writes the newest version's file (the user commits it), or, with `--history`, commits each
//! version oldest first with its message and promotes the versions the service tagged with a
//! configured environment. Everything goes through `Registry`; nothing here touches git.

use std::collections::{HashMap, HashSet};

use super::common::env_alias;
use super::{Imported, Service};
use crate::check::{self, Diagnostic, Severity};
use crate::error::Error;
use crate::model::{load, EnvName, PromptId};
use crate::partials::{PartialLookup, PartialSource, RegistryPartials};
use crate::store::{CommitId, Registry, Rev};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Commit every version, oldest first, and create environment tags.
    pub history: bool,
    /// Overwrite prompts that exist.
    pub force: bool,
    /// The id to use instead of the slugged name (a payload with one prompt only).
    pub id: Option<PromptId>,
}

/// What an import will write, checked.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    service: Service,
    history: bool,
    pub prompts: Vec<PlannedPrompt>,
    /// Validation errors of the files to write: when any, nothing may be written.
    pub diagnostics: Vec<Diagnostic>,
    /// Things the user should know (tags that are no environment here, …).
    pub warnings: Vec<String>,
}

impl ImportPlan {
    /// The environment tags applying the plan would create or move: `ID@ENV` (with `--history`).
    pub fn environment_tags(&self) -> Vec<(PromptId, EnvName)> {
        let mut out = Vec::new();
        for p in &self.prompts {
            for env in p.versions.iter().flat_map(|v| &v.envs) {
                let tag = (p.id.clone(), env.clone());
                if !out.contains(&tag) {
                    out.push(tag);
                }
            }
        }
        out
    }
}

/// One prompt of a plan.
#[derive(Debug, Clone)]
pub struct PlannedPrompt {
    pub id: PromptId,
    /// The service's name for the prompt, when it names one.
    pub source_name: Option<String>,
    /// The file, relative to the repository root.
    pub path: String,
    /// Whether a prompt with this id exists (in the working tree or at `HEAD`).
    pub exists: bool,
    versions: Vec<PlannedVersion>,
}

#[derive(Debug, Clone)]
struct PlannedVersion {
    yaml: String,
    message: String,
    envs: Vec<EnvName>,
    label: String,
}

/// What an import wrote.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub prompts: Vec<Written>,
    /// Problems after writing (the index could not be updated, …): what was written stands.
    pub warnings: Vec<String>,
}

/// One written prompt.
#[derive(Debug, Clone)]
pub struct Written {
    pub id: PromptId,
    pub path: String,
    /// With `--history`: each commit made, with the version number it became.
    pub commits: Vec<(usize, CommitId)>,
    /// Environments promoted, with the version each points at.
    pub envs: Vec<(EnvName, usize)>,
}

/// Decides ids, refuses existing prompts without `force`, and validates every version.
pub fn plan(
    reg: &Registry,
    imported: Imported,
    service: Service,
    options: &Options,
) -> Result<ImportPlan, Error> {
    reg.require_workdir("import")?;
    if options.id.is_some() && imported.prompts.len() > 1 {
        return Err(Error::Usage(format!(
            "--id names one prompt, and this payload holds {}: import it without --id (ids come \
             from the names)",
            imported.prompts.len()
        )));
    }
    let head = reg.head()?;
    // Prompts of the same payload (a folder of dotprompt files and their partials) are partials
    // for each other: they are written together.
    let imported_texts: HashMap<String, PartialLookup> = imported
        .prompts
        .iter()
        .filter_map(|p| {
            let id = options.id.clone().or(p.id.clone())?;
            let last = p.versions.last()?;
            Some((
                id.to_string(),
                match &last.prompt.template {
                    Some(t) => PartialLookup::Text(t.clone()),
                    None => PartialLookup::NotText,
                },
            ))
        })
        .collect();
    let partials = Overlay {
        imported: imported_texts,
        registry: RegistryPartials::new(reg, Rev::WorkingTree),
    };
    let mut seen = HashSet::new();
    let mut plan = ImportPlan {
        service,
        history: options.history,
        prompts: Vec::new(),
        diagnostics: Vec::new(),
        warnings: Vec::new(),
    };
    for p in imported.prompts {
        let Some(id) = options.id.clone().or(p.id) else {
            return Err(Error::Usage(format!(
                "this {} payload does not name its prompt (a list of versions): pass --id ID",
                service.name()
            )));
        };
        if !seen.insert(id.clone()) {
            return Err(Error::Usage(format!(
                "two prompts of the payload would both become `{id}`: import them one at a time \
                 with --id"
            )));
        }
        let path = reg.path_of(&id);
        let exists = reg.read(Rev::WorkingTree, &id)?.is_some()
            || match head {
                Some(h) => reg.read(Rev::Commit(h), &id)?.is_some(),
                None => false,
            };
        if exists && !options.force {
            return Err(Error::Refused(format!(
                "`{id}` exists ({path}): pass --force to overwrite it{}",
                if options.history {
                    " (the imported versions are committed on top of its history)"
                } else {
                    ""
                }
            )));
        }
        let chosen = if options.history {
            p.versions
        } else {
            p.versions.into_iter().last().into_iter().collect()
        };
        let count = chosen.len();
        let mut versions = Vec::new();
        for v in chosen {
            let yaml = load::to_yaml(&v.prompt);
            for d in check::check_file(&path, &id.file_name(), yaml.as_bytes(), &partials) {
                if d.severity == Severity::Error {
                    let mut d = d;
                    if count > 1 {
                        d.message = format!("{} ({}): {}", id, v.label, d.message);
                    }
                    plan.diagnostics.push(d);
                }
            }
            let mut envs = Vec::new();
            for tag in &v.tags {
                match environment(reg, tag) {
                    Some(env) => {
                        if env.as_str() != tag {
                            plan.warnings.push(format!(
                                "{}: the tag `{tag}` of {id} ({}) is read as the environment \
                                 `{env}`",
                                service.name(),
                                v.label
                            ));
                        }
                        envs.push(env);
                    }
                    None => plan.warnings.push(format!(
                        "{}: the tag `{tag}` of {id} ({}) is not an environment of this registry \
                         ({}); not applied",
                        service.name(),
                        v.label,
                        configured(reg)
                    )),
                }
            }
            if !options.history && !envs.is_empty() {
                let names: Vec<&str> = envs.iter().map(EnvName::as_str).collect();
                plan.warnings.push(format!(
                    "{id}: environments ({}) are created only with --history (they point at \
                     commits)",
                    names.join(", ")
                ));
                envs.clear();
            }
            let message = v
                .message
                .clone()
                .unwrap_or_else(|| format!("Import {id} {} from {}", v.label, service.name()));
            versions.push(PlannedVersion {
                yaml,
                message,
                envs,
                label: v.label,
            });
        }
        plan.prompts.push(PlannedPrompt {
            id,
            source_name: p.source_name,
            path,
            exists,
            versions,
        });
    }
    Ok(plan)
}

/// The registry's prompts, with the ones being imported over them.
struct Overlay<'a> {
    imported: HashMap<String, PartialLookup>,
    registry: RegistryPartials<'a>,
}

impl PartialSource for Overlay<'_> {
    fn lookup(&self, name: &str) -> PartialLookup {
        match self.imported.get(name) {
            Some(found) => found.clone(),
            None => self.registry.lookup(name),
        }
    }
}

/// The configured environment a service's tag names: itself, or a common alias (`prod`).
fn environment(reg: &Registry, tag: &str) -> Option<EnvName> {
    let config = reg.config();
    config
        .env(tag)
        .or_else(|| env_alias(tag).and_then(|alias| config.env(alias)))
        .cloned()
}

fn configured(reg: &Registry) -> String {
    let names: Vec<&str> = reg
        .config()
        .environments
        .iter()
        .map(EnvName::as_str)
        .collect();
    names.join(", ")
}

/// Writes what `plan` decided. Call only when `plan.diagnostics` is empty.
pub fn apply(reg: &Registry, plan: ImportPlan) -> Result<Outcome, Error> {
    let mut outcome = Outcome::default();
    for p in plan.prompts {
        let mut written = Written {
            id: p.id.clone(),
            path: p.path.clone(),
            commits: Vec::new(),
            envs: Vec::new(),
        };
        if !plan.history {
            let v = p.versions.last().expect("a planned prompt has a version");
            if p.exists {
                reg.write_file(&p.path, &v.yaml)?;
            } else {
                reg.create_file(&p.path, &v.yaml)?;
            }
            outcome.prompts.push(written);
            continue;
        }
        // The commit each imported version is at (an unchanged version shares its parent's).
        let mut at: Vec<Option<CommitId>> = Vec::new();
        let mut last: Option<CommitId> = None;
        for v in &p.versions {
            reg.write_file(&p.path, &v.yaml)?;
            let changes: Vec<_> = reg
                .changes()?
                .into_iter()
                .filter(|c| c.path == p.path)
                .collect();
            if changes.is_empty() {
                outcome.warnings.push(format!(
                    "{}: {} is the same as the version before it in the prompt format: no commit \
                     for it",
                    p.id, v.label
                ));
            } else {
                let committed = reg.commit(&changes, &format!("{}\n", v.message.trim_end()))?;
                outcome.warnings.extend(committed.warnings);
                last = Some(committed.commit);
            }
            at.push(last);
        }
        let versions = reg.versions(&p.id)?;
        let number = |c: CommitId| versions.iter().find(|v| v.commit == c);
        for c in at.iter().flatten() {
            if let Some(v) = number(*c) {
                if written.commits.last().map(|(n, _)| *n) != Some(v.number) {
                    written.commits.push((v.number, *c));
                }
            }
        }
        for (v, commit) in p.versions.iter().zip(&at) {
            let Some(version) = commit.and_then(number) else {
                if !v.envs.is_empty() {
                    outcome.warnings.push(format!(
                        "{}: {} has no commit; its environments are not applied",
                        p.id, v.label
                    ));
                }
                continue;
            };
            for env in &v.envs {
                let state = reg.env_state(&p.id, env)?;
                if state.as_ref().is_some_and(|s| s.commit == version.commit) {
                    continue;
                }
                let note = format!("imported from {} ({})", plan.service.name(), v.label);
                let state_to = crate::store::VersionOrDraft::Version(version.clone());
                reg.promote(&p.id, env, &state_to, Some(&note), state.as_ref())?;
                written.envs.retain(|(e, _)| e != env);
                written.envs.push((env.clone(), version.number));
            }
        }
        outcome.prompts.push(written);
    }
    Ok(outcome)
}
