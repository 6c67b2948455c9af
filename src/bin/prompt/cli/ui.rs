//! The only place that writes to stdout and stderr: colour, tables, `--quiet`, JSON.
//!
//! Output is for people on a terminal (tables sized to it, colour) and plain and stable otherwise:
//! tab-separated rows without a header, no colour, so that scripts can cut and grep.
//!
//! Text from files and history (a model name, a commit message, a note, a diffed line) can hold
//! control characters. Everything written here for people passes through `safe`, which escapes
//! them (`\u{1b}`), so a prompt file cannot retitle, clear or redraw the reader's terminal. The one
//! exception is colour: when this run colours stdout, plain colour sequences (`ESC [ digits m`)
//! pass, since painting makes them and they cannot be told apart from one in the text; they change
//! colours only. JSON and `print_exact` are written unchanged.

use std::io::{IsTerminal, Write};

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, TableComponent, Width};
use console::Style;

use prompt_registry::error::Error;

use super::error::{message_with_hint, CliError};

/// A question's failure. Ctrl-C (which dialoguer reads as an interrupted read) restores the
/// terminal and exits 130 like an interrupted command, with nothing changed.
fn asked(e: dialoguer::Error) -> CliError {
    let dialoguer::Error::IO(io) = &e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        restore_terminal();
        return CliError::Reported(130);
    }
    CliError::Other(anyhow::Error::new(e).context("asking on the terminal"))
}

/// Shows the cursor again (questions hide it while they draw), ends the question's line and says
/// that nothing was changed, so that an interrupted question leaves the shell usable and what it
/// left on screen (a ticked list of prompts) does not read as done. Called only for an
/// interruption before anything was written; harmless when nothing was hidden.
pub fn restore_terminal() {
    if show_cursor() {
        let term = console::Term::stderr();
        let _ = term.write_line("interrupted: nothing was changed");
        let note = INTERRUPT_NOTE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(note) = note.as_deref() {
            let _ = term.write_line(&safe(note, false));
        }
    }
}

/// What an interruption must still say (where a question's unsaved work was kept), printed by
/// `restore_terminal`, which also runs from the signal handler.
static INTERRUPT_NOTE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Sets (or with `None` clears) the line an interruption prints after "nothing was changed".
pub fn set_interrupt_note(note: Option<String>) {
    *INTERRUPT_NOTE.lock().unwrap_or_else(|e| e.into_inner()) = note;
}

/// Shows the cursor again and ends the current line (whether stderr is a terminal), for an
/// interruption whose own error message follows.
pub fn show_cursor() -> bool {
    let term = console::Term::stderr();
    if !term.is_term() {
        return false;
    }
    let _ = term.show_cursor();
    let _ = term.write_line("");
    true
}

/// A typed answer to a yes/no question: `Some(true)` for y/yes, `Some(false)` for n/no or nothing,
/// `None` for anything else.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "" | "n" | "no" => Some(false),
        _ => None,
    }
}

/// The footer under a table that had to leave columns out to fit the terminal.
fn hidden_columns_note(hidden: &[&str], cols: usize) -> String {
    let names = hidden
        .iter()
        .map(|h| h.to_lowercase())
        .collect::<Vec<_>>()
        .join(", ");
    let what = if hidden.len() == 1 {
        "column"
    } else {
        "columns"
    };
    let note = format!(
        "… {} {what} hidden ({names}): widen the terminal or use --json",
        hidden.len()
    );
    wrap_words(&note, cols.max(20))
}

/// `items` after `indent`, separated by spaces, a new line (with `indent`) before an item that
/// would pass `width` columns; all on one line when `width` is 0 (unknown).
fn wrap_items(items: &[String], indent: &str, width: usize) -> String {
    let mut out = String::from(indent);
    let mut line_len = indent.chars().count();
    for (i, item) in items.iter().enumerate() {
        let len = console::measure_text_width(item);
        if i > 0 {
            if width > 0 && line_len + 1 + len > width {
                out.push('\n');
                out.push_str(indent);
                line_len = indent.chars().count();
            } else {
                out.push(' ');
                line_len += 1;
            }
        }
        out.push_str(item);
        line_len += len;
    }
    out
}

