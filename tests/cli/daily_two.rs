//! The daily loop, round two (issue 27): ids typed as paths, confirmations, hints, quiet output.

use crate::common::{text_prompt, TestRepo};

#[test]
fn a_path_to_a_prompt_file_is_taken_wherever_an_id_is() {
    let repo = TestRepo::new();
    repo.write_prompt("support/triage", &text_prompt("Sort"));
    repo.prompt(&["commit", "-m", "triage"]).success();
    // From the repository root, with and without the root folder, and `./`.
    for arg in [
        "prompts/support/triage.prompt.yaml",
        "./prompts/support/triage.prompt.yaml",
        "support/triage.prompt.yaml",
    ] {
        repo.prompt(&["show", arg])
            .success()
            .stdout_has("Sort {{name}}");
        repo.prompt(&["check", arg])
            .success()
            .stderr_has("checked 1 prompt");
        repo.prompt(&["render", &format!("{arg}@1"), "--var", "name=x"])
            .success()
            .stdout_has("Sort x");
    }
    // From a folder below, relative to it, as a shell completes it; and absolute.
    let folder = repo.root().join("prompts/support");
    repo.prompt_in(&folder, &["log", "triage.prompt.yaml"])
        .success()
        .stdout_has("@1");
    let absolute = folder.join("triage.prompt.yaml");
    repo.prompt(&["env", absolute.to_str().unwrap()]).success();
    // Writes take it too.
    repo.prompt(&["promote", "prompts/support/triage.prompt.yaml", "staging"])
        .success();
    assert_eq!(repo.git(&["tag", "-l"]), "support/triage@staging\n");
    // A path outside the root, or to no prompt file, keeps the id's error.
    repo.prompt(&["show", "../elsewhere/x.prompt.yaml"])
        .code(2)
        .stderr_has("invalid prompt id");
    repo.prompt(&["show", "prompts/support/triage.yaml"])
        .code(2)
        .stderr_has("invalid prompt id");
}

#[test]
fn quiet_silences_the_confirming_lines_of_writes() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-q", "-m", "a"])
        .success()
        .stdout_has("a: version 1");
    for args in [
        &["-q", "promote", "a", "staging"][..],
        &["-q", "demote", "a", "staging"],
        &["-q", "mv", "a", "b"],
        &["-q", "rm", "b"],
    ] {
        let out = repo.prompt(args).success();
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str()),
            ("", ""),
            "{args:?}"
        );
    }
    // Without -q the line is there.
    repo.write_prompt("c", &text_prompt("C"));
    repo.prompt(&["commit", "-m", "c"]).success();
    repo.prompt(&["promote", "c", "staging"])
        .success()
        .stdout_has("c@staging: version 1");
}

#[test]
fn an_unknown_environment_or_partial_gets_a_did_you_mean() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "a"]).success();
    repo.prompt(&["promote", "a", "prod"])
        .code(1)
        .stderr_has("unknown environment `prod` (did you mean `production`?)");
    repo.prompt(&["render", "a@prodution", "--var", "name=x"])
        .code(1)
        .stderr_has("(did you mean `production`?)");
    repo.prompt(&["list", "--env", "stagin"])
        .code(1)
        .stderr_has("(did you mean `staging`?)");
    repo.write_prompt("shared/tone", "format: 1\ntemplate: warm\n");
    repo.write_prompt("b", "format: 1\ntemplate: \"{{> shared/tonee}}\"\n");
    repo.prompt(&["check", "b"])
        .code(1)
        .stdout_has("partial `shared/tonee` does not exist (no prompt `shared/tonee`; did you mean `shared/tone`?)");
    repo.prompt(&["render", "b"])
        .code(1)
        .stderr_has("missing partial `shared/tonee` (included at line 1, column 1) (did you mean `shared/tone`?)");
}

/// A release as scripts/install.sh finds it: `<base>/<version>/prompt-<version>-<target>.tar.gz`
/// and its `.sha256`, served from a folder through curl's file:// support.
fn fake_release(dir: &std::path::Path, version: &str, good_checksum: bool) -> Option<String> {
    let target = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        _ => return None,
    };
    let name = format!("prompt-{version}-{target}");
    let stage = dir.join("stage").join(&name);
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(stage.join("prompt"), "#!/bin/sh\necho released prompt\n").unwrap();
    let release = dir.join("releases").join(version);
    std::fs::create_dir_all(&release).unwrap();
    let archive = release.join(format!("{name}.tar.gz"));
    let tar = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("stage"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = std::process::Command::new("sha256sum")
        .arg(&archive)
        .output()
        .unwrap();
    let mut line = String::from_utf8(sum.stdout).unwrap();
    if !good_checksum {
        line = format!("{}{}", "0".repeat(64), &line[64..]);
    }
    std::fs::write(release.join(format!("{name}.tar.gz.sha256")), line).unwrap();
    Some(format!("file://{}", dir.join("releases").display()))
}

