//! A run's report as text (one line per test and a summary), JSON (docs/json-output.md),
//! JUnit XML (for CI test panels) and markdown (a table for a pull-request comment).

use std::fmt::Write;

use serde_json::json;

use super::{Report, TestResult};

/// One line per test run, then `N passed, M failed`.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        let mark = if r.passed { "ok  " } else { "FAIL" };
        let _ = write!(out, "{mark} {} :: {}", r.prompt, r.display_name());
        if let Some(reason) = r.reason().filter(|_| !r.passed) {
            let _ = write!(out, " — {}", one_line(&reason));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `N passed, M failed` (the line CI log readers look for).
pub fn summary(report: &Report) -> String {
    format!("{} passed, {} failed", report.passed(), report.failed())
}

/// The JSON shape documented in docs/json-output.md.
pub fn json(report: &Report) -> serde_json::Value {
    json!({
        "mode": report.mode,
        "endpoints": report.endpoints,
        "summary": {
            "tests": report.results.len(),
            "passed": report.passed(),
            "failed": report.failed(),
        },
        "results": report.results,
    })
}

/// JUnit XML: one `testsuite` per prompt, one `testcase` per test run, a `failure` with the
/// reason for each failed one.
pub fn junit(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let time = |ms: u64| format!("{:.3}", ms as f64 / 1000.0);
    let total_ms: u64 = report.results.iter().map(|r| r.duration_ms).sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"prompt test\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">",
        report.results.len(),
        report.failed(),
        time(total_ms)
    );
    let mut prompts: Vec<&str> = Vec::new();
    for r in &report.results {
        if !prompts.contains(&r.prompt.as_str()) {
            prompts.push(&r.prompt);
        }
    }
    for prompt in prompts {
        let runs: Vec<&TestResult> = report
            .results
            .iter()
            .filter(|r| r.prompt == prompt)
            .collect();
        let failed = runs.iter().filter(|r| !r.passed).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" time=\"{}\">",
            escape(prompt),
            runs.len(),
            time(runs.iter().map(|r| r.duration_ms).sum())
        );
        for r in runs {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
                escape(&r.display_name()),
                escape(prompt),
                time(r.duration_ms)
            );
            if r.passed {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let reason = r.reason().unwrap_or_else(|| "failed".into());
            let mut detail = String::new();
            if let Some(e) = &r.error {
                let _ = writeln!(detail, "error: {e}");
            }
            for c in &r.checks {
                let _ = writeln!(
                    detail,
                    "{} {:?} {}: {}",
                    if c.passed { "pass" } else { "FAIL" },
                    c.on,
                    c.check,
                    c.message.as_deref().unwrap_or("ok")
                );
            }
            if let Some(key) = &r.key {
                let _ = writeln!(detail, "recording key: {key}");
            }
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"failure\">{}</failure>",
                escape(&one_line(&reason)),
                escape(&detail)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A table for a pull-request comment: a summary line, then one row per test run.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "**prompt test** ({}): {}\n",
        match report.mode {
            super::Mode::Replay => "replay",
            super::Mode::Record => "record",
            super::Mode::Live => "live",
        },
        summary(report)
    );
    out.push_str("| prompt | test | result | reason |\n|---|---|---|---|\n");
    for r in &report.results {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            cell(&r.prompt),
            cell(&r.display_name()),
            if r.passed { "✅ pass" } else { "❌ fail" },
            if r.passed {
                String::new()
            } else {
                cell(&r.reason().unwrap_or_default())
            }
        );
    }
    out
}

/// Text safe inside an XML attribute or element: the five special characters escaped, and
/// characters XML 1.0 cannot hold (most C0 controls) replaced by U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A markdown table cell: one line, pipes escaped, cut to a readable length.
fn cell(text: &str) -> String {
    super::answer::cut(&one_line(text), 300)
        .replace('|', "\\|")
        .replace('<', "&lt;")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_everything_it_must() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}"
        );
    }
}
