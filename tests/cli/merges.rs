//! History through every way GitHub merges a pull request (contract §4): merge commit (`git merge
//! --no-ff` with GitHub's message), squash (`git merge --squash` and a commit whose body lists the
//! squashed messages as `* …` lines, trailers included) and rebase (`git rebase`, then a
//! fast-forward), with `prompt mv` on the branch, a new prompt beside it, a moved registry root and
//! a move trailer on a commit that changes more. Every answer (`log ID`, `log`, `list`, `show ID@N`,
//! `render ID@ENV`) must agree, with and without the history cache.

use std::collections::BTreeMap;

use crate::common::TestRepo;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    Merge,
    Squash,
    Rebase,
}

pub const STYLES: [Style; 3] = [Style::Merge, Style::Squash, Style::Rebase];

/// Merges `branch` into `main` the way GitHub's button of that style does, and leaves `main`
/// checked out.
pub fn merge_pr(repo: &TestRepo, branch: &str, style: Style, number: u32) {
    repo.git(&["checkout", "-q", "main"]);
    match style {
        Style::Merge => {
            let message = format!("Merge pull request #{number} from octo/{branch}\n\n{branch}");
            repo.git(&["merge", "-q", "--no-ff", "-m", &message, branch]);
        }
        Style::Squash => {
            let log = repo.git(&[
                "log",
                "--reverse",
                "--format=%B%x00",
                &format!("main..{branch}"),
            ]);
            let mut body = String::new();
            for message in log.split('\0').map(str::trim).filter(|m| !m.is_empty()) {
                let (subject, rest) = message.split_once('\n').unwrap_or((message, ""));
                body.push_str(&format!("* {subject}\n"));
                if !rest.trim().is_empty() {
                    body.push_str(&format!("\n{}\n", rest.trim()));
                }
                body.push('\n');
            }
            repo.git(&["merge", "-q", "--squash", branch]);
            let title = format!("{branch} (#{number})");
            // A pull request whose changes cancel out still gets its commit, as on GitHub.
            repo.git(&[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &title,
                "-m",
                body.trim_end(),
            ]);
        }
        Style::Rebase => {
            repo.git(&["rebase", "-q", "main", branch]);
            repo.git(&["checkout", "-q", "main"]);
            repo.git(&["merge", "-q", "--ff-only", branch]);
        }
    }
}

/// A registry on `main` with its config committed, and prompt `a` with two versions.
fn registry() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "Add prompt registry"]);
    repo.prompt(&["new", "a", "--text", "Alpha one {{name}}"])
        .success();
    repo.prompt(&["commit", "-m", "Add a"]).success();
    repo.write_prompt(
        "a",
        &repo
            .read("prompts/a.prompt.yaml")
            .replace("Alpha one", "Alpha two"),
    );
    repo.prompt(&["commit", "-m", "Edit a"]).success();
    repo
}

/// What every way of asking says about the numbered history, with or without the cache: for each
/// prompt `list` shows, its version count, which must equal the entries of `log ID` and the
/// entries of the registry's `log` naming it, with the same numbers and commits (`log` also keeps
/// removed prompts); `show ID@N` must print the same file each time. Returns what `show ID@N` printed, oldest first, by prompt.
pub fn versions_agree(repo: &TestRepo) -> BTreeMap<String, Vec<String>> {
    let mut all = Vec::new();
    for no_cache in [true, false, false] {
        let list: serde_json::Value =
            serde_json::from_str(&repo.prompt_cached(&["list", "--json"], no_cache)).unwrap();
        let registry: serde_json::Value =
            serde_json::from_str(&repo.prompt_cached(&["log", "--json"], no_cache)).unwrap();
        let mut by_log: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
        for entry in registry.as_array().unwrap() {
            for p in entry["prompts"].as_array().unwrap() {
                by_log
                    .entry(p["id"].as_str().unwrap().to_string())
                    .or_default()
                    .push((
                        p["version"].as_u64().unwrap(),
                        entry["commit"].as_str().unwrap().to_string(),
                    ));
            }
        }
        let mut answers = BTreeMap::new();
        for p in list.as_array().unwrap() {
            let id = p["id"].as_str().unwrap().to_string();
            let count = p["versions"].as_u64().unwrap();
            let log: serde_json::Value =
                serde_json::from_str(&repo.prompt_cached(&["log", &id, "--json"], no_cache))
                    .unwrap();
            let mut numbered: Vec<(u64, String)> = log
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|v| {
                    Some((
                        v["version"].as_u64()?,
                        v["commit"].as_str().unwrap().to_string(),
                    ))
                })
                .collect();
            numbered.sort();
            assert_eq!(
                numbered.len() as u64,
                count,
                "{id}: log {numbered:?}, list {count}"
            );
            let mut from_registry = by_log.remove(&id).unwrap_or_default();
            from_registry.sort();
            assert_eq!(
                numbered, from_registry,
                "{id}: `log {id}` and `log` disagree"
            );
            let mut shown = Vec::new();
            for (n, _) in &numbered {
                let reference = format!("{id}@{n}");
                shown.push(repo.prompt_cached(&["show", &reference], no_cache));
            }
            answers.insert(id, shown);
        }
        // What `log` numbers beyond them are prompts removed since (`log` keeps their history).
        for id in by_log.keys() {
            let file = format!("prompts/{id}.prompt.yaml");
            assert!(!repo.root().join(file).exists(), "`list` misses {id}");
        }
        all.push(answers);
    }
    assert_eq!(all[0], all[1], "the cache changed an answer");
    assert_eq!(all[1], all[2], "the second cached read changed an answer");
    all.pop().unwrap()
}

