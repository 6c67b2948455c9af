//! The registry config `.prompts.yaml` (contract §2). Every field is optional.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Location};
use crate::model::EnvName;

/// The config file's name, at the repository root.
pub const CONFIG_FILE: &str = ".prompts.yaml";

/// `.prompts.yaml` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Folder holding prompt files, relative to the repository root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// Allowed environment names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<String>>,
    /// Model settings `new` writes into prompts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<Defaults>,
    /// Fingerprints of values `check` flagged as secrets that are not (false positives).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_secrets: Vec<String>,
    /// Environments whose tags move only after confirmation (contract §5); default `[production]`.
    #[serde(default = "default_protected")]
    pub protected_environments: Vec<String>,
    /// The branch whose first-parent history numbers versions (contract §4); by default
    /// `origin/HEAD`'s branch, else `main`, else `master`, else the current branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_branch: Option<String>,
}

impl Default for ConfigFile {
    fn default() -> ConfigFile {
        ConfigFile {
            root: None,
            environments: None,
            defaults: None,
            allowed_secrets: Vec::new(),
            protected_environments: default_protected(),
            release_branch: None,
        }
    }
}

fn default_protected() -> Vec<String> {
    vec!["production".to_string()]
}

/// Defaults used by `prompt new`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, Value>,
}

/// The config with defaults applied and every field checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The root folder relative to the repository root, `/`-separated, without trailing `/`;
    /// empty when prompts live at the repository root.
    pub root: String,
    pub environments: Vec<EnvName>,
    pub defaults: Defaults,
    /// Secret fingerprints allowed by the config.
    pub allowed_secrets: Vec<String>,
    /// Environments whose tags move or disappear only after confirmation (contract §5): asked on a
    /// terminal, `--yes` elsewhere; and a draft is never promoted to one.
    pub protected_environments: Vec<String>,
    /// The configured release branch, if any (`Registry::release_line` applies the defaults).
    pub release_branch: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config::from_file(ConfigFile::default()).expect("defaults are valid")
    }
}

/// Environments a registry has when its config names none.
pub const DEFAULT_ENVIRONMENTS: [&str; 3] = ["development", "staging", "production"];

impl Config {
    /// Parses the config file's text.
    pub fn parse(text: &str) -> Result<Config, Error> {
        let err = |at: Location, message: String| Error::Config {
            file: CONFIG_FILE.into(),
            at,
            message,
        };
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        crate::model::nesting::check_nesting(text).map_err(|e| err(e.at, e.message))?;
        let file: ConfigFile = serde_yaml::from_str(text).map_err(|e| {
            let e = crate::model::load::serde_error(&e);
            err(e.at, e.message)
        })?;
        Config::from_file(file).map_err(|message| err(Location { line: 1, column: 1 }, message))
    }

    fn from_file(file: ConfigFile) -> Result<Config, String> {
        let root = normalize_root(file.root.as_deref().unwrap_or("prompts"))?;
        let names = file
            .environments
            .unwrap_or_else(|| DEFAULT_ENVIRONMENTS.iter().map(|s| s.to_string()).collect());
        let mut environments = Vec::new();
        for name in names {
            let env = EnvName::parse(&name).map_err(|e| format!("environments: {e}"))?;
            if environments.contains(&env) {
                return Err(format!("environments: `{env}` is listed twice"));
            }
            environments.push(env);
        }
        let release_branch = match file.release_branch {
            Some(b) if !valid_branch_name(&b) => {
                return Err(format!(
                    "release_branch `{}` is not a branch name",
                    crate::model::id::printable(&b)
                ))
            }
            b => b,
        };
        Ok(Config {
            root,
            environments,
            defaults: file.defaults.unwrap_or_default(),
            allowed_secrets: file.allowed_secrets,
            protected_environments: file.protected_environments,
            release_branch,
        })
    }

    /// The path of a prompt file relative to the repository root.
    pub fn path_of(&self, file_name: &str) -> String {
        if self.root.is_empty() {
            file_name.to_string()
        } else {
            format!("{}/{}", self.root, file_name)
        }
    }

    /// The id of the prompt file at `rel`, a `/`-separated path from the repository root
    /// (`prompts/support/triage.prompt.yaml`), or `None` when it is no prompt file under the root.
    pub fn id_of_path(&self, rel: &str) -> Option<crate::model::PromptId> {
        let below = if self.root.is_empty() {
            rel
        } else {
            rel.strip_prefix(self.root.as_str())?.strip_prefix('/')?
        };
        crate::model::PromptId::from_file_name(below)
    }

