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
}
