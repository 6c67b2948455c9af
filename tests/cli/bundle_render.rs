//! Content-addressed bundles and `render --bundle` (contract §13): the same bytes, errors and
//! exit codes as rendering from the repository, in a folder with no git at all.

use std::time::Duration;

use crate::common::TestRepo;
use crate::serve_client::{registry, render_cases};

/// A folder beside the repository, outside any git repository.
fn no_git(repo: &TestRepo) -> std::path::PathBuf {
    let dir = repo.sibling("nogit");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn two_bundles_of_the_same_state_are_byte_identical_and_carry_sha256s() {
    let repo = registry();
    repo.prompt(&["bundle", "--env", "production", "-o", "one.json"])
        .success();
    // Another moment and an unrelated commit later: the digest is the same.
    std::thread::sleep(Duration::from_millis(1100));
    repo.prompt(&["bundle", "--env", "production", "-o", "two.json"])
        .success();
    assert_eq!(repo.read("one.json"), repo.read("two.json"));
    repo.write("notes.txt", "unrelated\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["commit", "-q", "-m", "unrelated"]);
    repo.prompt(&["bundle", "--env", "production", "-o", "three.json"])
        .success();
    let one: serde_json::Value = serde_json::from_str(&repo.read("one.json")).unwrap();
    let three: serde_json::Value = serde_json::from_str(&repo.read("three.json")).unwrap();
    assert_ne!(one["generated_from"], three["generated_from"]);
    assert_eq!(
        one["digest"], three["digest"],
        "the digest is of the content only"
    );
    assert_eq!(one["digest"].as_str().unwrap().len(), 64);
    // Each prompt's sha256 is that of the blob git stores at its commit.
    let triage = &one["prompts"]["support/triage"];
    let commit = triage["commit"].as_str().unwrap();
    let blob = repo.git(&[
        "cat-file",
        "blob",
        &format!("{commit}:prompts/support/triage.prompt.yaml"),
    ]);
    assert_eq!(triage["source"].as_str().unwrap(), blob);
    assert_eq!(triage["sha256"].as_str().unwrap(), sha256_of(&repo, &blob));
    let footer = &triage["includes"]["shared/footer"];
    assert_eq!(footer["id"], "shared/footer");
    assert_eq!(footer["commit"].as_str().unwrap(), commit);
    assert_eq!(
        footer["sha256"].as_str().unwrap(),
        sha256_of(
            &repo,
            &repo.git(&[
                "cat-file",
                "blob",
                &format!("{commit}:prompts/shared/footer.prompt.yaml")
            ])
        )
    );
    // The parent of a child prompt is in the bundle too.
    assert!(one["prompts"]["child"]["includes"]["base/layout"].is_object());
    // The digest is the sha256 of the canonical JSON without `digest` and `generated_from`.
    let mut content = one.clone();
    content.as_object_mut().unwrap().remove("digest");
    content.as_object_mut().unwrap().remove("generated_from");
    assert_eq!(
        one["digest"].as_str().unwrap(),
        sha256_of(&repo, &canonical(&content))
    );
}

/// Sorted keys, no whitespace (as docs/json-output.md defines it).
fn canonical(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        serde_json::Value::String(k.clone()),
                        canonical(&m[k])
                    )
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(a) => {
            format!(
                "[{}]",
                a.iter().map(canonical).collect::<Vec<_>>().join(",")
            )
        }
        other => other.to_string(),
    }
}

