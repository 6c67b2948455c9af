//! The completion scripts committed under `completions/` match what the binary generates, and
//! dynamic completion offers ids, references and environments.

use crate::common::{text_prompt, TestRepo};

/// Shell, file under `completions/`.
const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "prompt.bash"),
    ("zsh", "_prompt"),
    ("fish", "prompt.fish"),
    ("powershell", "_prompt.ps1"),
    ("elvish", "prompt.elv"),
];

#[test]
fn committed_completion_scripts_are_fresh() {
    let repo = TestRepo::bare_git();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SCRIPTS {
        let generated = repo.prompt(&["completions", shell]).success().stdout;
        // fish's script is one line that hands the words to `prompt`.
        assert!(
            generated.len() > 150 && generated.contains("prompt"),
            "{shell}: {generated}"
        );
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &generated).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "completions/{stale:?} are stale: run `UPDATE_COMPLETIONS=1 cargo test completions` and commit"
    );
}

#[test]
fn dynamic_completion_offers_references_and_environments() {
    let repo = TestRepo::new();
    repo.write_prompt("support/summarize", &text_prompt("S"));
    repo.prompt(&["commit", "-m", "x"]).success();
    repo.prompt(&["promote", "support/summarize", "staging"])
        .success();
    let complete = |index: &str, words: &[&str]| {
        let out = repo
            .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", index)
            .arg("--")
            .args(words)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .split(['\u{b}', '\n'])
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let refs = complete("2", &["prompt", "show", "sup"]);
    assert!(
        refs.contains(&"support/summarize@staging".to_string()),
        "{refs:?}"
    );
    assert!(
        refs.contains(&"support/summarize@latest".to_string()),
        "{refs:?}"
    );
    let envs = complete("3", &["prompt", "promote", "support/summarize", ""]);
    assert!(envs.contains(&"production".to_string()), "{envs:?}");
}

// The committed bash, zsh and fish scripts driven by the real shells, loaded the way packagers
// install them: bash sources the file (as bash-completion does on first use), zsh autoloads
// `_prompt` from `$fpath` after `compinit`, fish finds `prompt.fish` on `$fish_complete_path`.
// Each shell calls the `prompt` it finds on PATH, as an installed one would.

/// bash: loads the script, finds the function `complete -p prompt` names and calls it as bash
/// does on TAB (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT; arguments command, word, previous
/// word), then prints COMPREPLY one a line and, last, the common prefix bash would insert.
const BASH_DRIVER: &str = r#"
source "$1" || exit 1
spec=$(complete -p prompt) || exit 1
fn=${spec##*-F }; fn=${fn%% *}
line=$2
read -ra COMP_WORDS <<< "$line"
[[ $line == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$line; COMP_POINT=${#line}; COMP_TYPE=9; COMP_KEY=9
"$fn" prompt "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf 'reply:%s\n' "${COMPREPLY[@]}"
prefix=${COMPREPLY[0]-}
for r in "${COMPREPLY[@]}"; do
    while [[ ${r:0:${#prefix}} != "$prefix" ]]; do prefix=${prefix%?}; done
done
printf 'inserts:%s\n' "${prefix:${#COMP_WORDS[COMP_CWORD]}}"
"#;

/// zsh: an interactive zsh in a pseudo-terminal (zsh's own `zpty`) with `$1` on `$fpath` and
/// `compinit` run, types `$2` and one TAB, and prints what the terminal showed (the completed
/// line and the list of matches; LIST_AMBIGUOUS off so the list shows on the first TAB) once it
/// shows `$3` and then stays quiet for 0.3 s, or after 15 s. (Nothing more is typed meanwhile:
/// zsh does not list matches while input is waiting.)
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; unsetopt listambiguous beep; print READY"
zpty -r -m z out '*READY*' || exit 1
zpty -w -n z "$2"$'\t'
screen= chunk=
integer end=$(( SECONDS + 15 )) quiet=0
while (( SECONDS < end && quiet < 3 )); do
    if zpty -r -t z chunk; then
        screen+=$chunk quiet=0
    else
        [[ $screen == *"$3"* ]] && (( quiet++ ))
        sleep 0.1
    fi
done
print -r -- "$screen"
zpty -d z
"#;

/// fish: `$1` first on `$fish_complete_path`, then `complete -C LINE`.
const FISH_DRIVER: &str = r#"
set -g fish_complete_path $argv[1] $fish_complete_path
complete -C $argv[2]
"#;

/// The path of `shell` when installed; else None, with a message, unless `PROMPT_REQUIRE_SHELLS`
/// is set (CI installs bash, zsh and fish and sets it), then a failure.
fn installed(shell: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(shell))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("PROMPT_REQUIRE_SHELLS").is_none(),
            "{shell} is not installed and PROMPT_REQUIRE_SHELLS is set"
        );
        eprintln!("skipped: {shell} is not installed (apt-get install {shell}; .ci/run does)");
    }
    found
}

/// A registry with `support/triage` and `support/reply` committed.
fn support_registry() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("support/triage", &text_prompt("Triage"));
    repo.write_prompt("support/reply", &text_prompt("Reply"));
    repo.prompt(&["commit", "-m", "support prompts"]).success();
    repo
}

/// Runs `shell ARGS` at the repository root with the built `prompt` first on PATH, waiting at most
/// a minute; returns stdout.
fn run_shell(repo: &TestRepo, shell: &std::path::Path, args: &[&str]) -> String {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_prompt"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)));
    let mut child = repo
        .command(shell, &repo.root())
        .env("PATH", path.unwrap())
        .env("TERM", "xterm")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "{} {args:?} did not finish within a minute",
                shell.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} {args:?}: {}\n{stdout}\n{}",
        shell.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn committed(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file);
    path.to_str().unwrap().to_string()
}

#[test]
fn bash_completes_ids_and_environments_and_inserts_no_dash() {
    let Some(bash) = installed("bash") else {
        return;
    };
    let repo = support_registry();
    let script = committed("prompt.bash");
    let complete = |line: &str| {
        let out = run_shell(
            &repo,
            &bash,
            &[
                "--norc",
                "--noprofile",
                "-c",
                BASH_DRIVER,
                "bash",
                &script,
                line,
            ],
        );
        let replies: Vec<String> = out
            .lines()
            .filter_map(|l| l.strip_prefix("reply:"))
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        let inserts = out
            .lines()
            .find_map(|l| l.strip_prefix("inserts:"))
            .unwrap_or_else(|| panic!("{line}: {out}"))
            .to_string();
        (replies, inserts)
    };
    let (ids, _) = complete("prompt show su");
    for id in ["support/triage", "support/reply", "support/triage@latest"] {
        assert!(ids.contains(&id.to_string()), "prompt show su: {ids:?}");
    }
    let (envs, inserts) = complete("prompt promote support/triage st");
    assert_eq!(envs, ["staging"]);
    assert_eq!(inserts, "aging");
    // An empty word: ids, not flags, and nothing typed for the user (the static script offered
    // only flags here, so bash inserted their common prefix `-`).
    let (offered, inserts) = complete("prompt show ");
    assert!(
        offered.contains(&"support/reply".to_string()),
        "{offered:?}"
    );
    assert!(offered.iter().all(|o| !o.starts_with('-')), "{offered:?}");
    assert_eq!(inserts, "support/", "prompt show <TAB>: {offered:?}");
    let (offered, inserts) = complete("prompt list ");
    assert!(offered.is_empty() && inserts.is_empty(), "{offered:?}");
    // Flags still complete once a dash is typed.
    let (flags, _) = complete("prompt list --j");
    assert_eq!(flags, ["--json"]);
}

#[test]
fn zsh_completes_ids_and_environments_from_fpath_on_the_first_tab() {
    let Some(zsh) = installed("zsh") else {
        return;
    };
    let repo = support_registry();
    let fpath = committed("");
    let fpath = fpath.trim_end_matches('/');
    let screen = |line: &str, awaited: &str| {
        run_shell(
            &repo,
            &zsh,
            &["-f", "-c", ZSH_DRIVER, "zsh", fpath, line, awaited],
        )
    };
    let ids = screen("prompt show su", "support/triage@latest");
    for id in ["support/triage", "support/reply", "support/triage@latest"] {
        assert!(ids.contains(id), "prompt show su<TAB> showed:\n{ids}");
    }
    let envs = screen("prompt promote support/triage st", "triage staging");
    assert!(
        envs.contains("prompt promote support/triage staging"),
        "prompt promote support/triage st<TAB> showed:\n{envs}"
    );
}

#[test]
fn fish_completes_ids_and_environments() {
    let Some(fish) = installed("fish") else {
        return;
    };
    let repo = support_registry();
    let dir = committed("");
    let complete = |line: &str| -> Vec<String> {
        run_shell(
            &repo,
            &fish,
            &["--no-config", "-c", FISH_DRIVER, &dir, line],
        )
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
    };
    let ids = complete("prompt show su");
    for id in ["support/triage", "support/reply", "support/triage@latest"] {
        assert!(ids.contains(&id.to_string()), "prompt show su: {ids:?}");
    }
    assert_eq!(complete("prompt promote support/triage st"), ["staging"]);
}
