//! Diagnostics as text, for every command that prints them (`check`, `commit`, `import`).

use prompt_registry::check::{Diagnostic, Severity};

use crate::cli::ui::Ui;

/// `file:line:col: error[rule]: message`, one per line, as compilers print them.
pub fn render_text(ui: &Ui, diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for d in diagnostics {
        let error = d.severity == Severity::Error;
        let label = if error { "error" } else { "warning" };
        text.push_str(&format!(
            "{}:{}:{}: {}: {}\n",
            d.file,
            d.line,
            d.column,
            ui.severity(&format!("{label}[{}]", d.rule.name()), error),
            d.message
        ));
    }
    text
}
