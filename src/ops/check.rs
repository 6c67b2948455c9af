//! `check`'s operations: every prompt file's diagnostics at one revision, and the changes that
//! break callers against another reference (`check --against`, contract §7).

use crate::check::{self, Diagnostic, Rule, Severity};
use crate::error::Error;
use crate::model::{load, PromptId, Reference};
use crate::partials::{PartialSource, RegistryPartials};
use crate::store::{Registry, Rev};

/// The prompt files (names below the registry root) that `check` covers at `rev`: the named
/// prompts, each of which must exist there, or every prompt file when `ids` is empty.
pub fn files(reg: &Registry, rev: Rev, ids: &[PromptId]) -> Result<Vec<String>, Error> {
    if ids.is_empty() {
        return reg.prompt_files(rev);
    }
    let mut files = Vec::with_capacity(ids.len());
    for id in ids {
        if reg.read(rev, id)?.is_none() {
            return Err(reg.not_found(id, rev));
        }
        files.push(id.file_name());
    }
    Ok(files)
}

/// The diagnostics of prompt files (paths below the registry root) at `rev`. Secrets with a
/// fingerprint in `.prompts.yaml`'s `allowed_secrets` or in `allow_secrets` are not reported.
pub fn check_files(
    reg: &Registry,
    rev: Rev,
    files: &[String],
    allow_secrets: &[String],
) -> Result<Vec<Diagnostic>, Error> {
    // Each file is checked on its own: the files are split over the cores.
    let per_file = reg.map_runs(files, |reg, run| {
        let partials = RegistryPartials::new(reg, rev);
        let mut out = Vec::with_capacity(run.len());
        for file in run {
            let path = reg.config().path_of(file);
            out.push(reg.read_path(rev, &path).map(|bytes| match bytes {
                Some(bytes) => check_text(reg, &path, file, &bytes, &partials, allow_secrets),
                None => Vec::new(),
            }));
        }
        out
    })?;
    let mut out = Vec::new();
    for diagnostics in per_file {
        out.extend(diagnostics?);
    }
    Ok(out)
}

/// The diagnostics of one prompt file's bytes: what `check_files` runs on each file, and the
/// language server on an unsaved buffer. `file` names it from the repository root, `name` is its
/// path below the registry root, partials come from `partials` (for the language server, its
/// open buffers over the working tree); secrets allowed by `.prompts.yaml` or `allow_secrets`
/// are not reported.
pub fn check_text(
    reg: &Registry,
    file: &str,
    name: &str,
    bytes: &[u8],
    partials: &dyn PartialSource,
    allow_secrets: &[String],
) -> Vec<Diagnostic> {
    let mut allowed = reg.config().allowed_secrets.clone();
    allowed.extend(allow_secrets.iter().cloned());
    check::check_file_allowing(file, name, bytes, partials, &allowed)
}

/// Breaking changes of each prompt file at `rev` against its state at `against`: `@ENV` (each
/// prompt's environment, `@latest` or `@N`) or a git revision. Prompts that do not exist there
/// (new, or never promoted) have nothing to break. With `all` (every prompt was checked), a
/// prompt that exists at `against` but no longer does is reported as removed.
///
/// An unknown environment or revision is an error, not "nothing to break".
pub fn against(
    reg: &Registry,
    rev: Rev,
    files: &[String],
    against: &str,
    all: bool,
) -> Result<Vec<Diagnostic>, Error> {
    let env = against.strip_prefix('@');
    match env {
        Some(name) if name != "latest" && !name.bytes().all(|b| b.is_ascii_digit()) => {
            reg.config().require_env(name)?;
        }
        Some(_) => {}
        None => {
            if reg.revision(against)?.is_none() {
                return Err(Error::UnknownRevision {
                    spec: against.to_string(),
                    purpose: "--against takes a git revision, or @ENV for an environment".into(),
                });
            }
        }
    }
    let reference_of = |id: &PromptId| match env {
        Some(_) => format!("{id}{against}"),
        None => format!("{id}@{against}"),
    };
    let mut out = Vec::new();
    for file in files {
        let Some(id) = PromptId::from_file_name(file) else {
            continue;
        };
        let reference = reference_of(&id);
        let old = match reg.resolve(&Reference::parse(&reference)?) {
            Ok(r) => r,
            Err(
                Error::UnknownReference { .. }
                | Error::NotPromoted { .. }
                | Error::PromptNotFound { .. },
            ) => continue,
            // One prompt's broken tag is that prompt's problem; the others are still checked.
            Err(Error::BrokenTag { problem, fix, .. }) => {
                out.push(breaking(
                    reg.config().path_of(file),
                    format!(
                        "against {reference}: the environment tag is broken ({problem}); {fix}"
                    ),
                ));
                continue;
            }
            Err(e) => return Err(e),
        };
        let path = reg.config().path_of(file);
        let (Some(new_bytes), Ok(old)) =
            (reg.read_path(rev, &path)?, load::parse_bytes(&old.bytes))
        else {
            continue;
        };
        if let Ok(new) = load::parse_bytes(&new_bytes) {
            out.extend(check::against(&path, &new, &old.prompt, &reference));
        }
    }
    // A prompt that exists at the reference but not any more breaks every caller.
    if all {
        let there: Vec<PromptId> = match env {
            Some(env) => reg
                .all_envs()?
                .into_iter()
                .filter(|(_, envs)| envs.iter().any(|(e, _)| e.as_str() == env))
                .map(|(id, _)| id)
                .collect(),
            None => match reg.revision(against)? {
                Some(c) => reg.ids(Rev::Commit(c))?,
                None => Vec::new(),
            },
        };
        for id in there {
            if files.contains(&id.file_name()) {
                continue;
            }
            out.push(breaking(
                reg.path_of(&id),
                format!(
                    "against {}: the prompt was removed: its callers will fail",
                    reference_of(&id)
                ),
            ));
        }
    }
    Ok(out)
}

