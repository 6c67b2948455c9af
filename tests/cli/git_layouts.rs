//! Repository layouts git reads and `prompt` must read the same way (issue 24, items 10-12, 15):
//! linked worktrees (of normal and shallow clones), partial clones, damaged pack copies, grafts,
//! other commit encodings, mailmaps, deep and odd trees, safe.directory forms. Every repository
//! is made by the real `git` program.

use std::path::{Path, PathBuf};

use crate::common::{text_prompt, Run, TestRepo};

/// A registry on `main` with `greet` committed once per text, and `other` once.
fn with_versions(texts: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("other", &text_prompt("Other"));
    repo.prompt(&["commit", "-m", "other"]).success();
    for text in texts {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    repo
}

/// A clone of the repository over `file://` into a sibling folder.
fn clone_of(repo: &TestRepo, name: &str, options: &[&str]) -> PathBuf {
    let dir = repo.sibling(name);
    let url = format!("file://{}", repo.root().display());
    let mut args = vec!["clone", "-q"];
    args.extend_from_slice(options);
    args.extend([url.as_str(), dir.to_str().unwrap()]);
    repo.git_in(repo.root().parent().unwrap(), &args);
    dir
}

/// What a command answers, as one comparable value.
fn answer(run: Run) -> (i32, String, String) {
    (run.code, run.stdout, run.stderr)
}

/// The read commands of item 10, in `dir`.
fn reads(repo: &TestRepo, dir: &Path, version: &str) -> Vec<(i32, String, String)> {
    let at = format!("greet@{version}");
    [
        vec!["list"],
        vec!["env"],
        vec!["log", "greet"],
        vec!["log", "greet", "--json"],
        vec!["show", &at],
        vec!["show", "greet@HEAD"],
        vec!["render", "greet@HEAD~1", "--var", "name=Ada"],
    ]
    .iter()
    .map(|args| answer(repo.prompt_in(dir, args)))
    .collect()
}

#[test]
fn a_linked_worktree_reads_as_its_main_worktree() {
    let repo = with_versions(&["One", "Two", "Three", "Four"]);
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    let clone = clone_of(&repo, "clone", &[]);
    repo.git_in(&clone, &["repack", "-adq"]);
    repo.git_in(
        &clone,
        &["worktree", "add", "-q", "../linked", "-b", "side"],
    );
    let main = reads(&repo, &clone, "2");
    assert_eq!(main[0].0, 0, "{main:?}");
    assert!(main[4].1.contains("Two"), "{main:?}");
    assert_eq!(reads(&repo, &repo.sibling("linked"), "2"), main);
}

#[test]
fn a_linked_worktree_of_a_shallow_clone_reads_as_its_main_worktree() {
    let repo = with_versions(&["One", "Two", "Three", "Four"]);
    let clone = clone_of(&repo, "shallow", &["--depth", "3"]);
    repo.git_in(
        &clone,
        &["worktree", "add", "-q", "../linked", "-b", "side"],
    );
    let linked = repo.sibling("linked");
    let main = reads(&repo, &clone, "1");
    for (i, (code, _, stderr)) in main.iter().enumerate() {
        assert!(!stderr.contains("object not found"), "{i}: {stderr}");
        // `log` and `show ID@N` need version numbers, which a shallow clone does not know.
        if ![2, 3, 4].contains(&i) {
            assert_eq!(*code, 0, "{i}: {stderr}");
        }
    }
    assert!(main[5].1.contains("Four"), "{main:?}");
    assert!(main[6].1.contains("Three Ada"), "{main:?}");
    assert_eq!(reads(&repo, &linked, "1"), main);
    // Numbers are unknown in a shallow clone, in both worktrees alike.
    repo.prompt_in(&linked, &["log", "greet"])
        .code(1)
        .stderr_has("shallow clone");
}
