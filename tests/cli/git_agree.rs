//! Writes agree with git in the repositories teams have (issue 24, items 1 to 9): line endings
//! and filters, signing, hooks, identity, shared repositories, `GIT_DIR`/`GIT_WORK_TREE`, nested
//! repositories and submodules, and `push` with an upstream. Each test sets the configuration up
//! with the real `git` and compares what `prompt` wrote with what `git` makes or says.

use std::path::Path;

use crate::common::{text_prompt, Run, TestRepo};

/// A registry whose config is committed, so that history starts with it.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml", ".prompts.schema.json"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    repo
}

/// `prompt ARGS` at the root with extra environment variables.
#[allow(dead_code)]
fn prompt_env(repo: &TestRepo, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.args(args).output().expect("run prompt"))
}

/// The blob `git add` would store for the working file `rel`.
fn git_add_blob(repo: &TestRepo, rel: &str) -> String {
    repo.git(&["hash-object", "--", rel]).trim().to_string()
}

fn head_blob(repo: &TestRepo, rel: &str) -> String {
    repo.git(&["rev-parse", &format!("HEAD:{rel}")])
        .trim()
        .to_string()
}

fn clean_status(repo: &TestRepo) {
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "git status is not clean"
    );
}

// Item 1: line endings and filters.

#[test]
fn autocrlf_crlf_files_are_unchanged_and_stored_as_git_add_stores_them() {
    let repo = repo();
    repo.git(&["config", "core.autocrlf", "true"]);
    let crlf = text_prompt("Hello").replace('\n', "\r\n");
    // A new prompt written with CRLF (as on Windows) is stored with LF, as `git add` stores it.
    repo.write_prompt("a", &crlf);
    repo.prompt(&["commit", "-m", "one"]).success();
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/a.prompt.yaml"]),
        text_prompt("Hello")
    );
    assert_eq!(
        head_blob(&repo, "prompts/a.prompt.yaml"),
        git_add_blob(&repo, "prompts/a.prompt.yaml")
    );
    clean_status(&repo);
    // A checkout gives CRLF files; git calls them clean, and so does prompt.
    repo.git(&["rm", "-q", "--cached", "prompts/a.prompt.yaml"]);
    repo.git(&["reset", "-q"]);
    std::fs::remove_file(repo.root().join("prompts/a.prompt.yaml")).unwrap();
    repo.git(&["checkout", "--", "prompts/a.prompt.yaml"]);
    assert_eq!(repo.read("prompts/a.prompt.yaml"), crlf);
    clean_status(&repo);
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.prompt(&["commit", "-m", "nothing"]).code(1);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // Nor does any other command call it modified.
    repo.prompt(&["env", "a"]).success().stdout_has("unchanged");
    repo.prompt(&["diff", "--exit-code"]).success();
}

#[test]
fn eol_crlf_attribute_leaves_git_status_clean_after_a_commit() {
    let repo = repo();
    repo.write(".gitattributes", "*.prompt.yaml text eol=crlf\n");
    repo.git(&["add", ".gitattributes"]);
    repo.git(&["commit", "-q", "-m", "attributes"]);
    repo.write_prompt("a", &text_prompt("Hello").replace('\n', "\r\n"));
    repo.prompt(&["commit", "-m", "one"]).success();
    clean_status(&repo);
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/a.prompt.yaml"]),
        text_prompt("Hello")
    );
}

/// A clean/smudge filter that stands in for git-crypt: rot13 through `tr`.
fn rot13_repo() -> TestRepo {
    let repo = repo();
    let rot = "tr A-Za-z N-ZA-Mn-za-m";
    repo.git(&["config", "filter.rot13.clean", rot]);
    repo.git(&["config", "filter.rot13.smudge", rot]);
    repo.git(&["config", "filter.rot13.required", "true"]);
    repo.write(".gitattributes", "*.prompt.yaml filter=rot13\n");
    repo.git(&["add", ".gitattributes"]);
    repo.git(&["commit", "-q", "-m", "attributes"]);
    repo
}

fn rot13(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a') + 13) % 26 + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A') + 13) % 26 + b'A') as char,
            _ => c,
        })
        .collect()
}