/// `text` broken into lines of at most `width` characters at spaces (a longer word stays whole).
fn wrap_words(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// The line below which an edited text is help, never content (as in `git commit -v`).
pub const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// The part of `text` above the scissors line (all of it when the line was removed).
fn above_scissors(text: &str) -> &str {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == SCISSORS {
            return &text[..at];
        }
        at += line.len();
    }
    text
}

/// Runs `editor` on a temporary file holding `text` and returns the file's text afterwards. The
/// editor runs as git runs it, through the shell with the file as its last argument, so that
/// `core.editor` values such as `code --wait` or a quoted path work alike. (dialoguer's editor
/// returns the text even when the editor failed, so it cannot tell an abandoned edit.)
fn run_editor(editor: &str, text: &str) -> Result<String, CliError> {
    let failed = |e: std::io::Error| {
        CliError::Other(anyhow::Error::new(e).context(format!("running the editor ({editor})")))
    };
    let mut file = tempfile::Builder::new()
        .prefix("prompt-edit-")
        .suffix(".md")
        .tempfile()
        .map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.flush().map_err(failed)?;
    let mut command = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(editor);
        c
    } else {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(format!("{editor} \"$@\"")).arg(editor);
        c
    };
    let status = command.arg(file.path()).status().map_err(failed)?;
    if interrupted_by_signal(&status) {
        // Ctrl-C reached this process's group too: its handler ends the run (saying what an
        // interruption must say), unless the signal was the editor's alone. Wait for it rather
        // than race it with an error of our own.
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(2) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    if !status.success() {
        return Err(CliError::Other(anyhow::anyhow!(
            "the editor ({editor}) failed ({status}); what it left was not taken"
        )));
    }
    std::fs::read_to_string(file.path()).map_err(failed)
}

/// Whether the editor was ended by SIGINT or SIGTERM.
#[cfg(unix)]
fn interrupted_by_signal(status: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    matches!(status.signal(), Some(2 | 15))
}

#[cfg(not(unix))]
fn interrupted_by_signal(_: &std::process::ExitStatus) -> bool {
    false
}

/// The widest cell of column `i`, header included, in terminal columns.
fn column_width(header: &[&str], rows: &[Vec<String>], i: usize) -> usize {
    rows.iter()
        .filter_map(|r| r.get(i))
        .map(|c| {
            c.lines()
                .map(console::measure_text_width)
                .max()
                .unwrap_or(0)
        })
        .chain(std::iter::once(console::measure_text_width(header[i])))
        .max()
        .unwrap_or(0)
}

/// The columns that fit in `cols`: `whole` columns at full width, others at least a few
/// characters wide; the last other columns are dropped until the rest fits.
fn fitting_columns(
    header: &[&str],
    rows: &[Vec<String>],
    whole: &[usize],
    cols: usize,
) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..header.len()).collect();
    let need = |shown: &[usize]| -> usize {
        shown
            .iter()
            .map(|&i| {
                let w = column_width(header, rows, i);
                // Cell padding and the border between columns.
                3 + if whole.contains(&i) { w } else { w.min(10) }
            })
            .sum::<usize>()
            + 1
    };
    // Columns that may be split go first, from the right; then whole ones, from the right, but
    // never the first (the id: a row without it means nothing).
    while need(&shown) > cols {
        let at = shown
            .iter()
            .rposition(|i| !whole.contains(i))
            .or_else(|| (shown.len() > 1).then(|| shown.len() - 1));
        match at {
            Some(at) => {
                shown.remove(at);
            }
            None => break,
        }
    }
    shown
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output settings for one run.
#[derive(Debug, Clone)]
pub struct Ui {
    pub quiet: bool,
    /// Long output goes through a pager on a terminal (off with `--no-pager`).
    pub pager: bool,
    stdout_tty: bool,
    color_out: bool,
    color_err: bool,
}

impl Ui {
    /// Settings from the global flags and the environment (`NO_COLOR`).
    pub fn new(color: ColorChoice, quiet: bool, pager: bool) -> Ui {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let pick = |tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Ui {
            quiet,
            pager,
            stdout_tty,
            color_out: pick(stdout_tty),
            color_err: pick(stderr_tty),
        }
    }

    /// Whether stdout is a terminal (tables and questions are for people).
    pub fn is_terminal(&self) -> bool {
        self.stdout_tty
    }

