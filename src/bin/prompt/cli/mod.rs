//! The command line: global flags, one `Command` enum, one `match` that dispatches.
//!
//! Commands are thin: each parses its arguments, calls the library and prints through `ui`.

pub mod choices;
pub mod commands;
pub mod complete;
pub mod diagnostics;
pub mod error;
pub mod output_file;
pub mod ui;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use error::CliError;
use prompt_registry::model::{PromptId, Reference};
use prompt_registry::store::Registry;
use ui::{ColorChoice, Ui};

/// A Git-backed prompt registry: prompts are YAML files, versions are commits, environments are
/// tags.
#[derive(Debug, Parser)]
#[command(name = "prompt", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the flags every command takes.
const GLOBAL: &str = "Global options";

/// Flags every command takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The repository to use (default: the one containing the current directory)
    #[arg(long, global = true, env = "PROMPT_REPO", value_name = "DIR", help_heading = GLOBAL)]
    pub repo: Option<PathBuf>,
    /// When to colour output (NO_COLOR also turns it off)
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        help_heading = GLOBAL
    )]
    pub color: ColorChoice,
    /// Print only data and errors, no progress messages
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,
    /// Never send long output (log, diff) through a pager
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_pager: bool,
}

/// Defines the commands twice from one list: `Command`, the whole parser (help, errors, man pages,
/// completions), and `LazyCommand`, whose commands add their arguments only when they run.
macro_rules! commands {
    ($($variant:ident($args:ty),)*) => {
        /// The commands.
        #[derive(Debug, Subcommand)]
        pub enum Command {
            $($variant($args),)*
        }

        /// The same commands for parsing a command line that is expected to be valid: only the
        /// invoked command's arguments are built (`defer`). Building all of them was a tenth of
        /// a short read's instructions. Its matches are read as a `Cli` (same argument ids).
        #[derive(Subcommand)]
        #[command(defer = true)]
        enum LazyCommand {
            $($variant($args),)*
        }
    };
}

commands! {
    Init(commands::init::Args),
    New(commands::new::Args),
    List(commands::list::Args),
    Show(commands::show::Args),
    Check(commands::check::Args),
    Commit(commands::commit::Args),
    Log(commands::log::Args),
    Diff(commands::diff::Args),
    Render(commands::render::Args),
    Promote(commands::promote::PromoteArgs),
    Demote(commands::promote::DemoteArgs),
    Env(commands::env::Args),
    Mv(commands::mv::Args),
    Cp(commands::cp::Args),
    Rm(commands::rm::Args),
    Push(commands::sync::PushArgs),
    Pull(commands::sync::PullArgs),
    Import(commands::import::Args),
    Export(commands::export::Args),
    Bundle(commands::bundle::Args),
    // issue 28
    Serve(commands::serve::Args),
    Schema(commands::schema::Args),
    Completions(commands::completions::Args),
    // Issue 31.
    Lsp(commands::lsp::Args),
    // `prompt test` (issue 29).
    Test(commands::test::Args),
    // Issue 30: the pull-request report and blame.
    Review(commands::review::Args),
    Blame(commands::blame::Args),
}

impl Command {
    /// Whether the command can write to the repository or the working tree (and so needs the
    /// interruption handler). Anything not known to be a pure read counts as a write.
    fn may_write(&self) -> bool {
        !matches!(
            self,
            Command::List(_)
                | Command::Show(_)
                | Command::Check(_)
                | Command::Log(_)
                | Command::Diff(_)
                | Command::Render(_)
                | Command::Serve(_)
                | Command::Schema(_)
                | Command::Completions(_)
                | Command::Lsp(_)
                | Command::Review(_)
                | Command::Blame(_)
        )
    }
}

/// What a command needs besides its arguments.
pub struct Context {
    pub ui: Ui,
    repo: Option<PathBuf>,
}