/// SHA-256 by the system's `sha256sum`, an oracle independent of the crate.
fn sha256_of(repo: &TestRepo, text: &str) -> String {
    let path = repo.sibling("hash-input");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new("sha256sum")
        .arg(&path)
        .output()
        .expect("sha256sum");
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn render_bundle_gives_the_repository_bytes_errors_and_exit_codes() {
    let repo = registry();
    let dir = no_git(&repo);
    let bundle = dir.join("prod.json");
    repo.prompt(&[
        "bundle",
        "--env",
        "production",
        "-o",
        bundle.to_str().unwrap(),
    ])
    .success();
    for (i, (reference, format, values, sample, lenient)) in render_cases().into_iter().enumerate()
    {
        let vals = format!("vals-{i}.json");
        repo.write(&vals, values);
        std::fs::write(dir.join(&vals), values).unwrap();
        let mut args = vec!["render", reference, "--vars", vals.as_str(), "-f", format];
        if let Some(s) = sample {
            args.extend(["--sample", s]);
        }
        if lenient {
            args.push("--lenient");
        }
        let from_repo = repo.prompt(&args);
        let mut with_bundle = args.clone();
        with_bundle.extend(["--bundle", "prod.json"]);
        let from_bundle = repo.prompt_in(&dir, &with_bundle);
        assert_eq!(
            (from_repo.code, &from_repo.stdout, &from_repo.stderr),
            (from_bundle.code, &from_bundle.stdout, &from_bundle.stderr),
            "case {i}: {args:?}"
        );
    }
}

#[test]
fn render_bundle_batch_gives_the_repository_lines() {
    let repo = registry();
    let dir = no_git(&repo);
    repo.prompt(&[
        "bundle",
        "--env",
        "production",
        "-o",
        dir.join("prod.json").to_str().unwrap(),
    ])
    .success();
    let lines = "{\"ticket\": \"a\", \"team\": \"x\"}\n\n{\"ticket\": \"b\"}\n";
    repo.write("lines.jsonl", lines);
    std::fs::write(dir.join("lines.jsonl"), lines).unwrap();
    let args = [
        "render",
        "support/triage@production",
        "--batch",
        "lines.jsonl",
        "-f",
        "openai",
    ];
    let from_repo = repo.prompt(&args);
    let mut with_bundle = args.to_vec();
    with_bundle.extend(["--bundle", "prod.json"]);
    let from_bundle = repo.prompt_in(&dir, &with_bundle);
    assert_eq!(from_repo.code, 1);
    assert_eq!(
        (from_repo.code, &from_repo.stdout, &from_repo.stderr),
        (from_bundle.code, &from_bundle.stdout, &from_bundle.stderr)
    );
}

#[test]
fn render_bundle_names_what_the_bundle_holds_and_refuses_a_changed_one() {
    let repo = registry();
    let dir = no_git(&repo);
    let bundle = dir.join("prod.json");
    repo.prompt(&[
        "bundle",
        "--env",
        "production",
        "-o",
        bundle.to_str().unwrap(),
    ])
    .success();
    let run = |args: &[&str]| repo.prompt_in(&dir, args);
    run(&[
        "render",
        "--bundle",
        "prod.json",
        "greet@3",
        "--var",
        "name=a",
    ])
    .code(1)
    .stderr_has(
        "`greet@3` is not in the bundle prod.json: it holds greet@production (version 1, commit",
    );
    run(&[
        "render",
        "--bundle",
        "prod.json",
        "greet@staging",
        "--var",
        "name=a",
    ])
    .code(1)
    .stderr_has("it holds greet@production");
    run(&["render", "--bundle", "prod.json", "gret@production"])
        .code(1)
        .stderr_has("prompt `gret` not found in the bundle prod.json")
        .stderr_has("hint: did you mean `greet`?");
    run(&["render", "--bundle", "prod.json", "../x"]).code(2);
    // ID, ID@N and ID@COMMIT name the bundled version too.
    let commit = repo.git(&["rev-parse", "greet@production^{commit}"]);
    for r in ["greet", "greet@1", &format!("greet@{}", &commit[..10])] {
        run(&["render", "--bundle", "prod.json", r, "--var", "name=a"])
            .success()
            .stdout_has("Hello a");
    }
    // show --bundle: the file as it is, and --json as show prints it.
    let shown = run(&["show", "--bundle", "prod.json", "greet@production"]).success();
    assert_eq!(
        shown.stdout,
        repo.prompt(&["show", "greet@production"]).success().stdout
    );
    let json = run(&[
        "show",
        "--bundle",
        "prod.json",
        "greet@production",
        "--json",
    ])
    .success()
    .json();
    assert_eq!(
        json,
        repo.prompt(&["show", "greet@production", "--json"])
            .success()
            .json()
    );
    // A bundle changed after it was written is refused, whichever part changed.
    let text = std::fs::read_to_string(&bundle).unwrap();
    std::fs::write(
        dir.join("bad.json"),
        text.replace("Hello {{name}}", "Bye {{name}}"),
    )
    .unwrap();
    run(&["render", "--bundle", "bad.json", "greet", "--var", "name=a"])
        .code(1)
        .stderr_has("does not match its digest");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let source = v["prompts"]["greet"]["source"]
        .as_str()
        .unwrap()
        .replace("Hello", "Bye");
    v["prompts"]["greet"]["source"] = source.into();
    let mut content = v.clone();
    content.as_object_mut().unwrap().remove("digest");
    v["digest"] = sha256_of(&repo, &canonical_without_origin(&content)).into();
    std::fs::write(dir.join("bad2.json"), v.to_string()).unwrap();
    run(&[
        "render",
        "--bundle",
        "bad2.json",
        "greet",
        "--var",
        "name=a",
    ])
    .code(1)
    .stderr_has("its file does not match its sha256");
    run(&["render", "--bundle", "missing.json", "greet"])
        .code(1)
        .stderr_has("missing.json");
}

fn canonical_without_origin(v: &serde_json::Value) -> String {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove("generated_from");
    canonical(&v)
}

#[test]
fn list_reads_a_bundle_without_git() {
    let repo = registry();
    let dir = no_git(&repo);
    let bundle = dir.join("prod.json");
    repo.prompt(&[
        "bundle",
        "--env",
        "production",
        "-o",
        bundle.to_str().unwrap(),
    ])
    .success();
    let listed = repo
        .prompt_in(&dir, &["list", "--bundle", "prod.json", "--json"])
        .success()
        .json();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "base/layout",
            "child",
            "fs",
            "greet",
            "jj",
            "shared/footer",
            "support/triage"
        ]
    );
    let triage = &listed[6];
    assert_eq!(triage["kind"], "chat");
    assert_eq!(triage["model"], "openai/gpt-4o-mini");
    assert_eq!(triage["environments"], serde_json::json!({"production": 1}));
    let text = repo
        .prompt_in(&dir, &["list", "--bundle", "prod.json"])
        .success();
    assert!(
        text.stdout.contains("greet\ttext\t-\t?\tproduction@1"),
        "{}",
        text.stdout
    );
    repo.prompt_in(&dir, &["list", "--bundle", "prod.json", "--env", "staging"])
        .success()
        .stderr_has("no prompt is promoted to staging");
}

#[test]
fn env_reads_a_bundle_without_git() {
    let repo = registry();
    let dir = no_git(&repo);
    let bundle = dir.join("prod.json");
    repo.prompt(&[
        "bundle",
        "--env",
        "production",
        "-o",
        bundle.to_str().unwrap(),
    ])
    .success();
    let rows = repo
        .prompt_in(&dir, &["env", "--bundle", "prod.json", "--json"])
        .success()
        .json();
    assert_eq!(rows.as_array().unwrap().len(), 7);
    let greet = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "greet")
        .unwrap();
    let commit = repo.git(&["rev-parse", "greet@production^{commit}"]);
    assert_eq!(greet["latest"], serde_json::Value::Null);
    assert_eq!(greet["environments"]["production"]["version"], 1);
    assert_eq!(greet["environments"]["production"]["commit"], commit.trim());
    let piped = repo
        .prompt_in(&dir, &["env", "--bundle", "prod.json", "greet"])
        .success();
    assert_eq!(piped.stdout, "greet\t?\t?\t1\n");
    repo.prompt_in(&dir, &["env", "--bundle", "prod.json", "gret"])
        .code(1)
        .stderr_has("did you mean `greet`?");
}
