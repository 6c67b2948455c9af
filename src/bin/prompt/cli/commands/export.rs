//! `prompt export REF --to SERVICE`: the request body that creates this version in a hosted
//! registry.

use crate::cli::choices::ServiceArg;
use crate::cli::{error::CliError, output_file, Context};
use prompt_registry::interchange::{self, ExportInput};
use prompt_registry::store::Rev;

/// Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay,
/// Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file
///
/// Langfuse: POST /api/public/v2/prompts. Phoenix: POST /v1/prompts. LangWatch: POST /api/prompts.
/// Freeplay: POST /api/v2/projects/{project_id}/prompt-templates/name/{template_name}/versions.
/// Bifrost: POST
/// /api/prompt-repo/prompts/{id}/versions. The endpoint is printed on stderr (with the ids an
/// import kept); what the service cannot hold is reported on stderr as a warning.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The reference, e.g. `support/summarize@production`
    pub reference: String,
    /// The service or file format to write for
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub to: ServiceArg,
    /// Write to this file instead of stdout (an existing file is replaced)
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let reference = ctx.reference(&args.reference)?;
    let reg = ctx.registry()?;
    let resolved = reg.resolve(&reference)?;
    let loaded = resolved.load()?;
    let id = &resolved.id;
    // A committed version carries its message, and the environments it is promoted to.
    let (message, environments) = match (resolved.rev, reg.version_number(&resolved)?) {
        (Rev::Commit(c), Some(_)) => {
            let version = reg.version_at(id, c)?;
            let envs: Vec<String> = reg
                .envs_of(id)?
                .into_iter()
                .filter(|(_, at)| version.as_ref().is_some_and(|v| v.commit == *at))
                .map(|(e, _)| e.to_string())
                .collect();
            (version.map(|v| v.info.message), envs)
        }
        _ => (None, Vec::new()),
    };
    let defaults = &reg.config().defaults;
    let default_model = match (&defaults.provider, &defaults.model) {
        (Some(p), Some(m)) => Some((p.as_str(), m.as_str())),
        _ => None,
    };
    let exported = interchange::export(
        args.to.0,
        &ExportInput {
            id,
            prompt: &loaded.prompt,
            message: message.as_deref(),
            environments: &environments,
            default_model,
        },
    )?;
    for w in &exported.warnings {
        ctx.ui.warn(w);
    }
    let text = match (&exported.body, args.to.0.file_extension()) {
        (serde_json::Value::String(file), Some(_)) => file.clone(),
        (body, _) => {
            ctx.ui.status(&exported.endpoint);
            let mut text = serde_json::to_string_pretty(body).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    match &args.output {
        Some(path) => {
            output_file::write(path, text.as_bytes())?;
            ctx.ui.status(&format!("wrote {}", path.display()));
            Ok(())
        }
        None => ctx.ui.print(&text),
    }
}
