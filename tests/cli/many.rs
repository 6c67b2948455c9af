//! A registry large enough that `check` and `list` split their files over several threads: the
//! output is the same, in the same order, as one thread would give.

use crate::common::{text_prompt, TestRepo};

/// 1,200 prompts `bulk/pNNNN` (enough for several threads), a partial `a/header` that sorts
/// before them, and mistakes near the start, the middle and the end.
fn big_registry() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt(
        "a/header",
        "format: 1\ninputs:\n  who:\n    type: string\ntemplate: |\n  Dear {{who}},\n",
    );
    for n in 0..1200 {
        let text = match n {
            3 | 1190 => "format: 1\ntemplate: |\n  {{#open}}\n".to_string(),
            // A partial read by whichever thread checks this file.
            700 => "format: 1\ntemplate: |\n  {{> a/header}}\n".to_string(),
            900 => "format: 1\ntemplate: [\n".to_string(),
            _ => text_prompt(&format!("Prompt {n}")),
        };
        repo.write_prompt(&format!("bulk/p{n:04}"), &text);
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "many prompts"]);
    repo
}

#[test]
fn check_of_many_prompts_reports_every_mistake_in_file_order() {
    let repo = big_registry();
    let out = repo
        .prompt(&["check"])
        .code(1)
        .stderr_has("checked 1201 prompts: 4 error(s), 0 warning(s)");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert!(lines[0].starts_with("prompts/bulk/p0003.prompt.yaml:3:3: error[template-syntax]"));
    assert!(lines[1].starts_with(
        "prompts/bulk/p0700.prompt.yaml:3:3: error[undeclared-variable]: variable `who`"
    ));
    assert!(
        lines[2].starts_with("prompts/bulk/p0900.prompt.yaml:"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("prompts/bulk/p1190.prompt.yaml:3:3: error[template-syntax]"));

    // The same diagnostics as checking each file alone.
    for (line, id) in lines
        .iter()
        .zip(["bulk/p0003", "bulk/p0700", "bulk/p0900", "bulk/p1190"])
    {
        let alone = repo.prompt(&["check", id]).code(1);
        assert_eq!(alone.stdout.trim_end(), *line);
    }

    let json = repo.prompt(&["check", "--format", "json"]).code(1).json();
    assert_eq!(json["checked"], 1201);
    assert_eq!(json["errors"], 4);
}

#[test]
fn list_of_many_prompts_keeps_every_row_in_order() {
    let repo = big_registry();
    let rows = repo.prompt(&["list", "--json"]).success().json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1201);
    assert_eq!(rows[0]["id"], "a/header");
    for (n, row) in rows[1..].iter().enumerate() {
        assert_eq!(row["id"], format!("bulk/p{n:04}"));
        assert_eq!(row["versions"], 1, "{row}");
        if n == 900 {
            assert!(row["kind"].is_null(), "{row}");
            assert!(row["error"].is_string(), "{row}");
        } else {
            assert_eq!(row["kind"], "text", "{row}");
            assert!(row["error"].is_null(), "{row}");
        }
    }
}