/// A breaking-change error on the first line of `file`.
fn breaking(file: String, message: String) -> Diagnostic {
    Diagnostic {
        file,
        line: 1,
        column: 1,
        severity: Severity::Error,
        rule: Rule::Breaking,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{commit, registry, remove, write};

    const GREET: &str = "format: 1\ninputs:\n  name:\n    type: string\ntemplate: Hi {{name}}\n";

    fn all_files(reg: &Registry) -> Vec<String> {
        reg.prompt_files(Rev::WorkingTree).unwrap()
    }

    #[test]
    fn files_are_every_prompt_or_the_named_ones_which_must_exist() {
        let (dir, reg) = registry();
        write(dir.path(), "a", GREET);
        write(dir.path(), "team/b", GREET);
        let mut all = all_files(&reg);
        all.sort();
        assert_eq!(all, ["a.prompt.yaml", "team/b.prompt.yaml"]);
        assert_eq!(files(&reg, Rev::WorkingTree, &[]).unwrap().len(), 2);
        let b = PromptId::parse("team/b").unwrap();
        assert_eq!(
            files(&reg, Rev::WorkingTree, &[b]).unwrap(),
            ["team/b.prompt.yaml"]
        );
        let missing = PromptId::parse("c").unwrap();
        let err = files(&reg, Rev::WorkingTree, &[missing]).unwrap_err();
        assert!(matches!(err, Error::PromptNotFound { .. }), "{err:?}");
    }

    #[test]
    fn check_files_reports_each_file_and_allows_listed_secrets() {
        let (dir, reg) = registry();
        write(dir.path(), "good", GREET);
        write(dir.path(), "bad", "format: 1\ntemplate: Hi {{who}}\n");
        let diagnostics = check_files(&reg, Rev::WorkingTree, &all_files(&reg), &[]).unwrap();
        assert!(!diagnostics.is_empty());
        assert!(diagnostics
            .iter()
            .all(|d| d.file == "prompts/bad.prompt.yaml"));
        assert!(diagnostics.iter().any(|d| d.severity == Severity::Error));
        let clean = check_files(&reg, Rev::WorkingTree, &["good.prompt.yaml".into()], &[]);
        assert_eq!(clean.unwrap(), Vec::new());
    }

    #[test]
    fn against_a_revision_reports_new_required_inputs_and_removed_prompts() {
        let (dir, reg) = registry();
        write(dir.path(), "greet", GREET);
        write(dir.path(), "old", GREET);
        commit(dir.path(), "first");
        write(
            dir.path(),
            "greet",
            "format: 1\ninputs:\n  name:\n    type: string\n  day:\n    type: string\n\
             template: Hi {{name}} {{day}}\n",
        );
        remove(dir.path(), "old");
        write(dir.path(), "new", GREET);
        let out = against(&reg, Rev::WorkingTree, &all_files(&reg), "HEAD", true).unwrap();
        let messages: Vec<(&str, &str)> = out
            .iter()
            .map(|d| (d.file.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(out.iter().all(|d| d.rule == Rule::Breaking));
        assert!(
            messages
                .iter()
                .any(|(f, m)| *f == "prompts/greet.prompt.yaml"
                    && m.starts_with("against greet@HEAD"))
        );
        assert!(messages.contains(&(
            "prompts/old.prompt.yaml",
            "against old@HEAD: the prompt was removed: its callers will fail"
        )));
        // Checking some prompts only: a removed one is not theirs to report.
        let some = against(
            &reg,
            Rev::WorkingTree,
            &["new.prompt.yaml".into()],
            "HEAD",
            false,
        );
        assert_eq!(some.unwrap(), Vec::new());
    }

    #[test]
    fn against_an_unknown_revision_or_environment_fails() {
        let (dir, reg) = registry();
        write(dir.path(), "greet", GREET);
        commit(dir.path(), "first");
        let files = all_files(&reg);
        let err = against(&reg, Rev::WorkingTree, &files, "nobranch", true).unwrap_err();
        assert!(matches!(err, Error::UnknownRevision { spec, .. } if spec == "nobranch"));
        let err = against(&reg, Rev::WorkingTree, &files, "@nowhere", true).unwrap_err();
        assert!(matches!(err, Error::UnknownEnv { .. }), "{err:?}");
        // A never-promoted prompt has nothing to break at a configured environment or @latest.
        let env = reg.config().environments.first().cloned().unwrap();
        assert_eq!(
            against(&reg, Rev::WorkingTree, &files, &format!("@{env}"), true).unwrap(),
            Vec::new()
        );
        assert_eq!(
            against(&reg, Rev::WorkingTree, &files, "@latest", true).unwrap(),
            Vec::new()
        );
    }
}