/// Item 1: a PR that ran `prompt mv a b` and `prompt new d`. `d` is new whatever the merge style
/// (the squash commit carries the move trailer and adds both files); `b` has `a`'s versions.
#[test]
fn a_moved_prompt_keeps_its_versions_and_a_new_one_beside_it_starts_at_one() {
    for (n, style) in STYLES.into_iter().enumerate() {
        let repo = registry();
        repo.git(&["checkout", "-q", "-b", "rename"]);
        repo.prompt(&["mv", "a", "b"]).success();
        repo.prompt(&["new", "d", "--text", "Delta {{name}}"])
            .success();
        repo.prompt(&["commit", "-m", "Add d"]).success();
        merge_pr(&repo, "rename", style, n as u32 + 1);
        let answers = versions_agree(&repo);
        assert_eq!(answers["b"].len(), 2, "{style:?}: {answers:?}");
        assert!(answers["b"][0].contains("Alpha one"), "{style:?}");
        assert!(answers["b"][1].contains("Alpha two"), "{style:?}");
        assert_eq!(answers["d"].len(), 1, "{style:?}: {answers:?}");
        assert!(answers["d"][0].contains("Delta"), "{style:?}");
        assert!(!answers.contains_key("a"), "{style:?}");
        repo.prompt(&["log", "a"])
            .success()
            .stderr_has("a was moved away");
        let shown = repo.prompt(&["show", "d@1"]).success().stdout;
        assert!(shown.contains("Delta"), "{style:?}: d@1 is {shown}");
    }
}

/// Item 2: a merge commit brings the move on the branch (its trailer is on the branch's commit);
/// the environment tags work under both names on the branch, before the merge and after it.
#[test]
fn a_prompt_moved_then_removed_on_a_branch_lends_its_history_to_no_new_prompt() {
    // Found by the property test: `mv a b`, `rm b`, then a new `d` that looks like `a` (prompt
    // files share most of their lines). The trailers name `b` as the target, which the merge
    // does not add: `a` was moved into nothing, and `d` starts at version 1.
    for (n, style) in STYLES.into_iter().enumerate() {
        let repo = registry();
        repo.git(&["checkout", "-q", "-b", "gone"]);
        repo.prompt(&["mv", "a", "b"]).success();
        repo.prompt(&["rm", "b"]).success();
        repo.prompt(&["new", "d", "--text", "Alpha two {{name}}"])
            .success();
        repo.prompt(&["commit", "-m", "Add d"]).success();
        merge_pr(&repo, "gone", style, n as u32 + 1);
        let answers = versions_agree(&repo);
        assert_eq!(answers["d"].len(), 1, "{style:?}: {answers:?}");
        assert!(
            !answers.contains_key("a") && !answers.contains_key("b"),
            "{style:?}"
        );
    }
}