#[test]
fn the_install_script_checks_the_release_checksum() {
    let have = |tool: &str| {
        std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok()
    };
    if !have("curl") || !have("sha256sum") {
        eprintln!("skipping: the install script needs curl and sha256sum");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let install = |base: &str, to: &std::path::Path| {
        std::process::Command::new("sh")
            .arg(root.join("scripts/install.sh"))
            .args([
                "--repo",
                "owner/prompt-registry",
                "--version",
                "v9.9.9",
                "--to",
            ])
            .arg(to)
            .env("PROMPT_RELEASE_BASE", base)
            .output()
            .unwrap()
    };
    let scratch = crate::common::scratch_dir();
    let Some(base) = fake_release(&scratch.path().join("good"), "v9.9.9", true) else {
        eprintln!("skipping: no release binaries for this platform");
        return;
    };
    let to = scratch.path().join("bin");
    let out = install(&base, &to);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("installed prompt v9.9.9"));
    let ran = std::process::Command::new(to.join("prompt"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&ran.stdout), "released prompt\n");

    // A checksum that does not match: refused, nothing installed, no fallback to a build.
    let bad = fake_release(&scratch.path().join("bad"), "v9.9.9", false).unwrap();
    let to = scratch.path().join("bin-bad");
    let out = install(&bad, &to);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("checksum mismatch"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!to.join("prompt").exists());
}

#[test]
fn a_prompt_with_a_dynamic_partial_commits_without_no_verify() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "cards/short",
        "format: 1\ninputs:\n  body:\n    type: string\ntemplate: \"Short: {{body}}\"\n",
    );
    // `body` is used only inside the prompts `style` may name.
    repo.write_prompt(
        "card",
        "format: 1\ninputs:\n  style:\n    type: string\n  body:\n    type: string\n\
         template: \"{{>*style}}\"\n",
    );
    repo.prompt(&["commit", "-m", "cards"]).success();
    repo.prompt(&[
        "render",
        "card",
        "--var",
        "style=cards/short",
        "--var",
        "body=Hi",
    ])
    .success()
    .stdout_has("Short: Hi");
    // With an enum, each allowed name is checked as a partial: one that does not exist is an
    // error at the tag, with the closest that does.
    repo.write_prompt(
        "card",
        "format: 1\ninputs:\n  style:\n    type: string\n    enum: [cards/short, cards/lng]\n  \
         body:\n    type: string\ntemplate: \"{{>*style}}\"\n",
    );
    repo.prompt(&["check", "card"])
        .code(1)
        .stdout_has("partial `cards/lng` does not exist");
    // And with an enum that names only existing prompts, an input nobody uses is reported again.
    repo.write_prompt(
        "card",
        "format: 1\ninputs:\n  style:\n    type: string\n    enum: [cards/short]\n  \
         body:\n    type: string\n  extra:\n    type: string\ntemplate: \"{{>*style}}\"\n",
    );
    repo.prompt(&["check", "card"])
        .code(1)
        .stdout_has("input `extra` is required but no template uses it");
}

#[test]
fn check_staged_checks_what_the_commit_holds_not_the_working_tree() {
    let repo = TestRepo::new();
    repo.write_prompt("shared/tone", "format: 1\ntemplate: warm\n");
    repo.write_prompt(
        "a",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: \"{{> shared/tone}} {{name}}\"\n",
    );
    repo.prompt(&["commit", "-m", "a"]).success();
    // An untracked draft that does not pass blocks `check`, but not `check --staged`.
    repo.write_prompt("draft", "format: 1\ntemplate: \"{{undeclared}}\"\n");
    repo.prompt(&["check"]).code(1).stdout_has("undeclared");
    repo.prompt(&["check", "--staged"])
        .success()
        .stderr_has("checked 2 prompts");
    // A staged mistake is found even when the working tree has since been mended; partials are
    // read from the index too.
    repo.write_prompt(
        "a",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: \"{{> shared/missing}} {{name}}\"\n",
    );
    repo.git(&["add", "prompts/a.prompt.yaml"]);
    repo.write_prompt(
        "a",
        "format: 1\ninputs:\n  name:\n    type: string\ntemplate: \"{{> shared/tone}}, {{name}}\"\n",
    );
    repo.prompt(&["check", "--staged"])
        .code(1)
        .stdout_has("partial `shared/missing` does not exist");
    repo.prompt(&["check", "a"]).success();
    // Nothing moved: the branch, the index and the working tree are as they were.
    assert_eq!(
        repo.git(&["status", "--porcelain", "--", "prompts"]),
        "MM prompts/a.prompt.yaml\n?? prompts/draft.prompt.yaml\n"
    );
    assert_eq!(repo.git(&["rev-list", "--all", "--count"]), "1\n");
    // As a pre-commit hook: the index git hands the hook (`git commit -a` stages the mended file
    // in a temporary index) is the one checked.
    std::fs::write(
        repo.root().join(".git/hooks/pre-commit"),
        format!(
            "#!/bin/sh\nexec {} check --staged\n",
            env!("CARGO_BIN_EXE_prompt")
        ),
    )
    .unwrap();
    let hook = repo.root().join(".git/hooks/pre-commit");
    let mut perms = std::fs::metadata(&hook).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&hook, perms).unwrap();
    let blocked = repo
        .command("git", &repo.root())
        .args(["commit", "-q", "-m", "staged as is"])
        .output()
        .unwrap();
    assert!(
        !blocked.status.success(),
        "the staged mistake blocks git commit"
    );
    let passed = repo
        .command("git", &repo.root())
        .args(["commit", "-q", "-a", "-m", "mended"])
        .output()
        .unwrap();
    assert!(
        passed.status.success(),
        "{}",
        String::from_utf8_lossy(&passed.stdout) + String::from_utf8_lossy(&passed.stderr)
    );
}

