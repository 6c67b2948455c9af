//! Version numbers, drafts and environments across real git topologies (contract §4–§5): feature
//! branches, merge commits, squash and rebase merges, detached HEADs, pull-request checkouts in CI
//! with only `origin/main`, shallow clones before and after `git fetch --unshallow`, and every way
//! git stores objects (loose, packed with either kind of delta, several packs, alternates). Every
//! repository here is built with the real `git` program.

use std::path::Path;

use crate::common::{text_prompt, Run, TestRepo};

/// A registry on `main` with `greet` committed once per text.
fn with_versions(texts: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    for text in texts {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    repo
}

/// `prompt ARGS` in `dir`.
fn run_in(repo: &TestRepo, dir: &Path, args: &[&str]) -> Run {
    repo.prompt_in(dir, args)
}

/// The (version, commit) pairs of `log ID --json` in `dir`, newest first; drafts have no version.
fn log_of(repo: &TestRepo, dir: &Path, id: &str) -> Vec<(Option<u64>, String)> {
    let run = run_in(repo, dir, &["log", id, "--json"]).success();
    run.json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            (
                e["version"].as_u64(),
                e["commit"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A clone of the repository over `file://` (so that `--depth` applies) into a sibling folder.
fn clone_of(repo: &TestRepo, name: &str, options: &[&str]) -> std::path::PathBuf {
    let dir = repo.sibling(name);
    let url = format!("file://{}", repo.root().display());
    let mut args = vec!["clone", "-q"];
    args.extend_from_slice(options);
    args.extend([url.as_str(), dir.to_str().unwrap()]);
    repo.git_in(repo.root().parent().unwrap(), &args);
    dir
}

/// The full id of a revision in `dir`.
fn rev(repo: &TestRepo, dir: &Path, spec: &str) -> String {
    repo.git_in(dir, &["rev-parse", spec]).trim().to_string()
}

#[test]
fn a_feature_branch_commit_is_a_draft_until_a_merge_commit_numbers_it() {
    let repo = with_versions(&["One", "Two"]);
    let root = repo.root();
    repo.git(&["switch", "-q", "-c", "feature"]);
    repo.write_prompt("greet", &text_prompt("Three"));
    let committed = repo.prompt(&["commit", "-m", "Three"]).success();
    assert!(
        committed
            .stdout
            .contains("greet: draft on branch feature (")
            && !committed.stdout.contains("version"),
        "{}",
        committed.stdout
    );
    let draft = rev(&repo, &root, "HEAD");

    // log: the draft above the numbered versions, marked with its branch and commit.
    let log = repo.prompt(&["log", "greet"]).success();
    let lines: Vec<&str> = log.stdout.lines().collect();
    assert!(
        lines[0].starts_with("draft  ") && lines[0].contains("[on feature]"),
        "{}",
        log.stdout
    );
    assert!(lines[0].contains(&draft[..7]), "{}", log.stdout);
    assert!(
        lines[1].starts_with("@2") && lines[2].starts_with("@1"),
        "{}",
        log.stdout
    );
    let json = repo.prompt(&["log", "greet", "--json"]).success().json();
    assert_eq!(json[0]["version"], serde_json::Value::Null);
    assert_eq!(json[0]["draft"], true);
    assert_eq!(json[0]["branch"], "feature");
    assert_eq!(json[1]["version"], 2);
    // The registry's log shows the draft commit above the release line's, without numbers.
    let all = repo.prompt(&["log", "--json"]).success().json();
    assert_eq!(all[0]["draft"], true);
    assert_eq!(all[0]["branch"], "feature");
    assert_eq!(all[0]["prompts"][0]["id"], "greet");
    assert_eq!(all[0]["prompts"][0]["version"], serde_json::Value::Null);
    assert_eq!(all[1]["prompts"][0]["version"], 2);
    assert!(all[1].get("draft").is_none());
    repo.prompt(&["log"])
        .success()
        .stdout_has("[draft on feature]")
        .stdout_has("greet (draft)")
        .stdout_has("greet@2");
    // Numbers and latest are the release line's, on any branch.
    repo.prompt(&["show", "greet@latest"])
        .success()
        .stdout_has("Two");
    let shown = repo.prompt(&["show", "greet@feature", "--json"]).success();
    let shown_json = shown.json();
    assert_eq!(shown_json["version"], serde_json::Value::Null);
    assert_eq!(shown_json["draft"]["branch"], "feature");
    assert_eq!(shown_json["draft"]["commit"], draft.as_str());
    assert!(shown.stderr.contains("draft"), "{}", shown.stderr);

    // A draft never reaches a protected environment, not even with --yes.
    repo.prompt(&["promote", "greet@feature", "production", "--yes"])
        .code(1)
        .stderr_has("draft")
        .stderr_has("protected");
    assert_eq!(repo.git(&["tag", "-l"]), "", "no tag was written");
    // Elsewhere it is promoted with a warning, and marked as a draft everywhere it shows.
    repo.prompt(&["promote", "greet@feature", "development"])
        .success()
        .stderr_has("warning:")
        .stdout_has("greet@development: draft ");
    let env = repo.prompt(&["env", "--json"]).success().json();
    let cell = &env[0]["environments"]["development"];
    assert_eq!(cell["draft"], true);
    assert_eq!(cell["branch"], "feature");
    assert_eq!(cell["version"], serde_json::Value::Null);
    assert_eq!(env[0]["latest"], 2);
    repo.prompt(&["env"]).success().stdout_has("draft ");
    let history = repo
        .prompt(&["env", "history", "greet", "development", "--json"])
        .success()
        .json();
    assert_eq!(history[0]["draft"], true);
    assert_eq!(history[0]["version"], serde_json::Value::Null);
    let bundle = repo
        .prompt(&["bundle", "--env", "development", "-o", "-"])
        .success();
    assert!(bundle.stderr.contains("draft"), "{}", bundle.stderr);
    let bundled = &bundle.json()["prompts"]["greet"];
    assert_eq!(bundled["version"], serde_json::Value::Null);
    assert_eq!(bundled["draft"]["branch"], "feature");
    assert_eq!(bundled["commit"], draft.as_str());

    // A merge commit brings the change onto the release line: it is version 3, on every branch.
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "feature", "-m", "Merge feature"]);
    let merge = rev(&repo, &root, "HEAD");
    let on_main = log_of(&repo, &root, "greet");
    assert_eq!(on_main.len(), 3);
    assert_eq!(on_main[0], (Some(3), merge.clone()));
    assert!(
        on_main.iter().all(|(_, c)| *c != draft),
        "the branch commit is no version"
    );
    repo.git(&["switch", "-q", "feature"]);
    assert_eq!(
        log_of(&repo, &root, "greet"),
        on_main,
        "same numbers on the merged branch"
    );
    let at3 = repo.prompt(&["show", "greet@3", "--json"]).success().json();
    assert_eq!(at3["commit"], merge.as_str());
    // The merged version goes to production like any other.
    repo.prompt(&["promote", "greet@3", "production", "--yes"])
        .success()
        .stdout_has("greet@production: version 3");
}

#[test]
fn squash_and_rebase_merges_number_the_commits_on_the_release_line() {
    let repo = with_versions(&["One"]);
    let root = repo.root();
    // Squash: two branch commits become one version.
    repo.git(&["switch", "-q", "-c", "squashed"]);
    for text in ["Two a", "Two b"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text])
            .success()
            .stdout_has("draft");
    }
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--squash", "squashed"]);
    repo.git(&["commit", "-q", "-m", "Squashed"]);
    let squash = rev(&repo, &root, "HEAD");
    let log = log_of(&repo, &root, "greet");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0], (Some(2), squash));

    // Rebase: the branch's two commits are replayed onto main and fast-forwarded: two versions.
    repo.git(&["switch", "-q", "-c", "rebased", "HEAD~1"]);
    for text in ["Three a", "Three b"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    repo.git(&["rebase", "-q", "-X", "theirs", "main"]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["merge", "-q", "--ff-only", "rebased"]);
    let log = log_of(&repo, &root, "greet");
    assert_eq!(log.len(), 4, "{log:?}");
    assert_eq!(log[0], (Some(4), rev(&repo, &root, "HEAD")));
    assert_eq!(log[1], (Some(3), rev(&repo, &root, "HEAD~1")));
    repo.prompt(&["show", "greet@4"])
        .success()
        .stdout_has("Three b");

    // Every clone agrees.
    let clone = clone_of(&repo, "clone", &[]);
    assert_eq!(log_of(&repo, &clone, "greet"), log);
}