#[test]
fn a_clean_filter_encodes_what_is_committed_and_git_status_stays_clean() {
    let repo = rot13_repo();
    repo.write_prompt("secret", &text_prompt("Password is swordfish"));
    repo.prompt(&["commit", "-m", "one"]).success();
    let stored = repo.git(&["cat-file", "blob", "HEAD:prompts/secret.prompt.yaml"]);
    assert_eq!(stored, rot13(&text_prompt("Password is swordfish")));
    assert!(
        !stored.contains("swordfish"),
        "committed decoded:\n{stored}"
    );
    assert_eq!(
        head_blob(&repo, "prompts/secret.prompt.yaml"),
        git_add_blob(&repo, "prompts/secret.prompt.yaml")
    );
    clean_status(&repo);
    // Unchanged as git sees it: nothing to commit.
    repo.prompt(&["commit", "-m", "again"]).code(1);
    // A change is found and committed encoded too.
    repo.write_prompt("secret", &text_prompt("Password is hunter2"));
    repo.prompt(&["commit", "-m", "two"]).success();
    let stored = repo.git(&["cat-file", "blob", "HEAD:prompts/secret.prompt.yaml"]);
    assert_eq!(stored, rot13(&text_prompt("Password is hunter2")));
    clean_status(&repo);
}

#[test]
fn reads_at_a_revision_show_what_a_checkout_gives_and_moves_see_no_change() {
    let repo = rot13_repo();
    repo.write_prompt("secret", &text_prompt("Password is swordfish"));
    repo.prompt(&["commit", "-m", "one"]).success();
    // `show ID@1` prints the prompt as written (smudged, as a checkout writes it), not the blob.
    repo.prompt(&["show", "secret@1"])
        .success()
        .stdout_has("Password is swordfish");
    repo.prompt(&["render", "secret@1", "--var", "name=Ada"])
        .success()
        .stdout_has("Password is swordfish Ada");
    // Unchanged as git sees it: `mv` and `rm` find no uncommitted change.
    repo.prompt(&["mv", "secret", "vault/secret"]).success();
    let stored = repo.git(&["cat-file", "blob", "HEAD:prompts/vault/secret.prompt.yaml"]);
    assert_eq!(stored, rot13(&text_prompt("Password is swordfish")));
    repo.prompt(&["rm", "vault/secret"]).success();
    clean_status(&repo);
}

// Item 2: signing.

/// An ssh signing key in the test's temp folder, with an allowed-signers file for verification.
fn ssh_signing(repo: &TestRepo) -> Option<std::path::PathBuf> {
    let key = repo.sibling("signing-key");
    let made = repo
        .command("ssh-keygen", &repo.root())
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "ada@example.com",
            "-f",
        ])
        .arg(&key)
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: ssh-keygen is not available to make a signing key");
        return None;
    }
    let public = key.with_extension("pub");
    let allowed = repo.sibling("allowed-signers");
    let line = std::fs::read_to_string(&public).unwrap();
    std::fs::write(&allowed, format!("ada@example.com {line}")).unwrap();
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingKey", public.to_str().unwrap()]);
    repo.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        allowed.to_str().unwrap(),
    ]);
    Some(public)
}

#[test]
fn commit_gpgsign_signs_the_commit_as_git_does() {
    let repo = repo();
    if ssh_signing(&repo).is_none() {
        return;
    }
    repo.git(&["config", "commit.gpgSign", "true"]);
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "signed"]).success();
    repo.git(&["verify-commit", "HEAD"]);
    assert!(repo
        .git(&["cat-file", "commit", "HEAD"])
        .contains("gpgsig -----BEGIN SSH SIGNATURE"));
}

#[test]
fn a_commit_that_cannot_be_signed_is_refused_as_git_refuses_it() {
    let repo = repo();
    if ssh_signing(&repo).is_none() {
        return;
    }
    repo.git(&["config", "commit.gpgSign", "true"]);
    let missing = repo.sibling("no-such-key.pub");
    repo.git(&["config", "user.signingKey", missing.to_str().unwrap()]);
    repo.write_prompt("a", &text_prompt("Hello"));
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.prompt(&["commit", "-m", "unsigned?"])
        .code(1)
        .stderr_has("could not be signed");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // The index is as it was: the prompt is not staged.
    assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
}

