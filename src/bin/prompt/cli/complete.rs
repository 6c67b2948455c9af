//! Dynamic shell completion: prompt ids, references and environment names, read from the registry
//! of the folder the shell is in (or `PROMPT_REPO`) while completing. Enable it with
//! `source <(COMPLETE=bash prompt)` (see the README for other shells).

use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

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
            out.push(CompletionCandidate::new(format!("{id}@latest")));
            if let Some(list) = prompt_registry::model::PromptId::parse(&id)
                .ok()
                .and_then(|p| envs.get(&p))
            {
                for (env, _) in list {
                    out.push(CompletionCandidate::new(format!("{id}@{env}")));
                }
            }
            out.push(CompletionCandidate::new(id));
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
