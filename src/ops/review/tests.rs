use super::*;
use crate::ops::testing::{commit, git, registry, write};

const HEADER: &str = "format: 1\ntemplate: \"Ticket header v1\"\n";

fn chat(extra: &str) -> String {
    format!(
        "format: 1\nmodel:\n  provider: openai\n  name: gpt-4o\ninputs:\n  ticket:\n    type: string\nmessages:\n  - role: system\n    content: You help. {extra}\n  - role: user\n    content: \"{{{{> header}}}} {{{{ticket}}}}\"\nsamples:\n  short: {{ticket: hello world}}\n"
    )
}

#[test]
fn a_partial_change_reaches_its_includers_and_renders_are_counted() {
    let (dir, reg) = registry();
    write(dir.path(), "header", HEADER);
    write(dir.path(), "a", &chat(""));
    write(dir.path(), "b", &chat("B."));
    commit(dir.path(), "base");
    git(dir.path(), &["tag", "base"]);
    write(dir.path(), "header", &HEADER.replace("v1", "v2"));
    write(dir.path(), "b", &chat("B changed."));
    commit(dir.path(), "head");
    let r = review(&reg, "base..HEAD").unwrap();
    let got: Vec<(&str, ReviewChange)> = r
        .prompts
        .iter()
        .map(|p| (p.id.as_str(), p.change))
        .collect();
    assert_eq!(
        got,
        [
            ("a", ReviewChange::Through),
            ("b", ReviewChange::Modified),
            ("header", ReviewChange::Modified)
        ]
    );
    assert_eq!(r.prompts[0].through, ["header"]);
    assert_eq!(r.prompts[1].through, ["header"]);
    assert_eq!(r.prompts[2].changes_through, ["a", "b"]);
    assert_eq!(r.summary.through, 1);
    let pair = &r.prompts[0].renders[0];
    assert_eq!(pair.sample.as_deref(), Some("short"));
    assert!(pair.changed);
    let before = pair.old.as_ref().unwrap();
    assert!(before
        .text
        .as_deref()
        .unwrap()
        .contains("Ticket header v1 hello world"));
    let t = before.tokens.as_ref().unwrap();
    assert!(t.exact);
    assert_eq!(t.encoding, "o200k_base");
    assert_eq!(t.messages.len(), 2);
    assert_eq!(t.total, t.messages.iter().map(|m| m.tokens).sum::<usize>());
    let md = markdown::to_markdown(&r);
    assert!(md.starts_with(MARKER), "{md}");
    assert!(
        md.contains("| `a` | changed through a partial (`header`) | no |"),
        "{md}"
    );
}

#[test]
fn the_markdown_stays_under_the_limit_and_says_what_was_cut() {
    let (dir, reg) = registry();
    for i in 0..30 {
        write(dir.path(), &format!("p{i}"), &chat(""));
    }
    commit(dir.path(), "base");
    git(dir.path(), &["tag", "base"]);
    let big = "lorem ipsum ".repeat(2_000);
    for i in 0..30 {
        write(dir.path(), &format!("p{i}"), &chat(&big));
    }
    commit(dir.path(), "head");
    let r = review(&reg, "base..HEAD").unwrap();
    let md = markdown::to_markdown(&r);
    assert!(md.chars().count() < COMMENT_LIMIT, "{}", md.len());
    assert!(md.contains("Cut to fit"), "{md}");
    // The summary table is whole.
    for i in 0..30 {
        assert!(md.contains(&format!("| `p{i}` | modified | no |")));
    }
    let small = markdown::to_markdown_within(&r, 8_000);
    assert!(small.chars().count() <= 8_000, "{}", small.chars().count());
    assert!(small.contains("left out"), "{small}");
}

#[test]
fn bad_ranges_and_binary_files() {
    let (dir, reg) = registry();
    write(dir.path(), "a", HEADER);
    commit(dir.path(), "base");
    assert!(matches!(
        review(&reg, "nope..HEAD"),
        Err(Error::UnknownRevision { .. })
    ));
    assert!(matches!(review(&reg, "HEAD"), Err(Error::Usage(_))));
    std::fs::write(
        dir.path().join("prompts/a.prompt.yaml"),
        b"\0\x01\x02binary",
    )
    .unwrap();
    commit(dir.path(), "binary");
    let r = review(&reg, "HEAD~1..HEAD").unwrap();
    let p = &r.prompts[0];
    assert_eq!(p.change, ReviewChange::Modified);
    let u = p.diff.as_ref().unwrap().unparsed.as_ref().unwrap();
    assert!(u.error.contains("binary"), "{}", u.error);
    assert!(p.renders[0].new.as_ref().unwrap().error.is_some());
    assert!(p.renders[0].old.as_ref().unwrap().text.is_some());
}