#[test]
fn a_move_merged_in_any_style_keeps_history_and_environment_renders() {
    for (n, style) in STYLES.into_iter().enumerate() {
        let repo = registry();
        repo.prompt(&["promote", "a@1", "production", "--yes"])
            .success();
        repo.git(&["checkout", "-q", "-b", "rename"]);
        repo.prompt(&["mv", "a", "b", "--yes"])
            .success()
            .stdout_has("environments copied: production");
        let render = |reference: &str| {
            repo.prompt(&["render", reference, "--var", "name=Ann"])
                .success()
                .stdout
        };
        for reference in ["a@production", "b@production"] {
            assert!(
                render(reference).contains("Alpha one"),
                "{style:?} on the branch: {reference}"
            );
        }
        merge_pr(&repo, "rename", style, n as u32 + 1);
        for reference in ["a@production", "b@production"] {
            assert!(
                render(reference).contains("Alpha one"),
                "{style:?} merged: {reference}"
            );
        }
        let answers = versions_agree(&repo);
        assert_eq!(answers["b"].len(), 2, "{style:?}: {answers:?}");
        let promoted = repo
            .prompt(&["promote", "b@2", "production", "--yes"])
            .success();
        assert!(
            render("b@production").contains("Alpha two"),
            "{style:?}: {promoted:?}"
        );
    }
}

/// Item 3: the registry folder moves (`git mv prompts llm/prompts` with `root: llm/prompts`), on a
/// branch merged in each style: histories go on and `ID@ENV` still renders.
#[test]
fn a_moved_registry_root_keeps_every_history_and_environment() {
    for (n, style) in STYLES.into_iter().enumerate() {
        let repo = registry();
        repo.prompt(&["promote", "a@1", "production", "--yes"])
            .success();
        repo.git(&["checkout", "-q", "-b", "move-root"]);
        std::fs::create_dir_all(repo.root().join("llm")).unwrap();
        repo.git(&["mv", "prompts", "llm/prompts"]);
        let config = repo
            .read(".prompts.yaml")
            .replace("root: prompts", "root: llm/prompts");
        repo.write(".prompts.yaml", &config);
        repo.git(&["commit", "-q", "-am", "Move the registry into llm/"]);
        merge_pr(&repo, "move-root", style, n as u32 + 1);
        let answers = versions_agree(&repo);
        assert_eq!(answers["a"].len(), 2, "{style:?}: {answers:?}");
        let rendered = repo
            .prompt(&["render", "a@production", "--var", "name=Ann"])
            .success()
            .stdout;
        assert!(rendered.contains("Alpha one"), "{style:?}: {rendered}");
        let log = repo.prompt(&["log", "a"]).success().stdout;
        assert!(log.contains("Edit a"), "{style:?}: {log}");
    }
}

/// Item 4: one numbering. A commit with the move trailer that also changes another prompt (and a
/// move with an edit) is numbered the same way by `log ID`, `log`, `list` and `show ID@N`.
#[test]
fn a_move_trailer_on_a_commit_that_changes_more_is_numbered_one_way() {
    for (n, style) in STYLES.into_iter().enumerate() {
        let repo = registry();
        repo.prompt(&["new", "c", "--text", "Gamma {{name}}"])
            .success();
        repo.prompt(&["commit", "-m", "Add c"]).success();
        repo.git(&["checkout", "-q", "-b", "mixed"]);
        repo.git(&["mv", "prompts/a.prompt.yaml", "prompts/b.prompt.yaml"]);
        let c = repo
            .read("prompts/c.prompt.yaml")
            .replace("Gamma", "Gamma two");
        repo.write_prompt("c", &c);
        repo.git(&[
            "commit",
            "-q",
            "-am",
            "Move a to b, edit c\n\nPrompt-Moved-From: a",
        ]);
        // A move with an edit in one commit: a version of the new name.
        repo.git(&["mv", "prompts/c.prompt.yaml", "prompts/e.prompt.yaml"]);
        let e = repo
            .read("prompts/e.prompt.yaml")
            .replace("Gamma two", "Gamma three");
        repo.write_prompt("e", &e);
        repo.git(&[
            "commit",
            "-q",
            "-am",
            "Move c to e with an edit\n\nPrompt-Moved-From: c",
        ]);
        merge_pr(&repo, "mixed", style, n as u32 + 1);
        let answers = versions_agree(&repo);
        assert_eq!(answers["b"].len(), 2, "{style:?}: {answers:?}");
        let e_versions = answers["e"].len();
        // Rebased, the edit of c and the edited move are two more versions; merged or squashed,
        // one commit brings both changes and is one version.
        let expected = if style == Style::Rebase { 3 } else { 2 };
        assert_eq!(e_versions, expected, "{style:?}: {answers:?}");
        assert!(answers["e"][0].contains("Gamma {{name}}"), "{style:?}");
        assert!(
            answers["e"].last().unwrap().contains("Gamma three"),
            "{style:?}"
        );
    }
}

