//! The files that put `prompt` into other tools: the pre-commit hook manifest and the GitHub
//! Actions workflow in docs/. Their commands are run against real repositories here, as the
//! hook and the workflow run them.

use serde_json::Value;

use crate::common::TestRepo;

fn repo_file(rel: &str) -> Value {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn pre_commit_hooks_run_prompt_check_on_prompt_file_changes() {
    let hooks = repo_file(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["prompt-check", "prompt-check-system"]);
    let repo = TestRepo::new();
    repo.write_prompt("ok", "format: 1\ntemplate: fine\n");
    for hook in hooks {
        assert_eq!(hook["pass_filenames"], false, "check takes ids, not paths");
        assert!(["rust", "system"].contains(&hook["language"].as_str().unwrap()));
        let files = hook["files"].as_str().unwrap();
        assert!(files.contains(r"\.prompt\.yaml") && files.contains(r"\.prompts\.yaml"));
        // The entry as pre-commit runs it, with no file names after it.
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(entry[0], "prompt");
        repo.prompt(&entry[1..]).success();
    }
    repo.write_prompt("bad", "format: 1\ntemplate: '{{x}}'\n");
    repo.prompt(&["check"])
        .code(1)
        .stdout_has("prompts/bad.prompt.yaml:2:");
}

/// Every `run:` script and `uses:` of the workflow, in order.
fn steps(workflow: &Value, job: &str) -> Vec<Value> {
    workflow["jobs"][job]["steps"].as_array().unwrap().clone()
}

#[test]
fn the_workflow_checks_out_full_history_annotates_comments_and_promotes() {
    let workflow = repo_file("docs/github-actions.yml");
    let mut scripts = String::new();
    for job in ["check", "promote"] {
        for step in steps(&workflow, job) {
            if step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout"))
            {
                assert_eq!(step["with"]["fetch-depth"], 0, "{job}: full history");
            }
            scripts.push_str(step["run"].as_str().unwrap_or_default());
            scripts.push('\n');
        }
    }
    for needle in [
        "prompt check --format github",
        "prompt check --against @production --format github",
        "prompt diff \"$BEFORE..$AFTER\" --json",
        "prompt promote \"$id@latest\" staging",
        "prompt push origin",
    ] {
        assert!(scripts.contains(needle), "{needle}");
    }
    // The pull-request job runs the repository's own action (action.yml), whose steps are the
    // scripts in scripts/action/: check with annotations and SARIF, test, review, the comment.
    let action_step = steps(&workflow, "check")
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("OWNER/prompt-registry@"))
        })
        .expect("the check job uses the action");
    let pin = action_step["uses"]
        .as_str()
        .unwrap()
        .split_once('@')
        .unwrap()
        .1;
    assert_eq!(pin.len(), 40, "pinned to a commit: {pin}");
    let action = repo_file("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let mut action_scripts = String::new();
    for step in action["runs"]["steps"].as_array().unwrap() {
        let run = step["run"].as_str().unwrap_or_default();
        for word in run.split(['"', ' ', '\n']) {
            if let Some(rel) = word.strip_prefix("$ACTION_PATH/") {
                let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
                action_scripts.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    for needle in [
        "check --format github",
        "check --format sarif",
        "test --replay",
        "review \"$base...HEAD\" --format markdown",
        "issues/comments/$id",
        "cargo install",
    ] {
        assert!(action_scripts.contains(needle), "action: {needle}");
    }
    let uploads = steps(&workflow, "check").iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
    });
    assert!(uploads);
    assert_eq!(
        workflow["jobs"]["check"]["permissions"]["security-events"],
        "write"
    );
    assert_eq!(
        workflow["jobs"]["promote"]["permissions"]["contents"],
        "write"
    );
}

#[test]
fn the_workflow_commands_work_on_a_pull_request_and_its_merge() {
    let repo = TestRepo::new();
    let remote = repo.sibling("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.write_prompt(
        "greet",
        "format: 1\ninputs:\n  name: {type: string}\ntemplate: 'Hi {{name}}'\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "greet"]);
    repo.git(&["push", "-q", "origin", "main"]);
    let before = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // The pull request: a branch that changes the prompt.
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write_prompt(
        "greet",
        "format: 1\ninputs:\n  name: {type: string}\ntemplate: 'Hello {{name}}'\n",
    );
    repo.git(&["commit", "-q", "-am", "warmer greeting"]);
    repo.git(&["fetch", "-q", "origin"]);
    repo.prompt(&["check", "--format", "github"]).success();
    repo.prompt(&["check", "--format", "sarif"]).success();
    repo.prompt(&["diff", "origin/main...HEAD", "--format", "markdown"])
        .success()
        .stdout_has("`greet`");
    repo.prompt(&["review", "origin/main...HEAD"])
        .success()
        .stdout_has("| `greet` | modified | no |");
    // The merge, then the promote job's commands.
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"]);
    let after = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let changed = repo
        .prompt(&["diff", &format!("{before}..{after}"), "--json"])
        .success()
        .json();
    let ids: Vec<&str> = changed["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["change"] != "removed")
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["greet"]);
    for id in ids {
        repo.prompt(&[
            "promote",
            &format!("{id}@latest"),
            "staging",
            "-m",
            "merged",
        ])
        .success();
    }
    repo.prompt(&["push", "origin"]).success();
    let tags = repo.git(&["ls-remote", "--tags", remote.to_str().unwrap()]);
    assert!(tags.contains("refs/tags/greet@staging"), "{tags}");
}