#[test]
fn the_note_stays_short_when_many_long_named_prompts_are_left_out() {
    let (dir, reg) = registry();
    let long = "a-rather-long-folder-name-for-prompts/and-an-even-longer-prompt-name-to-go-in-it";
    for i in 0..60 {
        write(dir.path(), &format!("{long}-{i}"), &chat(""));
    }
    commit(dir.path(), "base");
    git(dir.path(), &["tag", "base"]);
    for i in 0..60 {
        write(
            dir.path(),
            &format!("{long}-{i}"),
            &chat(&"more words ".repeat(50)),
        );
    }
    commit(dir.path(), "head");
    let r = review(&reg, "base..HEAD").unwrap();
    for limit in [12_000, 20_000, COMMENT_LIMIT - 1] {
        let md = markdown::to_markdown_within(&r, limit);
        assert!(
            md.chars().count() <= limit,
            "{limit}: {}",
            md.chars().count()
        );
        if limit <= 20_000 {
            assert!(md.contains("more)"), "{limit}: {md}");
        }
    }
    // Too small even for the table: its last rows go, and the note says how many.
    let md = markdown::to_markdown_within(&r, 5_000);
    assert!(md.chars().count() <= 5_000, "{}", md.chars().count());
    assert!(md.contains("rows of the summary table left out"), "{md}");
}

#[test]
fn a_tests_part_shows_in_both_outputs_only_when_given() {
    let (dir, reg) = registry();
    write(dir.path(), "a", &chat(""));
    commit(dir.path(), "base");
    git(dir.path(), &["tag", "base"]);
    write(dir.path(), "a", &chat("Now."));
    commit(dir.path(), "head");
    let r = review(&reg, "base..HEAD").unwrap();
    assert!(!markdown::to_markdown(&r).contains("**Tests**"));
    assert!(serde_json::to_value(&r).unwrap()["prompts"][0]
        .get("tests")
        .is_none());
    let r = r.with_tests(|p| {
        (p.id == "a").then(|| TestsPart {
            cases: vec![TestCase {
                name: "refunds go to billing".into(),
                before: Some(TestStatus::Passed),
                after: Some(TestStatus::Failed),
                detail: Some("output lacks `billing`".into()),
            }],
        })
    });
    let md = markdown::to_markdown(&r);
    assert!(
        md.contains("| refunds go to billing | passed | **failed** |"),
        "{md}"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["prompts"][0]["tests"]["cases"][0]["after"], "failed");
}

#[test]
fn breaking_prompts_keep_their_sections_longest() {
    let (dir, reg) = registry();
    for i in 0..40 {
        write(dir.path(), &format!("p{i:02}"), &chat(""));
    }
    commit(dir.path(), "base");
    git(dir.path(), &["tag", "base"]);
    for i in 0..40 {
        write(dir.path(), &format!("p{i:02}"), &chat("Changed."));
    }
    // p17 gains a required input: breaking.
    let breaking =
        chat("Changed. {{lang}}").replace("inputs:\n", "inputs:\n  lang:\n    type: string\n");
    write(dir.path(), "p17", &breaking);
    commit(dir.path(), "head");
    let r = review(&reg, "base..HEAD").unwrap();
    assert!(r.prompts[17].breaking);
    let md = markdown::to_markdown_within(&r, 12_000);
    assert!(md.chars().count() <= 12_000);
    assert!(md.contains("#### `p17`"), "{md}");
    assert!(md.contains("left out"), "{md}");
    assert!(
        !md.contains("parts shortened"),
        "whole sections, not stubs: {md}"
    );
}

#[test]
fn numbers_found_in_one_pass_agree_with_number_at() {
    let (dir, reg) = registry();
    write(dir.path(), "header", HEADER);
    write(dir.path(), "a", &chat(""));
    commit(dir.path(), "one");
    write(dir.path(), "b", &chat("B."));
    commit(dir.path(), "two");
    // A version of `a` and `b` through the header alone.
    write(dir.path(), "header", &HEADER.replace("v1", "v2"));
    commit(dir.path(), "three");
    crate::ops::testing::remove(dir.path(), "b");
    write(dir.path(), "a", &chat("A."));
    commit(dir.path(), "four");
    std::fs::write(dir.path().join("notes.txt"), "not a prompt").unwrap();
    commit(dir.path(), "five");
    let ids: Vec<PromptId> = ["a", "b", "header", "nope"]
        .iter()
        .map(|i| PromptId::parse(i).unwrap())
        .collect();
    for back in 0..5 {
        let c = reg.revision(&format!("HEAD~{back}")).unwrap().unwrap();
        let fast = reg.numbers_on_line(c, &ids).unwrap().expect("on the line");
        for id in &ids {
            assert_eq!(
                fast[id],
                reg.number_at(id, c).unwrap(),
                "{id} at HEAD~{back}"
            );
        }
    }
    // Off the line: the caller asks number_at.
    git(dir.path(), &["switch", "-q", "-c", "topic"]);
    write(dir.path(), "a", &chat("Topic."));
    commit(dir.path(), "topic");
    let c = reg.revision("HEAD").unwrap().unwrap();
    assert!(reg.numbers_on_line(c, &ids).unwrap().is_none());
}
