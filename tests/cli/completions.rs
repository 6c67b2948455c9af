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
        assert!(generated.len() > 500, "{shell}: {generated}");
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