#[test]
fn prompts_that_new_writes_render_with_values_of_the_types_it_declares() {
    let repo = TestRepo::new();
    repo.prompt(&[
        "new",
        "m",
        "--text",
        "Hi {{user.name}}. {{#items}}- {{title}}\n{{/items}}{{#tags}}{{.}} {{/tags}}\
         {{#tone}}In a {{tone}} tone.{{/tone}}",
    ])
    .success();
    let shown = repo.prompt(&["show", "m", "--json"]).success().json();
    let inputs = &shown["prompt"]["inputs"];
    assert_eq!(inputs["user"]["type"], "object", "{inputs}");
    assert_eq!(inputs["items"]["type"], "array", "{inputs}");
    assert_eq!(inputs["tags"]["type"], "array", "{inputs}");
    assert_eq!(inputs["tone"]["required"], false, "{inputs}");
    repo.prompt(&["check", "m"]).success();
    let vars = repo.root().join("vars.json");
    std::fs::write(
        &vars,
        r#"{"user": {"name": "Ada"}, "items": [{"title": "one"}], "tags": ["a", "b"]}"#,
    )
    .unwrap();
    repo.prompt(&["render", "m", "--vars", vars.to_str().unwrap()])
        .success()
        .stdout_has("Hi Ada. - one\na b ");

    repo.prompt(&[
        "new",
        "j",
        "--template-format",
        "jinja2",
        "--text",
        "{% for item in items %}{{ item.title }};{% endfor %} {{ tone | default('neutral') }}",
    ])
    .success();
    let shown = repo.prompt(&["show", "j", "--json"]).success().json();
    let inputs = &shown["prompt"]["inputs"];
    assert_eq!(inputs["items"]["type"], "array", "{inputs}");
    assert_eq!(inputs["tone"]["required"], false, "{inputs}");
    std::fs::write(&vars, r#"{"items": [{"title": "one"}, {"title": "two"}]}"#).unwrap();
    repo.prompt(&["render", "j", "--vars", vars.to_str().unwrap()])
        .success()
        .stdout_has("one;two; neutral");
}

#[test]
fn check_refuses_a_declared_type_the_template_cannot_use() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "a",
        "format: 1\ninputs:\n  user:\n    type: string\n  items:\n    type: string\n\
         template: \"Hi {{user.name}} {{#items}}{{title}}{{/items}}\"\n",
    );
    let out = repo.prompt(&["check", "a"]).code(1);
    assert!(
        out.stdout.contains(
            "prompts/a.prompt.yaml:7:15: error[input-type]: input `user` is declared `type: \
             string`, but `{{user.name}}` reads a field of it: declare it `type: object`"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "input `items` is declared `type: string`, but `{{#items}}` iterates it: declare it \
             `type: array`"
        ),
        "{}",
        out.stdout
    );
    repo.write_prompt(
        "j",
        "format: 1\ntemplate_format: jinja2\ninputs:\n  items:\n    type: string\n\
         template: \"{% for i in items %}{{ i }}{% endfor %}\"\n",
    );
    repo.prompt(&["check", "j"])
        .code(1)
        .stdout_has("`{% for … in items %}` iterates it: declare it `type: array`");
}

#[test]
fn bundle_writes_stdout_when_it_is_not_a_terminal() {
    let repo = TestRepo::new();
    repo.write_prompt("a", &text_prompt("A"));
    repo.prompt(&["commit", "-m", "a"]).success();
    repo.prompt(&["promote", "a", "staging"]).success();
    // No -o, stdout a pipe: the bundle is the output.
    let piped = repo.prompt(&["bundle", "--env", "staging"]).success();
    let json = piped.json();
    assert_eq!(json["environment"], "staging");
    assert!(json["prompts"]["a"].is_object(), "{json}");
    // `-o -` is the same bytes.
    let dash = repo
        .prompt(&["bundle", "--env", "staging", "-o", "-"])
        .success();
    assert_eq!(dash.stdout, piped.stdout);
}
