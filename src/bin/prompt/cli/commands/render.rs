//! `prompt render REF`: fill a prompt's templates, as text, JSON or a provider request body.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde_json::Value;

use crate::cli::choices::FormatArg;
use crate::cli::{error::CliError, Context};
use prompt_registry::interchange::bundle::read as bundle_read;
use prompt_registry::model::nesting;
use prompt_registry::model::Reference;
use prompt_registry::ops::render::{render_once, Failure, Output, Request};
use prompt_registry::ops::source::Source;
use prompt_registry::ops::values::{parse_vars, read_vars_file};
use prompt_registry::render::{self, values, Prepared, RenderFormat, Sources};
use prompt_registry::Error;

/// Render a prompt at a reference with values: text, JSON, or a request body for openai,
/// openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The reference, e.g. `support/summarize@production`
    #[arg(add = crate::cli::complete::references())]
    pub reference: String,
    /// A value: NAME=VALUE (converted to the input's type), NAME=@FILE (the file's text; for image
    /// and audio inputs, the file itself); repeatable
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// A YAML or JSON file of values (`-` reads stdin)
    #[arg(long = "vars", value_name = "FILE")]
    pub vars_file: Option<PathBuf>,
    /// Start from the prompt's sample NAME
    #[arg(long, value_name = "NAME")]
    pub sample: Option<String>,
    /// Follow the mustache spec to the letter: missing values and partials render empty, and
    /// undeclared values are accepted
    #[arg(long)]
    pub lenient: bool,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Render once per line of a JSONL file of values (`-` reads stdin): output line N is
    /// {"line": N, "output": …} or {"line": N, "error": …}
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,
    /// With --batch: stop at the first line that fails
    #[arg(long, requires = "batch")]
    pub fail_fast: bool,
    /// Render from a bundle file (`prompt bundle`) alone, no repository needed: REF is ID, or
    /// ID@ENV / ID@N / ID@COMMIT for what the bundle holds
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let reference = match &args.bundle {
        // A bundle has no working tree to find a path in: the reference is read as typed.
        Some(_) => Reference::parse(&args.reference)?,
        None => ctx.reference(&args.reference)?,
    };
    let mut layers = Vec::new();
    if let Some(file) = &args.vars_file {
        layers.push(read_vars_file(file, args.batch.as_deref())?);
    }
    layers.push(parse_vars(&args.vars)?);
    let source = match &args.bundle {
        Some(path) => Source::Bundle(Box::leak(Box::new(bundle_read::open_file(path)?))),
        None => Source::Registry(ctx.registry()?),
    };
    let found = source.resolve(&reference)?;
    let loaded = found.load()?;
    let partials = source.partials(&found);
    if let Some(path) = &args.batch {
        let prepared = Prepared::new(&loaded.prompt, partials.resolver(), args.lenient)?;
        let sources = Sources {
            sample: args.sample.clone(),
            layers,
            lenient: args.lenient,
        };
        return batch(&prepared, sources, args.format.0, path, args.fail_fast, ctx);
    }
    let request = Request {
        sample: args.sample.clone(),
        layers,
        lenient: args.lenient,
        format: args.format.0,
    };
    let (out, warnings) = render_once(
        &loaded.prompt,
        partials.source(),
        partials.resolver(),
        &request,
    )
    .map_err(failure)?;
    for w in warnings {
        ctx.ui.warn(&w);
    }
    match out {
        // The rendered text is data for a program: byte for byte.
        Output::Text(text) => ctx.ui.print_exact(&text),
        Output::Json(other) => ctx.ui.json(&other),
    }
}

/// Renders one JSON object of values per input line to one JSON line per output line:
/// `{"line": N, "output": …}`, or `{"line": N, "error": …}` for a blank or failed line (with the
/// error on stderr too), so that output line N always answers input line N.
fn batch(
    prepared: &Prepared,
    sources: Sources,
    format: RenderFormat,
    path: &std::path::Path,
    fail_fast: bool,
    ctx: &Context,
) -> Result<(), CliError> {
    let mut reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Box::new(std::io::BufReader::with_capacity(64 * 1024, f))
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut failed = 0;
    let mut warned = false;
    // One buffer for every line: the loop holds one line at a time, so memory stays flat however
    // long the file is.
    let mut buf = String::new();
    let mut n = 0;
    loop {
        buf.clear();
        if reader.read_line(&mut buf).map_err(|e| Error::io(path, e))? == 0 {
            break;
        }
        n += 1;
        // As `BufRead::lines`: without the `\n` or `\r\n` that ends it.
        let line = match buf.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => &buf,
        };
        let result = if line.trim().is_empty() {
            Err("blank line: each line must be a JSON object of values".to_string())
        } else {
            render_line(prepared, &sources, format, line)
        };
        match result {
            Ok((value, warnings)) => {
                if !warned {
                    warnings.iter().for_each(|w| ctx.ui.warn(w));
                    warned = true;
                }
                write_record(&mut out, n, "output", &value)?;
            }
            Err(message) => {
                failed += 1;
                write_record(&mut out, n, "error", &message)?;
                out.flush()?;
                ctx.ui.eprint(&format!("error: line {n}: {message}\n"));
                if fail_fast {
                    return Err(CliError::Reported(1));
                }
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        ctx.ui.status(&format!("{failed} line(s) failed"));
        return Err(CliError::Reported(1));
    }
    Ok(())
}

/// Writes `{"line":N,"KEY":VALUE}` and a newline straight to `out`, without building the record
/// as a JSON value first (the same bytes `serde_json` would write for it).
fn write_record(
    out: &mut impl Write,
    n: usize,
    key: &str,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    out.write_all(b"{\"line\":")?;
    serde_json::to_writer(&mut *out, &n).map_err(std::io::Error::from)?;
    out.write_all(b",\"")?;
    out.write_all(key.as_bytes())?;
    out.write_all(b"\":")?;
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"}\n")
}

fn render_line(
    prepared: &Prepared,
    sources: &Sources,
    format: RenderFormat,
    line: &str,
) -> Result<(Value, Vec<String>), String> {
    nesting::check_nesting(line).map_err(|e| format!("column {}: {}", e.at.column, e.message))?;
    let values: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = values else {
        return Err("each line must be a JSON object of values".into());
    };
    let values =
        values::collect_with(prepared.prompt(), sources, map).map_err(|e| e.to_string())?;
    let rendered = prepared.render(values).map_err(|e| e.to_string())?;
    render::output(prepared.prompt(), &rendered, format).map_err(|e| e.to_string())
}

/// A render failure as the CLI reports it: with its suggestion when a partial is missing.
fn failure(f: Failure) -> CliError {
    match f.suggestion {
        Some(_) => CliError::Other(anyhow::anyhow!("{f}")),
        None => (*f.error).into(),
    }
}
