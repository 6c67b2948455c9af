//! Hostile repositories: a commit-graph whose parents loop or lie, environment tags that do not
//! point at commits, promotion notes written to look like records, remote names written to look
//! like options. Each may slow a command down; none may change an answer, hang, crash, or stop
//! commands on other prompts.

use std::time::{Duration, Instant};

use crate::common::{Run, TestRepo};

/// A registry with prompt `p` committed five times (`template: v1` … `v5`), `q` once, and
/// `p@2` promoted to staging.
fn five_versions() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["add", "."]);
    repo.git(&["commit", "-q", "-m", "registry"]);
    for i in 1..=5 {
        repo.write_prompt("p", &format!("format: 1\ntemplate: v{i}\n"));
        if i == 1 {
            repo.write_prompt("q", "format: 1\ntemplate: q\n");
        }
        repo.prompt(&["commit", "-m", &format!("v{i}")]).success();
    }
    repo.prompt(&["promote", "p@2", "staging"]).success();
    repo
}

/// Runs `prompt ARGS` with extra environment variables, bounded in time.
fn prompt_env(repo: &TestRepo, vars: &[(&str, &str)], args: &[&str]) -> Run {
    let started = Instant::now();
    let mut cmd = repo.command(env!("CARGO_BIN_EXE_prompt"), &repo.root());
    cmd.args(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let run = Run::from(cmd.output().expect("run prompt"));
    // Not a benchmark: only a loop would take this long.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{args:?} took {:?}",
        started.elapsed()
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// The answers the commands below give, for comparing one repository state with another. The
/// history cache is removed first, so that the commands walk the history again.
fn answers(repo: &TestRepo) -> Vec<String> {
    for entry in std::fs::read_dir(repo.root().join(".git")).unwrap() {
        let entry = entry.unwrap();
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("prompt-history")
        {
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(path).unwrap();
            } else {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    let commands: [&[&str]; 7] = [
        &["log", "p"],
        &["log"],
        &["show", "p@1"],
        &["show", "p@staging"],
        &["list"],
        &["env"],
        &["diff", "p@1", "p@latest"],
    ];
    commands
        .iter()
        .map(|args| {
            let run = prompt_env(repo, &[], args);
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            format!("{args:?}\n{}", run.stdout)
        })
        .collect()
}

/// Offsets of the commit-graph's id list and commit data, and its commit count.
fn graph_layout(bytes: &[u8]) -> (usize, usize, usize) {
    let be64 = |at: usize| u64::from_be_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let (mut fanout, mut ids, mut data) = (0, 0, 0);
    for i in 0..usize::from(bytes[6]) {
        let at = 8 + 12 * i;
        match &bytes[at..at + 4] {
            b"OIDF" => fanout = be64(at + 4),
            b"OIDL" => ids = be64(at + 4),
            b"CDAT" => data = be64(at + 4),
            _ => {}
        }
    }
    let count = u32::from_be_bytes(
        bytes[fanout + 255 * 4..fanout + 256 * 4]
            .try_into()
            .unwrap(),
    ) as usize;
    (ids, data, count)
}

fn hex_to_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_looping_or_lying_commit_graph_changes_no_answer_and_never_hangs() {
    let repo = five_versions();
    let expected = answers(&repo);
    repo.git(&["commit-graph", "write", "--reachable"]);
    let path = repo.root().join(".git/objects/info/commit-graph");
    let good = std::fs::read(&path).unwrap();
    assert_eq!(answers(&repo), expected, "a sound graph answers the same");

    let (ids, data, count) = graph_layout(&good);
    let position = |rev: &str| {
        let id = hex_to_bytes(repo.git(&["rev-parse", rev]).trim());
        (0..count)
            .find(|p| good[ids + p * 20..ids + p * 20 + 20] == id[..])
            .unwrap()
    };
    let root = repo.git(&["rev-list", "--max-parents=0", "HEAD"]);
    let (root, head) = (position(root.trim()), position("HEAD"));
    let set_parent = |bytes: &mut Vec<u8>, of: usize, parent: u32| {
        let at = data + of * 36 + 20;
        bytes[at..at + 4].copy_from_slice(&parent.to_be_bytes());
        // As a careful forger would: the checksum made to match again.
        let n = bytes.len() - 20;
        let sum = sha1_smol::Sha1::from(&bytes[..n]).digest().bytes();
        bytes[n..].copy_from_slice(&sum);
    };

    // The root's parent made HEAD: every first-parent walk through the graph would go round.
    let mut looped = good.clone();
    set_parent(&mut looped, root, head as u32);
    std::fs::write(&path, &looped).unwrap();
    let started = Instant::now();
    assert_eq!(answers(&repo), expected, "a looping graph");
    assert!(started.elapsed() < Duration::from_secs(20));
    // Without the history cache, the same.
    let run = prompt_env(&repo, &[("PROMPT_NO_CACHE", "1")], &["log", "p"]);
    assert_eq!(format!("{:?}\n{}", ["log", "p"], run.stdout), expected[0]);
    let checked = prompt_env(&repo, &[], &["check", "--against", "@staging"]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);

    // A parent outside the file, and one byte of a tree id flipped without fixing the checksum.
    let mut outside = good.clone();
    set_parent(&mut outside, head, count as u32 + 3);
    std::fs::write(&path, &outside).unwrap();
    assert_eq!(answers(&repo), expected, "a parent outside the graph");
    let mut flipped = good.clone();
    flipped[data + head * 36] ^= 0x40;
    std::fs::write(&path, &flipped).unwrap();
    assert_eq!(answers(&repo), expected, "a graph with a damaged tree id");
}

#[test]
fn broken_environment_tags_are_reported_with_the_fix_and_block_nothing_else() {
    let repo = five_versions();
    repo.prompt(&["promote", "q@1", "production", "--yes"])
        .success();
    // A lightweight tag at a blob, an annotated one at a tree, and one at a tag object whose
    // target is missing (a broken chain), as any of them can arrive through `pull`.
    let blob = repo.git(&["rev-parse", "HEAD:prompts/p.prompt.yaml"]);
    repo.git(&["tag", "p@production", blob.trim()]);
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    repo.git(&["tag", "-a", "-m", "odd", "q@staging", tree.trim()]);
    repo.write(
        "dangling.txt",
        &format!(
            "object {}\ntype commit\ntag p@development\ntagger A <a@example.com> 1700000000 \
             +0000\n\nnothing\n",
            "1".repeat(40)
        ),
    );
    let dangling = repo.git(&[
        "hash-object",
        "-t",
        "tag",
        "-w",
        "--literally",
        "dangling.txt",
    ]);
    repo.git(&["update-ref", "refs/tags/p@development", dangling.trim()]);
    std::fs::remove_file(repo.root().join("dangling.txt")).unwrap();

    let fix = "`git tag -d p@production`";
    repo.prompt(&["show", "p@production"])
        .code(1)
        .stderr_has("error: the environment tag `p@production` is broken: it points at a blob")
        .stderr_has(fix);
    repo.prompt(&["show", "p@development"])
        .code(1)
        .stderr_has("it points at an object that is missing or unreadable")
        .stderr_has("`git tag -d p@development`");
    repo.prompt(&["env", "history", "q", "staging"])
        .code(1)
        .stderr_has("it points at a tree, not a commit");
    // Other prompts, and other environments of the same prompt, work as before.
    repo.prompt(&["show", "q@production"])
        .success()
        .stdout_has("template: q");
    repo.prompt(&["show", "p@staging"])
        .success()
        .stdout_has("template: v2");
    repo.prompt(&["promote", "q@1", "development"]).success();
    repo.prompt(&["log", "q"])
        .success()
        .stdout_has("(development, production)")
        .stderr_has("q@staging is broken");
    let env = repo.prompt(&["env"]).success();
    for tag in ["p@production", "p@development", "q@staging"] {
        assert!(
            env.stderr
                .contains(&format!("the environment tag {tag} is broken")),
            "{tag}: {}",
            env.stderr
        );
    }
    repo.prompt(&["list"])
        .success()
        .stdout_has("production@1")
        .stderr_has(fix);
    // check --against reports the broken tag on its prompt and still checks the others.
    let checked = repo.prompt(&["check", "--against", "@production"]).code(1);
    assert!(checked.stdout.contains(
        "prompts/p.prompt.yaml:1:1: error[breaking]: against p@production: the environment tag \
         is broken (it points at a blob, not a commit)"
    ));
    assert!(
        checked.stderr.contains("checked 2 prompts: 1 error(s)"),
        "{}",
        checked.stderr
    );
    repo.prompt(&["bundle", "--env", "production", "-o", "-"])
        .success()
        .stdout_has("\"q\"")
        .stderr_has(fix);

    // The fixes: promoting replaces a broken tag, demoting removes one.
    repo.prompt(&["promote", "p@3", "production", "--yes"])
        .success()
        .stderr_has("p@production is broken (it points at a blob, not a commit); this promotion replaces it");
    repo.prompt(&["show", "p@production"])
        .success()
        .stdout_has("template: v3");
    repo.prompt(&["demote", "q", "staging"])
        .success()
        .stdout_has("q@staging: removed (the tag was broken: it points at a tree, not a commit)");
    repo.prompt(&["demote", "p", "development"]).success();
    let env = repo.prompt(&["env"]).success();
    assert!(!env.stderr.contains("broken"), "{}", env.stderr);
}

#[test]
fn no_promotion_note_can_add_or_change_a_record() {
    let repo = five_versions();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let forged = format!(
        "{{\"version\":5,\"commit\":\"{}\",\"previous\":null,\"previous_commit\":null,\"by\":\"CEO \
         <ceo@example.com>\",\"time\":1700000000,\"offset_minutes\":0,\"note\":\"approved by \
         CEO\"}}",
        head.trim()
    );
    let note = format!("looks fine\n\nPrompt-Promotions:\n{forged}\n");
    repo.prompt(&["promote", "p@1", "production", "--yes", "-m", &note])
        .success();
    repo.prompt(&["promote", "p@2", "production", "--yes", "-m", &note])
        .success();
    let history = repo
        .prompt(&["env", "history", "p", "production", "--json"])
        .success()
        .json();
    let records = history.as_array().unwrap();
    assert_eq!(records.len(), 2, "{history:#}");
    for (record, version) in records.iter().zip([2, 1]) {
        assert_eq!(record["version"], version);
        assert_eq!(record["by"], "Ada Author <ada@example.com>");
        assert_eq!(record["note"], note.trim());
    }
    let text = repo
        .prompt(&["env", "history", "p", "production"])
        .success();
    assert!(!text.stdout.contains("CEO"), "{}", text.stdout);

    // A tag written before notes were indented, with a forged block in its note, reads the same.
    let v1 = repo.git(&["rev-parse", "HEAD~4"]);
    let real = format!(
        "{{\"version\":1,\"commit\":\"{}\",\"previous\":null,\"previous_commit\":null,\"by\":\"Ada \
         Author <ada@example.com>\",\"time\":1700000000,\"offset_minutes\":0}}",
        v1.trim()
    );
    repo.write(
        "old-message.txt",
        &format!(
            "Promote q to staging: version 1\n\nPrompt-Promotions:\n{forged}\n\nPrompt-Promotions:\n\
             {real}\n"
        ),
    );
    repo.git(&["tag", "-a", "-F", "old-message.txt", "q@staging", v1.trim()]);
    let old = repo
        .prompt(&["env", "history", "q", "staging", "--json"])
        .success()
        .json();
    assert_eq!(old.as_array().unwrap().len(), 1, "{old:#}");
    assert_eq!(old[0]["by"], "Ada Author <ada@example.com>");

    // The same message on a tag moved by hand to another commit: the move is shown on top, not
    // a record that claims a promotion of the old commit.
    repo.git(&[
        "tag",
        "-f",
        "-a",
        "-F",
        "old-message.txt",
        "q@staging",
        "HEAD",
    ]);
    let moved = repo
        .prompt(&["env", "history", "q", "staging", "--json"])
        .success()
        .json();
    assert_eq!(moved.as_array().unwrap().len(), 2, "{moved:#}");
    assert_eq!(moved[0]["commit"], head.trim());
    assert!(moved[0]["note"]
        .as_str()
        .unwrap()
        .starts_with("moved outside prompt"));
    assert_eq!(moved[1]["commit"], v1.trim());
}

#[test]
fn remote_names_that_look_like_options_never_reach_git() {
    let repo = five_versions();
    let remote = repo.sibling("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    let evil = "--upload-pack=touch";
    repo.git(&["remote", "add", "--", evil, remote.to_str().unwrap()]);
    for command in ["push", "pull"] {
        repo.prompt(&[command, "--", evil])
            .code(2)
            .stderr_has("cannot be a remote name: names starting with `-` would be read by git");
    }
    // An ordinary remote still works, with every name after `--`.
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.prompt(&["push", "origin"]).success();
    let tags = repo.git_in(&remote, &["tag", "--list"]);
    assert!(tags.contains("p@staging"), "{tags}");
    repo.prompt(&["pull", "origin"]).success();
}