    /// Whether moving or removing the environment `env` needs confirmation (and refuses drafts).
    pub fn is_protected(&self, env: &str) -> bool {
        self.protected_environments.iter().any(|e| e == env)
    }

    /// Whether `name` is a configured environment.
    pub fn env(&self, name: &str) -> Option<&EnvName> {
        self.environments.iter().find(|e| e.as_str() == name)
    }

    /// The configured environment `name`, or an error listing the known ones.
    pub fn require_env(&self, name: &str) -> Result<EnvName, Error> {
        let env = EnvName::parse(name)?;
        match self.env(env.as_str()) {
            Some(env) => Ok(env.clone()),
            None => Err(Error::UnknownEnv {
                name: env.to_string(),
                known: self.environments.iter().map(|e| e.to_string()).collect(),
            }),
        }
    }
}

/// A plausible branch name: what `git check-ref-format --branch` accepts, roughly, and never
/// something `git` could read as an option.
fn valid_branch_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['-', '/', '.'])
        && !name.ends_with(['/', '.'])
        && !name.ends_with(".lock")
        && !name.contains("..")
        && !name.contains("//")
        && !name.contains("@{")
        && !name
            .chars()
            .any(|c| c.is_control() || " ~^:?*[\\".contains(c))
}

/// Checks the root folder: relative, inside the repository, plain segments.
fn normalize_root(root: &str) -> Result<String, String> {
    let trimmed = root.trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        return Ok(String::new());
    }
    if trimmed.starts_with('/') || trimmed.contains('\\') {
        return Err(format!(
            "root `{root}` must be a relative path with `/` separators"
        ));
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." || segment == ".git" {
            return Err(format!("root `{root}` must stay inside the repository"));
        }
        if segment.chars().any(char::is_control) {
            return Err(format!("root `{root}` contains a control character"));
        }
    }
    Ok(trimmed.to_string())
}

/// The text `prompt init` writes.
pub fn initial_config_text() -> String {
    "# Prompt registry config (see `prompt --help`).\n\
     root: prompts\n\
     environments: [development, staging, production]\n"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.root, "prompts");
        assert_eq!(c.environments.len(), 3);
        let c = Config::parse(&initial_config_text()).unwrap();
        assert_eq!(c.path_of("a.prompt.yaml"), "prompts/a.prompt.yaml");
    }

    #[test]
    fn prompt_file_paths_give_their_ids() {
        let config = Config::parse("root: llm/prompts\n").unwrap();
        let id = |rel| config.id_of_path(rel).map(|id| id.to_string());
        assert_eq!(
            id("llm/prompts/support/triage.prompt.yaml").as_deref(),
            Some("support/triage")
        );
        assert_eq!(id("llm/prompts/a.prompt.yaml").as_deref(), Some("a"));
        assert_eq!(id("llm/promptsx/a.prompt.yaml"), None);
        assert_eq!(id("llm/prompts/a.yaml"), None);
        assert_eq!(id("llm/prompts/Bad Name.prompt.yaml"), None);
        let at_top = Config::parse("root: .\n").unwrap();
        assert_eq!(
            at_top.id_of_path("x/y.prompt.yaml").unwrap().as_str(),
            "x/y"
        );
    }

    #[test]
    fn root_and_environments_are_checked() {
        assert_eq!(Config::parse("root: .\n").unwrap().path_of("a"), "a");
        assert_eq!(
            Config::parse("root: llm/prompts/\n").unwrap().root,
            "llm/prompts"
        );
        for bad in [
            "root: ../x",
            "root: /etc",
            "root: a/../b",
            "environments: [Prod]",
        ] {
            assert!(Config::parse(bad).is_err(), "{bad}");
        }
        let err = Config::parse("rot: x\n").unwrap_err().to_string();
        assert!(
            err.contains(".prompts.yaml:1:1") && err.contains("unknown field"),
            "{err}"
        );
        let c = Config::parse("release_branch: trunk\nprotected_environments: [live]\n").unwrap();
        assert_eq!(c.release_branch.as_deref(), Some("trunk"));
        assert!(c.is_protected("live") && !c.is_protected("production"));
        assert!(Config::parse("").unwrap().is_protected("production"));
        for bad in ["-x", "a..b", "a b", "x.lock", ""] {
            let text = format!("release_branch: '{bad}'\n");
            assert!(Config::parse(&text).is_err(), "{bad}");
        }
        let c = Config::parse("environments: [qa, live]\n").unwrap();
        let err = c.require_env("prodution").unwrap_err().to_string();
        assert!(err.contains("qa, live"), "{err}");
    }
}