/// Item 5: a repository whose first branch is neither main nor master, with no `origin/HEAD`
/// (its creator ran `git init`, `prompt init`, later `git push -u`): `init` records the branch,
/// so a feature branch's commit is a draft and never reaches production; without the setting, a
/// protected promotion refuses and names it.
#[test]
fn init_records_a_release_branch_that_nothing_else_would_name() {
    let repo = TestRepo::bare_git();
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/trunk"]);
    repo.prompt(&["init"]).success();
    let config = repo.read(".prompts.yaml");
    assert!(config.contains("release_branch: trunk"), "{config}");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "Add prompt registry"]);
    repo.prompt(&["new", "a", "--text", "Alpha one {{name}}"])
        .success();
    repo.prompt(&["commit", "-m", "Add a"]).success();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let file = repo.read("prompts/a.prompt.yaml").replace("one", "two");
    repo.write_prompt("a", &file);
    repo.prompt(&["commit", "-m", "Edit a"])
        .success()
        .stdout_has("draft");
    repo.prompt(&["promote", "a@HEAD", "production", "--yes"])
        .code(1)
        .stderr_has("not a version on the release line");
    let latest = repo.prompt(&["show", "a@latest"]).success().stdout;
    assert!(latest.contains("Alpha one"), "{latest}");

    // Without the setting the current branch is the line only by default: production refuses.
    repo.write(
        ".prompts.yaml",
        &config.replace("release_branch: trunk\n", ""),
    );
    repo.prompt(&["promote", "a@latest", "production", "--yes"])
        .code(1)
        .stderr_has("release_branch");
    repo.prompt(&["promote", "a@latest", "staging"]).success();

    // Where git names a main branch, nothing is recorded.
    let plain = TestRepo::new();
    assert!(!plain.read(".prompts.yaml").contains("release_branch"));
}