#[test]
fn a_pull_request_checkout_in_ci_numbers_versions_on_origin_main() {
    let repo = with_versions(&["One", "Two"]);
    let root = repo.root();
    repo.git(&["switch", "-q", "-c", "pr"]);
    repo.write_prompt("greet", &text_prompt("Proposed"));
    repo.prompt(&["commit", "-m", "Proposed"]).success();
    let pr_head = rev(&repo, &root, "HEAD");
    repo.git(&["switch", "-q", "main"]);
    let main_log = log_of(&repo, &root, "greet");

    // What actions/checkout does for a pull request: fetch the PR head, check it out detached,
    // with no local branch at all and `main` only as `origin/main`.
    let ci = repo.sibling("ci");
    std::fs::create_dir_all(&ci).unwrap();
    let url = format!("file://{}", root.display());
    repo.git_in(&ci, &["init", "-q"]);
    repo.git_in(&ci, &["remote", "add", "origin", &url]);
    repo.git_in(
        &ci,
        &[
            "fetch",
            "-q",
            "origin",
            "+refs/heads/main:refs/remotes/origin/main",
            "+refs/heads/pr:refs/remotes/origin/pr",
        ],
    );
    repo.git_in(&ci, &["checkout", "-q", "--detach", &pr_head]);
    let branches = repo.git_in(&ci, &["branch", "--list"]);
    assert!(
        branches.lines().all(|l| l.contains("HEAD detached")),
        "{branches}"
    );

    let ci_log = log_of(&repo, &ci, "greet");
    assert_eq!(
        ci_log[0],
        (None, pr_head.clone()),
        "the PR's change is a draft"
    );
    assert_eq!(&ci_log[1..], &main_log[..], "numbers are main's");
    let json = run_in(&repo, &ci, &["log", "greet", "--json"])
        .success()
        .json();
    assert_eq!(json[0]["branch"], "origin/pr");
    run_in(&repo, &ci, &["show", "greet@latest"])
        .success()
        .stdout_has("Two");
    run_in(&repo, &ci, &["show", "greet@2"])
        .success()
        .stdout_has("Two");
    run_in(&repo, &ci, &["show", "greet"])
        .success()
        .stdout_has("Proposed");
    run_in(&repo, &ci, &["check"]).success();
    run_in(
        &repo,
        &ci,
        &["diff", "greet@latest", "greet", "--exit-code"],
    )
    .code(1)
    .stdout_has("Proposed");
}