#[test]
fn tag_gpgsign_signs_environment_tags_or_refuses() {
    let repo = repo();
    if ssh_signing(&repo).is_none() {
        return;
    }
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.git(&["config", "tag.gpgSign", "true"]);
    repo.prompt(&["promote", "a@1", "staging"]).success();
    repo.git(&["verify-tag", "a@staging"]);
    // The records still read back.
    let history = repo
        .prompt(&["env", "history", "a", "staging", "--json"])
        .success();
    assert_eq!(history.json()[0]["version"], 1, "{}", history.stdout);
    assert_eq!(history.json()[0]["by"], "Ada Author <ada@example.com>");
    let before = repo.git(&["rev-parse", "refs/tags/a@staging"]);
    let missing = repo.sibling("no-such-key.pub");
    repo.git(&["config", "user.signingKey", missing.to_str().unwrap()]);
    repo.write_prompt("a", &text_prompt("Hello again"));
    repo.prompt(&["commit", "-m", "two"]).success();
    repo.prompt(&["promote", "a@2", "staging"])
        .code(1)
        .stderr_has("could not be signed");
    assert_eq!(repo.git(&["rev-parse", "refs/tags/a@staging"]), before);
}

#[test]
fn openpgp_signs_commits_and_tags_with_the_committers_key() {
    let repo = repo();
    // A key for the committer's identity in the test's own HOME (its own gpg-agent, stopped at
    // the end).
    let made = repo
        .command("gpg", &repo.root())
        .args(["--batch", "--passphrase", "", "--quick-gen-key"])
        .args(["Ada Author <ada@example.com>", "ed25519", "sign", "never"])
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: gpg is not available to make a signing key");
        return;
    }
    struct Agent<'a>(&'a TestRepo);
    impl Drop for Agent<'_> {
        fn drop(&mut self) {
            let _ = self
                .0
                .command("gpgconf", &self.0.root())
                .args(["--kill", "gpg-agent"])
                .output();
        }
    }
    let _agent = Agent(&repo);
    repo.git(&["config", "commit.gpgSign", "true"]);
    repo.git(&["config", "tag.gpgSign", "true"]);
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "signed"]).success();
    repo.git(&["verify-commit", "HEAD"]);
    repo.prompt(&["promote", "a@1", "staging"]).success();
    repo.git(&["verify-tag", "a@staging"]);
    let tag = repo.git(&["cat-file", "tag", "a@staging"]);
    assert!(tag.contains("-----BEGIN PGP SIGNATURE-----"), "{tag}");
}

// Item 3: hooks.

fn hook(dir: &Path, name: &str, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_failing_pre_commit_hook_blocks_the_commit_and_no_verify_skips_it() {
    let repo = repo();
    let hooks = repo.root().join(".git/hooks");
    hook(
        &hooks,
        "pre-commit",
        "echo 'pre-commit says no' >&2; exit 1",
    );
    repo.write_prompt("a", &text_prompt("Hello"));
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.prompt(&["commit", "-m", "blocked"])
        .code(1)
        .stderr_has("pre-commit says no")
        .stderr_has("pre-commit hook refused");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
    repo.prompt(&["commit", "--no-verify", "-m", "skipped"])
        .success();
    assert_ne!(repo.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn pre_commit_sees_the_commit_in_its_index_as_with_git_commit_paths() {
    let repo = repo();
    let hooks = repo.root().join(".git/hooks");
    let seen = repo.sibling("seen");
    hook(
        &hooks,
        "pre-commit",
        &format!("git diff --cached --name-only HEAD > '{}'", seen.display()),
    );
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.write_prompt("b", &text_prompt("Other"));
    repo.prompt(&["commit", "a", "-m", "only a"]).success();
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        "prompts/a.prompt.yaml\n"
    );
}

#[test]
fn a_branch_a_hook_moves_is_committed_onto_with_the_whole_tree() {
    let repo = repo();
    repo.write("notes.txt", "x\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "notes"]);
    let notes = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    // The branch moves while the hook runs (as a fetch into it would): the commit is built
    // again on the new tip, whole.
    let hooks = repo.root().join(".git/hooks");
    hook(
        &hooks,
        "pre-commit",
        &format!("git update-ref refs/heads/main {}", notes.trim()),
    );
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "raced"]).success();
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), notes);
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "prompts/a.prompt.yaml\n"
    );
    let files = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(
        files.contains(".prompts.yaml") && files.contains("notes.txt"),
        "{files}"
    );
}

