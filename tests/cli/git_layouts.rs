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

/// Commits, with `git fast-import`, one file at `path` on top of `main`.
fn fast_import(repo: &TestRepo, path: &str, text: &str) {
    let stream = format!(
        "commit refs/heads/main\ncommitter A <a@example.com> 1700000000 +0000\ndata 4\ndeep\n\
         from refs/heads/main^0\nM 100644 inline {path}\ndata {}\n{text}\n",
        text.len()
    );
    let mut child = repo
        .command("git", &repo.root())
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_folder_nested_deeper_than_git_reads_is_an_error_not_a_crash() {
    let repo = with_versions(&["One"]);
    // 15,000 folders: the walks recursed once per level and ended with SIGSEGV.
    fast_import(
        &repo,
        &format!("prompts/{}x.prompt.yaml", "a/".repeat(15_000)),
        "x",
    );
    for args in [&["list"][..], &["env"], &["log"], &["log", "greet"]] {
        let run = repo.prompt(args);
        if args == ["log", "greet"] {
            // One prompt's history does not open the deep folder.
            run.success().stdout_has("One");
            continue;
        }
        run.code(1)
            .stderr_has("prompts/a/a/a/…/a/a: folders are nested more than 2048 levels")
            .stderr_has("exceeded maximum allowed tree depth");
    }
}

#[test]
fn the_depth_bound_is_gits() {
    let repo = with_versions(&["One"]);
    // 2,048 folders below the repository root (prompts/ and 2,047 more) read, in git and here.
    fast_import(
        &repo,
        &format!("prompts/{}x.prompt.yaml", "a/".repeat(2_047)),
        "x",
    );
    repo.git(&["ls-tree", "-r", "HEAD"]);
    repo.prompt(&["list"]).success().stdout_has("greet");
    repo.prompt(&["log"]).success();
    // One more is refused by both.
    fast_import(
        &repo,
        &format!("prompts/{}y.prompt.yaml", "b/".repeat(2_048)),
        "y",
    );
    let out = repo
        .command("git", &repo.root())
        .args(["ls-tree", "-r", "HEAD"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("exceeded maximum allowed tree depth"));
    repo.prompt(&["list"])
        .code(1)
        .stderr_has("prompts/b/b/b/…/b/b: folders are nested more than 2048 levels");
}

/// A tree with two entries of one name (what `git mktree` writes when given both).
fn duplicate_tree(repo: &TestRepo, first: &str, second: &str) {
    let blob = |text: &str| -> String {
        let mut child = repo
            .command("git", &repo.root())
            .args(["hash-object", "-w", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (a, b) = (blob(first), blob(second));
    let listing = repo.git(&["ls-tree", "HEAD:prompts"]);
    let mut lines: Vec<String> = listing
        .lines()
        .filter(|l| !l.ends_with("\tgreet.prompt.yaml"))
        .map(str::to_string)
        .collect();
    lines.push(format!("100644 blob {a}\tgreet.prompt.yaml"));
    lines.push(format!("100644 blob {b}\tgreet.prompt.yaml"));
    let mut child = repo
        .command("git", &repo.root())
        .arg("mktree")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all((lines.join("\n") + "\n").as_bytes())
        .unwrap();
    let prompts = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let root = repo.git(&["ls-tree", "HEAD"]);
    let mut top: Vec<String> = root
        .lines()
        .filter(|l| !l.ends_with("\tprompts"))
        .map(str::to_string)
        .collect();
    top.push(format!("040000 tree {}\tprompts", prompts.trim()));
    let mut child = repo
        .command("git", &repo.root())
        .arg("mktree")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all((top.join("\n") + "\n").as_bytes())
        .unwrap();
    let tree = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let commit = repo.git(&["commit-tree", tree.trim(), "-p", "HEAD", "-m", "duplicates"]);
    repo.git(&["update-ref", "refs/heads/main", commit.trim()]);
}

#[test]
fn a_tree_with_a_name_twice_reads_its_first_entry_everywhere_as_git_does() {
    let repo = with_versions(&["One"]);
    duplicate_tree(&repo, &text_prompt("First"), &text_prompt("Second"));
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/greet.prompt.yaml"]),
        text_prompt("First"),
        "git reads the first entry"
    );
    repo.git(&["checkout", "-q", "--", "."]);
    let shown = repo.prompt(&["show", "greet@HEAD"]).success().stdout;
    assert!(shown.contains("First"), "{shown}");
    repo.prompt(&["render", "greet@2", "--var", "name=Ada"])
        .success()
        .stdout_has("First Ada");
    let log = repo.prompt(&["log", "greet", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), 2, "{log}");
    let list = repo.prompt(&["list", "--json"]).success().json();
    let greets: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == "greet")
        .collect();
    assert_eq!(greets.len(), 1, "{list}");
    assert_eq!(greets[0]["versions"], 2, "{list}");
    // The second entry changing alone changes nothing git reads: no new version.
    duplicate_tree(&repo, &text_prompt("First"), &text_prompt("Third"));
    let log = repo.prompt(&["log", "greet", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), 2, "{log}");
    let list = repo.prompt(&["list", "--json"]).success().json();
    let greet = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "greet")
        .unwrap();
    assert_eq!(greet["versions"], 2, "{list}");
}

/// A partial clone (`--filter=blob:none`) of a registry with three versions of `greet`, `staging`
/// at version 2: only the blobs of the checked-out commit are there.
fn partial_clone() -> (TestRepo, PathBuf) {
    let repo = with_versions(&["One", "Two", "Three"]);
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    let clone = clone_of(&repo, "partial", &["--filter=blob:none"]);
    repo.git_in(
        &clone,
        &["fetch", "-q", "origin", "refs/tags/*:refs/tags/*"],
    );
    assert_eq!(
        repo.git_in(&clone, &["config", "remote.origin.promisor"])
            .trim(),
        "true"
    );
    (repo, clone)
}

#[test]
fn a_partial_clone_fetches_old_versions_as_git_does() {
    let (repo, clone) = partial_clone();
    let run = |args: &[&str]| repo.prompt_in(&clone, args);
    run(&["show", "greet@1"]).success().stdout_has("One");
    run(&["render", "greet@staging", "--var", "name=Ada"])
        .success()
        .stdout_has("Two Ada");
    let diff = run(&["diff", "greet@1", "greet@3"]).success().stdout;
    assert!(diff.contains("One") && diff.contains("Three"), "{diff}");
    // The fetched blob is in the clone now: git reads it without the remote.
    let first = repo.git_in(&clone, &["rev-parse", "HEAD~2:prompts/greet.prompt.yaml"]);
    repo.git_in(&clone, &["cat-file", "-e", first.trim()]);
}

#[test]
fn a_partial_clone_checks_against_an_old_revision() {
    let (repo, clone) = partial_clone();
    repo.prompt_in(&clone, &["check", "--against", "HEAD~2"])
        .success();
}

#[test]
fn a_partial_clone_without_its_remote_says_what_to_run() {
    let (repo, clone) = partial_clone();
    std::fs::rename(repo.root(), repo.sibling("moved")).unwrap();
    repo.prompt_in(&clone, &["show", "greet@1"])
        .code(1)
        .stderr_has("not in this partial clone")
        .stderr_has("git fetch");
}

/// Gives the repository to user `nobody` (as git sees a clone made by someone else); `false`
/// when this process cannot (not root).
fn give_away(repo: &TestRepo) -> bool {
    std::process::Command::new("chown")
        .args(["-R", "nobody", repo.root().to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn safe_directory_forms_git_accepts_are_accepted_and_the_hint_works() {
    let repo = with_versions(&["One"]);
    if !give_away(&repo) {
        eprintln!("skipping: changing a repository's owner needs root");
        return;
    }
    let root = repo.root().display().to_string();
    let config = repo.sibling("home").join("gitconfig");
    // Refused, with the command git suggests; running it is enough (the hint used to loop:
    // libgit2 did not read the GIT_CONFIG_GLOBAL file that command writes).
    let run = repo.prompt(&["list"]).code(1);
    let hint = format!("git config --global --add safe.directory {root}");
    assert!(run.stderr.contains(&hint), "{}", run.stderr);
    repo.git(&["config", "--global", "--add", "safe.directory", &root]);
    repo.prompt(&["list"]).success().stdout_has("greet");
    // Every form git accepts.
    let parent = repo.root().parent().unwrap().display().to_string();
    for form in [format!("{parent}/*"), format!("{root}/"), "*".to_string()] {
        std::fs::write(&config, format!("[safe]\n\tdirectory = {form}\n")).unwrap();
        repo.prompt(&["log", "greet"]).success().stdout_has("One");
    }
    // From the command line's configuration variables.
    std::fs::write(&config, "").unwrap();
    repo.prompt(&["list"]).code(1);
    let run = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &repo.root())
        .args(["show", "greet@1"])
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "safe.directory")
        .env("GIT_CONFIG_VALUE_0", &root)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn sha256_and_reftable_repositories_get_one_clear_message() {
    let repo = TestRepo::new();
    for (name, option, what) in [
        ("sha256", "--object-format=sha256", "SHA-256 object ids"),
        ("reftable", "--ref-format=reftable", "reftable references"),
    ] {
        let dir = repo.sibling(name);
        repo.git_in(
            repo.root().parent().unwrap(),
            &["init", "-q", option, dir.to_str().unwrap()],
        );
        let run = repo.prompt_in(&dir, &["list"]).code(1);
        let want = format!("{}: this repository uses {what}", dir.display());
        assert!(run.stderr.contains(&want), "{}", run.stderr);
        assert!(
            run.stderr
                .contains("a git storage format prompt cannot read yet"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("class="),
            "no raw libgit2 text: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_message_in_another_encoding_reads_as_git_log_shows_it() {
    use std::os::unix::ffi::OsStrExt;
    let repo = with_versions(&["One"]);
    repo.write_prompt("greet", &text_prompt("Two"));
    // "Café crème" and the author "José" in ISO-8859-1, as `i18n.commitEncoding` writes them.
    std::fs::write(repo.sibling("message"), b"Caf\xe9 cr\xe8me\n").unwrap();
    repo.git(&["add", "-A"]);
    let out = repo
        .command("git", &repo.root())
        .args(["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F"])
        .arg(repo.sibling("message"))
        .env("GIT_AUTHOR_NAME", std::ffi::OsStr::from_bytes(b"Jos\xe9"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(repo
        .git(&["cat-file", "commit", "HEAD"])
        .contains("encoding ISO-8859-1"));
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an: %s"]),
        "José: Café crème\n"
    );
    for no_cache in [true, false, false] {
        let json = repo.prompt_cached(&["log", "greet", "--json"], no_cache);
        let log: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(log[0]["message"], "Café crème", "{log}");
        assert_eq!(log[0]["author"], "José", "{log}");
    }
    repo.prompt(&["log"]).success().stdout_has("Café crème");
}

#[test]
fn log_applies_the_mailmap_as_git_log_does() {
    let repo = with_versions(&["One", "Two"]);
    repo.write(
        ".mailmap",
        "Ada Lovelace <ada@lovelace.example> Ada Author <ada@example.com>\n",
    );
    repo.git(&["add", ".mailmap"]);
    repo.git(&["commit", "-q", "-m", "mailmap"]);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%aN <%aE>", "HEAD~1"]),
        "Ada Lovelace <ada@lovelace.example>\n"
    );
    for no_cache in [true, false] {
        let json = repo.prompt_cached(&["log", "greet", "--json"], no_cache);
        let log: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(log[0]["author"], "Ada Lovelace", "{log}");
        assert_eq!(log[0]["email"], "ada@lovelace.example", "{log}");
    }
    repo.prompt(&["log", "greet"])
        .success()
        .stdout_has("Ada Lovelace");
    repo.prompt(&["log"]).success().stdout_has("Ada Lovelace");
    // `log.mailmap=false` turns it off, for git and here.
    repo.git(&["config", "log.mailmap", "false"]);
    repo.prompt(&["log", "greet"])
        .success()
        .stdout_has("Ada Author");
}

/// `greet`'s template at `rev`, as `prompt show` prints it and as git reads the file there.
fn both_at(repo: &TestRepo, rev: &str) -> (String, String) {
    let ours = repo
        .prompt(&["show", &format!("greet@{rev}")])
        .success()
        .stdout;
    let theirs = repo.git(&["show", &format!("{rev}:prompts/greet.prompt.yaml")]);
    (ours, theirs)
}

#[test]
fn info_grafts_change_numbering_and_revisions_alike_as_in_git() {
    let repo = with_versions(&["One", "Two", "Three", "Four"]);
    // HEAD~1 ("Three") grafted onto HEAD~3 ("One"): "Two" leaves the history, for git and here.
    let (three, one) = (
        repo.git(&["rev-parse", "HEAD~1"]),
        repo.git(&["rev-parse", "HEAD~3"]),
    );
    let grafts = repo.root().join(".git/info/grafts");
    std::fs::create_dir_all(grafts.parent().unwrap()).unwrap();
    std::fs::write(&grafts, format!("{} {}\n", three.trim(), one.trim())).unwrap();
    let subjects = repo.git(&["log", "--format=%s", "--", "prompts/greet.prompt.yaml"]);
    assert_eq!(subjects, "Four\nThree\nOne\n");
    for no_cache in [true, false] {
        let json = repo.prompt_cached(&["log", "greet", "--json"], no_cache);
        let log: serde_json::Value = serde_json::from_str(&json).unwrap();
        let messages: Vec<_> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["message"].clone())
            .collect();
        assert_eq!(messages, ["Four", "Three", "One"], "{log}");
    }
    let (ours, theirs) = both_at(&repo, "HEAD~2");
    assert_eq!(ours, theirs);
    assert!(ours.contains("One"), "{ours}");
    repo.prompt(&["show", "greet@2"])
        .success()
        .stdout_has("Three");
}

#[test]
fn replace_refs_are_not_followed_by_numbering_or_revisions() {
    let repo = with_versions(&["One", "Two", "Three", "Four"]);
    repo.git(&["replace", "--graft", "HEAD~1", "HEAD~3"]);
    // git follows the replacement; `--no-replace-objects` reads the commits as stored, as every
    // clone (which does not fetch refs/replace/*) does: prompt reads them that way too.
    let stored = repo.git(&[
        "--no-replace-objects",
        "show",
        "HEAD~2:prompts/greet.prompt.yaml",
    ]);
    assert!(stored.contains("Two"), "{stored}");
    let json = repo.prompt_cached(&["log", "greet", "--json"], true);
    let log: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 4, "{log}");
    let ours = repo.prompt(&["show", "greet@HEAD~2"]).success().stdout;
    assert_eq!(ours, stored);
    repo.prompt(&["show", "greet@2"])
        .success()
        .stdout_has("Two");
}

#[test]
fn a_tree_less_partial_clone_fetches_folders_as_it_walks() {
    let repo = with_versions(&["One", "Two", "Three"]);
    repo.prompt(&["promote", "greet@2", "staging"]).success();
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    let clone = clone_of(&repo, "treeless", &["--filter=tree:0"]);
    repo.git_in(
        &clone,
        &["fetch", "-q", "origin", "refs/tags/*:refs/tags/*"],
    );
    let run = |args: &[&str]| repo.prompt_in(&clone, args);
    let list = run(&["list", "--json"]).success().json();
    let greet = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "greet")
        .unwrap();
    assert_eq!(greet["versions"], 3, "{list}");
    let log = run(&["log", "greet", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), 3, "{log}");
    run(&["show", "greet@1"]).success().stdout_has("One");
    run(&["render", "greet@staging", "--var", "name=Ada"])
        .success()
        .stdout_has("Two Ada");
}
