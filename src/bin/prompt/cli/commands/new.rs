//! `prompt new ID`: create a prompt file from flags, or from texts written in the editor.

use indexmap::IndexMap;

use clap::ValueEnum;

use crate::cli::{error::CliError, ui, Context};
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
        ask(&mut args, &id, reg, ctx)?;
    }
    let template_format = syntax_of(args.template_format);
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
    // Texts an interactive run kept for this id are in the prompt now (or replaced by flags).
    Kept::new(reg, &id).clear();
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

/// The interactive form: what the flags did not give, asked on the terminal. Each text is
/// checked as soon as the editor closes; one with a template error is shown with its position
/// and opened again (or the run is abandoned). What was written is kept in the git folder until
/// the prompt is created, so that an abandoned run loses nothing (see `Kept`).
fn ask(
    args: &mut Args,
    id: &prompt_registry::model::PromptId,
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
    let kept = Kept::new(reg, id);
    let parts: &[Part] = if chat {
        &[Part::System, Part::User]
    } else {
        &[Part::Template]
    };
    if parts.iter().any(|p| kept.read(*p).is_some()) {
        ctx.ui.status(&format!(
            "starting from what an earlier run kept in {}",
            kept.dir.display()
        ));
        ui::set_interrupt_note(Some(kept.note(args, parts)));
    }
    let editor = reg.editor();
    let syntax = syntax_of(args.template_format);
    for &part in parts {
        let what = part.what();
        let mut text = kept.read(part).unwrap_or_default();
        let mut problem = String::new();
        let written = loop {
            let help = format!(
                "# Do not modify or remove the line above.\n{problem}\
                 # Write the {what} above it; everything below it is ignored.\n\
                 # Use {{{{name}}}} for values; each becomes an input. Leave it empty to skip it.\n"
            );
            let edited = match ctx.ui.edit_above_scissors(&editor, &text, &help) {
                Ok(edited) => edited,
                Err(e) => return Err(kept.abandon(e, args, parts, ctx)),
            };
            let edited = edited.trim_matches('\n');
            if edited.trim().is_empty() {
                kept.forget(part);
                let any = parts.iter().any(|p| kept.read(*p).is_some());
                ui::set_interrupt_note(any.then(|| kept.note(args, parts)));
                break None;
            }
            text = format!("{edited}\n");
            kept.save(part, &text)?;
            ui::set_interrupt_note(Some(kept.note(args, parts)));
            let Err(e) = Template::parse(syntax, &text) else {
                break Some(text);
            };
            let error = format!("the {what} has an error at {}: {}", e.pos, e.message);
            ctx.ui.error(&CliError::Usage(error.clone()));
            problem =
                format!("#\n# Error: {error}.\n# Fix it above, or empty the text to skip it.\n#\n");
            let again = ctx.ui.select(
                "What next",
                &["edit it again", "abandon (keep what you wrote)"],
                0,
            )? == 0;
            if !again {
                let refused = prompt_registry::Error::Refused(format!(
                    "abandoned at an error in the {what}; nothing was created"
                ));
                return Err(kept.abandon(refused.into(), args, parts, ctx));
            }
        };
        match part {
            Part::System => args.system = written,
            Part::User => args.user = written,
            Part::Template => args.text = written,
        }
    }
    ui::set_interrupt_note(None);
    if args.text.is_none() && args.system.is_none() && args.user.is_none() {
        let what = if chat {
            "both messages were empty"
        } else {
            "the template was empty"
        };
        return Err(CliError::Usage(format!("{what}; nothing was created")));
    }
    Ok(())
}

/// The texts of an interactive `new`, one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    System,
    User,
    Template,
}

impl Part {
    /// The flag that gives this text.
    fn flag(self) -> &'static str {
        match self {
            Part::System => "--system",
            Part::User => "--user",
            Part::Template => "--text",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Part::System => "system message",
            Part::User => "user message",
            Part::Template => "template",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Part::System => "system.txt",
            Part::User => "user.txt",
            Part::Template => "template.txt",
        }
    }
}

/// Texts written in the interactive form and not yet in a prompt file: one file per text in
/// `prompt-new/ID/` under the git folder, where git shows no change, no `check` or `commit` sees
/// them and no clean removes them. Saved as each editor closes, read back as the editor's first
/// text by the next `prompt new ID`, removed once the prompt is created.
struct Kept {
    dir: std::path::PathBuf,
    id: String,
}

impl Kept {
    fn new(reg: &prompt_registry::store::Registry, id: &prompt_registry::model::PromptId) -> Kept {
        let mut dir = reg.git_dir().join("prompt-new");
        dir.extend(id.as_str().split('/'));
        Kept {
            dir,
            id: id.as_str().to_string(),
        }
    }

    fn read(&self, part: Part) -> Option<String> {
        std::fs::read_to_string(self.dir.join(part.file_name())).ok()
    }

    fn save(&self, part: Part, text: &str) -> Result<(), CliError> {
        let path = self.dir.join(part.file_name());
        std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| {
                CliError::Other(
                    anyhow::Error::new(e)
                        .context(format!("keeping the text in {}", path.display())),
                )
            })
    }

    fn forget(&self, part: Part) {
        let _ = std::fs::remove_file(self.dir.join(part.file_name()));
    }

    /// Removes every kept text of this id, and the folders that held only them.
    fn clear(&self) {
        for part in [Part::System, Part::User, Part::Template] {
            self.forget(part);
        }
        let mut dir = self.dir.as_path();
        while dir.file_name().is_some_and(|n| n != "prompt-new") {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
            dir = match dir.parent() {
                Some(parent) => parent,
                None => break,
            };
        }
        let _ = std::fs::remove_dir(dir);
    }

    /// Where the texts are and the two ways back: `prompt new ID` again (the editor opens on
    /// them), or the flags that take them as they are.
    fn note(&self, args: &Args, parts: &[Part]) -> String {
        let mut line = format!("prompt new {}", self.id);
        for (flag, value) in [("--provider", &args.provider), ("--model", &args.model)] {
            if let Some(value) = value {
                line.push_str(&format!(" {flag} {}", shell_quote(value)));
            }
        }
        if args.template_format != FormatArg::Mustache {
            if let Some(value) = args.template_format.to_possible_value() {
                line.push_str(&format!(" --template-format {}", value.get_name()));
            }
        }
        for &part in parts {
            let path = self.dir.join(part.file_name());
            if path.exists() {
                let quoted = shell_quote(&path.display().to_string());
                line.push_str(&format!(" {} \"$(cat {quoted})\"", part.flag()));
            }
        }
        format!(
            "what you wrote is kept in {}/: run `prompt new {}` again to start from it, or fix \
             the files and run:\n  {line}",
            self.dir.display(),
            self.id
        )
    }

    /// Reports `error`, then where the texts are (when any was kept): the run ends here.
    fn abandon(&self, error: CliError, args: &Args, parts: &[Part], ctx: &Context) -> CliError {
        ui::set_interrupt_note(None);
        if !parts.iter().any(|p| self.read(*p).is_some()) {
            return error;
        }
        let code = error.exit_code();
        ctx.ui.error(&error);
        ctx.ui.eprint(&format!("{}\n", self.note(args, parts)));
        CliError::Reported(code)
    }
}

/// `text` as one shell word.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./@:+=".contains(c))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn syntax_of(format: FormatArg) -> Syntax {
    match format {
        FormatArg::Mustache => Syntax::Mustache,
        FormatArg::FString => Syntax::FString,
        FormatArg::Jinja2 => Syntax::Jinja2,
        FormatArg::None => Syntax::None,
    }
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