#[test]
fn a_commit_on_a_detached_head_warns_and_is_a_draft_on_no_branch() {
    let repo = with_versions(&["One", "Two"]);
    repo.git(&["checkout", "-q", "--detach"]);
    repo.write_prompt("greet", &text_prompt("Loose"));
    repo.prompt(&["commit", "-m", "Loose"])
        .success()
        .stdout_has("greet: draft on no branch (")
        .stderr_has("warning: HEAD is detached")
        .stderr_has("git switch -c");
    let log = repo.prompt(&["log", "greet"]).success();
    assert!(
        log.stdout
            .lines()
            .next()
            .unwrap()
            .contains("[on no branch]"),
        "{}",
        log.stdout
    );
    repo.prompt(&["promote", "greet@HEAD", "production", "--yes"])
        .code(1)
        .stderr_has("draft");
    // main did not move: still two versions.
    repo.git(&["switch", "-q", "main"]);
    assert_eq!(log_of(&repo, &repo.root(), "greet").len(), 2);
}

#[test]
fn a_shallow_clone_says_numbers_are_unknown_until_unshallowed() {
    let repo = with_versions(&["One", "Two", "Three", "Four", "Five"]);
    let root = repo.root();
    repo.prompt(&["promote", "greet@5", "staging"]).success();
    let full = log_of(&repo, &root, "greet");
    let shallow = clone_of(&repo, "shallow", &["--depth", "1"]);
    // What needs numbers says so, with the fix; nothing answers from the cut history.
    for args in [
        &["show", "greet@1"][..],
        &["show", "greet@latest"],
        &["log", "greet"],
        &["log"],
        &["promote", "greet@1", "development"],
        &["promote", "greet@staging", "development"],
        &["bundle", "--env", "staging", "-o", "-"],
    ] {
        run_in(&repo, &shallow, args)
            .code(1)
            .stderr_has("shallow clone")
            .stderr_has("git fetch --unshallow")
            .stderr_has("fetch-depth: 0");
    }
    assert!(
        !repo
            .git_in(&shallow, &["tag", "-l"])
            .contains("development"),
        "no promotion was written"
    );
    // Everything else works.
    run_in(&repo, &shallow, &["show", "greet"])
        .success()
        .stdout_has("Five");
    let at_env = run_in(&repo, &shallow, &["show", "greet@staging", "--json"])
        .success()
        .json();
    assert_eq!(
        at_env["version"],
        serde_json::Value::Null,
        "unknown, not a wrong number"
    );
    assert_eq!(at_env["commit"], full[0].1.as_str());
    run_in(&repo, &shallow, &["show", "greet@HEAD"])
        .success()
        .stdout_has("Five");
    run_in(
        &repo,
        &shallow,
        &["render", "greet@staging", "--var", "name=x"],
    )
    .success()
    .stdout_has("Five x");
    run_in(&repo, &shallow, &["check"]).success();
    run_in(&repo, &shallow, &["check", "--against", "@staging"]).success();
    let list = run_in(&repo, &shallow, &["list", "--json"]).success();
    assert!(
        list.stderr.contains("git fetch --unshallow"),
        "{}",
        list.stderr
    );
    assert_eq!(list.json()[0]["versions"], serde_json::Value::Null);
    run_in(&repo, &shallow, &["env"])
        .success()
        .stderr_has("shallow clone");
    // A commit is made, and says that its number cannot be known here.
    std::fs::write(
        shallow.join("prompts/greet.prompt.yaml"),
        text_prompt("Six"),
    )
    .unwrap();
    let committed = run_in(&repo, &shallow, &["commit", "-m", "Six"])
        .success()
        .stderr_has("git fetch --unshallow");
    assert!(
        committed.stdout.starts_with("greet: committed (")
            && committed.stdout.contains("version number unknown")
            && !(0..10).any(|n| committed.stdout.contains(&format!("version {n}"))),
        "{}",
        committed.stdout
    );
    repo.git_in(&shallow, &["reset", "-q", "--hard", "HEAD~1"]);

    // After `git fetch --unshallow`, the whole history counts, with or without the cache.
    repo.git_in(&shallow, &["fetch", "-q", "--unshallow"]);
    assert_eq!(log_of(&repo, &shallow, "greet"), full);
    let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &shallow);
    let walked = cmd
        .env("PROMPT_NO_CACHE", "1")
        .args(["log", "greet", "--json"])
        .output()
        .unwrap();
    let cached = run_in(&repo, &shallow, &["log", "greet", "--json"]).success();
    assert_eq!(String::from_utf8_lossy(&walked.stdout), cached.stdout);
    run_in(&repo, &shallow, &["show", "greet@1"])
        .success()
        .stdout_has("One");
    run_in(&repo, &shallow, &["promote", "greet@1", "development"])
        .success()
        .stdout_has("greet@development: version 1");
    let env = run_in(
        &repo,
        &shallow,
        &["env", "history", "greet", "development", "--json"],
    )
    .success()
    .json();
    assert_eq!(env[0]["version"], 1);
    assert_eq!(
        env[0]["commit"],
        full[4].1.as_str(),
        "version 1's commit, not the tip's"
    );
}

