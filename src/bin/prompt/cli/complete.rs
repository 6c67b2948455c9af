//! Dynamic shell completion: prompt ids, references and environment names, read from the registry
//! of the folder the shell is in (or `PROMPT_REPO`) while completing. The bash, zsh and fish
//! scripts of `prompt completions` (committed under `completions/`) call it, and so does
//! `source <(COMPLETE=bash prompt)` (see the README for other shells).

use std::ffi::OsString;

use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{EnvCompleter, Shells};

use prompt_registry::store::Registry;

fn registry() -> Option<Registry> {
    let start = std::env::var_os("PROMPT_REPO")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::current_dir().ok())?;
    Registry::open(&start).ok()
}

fn ids_of(reg: &Registry) -> Vec<String> {
    let Ok(Some(rev)) = reg.default_rev() else {
        return Vec::new();
    };
    reg.ids(rev)
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Prompt ids.
pub fn ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        registry()
            .map(|reg| {
                ids_of(&reg)
                    .into_iter()
                    .map(CompletionCandidate::new)
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// References: ids, `ID@latest`, and `ID@ENV` for the environments each prompt is promoted to.
pub fn references() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let Some(reg) = registry() else {
            return Vec::new();
        };
        let envs = reg.all_envs().unwrap_or_default();
        let mut out = Vec::new();
        for id in ids_of(&reg) {
            out.push(CompletionCandidate::new(id.clone()));
            out.push(CompletionCandidate::new(format!("{id}@latest")));
            if let Some(list) = prompt_registry::model::PromptId::parse(&id)
                .ok()
                .and_then(|p| envs.get(&p))
            {
                for (env, _) in list {
                    out.push(CompletionCandidate::new(format!("{id}@{env}")));
                }
            }
        }
        out
    })
}

/// The configured environment names.
pub fn envs() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        registry()
            .map(|reg| {
                reg.config()
                    .environments
                    .iter()
                    .map(|e| CompletionCandidate::new(e.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The shells `COMPLETE=<shell> prompt` answers: clap_complete's, with bash adjusted ([`Bash`]).
pub const SHELLS: Shells<'static> = Shells(&[
    &Bash,
    &clap_complete::env::Elvish,
    &clap_complete::env::Fish,
    &clap_complete::env::Powershell,
    &clap_complete::env::Zsh,
]);

/// clap_complete's bash adapter with two changes, so that bash never types something the user did
/// not ask for. An empty word is not completed with flags (bash would insert their common prefix
/// `-` where only flags are left, as in `prompt list <TAB>`, or in a registry without prompts):
/// type `-` to see them. And no `-o bashdefault`: a word nothing matches gets no file names
/// either (`--repo` and other path arguments are completed by `prompt` itself).
pub struct Bash;

impl EnvCompleter for Bash {
    fn name(&self) -> &'static str {
        clap_complete::env::Bash.name()
    }

    fn is(&self, name: &str) -> bool {
        clap_complete::env::Bash.is(name)
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn std::io::Write,
    ) -> Result<(), std::io::Error> {
        let mut script = Vec::new();
        clap_complete::env::Bash.write_registration(var, name, bin, completer, &mut script)?;
        let script = String::from_utf8_lossy(&script).replace(" -o bashdefault", "");
        buf.write_all(script.as_bytes())
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        args: Vec<OsString>,
        current_dir: Option<&std::path::Path>,
        buf: &mut dyn std::io::Write,
    ) -> Result<(), std::io::Error> {
        // The script sets the index of the word under the cursor and the separator it splits on.
        let index: usize = std::env::var("_CLAP_COMPLETE_INDEX")
            .ok()
            .and_then(|i| i.parse().ok())
            .unwrap_or_default();
        let empty_word = args.get(index).is_none_or(|word| word.is_empty());
        let mut out = Vec::new();
        clap_complete::env::Bash.write_complete(cmd, args, current_dir, &mut out)?;
        if !empty_word {
            return buf.write_all(&out);
        }
        let ifs = std::env::var("_CLAP_IFS").unwrap_or_else(|_| "\n".to_string());
        let out = String::from_utf8_lossy(&out);
        let kept: Vec<&str> = out
            .split(ifs.as_str())
            .filter(|value| !value.is_empty() && !value.starts_with('-'))
            .collect();
        buf.write_all(kept.join(&ifs).as_bytes())
    }
}
