//! `prompt new ID`: create a prompt file from flags.

use indexmap::IndexMap;

use crate::cli::{error::CliError, Context};
use prompt_registry::model::{infer, schema};
use prompt_registry::model::{
    load, Input, MessageItem, Model, Prompt, Role, Syntax, FORMAT_VERSION,
};
use prompt_registry::store::Rev;
use prompt_registry::template::Template;

/// Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string,
/// `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new prompt's id, e.g. `support/summarize`
    pub id: String,
    /// A text prompt with this template
    #[arg(long, conflicts_with_all = ["system", "user"], value_name = "TEXT")]
    pub text: Option<String>,
    /// A chat prompt with this system message
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,
    /// A chat prompt with this user message
    #[arg(long, value_name = "TEXT")]
    pub user: Option<String>,
    /// Model provider (openai, anthropic, google, …; default from .prompts.yaml)
    #[arg(long)]
    pub provider: Option<String>,
    /// Model name (default from .prompts.yaml)
    #[arg(long)]
    pub model: Option<String>,
    /// One-paragraph description
    #[arg(long)]
    pub description: Option<String>,
    /// Display name
    #[arg(long)]
    pub name: Option<String>,
    /// Template language of the texts
    #[arg(long, value_enum, default_value = "mustache")]
    pub template_format: FormatArg,
}

/// `--template-format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Mustache,
    #[value(name = "f-string")]
    FString,
    Jinja2,
    None,
}

pub fn run(mut args: Args, ctx: &Context) -> Result<(), CliError> {
    let id = ctx.id(&args.id)?;
    let reg = ctx.registry()?;
    reg.require_workdir("new")?;
    let path = reg.path_of(&id);
    if reg
        .read(prompt_registry::store::Rev::WorkingTree, &id)?
        .is_some()
    {
        return Err(prompt_registry::Error::AlreadyExists { path }.into());
    }
    if args.text.is_none() && args.system.is_none() && args.user.is_none() {
        if !ctx.ui.can_ask() {
            return Err(CliError::Usage(
                "say what the prompt holds: --text TEXT for a text prompt, or --system TEXT and/or \
                 --user TEXT for a chat prompt"
                    .into(),
            ));
        }
        ask(&mut args, reg, ctx)?;
    }
    let template_format = match args.template_format {
        FormatArg::Mustache => Syntax::Mustache,
        FormatArg::FString => Syntax::FString,
        FormatArg::Jinja2 => Syntax::Jinja2,
        FormatArg::None => Syntax::None,
    };
    let defaults = &reg.config().defaults;
    let provider = args.provider.or_else(|| defaults.provider.clone());
    let model_name = args.model.or_else(|| defaults.model.clone());
    let model = match (provider, model_name) {
        (Some(provider), Some(name)) => {
            let mut params = defaults.params.clone();
            if provider == "anthropic" && !params.contains_key("max_tokens") {
                // The Messages API rejects requests without it.
                params.insert("max_tokens".into(), 1024.into());
            }
            Some(Model {
                provider,
                name,
                params,
            })
        }
        (None, None) => None,
        (Some(_), None) => return Err(CliError::Usage("--provider needs --model too".into())),
        (None, Some(_)) => return Err(CliError::Usage("--model needs --provider too".into())),
    };
    let mut prompt = Prompt {
        format: FORMAT_VERSION,
        name: args.name,
        description: args.description,
        model,
        template_format,
        ..Prompt::default()
    };
    let mut texts: Vec<(&str, String)> = Vec::new();
    if let Some(t) = args.text {
        texts.push(("--text", t.clone()));
        prompt.template = Some(t);
    } else {
        let mut messages = Vec::new();
        if let Some(s) = args.system {
            texts.push(("--system", s.clone()));
            messages.push(MessageItem::text(Role::System, s));
        }
        if let Some(u) = args.user {
            texts.push(("--user", u.clone()));
            messages.push(MessageItem::text(Role::User, u));
        }
        prompt.messages = Some(messages);
    }
    prompt.inputs = declare_inputs(&texts, template_format)?;
    // The first line points editors at the schema (see `model::schema`), which the registry
    // keeps at its root.
    let yaml = format!("{}{}", schema::modeline(&path), load::to_yaml(&prompt));
    reg.create_file(&path, &yaml)?;
    if reg
        .read_path(Rev::WorkingTree, schema::SCHEMA_FILE)?
        .is_none()
    {
        reg.create_file(schema::SCHEMA_FILE, schema::json_schema())?;
    }
    let names: Vec<&str> = prompt.inputs.keys().map(String::as_str).collect();
    ctx.ui.status(&format!(
        "created {path} ({}{})",
        prompt.kind().as_str(),
        if names.is_empty() {
            String::new()
        } else {
            format!(", inputs: {}", names.join(", "))
        }
    ));
    Ok(())
}

/// The interactive form: what the flags did not give, asked on the terminal.
fn ask(
    args: &mut Args,
    reg: &prompt_registry::store::Registry,
    ctx: &Context,
) -> Result<(), CliError> {
    let chat = ctx.ui.select(
        "Kind of prompt",
        &["chat (messages)", "text (one template)"],
        0,
    )? == 0;
    let defaults = &reg.config().defaults;
    if args.provider.is_none() {
        let default = defaults.provider.clone().unwrap_or_else(|| "openai".into());
        args.provider = Some(ctx.ui.input("Model provider", &default)?);
    }
    if args.model.is_none() {
        let default = defaults
            .model
            .clone()
            .unwrap_or_else(|| match args.provider.as_deref() {
                Some("anthropic") => "claude-sonnet-4-5".into(),
                Some("google") => "gemini-2.5-flash".into(),
                _ => "gpt-4o-mini".into(),
            });
        args.model = Some(ctx.ui.input("Model name", &default)?);
    }
    let editor = reg.editor();
    let write = |what: &str| -> Result<Option<String>, CliError> {
        let help = format!(
            "# Do not modify or remove the line above.\n\
             # Write the {what} above it; everything below it is ignored.\n\
             # Use {{{{name}}}} for values; each becomes an input. Leave it empty to skip it.\n"
        );
        let text = ctx.ui.edit_above_scissors(&editor, &help)?;
        let text = text.trim_matches('\n');
        Ok((!text.trim().is_empty()).then(|| format!("{text}\n")))
    };
    if chat {
        args.system = write("system message")?;
        args.user = write("user message")?;
        if args.system.is_none() && args.user.is_none() {
            return Err(CliError::Usage(
                "both messages were empty; nothing was created".into(),
            ));
        }
    } else {
        args.text = write("template")?;
        if args.text.is_none() {
            return Err(CliError::Usage(
                "the template was empty; nothing was created".into(),
            ));
        }
    }
    Ok(())
}

/// Declares every variable the texts use at top level, in order of first use.
fn declare_inputs(
    texts: &[(&str, String)],
    format: Syntax,
) -> Result<IndexMap<String, Input>, CliError> {
    let mut inputs: IndexMap<String, Input> = IndexMap::new();
    for (flag, text) in texts {
        let template = Template::parse(format, text)
            .map_err(|e| CliError::Usage(format!("{flag}: {}: {}", e.pos, e.message)))?;
        for (name, input) in infer::inputs(&template, text) {
            inputs.entry(name).or_insert(input);
        }
    }
    Ok(inputs)
}