#[test]
fn commit_msg_edits_the_message_and_post_commit_runs() {
    let repo = repo();
    let hooks = repo.root().join(".git/hooks");
    hook(
        &hooks,
        "commit-msg",
        "printf '\\nReviewed-by: Hook <hook@example.com>\\n' >> \"$1\"",
    );
    let marker = repo.sibling("post-commit-ran");
    hook(
        &hooks,
        "post-commit",
        &format!("git rev-parse HEAD > '{}'", marker.display()),
    );
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "with trailer"]).success();
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert_eq!(
        message.trim_end(),
        "with trailer\n\nReviewed-by: Hook <hook@example.com>"
    );
    assert_eq!(
        std::fs::read_to_string(&marker).unwrap(),
        repo.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn a_failing_commit_msg_hook_blocks_and_core_hooks_path_is_honoured() {
    let repo = repo();
    let elsewhere = repo.sibling("team-hooks");
    hook(
        &elsewhere,
        "commit-msg",
        "grep -q JIRA- \"$1\" || { echo 'needs a ticket' >&2; exit 1; }",
    );
    repo.git(&["config", "core.hooksPath", elsewhere.to_str().unwrap()]);
    repo.write_prompt("a", &text_prompt("Hello"));
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.prompt(&["commit", "-m", "no ticket"])
        .code(1)
        .stderr_has("needs a ticket");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    repo.prompt(&["commit", "-m", "JIRA-1 tone"]).success();
    assert_ne!(repo.git(&["rev-parse", "HEAD"]), head);
}

// Item 4: identity, as git decides it.

const IDENTITY_VARS: [&str; 4] = [
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
];

/// `program ARGS` at the root without the identity variables the sealed environment sets, and
/// with `env` added.
fn without_identity(repo: &TestRepo, program: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let program = match program {
        "prompt" => env!("CARGO_BIN_EXE_prompt"),
        other => other,
    };
    let mut cmd = repo.command(program, &repo.root());
    for var in IDENTITY_VARS {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.args(args).output().expect("run"))
}

/// Commits a change with `prompt`, and returns the new commit's author and committer as
/// `Name <email>`, with what `git var` says under the same environment.
fn identities(repo: &TestRepo, env: &[(&str, &str)]) -> ([String; 2], [String; 2]) {
    let n = repo.git(&["rev-list", "--count", "HEAD"]);
    repo.write_prompt("a", &text_prompt(&format!("Hello {}", n.trim())));
    without_identity(repo, "prompt", &["commit", "-m", "who"], env).success();
    let made = repo.git(&["log", "-1", "--format=%an <%ae>%n%cn <%ce>"]);
    let mut made = made.lines().map(str::to_string);
    let var = |role: &str| {
        let line = without_identity(repo, "git", &["var", role], env)
            .success()
            .stdout;
        line.rsplitn(3, ' ').nth(2).unwrap().to_string()
    };
    (
        [made.next().unwrap(), made.next().unwrap()],
        [var("GIT_AUTHOR_IDENT"), var("GIT_COMMITTER_IDENT")],
    )
}

#[test]
fn identity_comes_from_every_source_git_reads() {
    let repo = repo();
    // GIT_CONFIG_GLOBAL names the global file (the sealed environment's, here).
    let global = repo.sibling("home/gitconfig");
    let work = repo.sibling("work.inc");
    std::fs::write(
        &work,
        "[user]\n\tname = Work Person\n\temail = work@example.com\n",
    )
    .unwrap();
    std::fs::write(
        &global,
        format!(
            "[user]\n\tname = Home Person\n\temail = home@example.com\n\
             [includeIf \"hasconfig:remote.*.url:https://work.example/**\"]\n\tpath = {}\n",
            work.display()
        ),
    )
    .unwrap();
    let (made, git) = identities(&repo, &[]);
    assert_eq!(
        made,
        [
            "Home Person <home@example.com>",
            "Home Person <home@example.com>"
        ]
    );
    assert_eq!(made, git);
    // includeIf hasconfig:remote.*.url: a remote of the work forge switches identity.
    repo.git(&[
        "remote",
        "add",
        "origin",
        "https://work.example/team/prompts.git",
    ]);
    let (made, git) = identities(&repo, &[]);
    assert_eq!(made[0], "Work Person <work@example.com>");
    assert_eq!(made, git);
    // author.* and committer.* take precedence over user.*, each for its role.
    repo.git(&["config", "author.name", "Writer"]);
    repo.git(&["config", "committer.email", "bot@example.com"]);
    let (made, git) = identities(&repo, &[]);
    assert_eq!(
        made,
        ["Writer <work@example.com>", "Work Person <bot@example.com>"]
    );
    assert_eq!(made, git);
    // GIT_CONFIG_COUNT / KEY_n / VALUE_n, as `git -c` passes them.
    let env = [
        ("GIT_CONFIG_COUNT", "1"),
        ("GIT_CONFIG_KEY_0", "author.email"),
        ("GIT_CONFIG_VALUE_0", "count@example.com"),
    ];
    let (made, git) = identities(&repo, &env);
    assert_eq!(made[0], "Writer <count@example.com>");
    assert_eq!(made, git);
    // Another GIT_CONFIG_GLOBAL.
    let other = repo.sibling("other-global");
    std::fs::write(
        &other,
        "[user]\n\tname = Other\n\temail = other@example.com\n",
    )
    .unwrap();
    repo.git(&["remote", "remove", "origin"]);
    repo.git(&["config", "--unset", "author.name"]);
    repo.git(&["config", "--unset", "committer.email"]);
    let (made, git) = identities(&repo, &[("GIT_CONFIG_GLOBAL", other.to_str().unwrap())]);
    assert_eq!(
        made,
        ["Other <other@example.com>", "Other <other@example.com>"]
    );
    assert_eq!(made, git);
}

#[test]
fn use_config_only_refuses_as_git_does_and_promote_tags_with_gits_identity() {
    let repo = repo();
    let global = repo.sibling("home/gitconfig");
    std::fs::write(
        &global,
        "[user]\n\tuseConfigOnly = true\n\tname = Only Name\n",
    )
    .unwrap();
    repo.write_prompt("a", &text_prompt("Hello"));
    let head = repo.git(&["rev-parse", "HEAD"]);
    without_identity(&repo, "prompt", &["commit", "-m", "x"], &[])
        .code(1)
        .stderr_has("user.email is not set");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    without_identity(&repo, "git", &["var", "GIT_COMMITTER_IDENT"], &[]).code(128);
    // With the email from the repository's config, the tagger is git's committer.
    repo.git(&["config", "user.email", "only@example.com"]);
    without_identity(&repo, "prompt", &["commit", "-m", "x"], &[]).success();
    without_identity(&repo, "prompt", &["promote", "a@1", "staging"], &[]).success();
    let tag = repo.git(&["cat-file", "tag", "a@staging"]);
    assert!(
        tag.contains("\ntagger Only Name <only@example.com> "),
        "{tag}"
    );
}

// Item 5: core.sharedRepository=group.

/// Files and folders below `dir` that a teammate in the group could not write.
#[cfg(unix)]
fn not_group_writable(dir: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let meta = entry.metadata().unwrap();
        let mode = meta.permissions().mode();
        // Loose objects are read-only for everyone, as git makes them.
        let readonly_object = mode & 0o222 == 0 && mode & 0o040 != 0;
        if mode & 0o020 == 0 && !readonly_object {
            out.push(format!("{} {:o}", entry.path().display(), mode & 0o7777));
        }
        if meta.is_dir() {
            out.extend(not_group_writable(&entry.path()));
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn a_shared_repository_stays_group_writable() {
    let repo = TestRepo::bare_git();
    repo.git(&["init", "-q", "--shared=group"]);
    // What git left private before prompt ran (files `git init` made before the setting) is
    // not prompt's; everything prompt adds or rewrites must be group-writable.
    let git_dir = repo.root().join(".git");
    let before = not_group_writable(&git_dir);
    repo.prompt(&["init"]).success();
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.prompt(&["promote", "a@1", "staging"]).success();
    repo.write_prompt("a", &text_prompt("Hello again"));
    repo.prompt(&["commit", "-m", "two"]).success();
    repo.prompt(&["mv", "a", "team/a"]).success();
    // Reads that write the history cache.
    repo.prompt(&["log", "team/a"]).success();
    repo.prompt(&["list"]).success();
    let bad: Vec<String> = not_group_writable(&git_dir)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert!(bad.is_empty(), "not group-writable:\n{}", bad.join("\n"));
}

// Item 6: GIT_DIR and GIT_WORK_TREE.

#[test]
fn git_dir_and_git_work_tree_name_the_repository_as_for_git() {
    let repo = repo();
    repo.write_prompt("mine", &text_prompt("Mine"));
    // Another repository, whose folder the command runs in.
    let other = repo.sibling("other");
    std::fs::create_dir_all(&other).unwrap();
    repo.git_in(&other, &["init", "-q", "-b", "main"]);
    let git_dir = repo.root().join(".git");
    let top = repo.root();
    let env = [
        ("GIT_DIR", git_dir.to_str().unwrap()),
        ("GIT_WORK_TREE", top.to_str().unwrap()),
    ];
    let run = |args: &[&str]| {
        let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &other);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.args(args).output().unwrap())
    };
    run(&["list"]).success().stdout_has("mine");
    run(&["commit", "-m", "from elsewhere"]).success();
    assert_eq!(
        repo.git(&["show", "HEAD:prompts/mine.prompt.yaml"]),
        text_prompt("Mine")
    );
    // The other repository is untouched.
    assert!(
        Run::from(
            repo.command("git", &other)
                .args(["rev-parse", "--verify", "-q", "HEAD"])
                .output()
                .unwrap()
        )
        .code
            != 0
    );
    // `init` with GIT_DIR naming a repository elsewhere makes no repository in the folder.
    let fresh = repo.sibling("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    let elsewhere = repo.sibling("elsewhere.git");
    repo.git_in(
        &fresh,
        &["init", "-q", "--bare", elsewhere.to_str().unwrap()],
    );
    repo.git_in(
        &fresh,
        &[
            "--git-dir",
            elsewhere.to_str().unwrap(),
            "config",
            "core.bare",
            "false",
        ],
    );
    let out = repo
        .command(env!("CARGO_BIN_EXE_prompt"), &fresh)
        .env("GIT_DIR", &elsewhere)
        .args(["init"])
        .output()
        .unwrap();
    Run::from(out).success();
    assert!(
        !fresh.join(".git").exists(),
        "init made a nested repository"
    );
    assert!(fresh.join(".prompts.yaml").exists());
}

// Item 7: nested repositories and submodules under the prompts folder.

#[test]
fn a_nested_clone_is_not_committed_and_is_reported_once() {
    let repo = repo();
    let nested = repo.root().join("prompts/vendor");
    std::fs::create_dir_all(&nested).unwrap();
    repo.git_in(&nested, &["init", "-q", "-b", "main"]);
    std::fs::write(nested.join("theirs.prompt.yaml"), text_prompt("Theirs")).unwrap();
    repo.write_prompt("mine", &text_prompt("Mine"));
    let out = repo.prompt(&["commit", "-m", "mine"]).success();
    assert_eq!(
        out.stderr
            .matches("prompts/vendor is a git repository")
            .count(),
        1,
        "{}",
        out.stderr
    );
    let files = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(!files.contains("vendor"), "{files}");
    let listed = repo.prompt(&["list"]).success();
    assert!(!listed.stdout.contains("theirs"), "{}", listed.stdout);
}

#[test]
fn commits_without_ids_work_with_a_submodule_under_the_root() {
    let repo = repo();
    let upstream = repo.sibling("upstream");
    std::fs::create_dir_all(&upstream).unwrap();
    repo.git_in(&upstream, &["init", "-q", "-b", "main"]);
    std::fs::write(upstream.join("theirs.prompt.yaml"), text_prompt("Theirs")).unwrap();
    repo.git_in(&upstream, &["add", "."]);
    repo.git_in(&upstream, &["commit", "-q", "-m", "theirs"]);
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        upstream.to_str().unwrap(),
        "prompts/shared",
    ]);
    repo.git(&["commit", "-q", "-m", "submodule"]);
    repo.write_prompt("mine", &text_prompt("Mine"));
    repo.prompt(&["commit", "-m", "mine"])
        .success()
        .stdout_has("mine: version 1");
    // The submodule is still a submodule at the same commit.
    let entry = repo.git(&["ls-tree", "HEAD", "prompts/shared"]);
    assert!(entry.starts_with("160000 commit "), "{entry}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

// Item 8: push follows the upstream and push.default.

#[test]
fn push_follows_the_upstream_as_push_default_says() {
    let repo = repo();
    let remote = repo.bare_origin();
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.git(&["push", "-q", "origin", "main:release"]);
    repo.git(&["branch", "-q", "--set-upstream-to=origin/release"]);
    repo.write_prompt("a", &text_prompt("Hello again"));
    repo.prompt(&["commit", "-m", "two"]).success();
    let remote_git = |args: &[&str]| {
        let mut all = vec!["--git-dir", remote.to_str().unwrap()];
        all.extend_from_slice(args);
        Run::from(
            repo.command("git", &repo.root())
                .args(&all)
                .output()
                .unwrap(),
        )
    };
    // simple (git's default): an upstream of another name is refused, as `git push` refuses.
    repo.prompt(&["push"])
        .code(1)
        .stderr_has("push.default `simple`");
    assert_ne!(
        remote_git(&["rev-parse", "--verify", "-q", "refs/heads/main"]).code,
        0
    );
    // upstream: the upstream branch moves; no branch of the local name is made.
    repo.git(&["config", "push.default", "upstream"]);
    repo.prompt(&["push"])
        .success()
        .stdout_has("main: pushed to origin/release");
    assert_eq!(
        remote_git(&["rev-parse", "refs/heads/release"]).stdout,
        repo.git(&["rev-parse", "HEAD"])
    );
    assert_ne!(
        remote_git(&["rev-parse", "--verify", "-q", "refs/heads/main"]).code,
        0
    );
}

#[test]
fn push_with_an_upstream_of_the_same_name_says_where() {
    let repo = repo();
    repo.bare_origin();
    repo.write_prompt("a", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "one"]).success();
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    repo.write_prompt("a", &text_prompt("Hello again"));
    repo.prompt(&["commit", "-m", "two"]).success();
    repo.prompt(&["push"])
        .success()
        .stdout_has("main: pushed to origin/main");
}

// Item 9: the same write made by prompt and by plain git agrees, under each configuration.

/// Sets one configuration up in a fresh registry: `plain`, `autocrlf`, `eol-crlf`, `filter`.
fn configured(kind: &str) -> TestRepo {
    let repo = match kind {
        "filter" => return rot13_repo(),
        _ => repo(),
    };
    match kind {
        "autocrlf" => {
            repo.git(&["config", "core.autocrlf", "true"]);
        }
        "eol-crlf" => {
            repo.write(".gitattributes", "*.prompt.yaml text eol=crlf\n");
            repo.git(&["add", ".gitattributes"]);
            repo.git(&["commit", "-q", "-m", "attributes"]);
        }
        _ => {}
    }
    repo
}

#[test]
fn prompt_and_git_make_the_same_tree_and_index_under_each_configuration() {
    for kind in ["plain", "autocrlf", "eol-crlf", "filter"] {
        let by_prompt = configured(kind);
        let by_git = configured(kind);
        let files = [
            ("a", text_prompt("Hello")),
            ("team/b", text_prompt("Line one").replace('\n', "\r\n")),
        ];
        for repo in [&by_prompt, &by_git] {
            for (id, text) in &files {
                repo.write_prompt(id, text);
            }
        }
        by_prompt.prompt(&["commit", "-m", "both"]).success();
        by_git.git(&["add", "prompts"]);
        by_git.git(&["commit", "-q", "-m", "both"]);
        let tree = |r: &TestRepo| r.git(&["rev-parse", "HEAD^{tree}"]);
        assert_eq!(tree(&by_prompt), tree(&by_git), "{kind}: trees differ");
        let index = |r: &TestRepo| r.git(&["ls-files", "-s", "--", "prompts"]);
        assert_eq!(
            index(&by_prompt),
            index(&by_git),
            "{kind}: index entries differ"
        );
        assert_eq!(by_prompt.git(&["status", "--porcelain"]), "", "{kind}");
        assert_eq!(by_git.git(&["status", "--porcelain"]), "", "{kind}");
    }
}