impl Context {
    /// Opens the registry named by `--repo` / `PROMPT_REPO`, or the one around the current folder.
    ///
    /// The registry lives until the process exits and is deliberately never dropped: tearing down
    /// libgit2's object caches took a fifth of a short command's time, for memory the exit frees
    /// anyway.
    pub fn registry(&self) -> Result<&'static Registry, CliError> {
        let start = match &self.repo {
            Some(dir) => dir.clone(),
            None => std::env::current_dir().map_err(|e| prompt_registry::Error::io(".", e))?,
        };
        Ok(Box::leak(Box::new(Registry::open(&start)?)))
    }

    /// The id `text` names: an id, or a path to a prompt file under the root (as shells and
    /// editors complete it), relative to the current folder or to the root. An invalid id that is
    /// no such path keeps the id's own error.
    pub fn id(&self, text: &str) -> Result<PromptId, CliError> {
        match PromptId::parse(text) {
            Ok(id) => Ok(id),
            Err(e) => self.id_of_path(text).ok_or(e.into()),
        }
    }

    /// `id` for each of `texts`.
    pub fn ids<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<PromptId>, CliError> {
        texts.iter().map(|t| self.id(t.as_ref())).collect()
    }

    /// The reference `text` names; its id part may be a path to a prompt file, as for `id`
    /// (`prompts/a.prompt.yaml@production`).
    pub fn reference(&self, text: &str) -> Result<Reference, CliError> {
        match Reference::parse(text) {
            Ok(reference) => Ok(reference),
            Err(e) => {
                let (path, rest) = match text.split_once(".prompt.yaml@") {
                    Some((stem, rest)) => (format!("{stem}.prompt.yaml"), Some(rest)),
                    None => (text.to_string(), None),
                };
                let Some(id) = self.id_of_path(&path) else {
                    return Err(e.into());
                };
                let rebuilt = match rest {
                    Some(rest) => format!("{id}@{rest}"),
                    None => id.to_string(),
                };
                Ok(Reference::parse(&rebuilt)?)
            }
        }
    }

    fn id_of_path(&self, text: &str) -> Option<PromptId> {
        if !text.ends_with(prompt_registry::model::PROMPT_EXT) {
            return None;
        }
        let cwd = std::env::current_dir().ok()?;
        let reg = self.registry().ok()?;
        reg.id_of_path_arg(text, &cwd)
    }

    /// The folder `--repo` names, or the current folder.
    pub fn start_dir(&self) -> Result<PathBuf, CliError> {
        match &self.repo {
            Some(dir) => Ok(dir.clone()),
            None => Ok(std::env::current_dir().map_err(|e| prompt_registry::Error::io(".", e))?),
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> u8 {
    // SAFETY: first thing the process does, before any thread (the signal handler's included) and
    // before any repository is opened; nothing else in the process uses libgit2.
    unsafe { prompt_registry::store::tune_process() };
    // `COMPLETE=bash prompt …` is the shell asking for completions: answer and exit.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .shells(complete::SHELLS)
        .complete();
    let cli = match parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    // Ctrl-C or SIGTERM mid-command. During a write, before its commit point, the write is
    // asked to stop: it unwinds at its next safe point, putting back what it changed and
    // removing its lock files, and the command exits 130. After the commit point the write
    // finishes and exits 0. With no write under way (or at a second signal) the process exits
    // 130 at once. The handler costs a thread at start-up, so pure reads go without it: they
    // hold no lock and change nothing, and the default action (the process ends) loses nothing.
    if cli.command.may_write() {
        let _ = ctrlc::set_handler(|| {
            use prompt_registry::store::Signal;
            if prompt_registry::store::interrupt() == Signal::ExitNow {
                ui::restore_terminal();
                std::process::exit(130);
            }
        });
    }
    let ctx = Context {
        ui: Ui::new(cli.global.color, cli.global.quiet, !cli.global.no_pager),
        repo: cli.global.repo.clone(),
    };
    let result = run(cli.command, &ctx);
    if prompt_registry::store::exiting() {
        // The signal handler removed our locks and is exiting as interrupted: so do we, whatever
        // the command made of it (a question's read that the same Ctrl-C ended).
        std::process::exit(130);
    }
    match result {
        Ok(()) => {
            if prompt_registry::store::interrupted_after_commit()
                || prompt_registry::store::stopping()
            {
                ctx.ui
                    .warn("interrupted after the write was made: it was completed, as shown above");
            }
            0
        }
        // Whatever failed once a signal asked the write to stop failed because of it (a `git`
        // child stopped by the same Ctrl-C, a rollback): say it as the interruption it is.
        Err(_) if prompt_registry::store::stopping() => {
            ui::show_cursor();
            let e = CliError::from(prompt_registry::Error::Interrupted);
            ctx.ui.error(&e);
            e.exit_code()
        }
        Err(e) => {
            ctx.ui.error(&e);
            e.exit_code()
        }
    }
}

/// Parses the command line: first with a parser of only the command it seems to name (its
/// arguments built, the other commands' not); anything else than a successful parse (help,
/// version, any error) is parsed again by the whole parser, so that what clap prints is exactly
/// what the whole tree makes it print.
fn parse(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    if let Some(parser) = fast_parser(&args) {
        if let Ok(cli) = parse_with(parser, &args) {
            return Ok(cli);
        }
    }
    parse_with(<Cli as clap::CommandFactory>::command(), &args)
}

/// Parses with `parser`, which is used once and then leaked: tearing down its tree of arguments
/// cost a twentieth of a short read's instructions, for memory the exit frees anyway.
fn parse_with(mut parser: clap::Command, args: &[OsString]) -> Result<Cli, clap::Error> {
    let parsed = parser
        .try_get_matches_from_mut(args.iter())
        .and_then(|mut matches| {
            let cli = <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches);
            std::mem::forget(matches);
            cli
        })
        .map_err(|e| e.format(&mut parser));
    std::mem::forget(parser);
    parsed
}

/// A parser of the global flags and the one command `args` seems to name, when it names one.
/// Building every command's arguments was a tenth of a short read's instructions; the global
/// flags are copied into every command when the parser is built, so the others are left out.
fn fast_parser(args: &[OsString]) -> Option<clap::Command> {
    let name = invoked(args)?;
    let all = <LazyCommand as Subcommand>::augment_subcommands(clap::Command::new("prompt"));
    let command = all.find_subcommand(name)?.clone();
    Some(
        <Global as clap::Args>::augment_args(clap::Command::new("prompt"))
            .subcommand(command)
            .subcommand_required(true),
    )
}

/// The command a command line names, as far as a look at it tells: the first argument that is
/// not a global flag (or a value of one). A wrong guess costs only the fast path.
fn invoked(args: &[OsString]) -> Option<&str> {
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        match arg {
            "--repo" | "--color" => {
                rest.next();
            }
            "--" => return None,
            _ if arg.starts_with('-') => {}
            name => return Some(name),
        }
    }
    None
}

fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Init(args) => commands::init::run(args, ctx),
        Command::New(args) => commands::new::run(args, ctx),
        Command::List(args) => commands::list::run(args, ctx),
        Command::Show(args) => commands::show::run(args, ctx),
        Command::Check(args) => commands::check::run(args, ctx),
        Command::Commit(args) => commands::commit::run(args, ctx),
        Command::Log(args) => commands::log::run(args, ctx),
        Command::Diff(args) => commands::diff::run(args, ctx),
        Command::Render(args) => commands::render::run(args, ctx),
        Command::Promote(args) => commands::promote::promote(args, ctx),
        Command::Demote(args) => commands::promote::demote(args, ctx),
        Command::Env(args) => commands::env::run(args, ctx),
        Command::Mv(args) => commands::mv::run(args, ctx),
        Command::Cp(args) => commands::cp::run(args, ctx),
        Command::Rm(args) => commands::rm::run(args, ctx),
        Command::Push(args) => commands::sync::push(args, ctx),
        Command::Pull(args) => commands::sync::pull(args, ctx),
        Command::Import(args) => commands::import::run(args, ctx),
        Command::Export(args) => commands::export::run(args, ctx),
        Command::Bundle(args) => commands::bundle::run(args, ctx),
        Command::Serve(args) => commands::serve::run(args, ctx),
        Command::Schema(args) => commands::schema::run(args, ctx),
        Command::Completions(args) => commands::completions::run(args, ctx),
        Command::Lsp(args) => commands::lsp::run(args, ctx),
        Command::Test(args) => commands::test::run(args, ctx),
        Command::Review(args) => commands::review::run(args, ctx),
        Command::Blame(args) => commands::blame::run(args, ctx),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use clap::CommandFactory;

    use super::{fast_parser, parse, parse_with, Cli};

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }

    fn args(line: &str) -> Vec<OsString> {
        std::iter::once("prompt")
            .chain(line.split_whitespace())
            .map(OsString::from)
            .collect()
    }

    /// What a parse gives, comparable: the parsed command line, or the error's kind and text.
    fn outcome(parsed: Result<Cli, clap::Error>) -> String {
        match parsed {
            Ok(cli) => format!("{cli:?}"),
            Err(e) => format!("{:?}\n{}", e.kind(), e.render()),
        }
    }

    #[test]
    fn the_fast_parser_takes_valid_command_lines_as_the_whole_parser_does() {
        for line in [
            "render a/b@production --var topic=x",
            "--repo /r --color never render -f json a@3 --var x=1 --var y=@f",
            "render a --batch - --fail-fast --lenient --sample s",
            "-q --no-pager show a@production --json",
            "--color=always list --json",
            "log a --json",
            "env",
            "env a --json",
            "env history a production",
            "check",
            "diff a@1 a@2",
            "new a/b",
            "commit -m message",
            "promote a@3 production",
            "demote a production",
            "mv a b",
            "completions bash",
            "schema",
            "show --repo /r a",
            "review main..HEAD --format json",
            "blame a 2 --json",
        ] {
            let args = args(line);
            let fast = fast_parser(&args).map(|p| parse_with(p, &args));
            let fast = fast.unwrap_or_else(|| panic!("{line}: no fast parser"));
            assert!(fast.is_ok(), "{line}: {}", outcome(fast));
            let whole = parse_with(Cli::command(), &args);
            assert_eq!(outcome(fast), outcome(whole), "{line}");
        }
    }

    #[test]
    fn help_version_and_errors_come_from_the_whole_parser() {
        for line in [
            "",
            "--help",
            "-h",
            "--version",
            "help",
            "help render",
            "render --help",
            "render -h",
            "render",
            "render a --bogus",
            "render a extra",
            "render a -f bogus",
            "render a --fail-fast",
            "rendr a",
            "--bogus render a",
            "-- render a",
            "--repo",
            "env help",
            "env help history",
            "env history --help",
            "completions",
        ] {
            let args = args(line);
            let whole = parse_with(Cli::command(), &args);
            assert!(whole.is_err(), "{line:?} is not an error");
            assert_eq!(outcome(parse(args)), outcome(whole), "{line:?}");
        }
    }
}
