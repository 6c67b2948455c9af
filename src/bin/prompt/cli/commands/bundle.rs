//! `prompt bundle --env ENV -o FILE`: every promoted prompt in one JSON file (the shape is
//! documented in `interchange::bundle`).

use std::path::PathBuf;

use crate::cli::{error::CliError, output_file, Context};
use prompt_registry::interchange::bundle;
use prompt_registry::Error;

/// Write every prompt promoted to ENV, at its promoted version, to one JSON file
///
/// For programs that run without git. The shape is stable: {"format": 1, "environment": ENV,
/// "generated_from": COMMIT, "digest": SHA256, "prompts": {ID: {"id", "version", "commit",
/// "sha256", "source", "prompt", "partials"?, "includes"?}}}, sorted by id; `source` is the prompt
/// file at its commit and `sha256` that of its bytes, `prompt` the file as JSON, `partials` the
/// template texts of the prompts it includes and `includes` their files, at the same commit.
/// `digest` covers the content (not the time, not --ref): the same state gives the same bytes.
/// Only prompts present at --ref (default HEAD) are included. `render --bundle`, `show --bundle`
/// and `serve --bundle` read it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to bundle
    #[arg(long, value_name = "ENV")]
    pub env: String,
    /// The file to write (`-` writes stdout). Without it the bundle goes to stdout when stdout is
    /// not a terminal (`prompt bundle --env production | aws s3 cp - …`)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Take the set of prompts from this revision (default: HEAD)
    #[arg(long = "ref", value_name = "REV")]
    pub reference: Option<String>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let output =
        match args.output {
            Some(path) => path,
            None if !ctx.ui.is_terminal() => PathBuf::from("-"),
            None => return Err(CliError::Usage(
                "where should the bundle go? pass -o FILE (or -o - for stdout), or pipe stdout \
                 into a program"
                    .into(),
            )),
        };
    let reg = ctx.registry()?;
    let env = reg.config().require_env(&args.env)?;
    // A prompt whose tag is broken is not in the bundle: say so rather than drop it silently.
    let broken: Vec<_> = reg
        .broken_env_tags()?
        .into_iter()
        .filter(|b| b.tag.ends_with(&format!("@{env}")))
        .collect();
    ctx.ui.warn_broken_tags(&broken, |_| true);
    let rev = match &args.reference {
        Some(spec) => reg.revision(spec)?.ok_or_else(|| Error::UnknownReference {
            reference: spec.clone(),
            reason: "it is not a git revision of this repository".into(),
        })?,
        None => reg.head()?.ok_or_else(|| Error::UnknownReference {
            reference: "HEAD".into(),
            reason: "the repository has no commits yet".into(),
        })?,
    };
    let built = bundle::build(reg, &env, rev)?;
    for w in &built.warnings {
        ctx.ui.warn(w);
    }
    if built.bundle.prompts.is_empty() {
        ctx.ui.warn(&format!(
            "no prompt at {} is promoted to {env}: the bundle is empty",
            rev.short()
        ));
    }
    let mut text = serde_json::to_string_pretty(&built.bundle)
        .map_err(|e| CliError::Other(anyhow::Error::new(e).context("writing the bundle")))?;
    text.push('\n');
    if output.as_os_str() == "-" {
        return ctx.ui.print_exact(&text);
    }
    output_file::write(&output, text.as_bytes())?;
    ctx.ui.status(&format!(
        "wrote {} prompt(s) promoted to {env} to {}",
        built.bundle.prompts.len(),
        output.display()
    ));
    Ok(())
}