#[test]
fn the_release_branch_comes_from_the_config_origin_head_or_the_current_branch() {
    // Only a `trunk` branch: `init` records it (nothing else would name it); without the setting
    // the current branch is the release line.
    let repo = TestRepo::bare_git();
    repo.git(&["checkout", "-q", "-b", "trunk"]);
    repo.prompt(&["init"]).success();
    let recorded = repo.read(".prompts.yaml");
    assert!(recorded.contains("release_branch: trunk\n"), "{recorded}");
    repo.write(
        ".prompts.yaml",
        &recorded.replace("release_branch: trunk\n", ""),
    );
    repo.write_prompt("greet", &text_prompt("One"));
    repo.prompt(&["commit", "-m", "One"])
        .success()
        .stdout_has("greet: version 1");
    // A configured release branch that does not exist is an error that names the setting.
    let config = repo.read(".prompts.yaml");
    repo.write(
        ".prompts.yaml",
        &format!("{config}release_branch: release\n"),
    );
    repo.prompt(&["log", "greet"])
        .code(1)
        .stderr_has("release_branch `release`")
        .stderr_has("hint:");
    // Once it exists, it numbers versions, and trunk's later commits are drafts.
    repo.git(&["branch", "release"]);
    repo.write_prompt("greet", &text_prompt("Two"));
    repo.prompt(&["commit", "-m", "Two"])
        .success()
        .stdout_has("greet: draft on branch trunk");
    // A clone whose origin/HEAD names `trunk` numbers on trunk when nothing is configured.
    repo.write(".prompts.yaml", &config);
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "config"]);
    let clone = clone_of(&repo, "clone", &[]);
    repo.git_in(&clone, &["switch", "-q", "-c", "topic"]);
    let log = log_of(&repo, &clone, "greet");
    assert_eq!(
        log.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        vec![Some(2), Some(1)]
    );
    std::fs::write(
        clone.join("prompts/greet.prompt.yaml"),
        text_prompt("On topic"),
    )
    .unwrap();
    run_in(&repo, &clone, &["commit", "-m", "On topic"])
        .success()
        .stdout_has("greet: draft on branch topic");
}

