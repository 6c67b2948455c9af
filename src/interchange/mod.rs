//! Interchange with hosted prompt registries and other tools' prompt files (contract §10): the
//! request bodies that create a prompt version in Phoenix, LangWatch, Freeplay, the Bifrost prompt
//! repository and Langfuse, reading those services' create requests and get responses back into
//! prompt files, Google dotprompt (`.prompt`) and Microsoft Prompty (`.prompty`) files both ways,
//! and bundles of promoted prompts for programs that run without git.
//!
//! This module owns the mapping between our format and each service's JSON (one file per
//! service), the slugging of service names into ids (`slug`), writing imported versions into the
//! registry (`apply`, through `Registry` only) and the bundle shape (`bundle`). It never uses git2
//! and never prints: what a mapping cannot carry comes back as warnings for the CLI to show.
//!
//! The rule every mapping follows: a field the other side has goes to its field; a field our
//! format cannot hold is kept under `metadata.<service>` on import, so that an export to the same
//! service gives it back; a field the service cannot hold is reported as a warning on export.

pub mod apply;
pub mod bifrost;
pub mod bundle;
mod common;
pub mod dotprompt;
mod files;
pub mod freeplay;
mod handlebars;
pub mod langfuse;
pub mod langwatch;
pub mod phoenix;
pub mod prompty;
pub mod slug;

use serde_json::Value;

use crate::error::{Error, Location};
use crate::model::{Prompt, PromptId};

/// A hosted prompt registry we read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Arize Phoenix prompts
    Phoenix,
    /// LangWatch prompts
    Langwatch,
    /// Freeplay prompt templates
    Freeplay,
    /// The Bifrost gateway's prompt repository
    Bifrost,
    /// Langfuse prompts (POST /api/public/v2/prompts)
    Langfuse,
    /// Google dotprompt files (`.prompt`: YAML front matter and Handlebars)
    Dotprompt,
    /// Microsoft Prompty files (`.prompty`: YAML front matter and a role-marked body)
    Prompty,
}

impl Service {
    /// Every service, in the order they are documented.
    pub const ALL: [Service; 7] = [
        Service::Phoenix,
        Service::Langwatch,
        Service::Freeplay,
        Service::Bifrost,
        Service::Langfuse,
        Service::Dotprompt,
        Service::Prompty,
    ];

    /// The service's name as typed after `--to`/`--from`; also its key under `metadata`.
    pub fn name(self) -> &'static str {
        match self {
            Service::Phoenix => "phoenix",
            Service::Langwatch => "langwatch",
            Service::Freeplay => "freeplay",
            Service::Bifrost => "bifrost",
            Service::Langfuse => "langfuse",
            Service::Dotprompt => "dotprompt",
            Service::Prompty => "prompty",
        }
    }

    /// The file extension of a prompt-file format (`.prompt`, `.prompty`); `None` for services,
    /// whose payloads are JSON.
    pub fn file_extension(self) -> Option<&'static str> {
        match self {
            Service::Dotprompt => Some("prompt"),
            Service::Prompty => Some("prompty"),
            _ => None,
        }
    }
}

/// What `export` needs besides the prompt.
#[derive(Debug, Clone, Copy)]
pub struct ExportInput<'a> {
    /// The prompt's id (names, handles and folders come from it).
    pub id: &'a PromptId,
    pub prompt: &'a Prompt,
    /// The version's commit message, when a committed version is exported.
    pub message: Option<&'a str>,
    /// Environments the exported version is promoted to (Freeplay deploys a version to them).
    pub environments: &'a [String],
    /// Provider and model to use when the prompt names none (`defaults` in `.prompts.yaml`).
    pub default_model: Option<(&'a str, &'a str)>,
}

/// A request body for a service, with where to send it and what it could not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// `METHOD /path`, with `{placeholders}` for ids the prompt does not know.
    pub endpoint: String,
    pub body: Value,
    /// Each names something of the prompt the service cannot hold.
    pub warnings: Vec<String>,
}

/// Everything one payload holds: one or more prompts, each with its versions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    pub prompts: Vec<ImportedPrompt>,
    /// Things the payload held that were kept only under `metadata`, or not kept.
    pub warnings: Vec<String>,
}

/// One prompt of a payload.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPrompt {
    /// The id slugged from the service's name, handle or folder; `None` when the payload names
    /// no prompt (a bare list of versions), so that `--id` must say.
    pub id: Option<PromptId>,
    /// The service's name for the prompt, for messages.
    pub source_name: Option<String>,
    /// Oldest first.
    pub versions: Vec<ImportedVersion>,
}

/// One version of an imported prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedVersion {
    pub prompt: Prompt,
    /// The version's message (commit message, version description), if the service keeps one.
    pub message: Option<String>,
    /// Tags or environments the service shows at this version.
    pub tags: Vec<String>,
    /// How the service numbers or names the version, for messages (`v3`, a version id).
    pub label: String,
}

/// The request body that creates this prompt version in `service`.
pub fn export(service: Service, input: &ExportInput<'_>) -> Result<Exported, Error> {
    match service {
        Service::Phoenix => phoenix::export(input),
        Service::Langwatch => langwatch::export(input),
        Service::Freeplay => freeplay::export(input),
        Service::Bifrost => bifrost::export(input),
        Service::Langfuse => langfuse::export(input),
        Service::Dotprompt => dotprompt::export(input),
        Service::Prompty => prompty::export(input),
    }
}

/// Reads a service's payload (a create request or a get response) into prompts and versions.
/// `file` names the payload in errors.
pub fn import(service: Service, payload: &Value, file: &str) -> Result<Imported, Error> {
    let result = match service {
        Service::Phoenix => phoenix::import(payload),
        Service::Langwatch => langwatch::import(payload),
        Service::Freeplay => freeplay::import(payload),
        Service::Bifrost => bifrost::import(payload),
        Service::Langfuse => langfuse::import(payload),
        Service::Dotprompt | Service::Prompty => {
            Err("this format is a prompt file, not JSON: import the file itself".to_string())
        }
    };
    result.map_err(|message| Error::Unreadable {
        file: file.to_string(),
        message: format!("not a {} prompt payload: {message}", service.name()),
    })
}

/// Reads prompt files of a file format (dotprompt, Prompty): `files` are (path below the folder
/// imported, text) pairs. The id of each comes from its path, slugged segment by segment.
pub fn import_files(service: Service, files: &[(String, String)]) -> Result<Imported, Error> {
    let mut out = Imported::default();
    for (path, text) in files {
        let one = match service {
            Service::Dotprompt => dotprompt::import(path, text),
            Service::Prompty => prompty::import(path, text),
            _ => Err(format!("{} payloads are JSON, not files", service.name())),
        }
        .map_err(|message| Error::Unreadable {
            file: path.clone(),
            message: format!("cannot import as {}: {message}", service.name()),
        })?;
        out.prompts.extend(one.prompts);
        out.warnings.extend(one.warnings);
    }
    Ok(out)
}

pub use files::collect_files;

/// Parses a payload file's text as JSON, with the position of a syntax error.
pub fn parse_payload(text: &str, file: &str) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::model::nesting::check_nesting(text).map_err(|e| Error::Parse {
        file: file.to_string(),
        at: e.at,
        message: e.message,
    })?;
    serde_json::from_str(text).map_err(|e| Error::Parse {
        file: file.to_string(),
        at: Location {
            line: e.line().max(1),
            column: e.column().max(1),
        },
        message: format!("invalid JSON: {e}")
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    })
}

#[cfg(test)]
mod tests;