    /// Whether a person can answer a question: stdin and stderr are terminals, and not in CI.
    pub fn can_ask(&self) -> bool {
        std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
    }

    /// Asks to pick one of `items` (on a terminal; check `can_ask` first). Returns the index.
    pub fn select(
        &self,
        question: &str,
        items: &[&str],
        default: usize,
    ) -> Result<usize, CliError> {
        dialoguer::Select::new()
            .with_prompt(question)
            .items(items)
            .default(default)
            .interact()
            .map_err(asked)
    }

    /// Asks to pick any of `items`, all picked to begin with. Returns the indexes.
    pub fn pick(&self, question: &str, items: &[String]) -> Result<Vec<usize>, CliError> {
        let all = vec![true; items.len()];
        dialoguer::MultiSelect::new()
            .with_prompt(question)
            .items(items)
            .defaults(&all)
            .interact()
            .map_err(asked)
    }

    /// Asks for a line of text, with a default.
    pub fn input(&self, question: &str, default: &str) -> Result<String, CliError> {
        dialoguer::Input::<String>::new()
            .with_prompt(question)
            .default(default.to_string())
            .interact_text()
            .map_err(asked)
    }

    /// Asks yes or no (default no). The answer is a whole line ended by Enter: `y` or `yes` (any
    /// case) confirms, Enter alone, `n` or `no` declines, anything else asks again. A key alone
    /// never acts, so `yes⏎` typed quickly cannot confirm on its `y` and leave `es⏎` to the shell.
    pub fn confirm(&self, question: &str) -> Result<bool, CliError> {
        let answer = dialoguer::Input::<String>::new()
            .with_prompt(format!("{question} [y/N]"))
            .allow_empty(true)
            .validate_with(|text: &String| match parse_yes_no(text) {
                Some(_) => Ok(()),
                None => Err("answer y or yes, n or no"),
            })
            .interact_text()
            .map_err(asked)?;
        Ok(parse_yes_no(&answer).unwrap_or(false))
    }

    /// Opens `editor` on `text` followed by git's scissors line and `help`; returns what was
    /// written above the scissors line, every line kept (a Markdown `# Heading` included). An
    /// editor that exits with a failure (`:cq` in vim) is an error, as in `git commit`: what it
    /// left in the file is not taken as an answer.
    pub fn edit_above_scissors(
        &self,
        editor: &str,
        text: &str,
        help: &str,
    ) -> Result<String, CliError> {
        let edited = run_editor(editor, &format!("{text}\n{SCISSORS}\n{help}"))?;
        Ok(above_scissors(&edited).to_string())
    }

    /// Confirms a change to protected environments (contract §5): nothing to do with `yes`; asked
    /// on a terminal; elsewhere an error naming `--yes`, so that a script never moves one by
    /// accident.
    pub fn confirm_protected(
        &self,
        yes: bool,
        envs: &[String],
        question: &str,
    ) -> Result<(), CliError> {
        if yes || envs.is_empty() {
            return Ok(());
        }
        if !self.can_ask() {
            return Err(CliError::Usage(format!(
                "{} changes need confirmation: pass --yes (a protected environment, and no \
                 terminal to ask on); nothing was changed",
                envs.join(", ")
            )));
        }
        if !self.confirm(question)? {
            return Err(prompt_registry::Error::Refused(
                "not confirmed; nothing was changed".into(),
            )
            .into());
        }
        Ok(())
    }