/// The history walks read pack files themselves and hand everything else to libgit2, so every
/// way git stores objects must give the same answers: loose objects, one pack with offset deltas,
/// one with reference deltas, several packs beside loose objects, and a clone that borrows its
/// objects from another repository (`--shared`, an alternate object store).
#[test]
fn every_way_git_stores_objects_gives_the_same_history() {
    let repo = TestRepo::new();
    // Folders of many prompts, then one or two edited per commit: folder trees of a few
    // kilobytes that differ by one entry, which packs store as chains of deltas.
    for n in 0..60 {
        repo.write_prompt(&format!("a/p{n:02}"), &text_prompt(&format!("first {n}")));
        repo.write_prompt(&format!("b/q{n:02}"), &text_prompt(&format!("first {n}")));
    }
    repo.prompt(&["commit", "-m", "the prompts"]).success();
    for round in 0..24 {
        repo.write_prompt(
            &format!("a/p{:02}", round % 7),
            &text_prompt(&format!("round {round}")),
        );
        if round % 3 == 0 {
            repo.write_prompt(
                &format!("b/q{:02}", round),
                &text_prompt(&format!("round {round}")),
            );
        }
        repo.prompt(&["commit", "-m", &format!("round {round}")])
            .success();
    }
    let answers = |dir: &Path| {
        // Cold every time: the answers come from walks over the objects as stored now.
        for entry in std::fs::read_dir(dir.join(".git")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("prompt-history") {
                if path.is_dir() {
                    std::fs::remove_dir_all(&path).unwrap();
                } else {
                    std::fs::remove_file(&path).unwrap();
                }
            }
        }
        ["log", "list"]
            .iter()
            .map(|cmd| run_in(&repo, dir, &[cmd, "--json"]).success().stdout)
            .chain(std::iter::once(
                run_in(&repo, dir, &["log", "a/p00", "--json"])
                    .success()
                    .stdout,
            ))
            .collect::<Vec<String>>()
    };
    let root = repo.root();
    let loose = answers(&root);
    assert!(loose[2].contains("\"version\": 5"), "{}", loose[2]);
    let layouts: [&[&str]; 3] = [
        &["repack", "-adfq", "--depth=50", "--window=50"],
        &["-c", "pack.useDeltaBaseOffset=false", "repack", "-adfq"],
        &["repack", "-adq"],
    ];
    for layout in layouts {
        repo.git(layout);
        assert_eq!(answers(&root), loose, "after git {layout:?}");
    }
    // Two more packs and a loose commit on top of the packed history.
    for round in 24..27 {
        repo.write_prompt("a/p00", &text_prompt(&format!("late {round}")));
        repo.prompt(&["commit", "-m", &format!("round {round}")])
            .success();
        if round < 26 {
            repo.git(&["repack", "-dq"]);
        }
    }
    let packs = std::fs::read_dir(root.join(".git/objects/pack"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pack")
        })
        .count();
    assert!(packs >= 3, "{packs} packs");
    let now = answers(&root);
    let shared = repo.sibling("shared");
    repo.git(&[
        "clone",
        "-q",
        "--shared",
        root.to_str().unwrap(),
        shared.to_str().unwrap(),
    ]);
    assert_eq!(
        answers(&shared),
        now,
        "a clone with an alternate object store"
    );
    assert!(now[2].contains("\"version\": 8"), "{}", now[2]);
}