/// Item 6: promote, the push is rejected (someone pushed first), `git pull --rebase`, push again:
/// the tag still names the pre-rebase commit, a draft no branch holds. `push` refuses to send it
/// to a protected environment and names the version to promote instead.
#[test]
fn push_refuses_a_protected_promotion_orphaned_by_a_rebase() {
    let repo = registry();
    let remote = repo.bare_origin();
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    let other = repo.sibling("other");
    repo.git_in(
        repo.root().parent().unwrap(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    repo.prompt_in(&other, &["new", "z", "--text", "Zeta {{name}}"])
        .success();
    repo.prompt_in(&other, &["commit", "-m", "Add z"]).success();
    repo.git_in(&other, &["push", "-q", "origin", "main"]);

    let file = repo
        .read("prompts/a.prompt.yaml")
        .replace("Alpha two", "Alpha three");
    repo.write_prompt("a", &file);
    repo.prompt(&["commit", "-m", "Edit a"]).success();
    repo.prompt(&["promote", "a@3", "production", "--yes"])
        .success();
    repo.prompt(&["push"]).code(1);
    repo.git(&["pull", "-q", "--rebase", "origin", "main"]);
    repo.prompt(&["push"])
        .code(1)
        .stderr_has("a@production points at draft")
        .stderr_has("prompt promote a@3 production");
    let tags = repo.git_in(&remote, &["tag", "-l"]);
    assert!(!tags.contains("a@production"), "{tags}");
    repo.prompt(&["promote", "a@3", "production", "--yes"])
        .success();
    repo.prompt(&["push"]).success();
    repo.prompt_in(&other, &["pull"]).success();
    repo.prompt_in(&other, &["render", "a@production", "--var", "name=Ann"])
        .success()
        .stdout_has("Alpha three");
}

/// Item 7: an edit to a shared partial, merged in each style, is a version of every prompt that
/// includes it (directly or through another partial): `log`, `list`, `env`, `render ID@latest`
/// and a promotion see it.
#[test]
fn a_change_to_an_included_prompt_is_a_version_of_its_includers() {
    for (n, style) in STYLES.into_iter().enumerate() {
        let repo = registry();
        repo.prompt(&["new", "shared/tone", "--text", "Be friendly."])
            .success();
        repo.prompt(&[
            "new",
            "shared/voice",
            "--text",
            "{{> shared/tone}} Speak plainly.",
        ])
        .success();
        repo.prompt(&[
            "new",
            "blog-outline",
            "--text",
            "{{> shared/voice}} Outline {{name}}.",
        ])
        .success();
        repo.prompt(&["commit", "-m", "Add the blog outline"])
            .success();
        repo.prompt(&["promote", "blog-outline@latest", "production", "--yes"])
            .success();
        repo.git(&["checkout", "-q", "-b", "tone"]);
        let tone = repo
            .read("prompts/shared/tone.prompt.yaml")
            .replace("Be friendly.", "Be formal.");
        repo.write("prompts/shared/tone.prompt.yaml", &tone);
        repo.prompt(&["commit", "-m", "A formal tone"])
            .success()
            .stdout_has("shared/tone: draft");
        merge_pr(&repo, "tone", style, n as u32 + 1);

        let answers = versions_agree(&repo);
        assert_eq!(answers["blog-outline"].len(), 2, "{style:?}: {answers:?}");
        assert_eq!(answers["shared/voice"].len(), 2, "{style:?}: {answers:?}");
        assert_eq!(answers["a"].len(), 2, "{style:?}: untouched");
        let log = repo
            .prompt(&["log", "blog-outline", "--json"])
            .success()
            .json();
        assert_eq!(
            log[0]["through"],
            serde_json::json!(["shared/tone"]),
            "{style:?}: {log}"
        );
        assert!(log[1].get("through").is_none(), "{style:?}: {log}");
        repo.prompt(&["log", "blog-outline"])
            .success()
            .stdout_has("(through shared/tone)");
        repo.prompt(&["log"])
            .success()
            .stdout_has("blog-outline@2 (through shared/tone)");
        let includers = repo
            .prompt(&["list", "--includes", "shared/tone", "--json"])
            .success()
            .json();
        assert_eq!(
            includers,
            serde_json::json!([
                {"id": "blog-outline", "through": "shared/voice"},
                {"id": "shared/voice", "through": null}
            ]),
            "{style:?}"
        );
        let render = |reference: &str| {
            repo.prompt(&["render", reference, "--var", "name=Ann"])
                .success()
                .stdout
        };
        assert!(
            render("blog-outline@latest").contains("Be formal."),
            "{style:?}"
        );
        assert!(
            render("blog-outline@1").contains("Be friendly."),
            "{style:?}"
        );
        assert!(
            render("blog-outline@production").contains("Be friendly."),
            "{style:?}"
        );
        // The same file renders differently at the two versions: `diff --rendered` says so.
        repo.prompt(&[
            "diff",
            "blog-outline@production",
            "blog-outline@latest",
            "--rendered",
            "--var",
            "name=Ann",
        ])
        .success()
        .stdout_has("+Be formal. Speak plainly. Outline Ann.");
        let env = repo.prompt(&["env", "--json"]).success().json();
        let outline = env
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "blog-outline")
            .unwrap()
            .clone();
        assert_eq!(outline["latest"], 2, "{style:?}: {outline}");
        repo.prompt(&["promote", "blog-outline@HEAD", "staging"])
            .success();
        // Committed on the release line, the includers' new versions are reported with it.
        let tone = repo
            .read("prompts/shared/tone.prompt.yaml")
            .replace("Be formal.", "Be brief.");
        repo.write("prompts/shared/tone.prompt.yaml", &tone);
        repo.prompt(&["commit", "-m", "A brief tone"])
            .success()
            .stdout_has("shared/tone: version 3")
            .stdout_has("shared/voice: version 3 (")
            .stdout_has("through shared/tone)")
            .stdout_has("blog-outline: version 3 (");
        assert!(
            render("blog-outline@staging").contains("Be formal."),
            "{style:?}"
        );
        let shown = repo
            .prompt(&["show", "blog-outline@staging", "--json"])
            .success()
            .json();
        assert_eq!(shown["version"], 2, "{style:?}: {shown}");
    }
}