    /// Opens `editor` on `template`; returns the text without lines starting with `#`.
    pub fn edit(&self, editor: &str, template: &str) -> Result<String, CliError> {
        let text = dialoguer::Editor::new()
            .executable(editor)
            .edit(template)
            .map_err(|e| CliError::Other(anyhow::Error::new(e).context("running the editor")))?
            .unwrap_or_default();
        Ok(text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// Writes text for people to stdout, control characters escaped (`safe`).
    pub fn print(&self, text: &str) -> Result<(), CliError> {
        self.print_exact(&safe(text, self.color_out))
    }

    /// Writes text to stdout byte for byte (for output a program reads: file contents, JSON).
    pub fn print_exact(&self, text: &str) -> Result<(), CliError> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// Writes text to stdout, through a pager when stdout is a terminal, as git does: `GIT_PAGER`,
    /// else `PAGER`, else `less` with `LESS=FRX` (which prints short text and quits).
    pub fn page(&self, text: &str) -> Result<(), CliError> {
        let text = &*safe(text, self.color_out);
        if !self.pager || !self.stdout_tty || text.is_empty() {
            return self.print(text);
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        // As git: a pager variable set to nothing, or to `cat`, means no pager.
        let command = std::env::var("GIT_PAGER")
            .or_else(|_| std::env::var("PAGER"))
            .unwrap_or_else(|_| "less".into());
        if command.trim().is_empty() || command.trim() == "cat" {
            return self.print(text);
        }
        let mut child = match std::process::Command::new("sh")
            .args(["-c", &command])
            .env("LESS", var("LESS").unwrap_or_else(|| "FRX".into()))
            .stdin(std::process::Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(_) => return self.print(text),
        };
        if let Some(mut stdin) = child.stdin.take() {
            // The reader quitting early (`q` in less) is not an error.
            let _ = stdin.write_all(text.as_bytes());
        }
        // `sh` answers 127 when the pager is not installed: then the text goes out unpaged.
        match child.wait() {
            Ok(status) if status.code() == Some(127) => self.print(text),
            _ => Ok(()),
        }
    }

    /// Writes one line for people to stdout, control characters escaped (`safe`).
    pub fn line(&self, text: &str) -> Result<(), CliError> {
        self.line_exact(&safe(text, self.color_out))
    }

    /// The result line of a write that only confirms what was asked (`promote`, `demote`, `mv`,
    /// `rm`): on stdout, silenced by `--quiet` like a status message.
    pub fn done(&self, text: &str) -> Result<(), CliError> {
        if self.quiet {
            return Ok(());
        }
        self.line(text)
    }

    fn line_exact(&self, text: &str) -> Result<(), CliError> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    }

    /// The answer of something that needs version numbers, or (with a warning that names the fix)
    /// the default and `false` where they cannot be counted: a shallow clone, no release line.
    /// For commands that still have something to show without them (`list`, `env`).
    pub fn counted_or_warn<T: Default>(
        &self,
        answer: Result<T, Error>,
    ) -> Result<(T, bool), CliError> {
        match answer {
            Ok(value) => Ok((value, true)),
            Err(e @ (Error::ShallowHistory { .. } | Error::NoReleaseLine { .. })) => {
                self.warn(&message_with_hint(e));
                Ok((T::default(), false))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Writes a value as pretty JSON to stdout (JSON escapes control characters itself).
    pub fn json<T: serde::Serialize>(&self, value: &T) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Other(anyhow::Error::new(e).context("writing JSON")))?;
        self.line_exact(&text)
    }

    /// A table: ruled under the header and sized to the terminal on a TTY, tab-separated rows
    /// without the header otherwise (the columns are documented per command). The columns
    /// `whole` (ids, model names) are never split across lines. When the terminal is too narrow
    /// for them, the last other columns are dropped, least useful first.
    pub fn table_keeping(
        &self,
        header: &[&str],
        rows: &[Vec<String>],
        whole: &[usize],
    ) -> Result<(), CliError> {
        if !self.stdout_tty {
            let mut text = String::new();
            for row in rows {
                text.push_str(&row.join("\t"));
                text.push('\n');
            }
            return self.print(&text);
        }
        // Fit the terminal when its width is known; a pty without a size reports 0.
        let cols = console::Term::stdout()
            .size_checked()
            .map_or(0, |(_, c)| c as usize);
        let shown = if cols >= 20 {
            fitting_columns(header, rows, whole, cols)
        } else {
            (0..header.len()).collect()
        };
        let mut table = Table::new();
        // Headers stay unstyled: escape codes would count as width when columns are measured.
        table
            .load_preset(presets::UTF8_HORIZONTAL_ONLY)
            .remove_style(TableComponent::HorizontalLines)
            .remove_style(TableComponent::MiddleIntersections)
            .remove_style(TableComponent::LeftBorderIntersections)
            .remove_style(TableComponent::RightBorderIntersections)
            .set_header(shown.iter().map(|&i| header[i]).collect::<Vec<_>>());
        if cols >= 20 {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(cols as u16);
        } else {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        for row in rows {
            // Cells are measured for width: escape before comfy-table sees them.
            table.add_row(
                shown
                    .iter()
                    .map(|&i| safe(row.get(i).map_or("", String::as_str), false).into_owned()),
            );
        }
        for (at, &i) in shown.iter().enumerate() {
            if whole.contains(&i) {
                // The boundary counts the cell's padding (one space each side).
                let width = column_width(header, rows, i) as u16 + 2;
                if let Some(column) = table.column_mut(at) {
                    column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width)));
                }
            }
        }
        self.line(&table.to_string())?;
        if shown.len() < header.len() {
            let hidden: Vec<&str> = (0..header.len())
                .filter(|i| !shown.contains(i))
                .map(|i| header[i])
                .collect();
            self.line(&hidden_columns_note(&hidden, cols))?;
        }
        Ok(())
    }

    /// `items` separated by spaces on lines that start with `indent`: one line off a terminal
    /// (stable for scripts), lines that fit the terminal's width on one.
    pub fn wrapped(&self, items: &[String], indent: &str) -> String {
        let cols = if self.stdout_tty {
            console::Term::stdout()
                .size_checked()
                .map_or(0, |(_, c)| c as usize)
        } else {
            0
        };
        wrap_items(items, indent, cols)
    }

    /// A progress or success message on stderr, silenced by `--quiet`.
    pub fn status(&self, text: &str) {
        if !self.quiet {
            eprintln!("{}", safe(text, false));
        }
    }

    /// Warns about each broken environment tag (contract §5) whose id `wanted` accepts, with its
    /// fix.
    pub fn warn_broken_tags(
        &self,
        tags: &[prompt_registry::store::BrokenTag],
        wanted: impl Fn(&str) -> bool,
    ) {
        for b in tags {
            let id = b.tag.rsplit_once('@').map_or(b.tag.as_str(), |(id, _)| id);
            if wanted(id) {
                self.warn(&format!(
                    "the environment tag {} is broken: {}; {}",
                    b.tag,
                    b.problem,
                    b.fix()
                ));
            }
        }
    }

    /// Writes text for people to stderr, control characters escaped (`safe`).
    pub fn eprint(&self, text: &str) {
        eprint!("{}", safe(text, self.color_err || self.color_out));
    }

    /// A warning on stderr (never silenced: it reports something the user must know).
    pub fn warn(&self, text: &str) {
        eprintln!(
            "{} {}",
            self.err_paint("warning:", Style::new().yellow().bold()),
            safe(text, false)
        );
    }

    /// Reports a failure on stderr.
    pub fn error(&self, err: &CliError) {
        if let Some(message) = err.message() {
            eprintln!(
                "{} {}",
                self.err_paint("error:", Style::new().red().bold()),
                safe(&message, false)
            );
        }
        if let Some(hint) = err.hint() {
            eprintln!(
                "{} {}",
                self.err_paint("hint:", Style::new().cyan()),
                safe(&hint, false)
            );
        }
    }

    fn err_paint(&self, text: &str, style: Style) -> String {
        if self.color_err {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    /// Colours text for stdout when colour is on.
    pub fn paint(&self, text: &str, style: Style) -> String {
        if self.color_out {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    /// Bold, for headers.
    pub fn bold(&self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }

    /// A commit id, in yellow as `git log` shows it.
    pub fn commit_id(&self, text: &str) -> String {
        self.paint(text, Style::new().yellow())
    }

    /// Colour for a diagnostic's severity on stdout.
    pub fn severity(&self, text: &str, error: bool) -> String {
        let style = if error {
            Style::new().red().bold()
        } else {
            Style::new().yellow().bold()
        };
        self.paint(text, style)
    }
}
/// Text for a terminal: every control character escaped except newlines and tabs and, when
/// `colour` is on, the colour sequences painting makes (`ESC [` digits and `;`, then `m`).
fn safe(text: &str, colour: bool) -> std::borrow::Cow<'_, str> {
    use prompt_registry::model::controls::{escape_text, is_control};
    if !colour {
        return escape_text(text);
    }
    if !text
        .chars()
        .any(|c| is_control(c) && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            let sgr = rest[1..].strip_prefix('[').and_then(|r| {
                let n = r
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b';')
                    .count();
                (r.as_bytes().get(n) == Some(&b'm')).then_some(n + 3)
            });
            if let Some(len) = sgr {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        out.push_str(&escape_text(&rest[..c.len_utf8()]));
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_column_is_named_with_the_way_to_see_it() {
        assert_eq!(
            hidden_columns_note(&["ENVIRONMENTS"], 80),
            "… 1 column hidden (environments): widen the terminal or use --json"
        );
        let narrow = hidden_columns_note(&["MODEL", "LATEST"], 40);
        assert!(narrow.starts_with("… 2 columns hidden"), "{narrow}");
        assert!(narrow.lines().all(|l| l.chars().count() <= 40), "{narrow}");
        assert_eq!(
            narrow.replace('\n', " "),
            hidden_columns_note(&["MODEL", "LATEST"], 400)
        );
    }

    #[test]
    fn long_lists_wrap_at_the_terminal_width_with_their_indent() {
        let items: Vec<String> = (1..=6).map(|i| format!("folder/prompt-{i}@1")).collect();
        assert_eq!(wrap_items(&items, "    ", 0).lines().count(), 1);
        let wrapped = wrap_items(&items, "    ", 45);
        assert!(wrapped.lines().count() > 1, "{wrapped}");
        for line in wrapped.lines() {
            assert!(line.starts_with("    folder/"), "{line:?}");
            assert!(line.chars().count() <= 45, "{line:?}");
        }
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            items.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }

    #[test]
    fn yes_and_no_are_whole_words() {
        for yes in ["y", "Y", "yes", "YES", " yes "] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes:?}");
        }
        for no in ["", "n", "No", "no"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no:?}");
        }
        for other in ["yep", "ye", "yess", "nope", "y es"] {
            assert_eq!(parse_yes_no(other), None, "{other:?}");
        }
    }

    #[test]
    fn terminal_text_keeps_colour_and_escapes_the_rest() {
        let title = "\u{1b}]0;owned\u{7}";
        let clear = "\u{1b}[2J\u{1b}[H";
        assert_eq!(
            safe(&format!("a{title}b{clear}\n\tc"), false),
            "a\\u{1b}]0;owned\\u{7}b\\u{1b}[2J\\u{1b}[H\n\tc"
        );
        let painted = Style::new()
            .red()
            .force_styling(true)
            .apply_to("x")
            .to_string();
        assert_eq!(safe(&painted, true), painted);
        assert_eq!(
            safe(&format!("{painted}{clear}"), true),
            format!("{painted}\\u{{1b}}[2J\\u{{1b}}[H")
        );
        // Without colour, colour sequences are escaped too.
        assert!(!safe(&painted, false).contains('\u{1b}'));
        assert!(matches!(
            safe("plain ünï text\n", true),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn only_the_text_above_the_scissors_line_is_kept() {
        let help = format!("{SCISSORS}\n# help\n");
        assert_eq!(
            above_scissors(&format!("# Role\nYou help.\n{help}")),
            "# Role\nYou help.\n"
        );
        assert_eq!(above_scissors(&format!("\n{help}")), "\n");
        assert_eq!(
            above_scissors("no scissors\n# kept\n"),
            "no scissors\n# kept\n"
        );
        assert_eq!(above_scissors(&format!("a\r\n{SCISSORS}\r\nb")), "a\r\n");
    }

    #[test]
    fn narrow_terminals_drop_the_last_splittable_columns_then_whole_ones_but_the_id() {
        let header = ["ID", "KIND", "MODEL", "LATEST", "ENVIRONMENTS"];
        let rows = vec![vec![
            "customer-support/refund-reply".to_string(),
            "chat".into(),
            "claude-sonnet-4-5-20250929".into(),
            "@12".into(),
            "production @12, staging @12, development @12".into(),
        ]];
        let fit = |cols| fitting_columns(&header, &rows, &[0, 2], cols);
        assert_eq!(fit(200), [0, 1, 2, 3, 4]);
        assert_eq!(fit(100), [0, 1, 2, 3, 4]);
        assert_eq!(fit(80), [0, 1, 2, 3]);
        assert_eq!(fit(70), [0, 1, 2]);
        assert_eq!(fit(65), [0, 2]);
        // Then whole columns too, but never the id.
        assert_eq!(fit(60), [0]);
        assert_eq!(fitting_columns(&header, &rows, &[0, 2], 20), [0]);
    }
}
