//! `prompt import FILE --from SERVICE`: prompt files from a hosted registry's JSON, or from
//! another tool's prompt files (a file or a folder of them).

use std::io::Read;
use std::path::PathBuf;

use crate::cli::choices::ServiceArg;
use crate::cli::diagnostics::render_text;
use crate::cli::{error::CliError, Context};
use prompt_registry::interchange::{self, apply};
use prompt_registry::Error;

/// Largest payload read, in bytes: exports of whole prompt repositories fit well within it.
const MAX_PAYLOAD_BYTES: u64 = 64 * 1024 * 1024;

/// Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt
/// (.prompt) and Prompty (.prompty) files
///
/// Reads the service's create request or get response (every version it holds), or a prompt
/// file, or every such file of a folder (ids from their paths). Writes the newest
/// version's file (commit it yourself), or with --history commits every version oldest first with
/// its message and creates the environment tags its tags name. Ids are the service's names,
/// slugged (lower case, `-` for other characters), in the Bifrost folder or LangWatch namespace.
/// What the prompt format cannot hold is kept under `metadata.<service>`, so that an export gives
/// it back. Never overwrites an existing prompt without --force.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The service's JSON (`-` reads stdin), or a .prompt/.prompty file or folder
    pub file: PathBuf,
    /// The service or file format it comes from
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub from: ServiceArg,
    /// Commit each version the payload holds, oldest first, with its message, and tag the
    /// versions its tags or environments name (configured environments only)
    #[arg(long)]
    pub history: bool,
    /// Overwrite prompts that exist (with --history, the versions are committed on top)
    #[arg(long)]
    pub force: bool,
    /// Import as this id instead of the slugged name (a payload with one prompt)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Confirm creating or moving protected environment tags with --history (asked on a
    /// terminal, required elsewhere)
    #[arg(short, long)]
    pub yes: bool,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let id = args.id.as_deref().map(|t| ctx.id(t)).transpose()?;
    let reg = ctx.registry()?;
    reg.require_workdir("import")?;
    let imported = match args.from.0.file_extension() {
        Some(ext) => {
            let files = interchange::collect_files(&args.file, ext)?;
            interchange::import_files(args.from.0, &files)?
        }
        None => {
            let (text, file) = read_payload(&args.file)?;
            let payload = interchange::parse_payload(&text, &file)?;
            interchange::import(args.from.0, &payload, &file)?
        }
    };
    for w in &imported.warnings {
        ctx.ui.warn(w);
    }
    let options = apply::Options {
        history: args.history,
        force: args.force,
        id,
    };
    let plan = apply::plan(reg, imported, args.from.0, &options)?;
    for p in &plan.prompts {
        if let Some(name) = p
            .source_name
            .as_ref()
            .filter(|n| n.as_str() != p.id.as_str())
        {
            ctx.ui
                .status(&format!("{} `{name}` becomes {}", args.from.0.name(), p.id));
        }
    }
    for w in &plan.warnings {
        ctx.ui.warn(w);
    }
    if !plan.diagnostics.is_empty() {
        ctx.ui.eprint(&render_text(&ctx.ui, &plan.diagnostics));
        let files: std::collections::HashSet<&str> =
            plan.diagnostics.iter().map(|d| d.file.as_str()).collect();
        return Err(Error::Invalid { count: files.len() }.into());
    }
    let history = args.history;
    if history {
        reg.require_clean_state("import --history")?;
        let protected: Vec<String> = plan
            .environment_tags()
            .iter()
            .filter(|(_, env)| reg.config().is_protected(env.as_str()))
            .map(|(id, env)| format!("{id}@{env}"))
            .collect();
        let question = format!("Create or move {}?", protected.join(", "));
        ctx.ui.confirm_protected(args.yes, &protected, &question)?;
    }
    let outcome = apply::apply(reg, plan)?;
    for w in &outcome.warnings {
        ctx.ui.warn(w);
    }
    let mut text = String::new();
    for p in &outcome.prompts {
        if history {
            let versions: Vec<String> = p
                .commits
                .iter()
                .map(|(n, c)| format!("{n} ({})", c.short()))
                .collect();
            text.push_str(&format!(
                "{}: version{} {}\n",
                p.id,
                if versions.len() == 1 { "" } else { "s" },
                versions.join(", ")
            ));
            for (env, n) in &p.envs {
                text.push_str(&format!("{}@{env}: version {n}\n", p.id));
            }
        } else {
            text.push_str(&format!("{}: wrote {}\n", p.id, p.path));
        }
    }
    ctx.ui.print(&text)?;
    if !history {
        ctx.ui
            .status("review the files, then `prompt commit -m MESSAGE` to make them versions");
    }
    Ok(())
}

/// The payload's text and how to name it in messages.
fn read_payload(path: &std::path::Path) -> Result<(String, String), CliError> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "stdin".to_string()
    } else {
        path.display().to_string()
    };
    let mut bytes = Vec::new();
    let result = if stdin {
        std::io::stdin()
            .take(MAX_PAYLOAD_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_PAYLOAD_BYTES + 1).read_to_end(&mut bytes))
    };
    result.map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_PAYLOAD_BYTES {
        return Err(Error::Unreadable {
            file: name,
            message: format!("larger than {MAX_PAYLOAD_BYTES} bytes"),
        }
        .into());
    }
    let text = String::from_utf8(bytes).map_err(|_| Error::Unreadable {
        file: name.clone(),
        message: "not UTF-8 text".into(),
    })?;
    Ok((text, name))
}
