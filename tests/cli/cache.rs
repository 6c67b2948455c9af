//! The history cache can be damaged in any way and still never change an answer (contract §4):
//! every single-line drop, duplication and swap of a real cache gives the answers
//! `PROMPT_NO_CACHE=1` gives, and the damaged file is rebuilt.

use crate::common::{text_prompt, TestRepo};

const CACHE: &str = ".git/prompt-history-v3";

/// A small registry whose history has versions, a move with an edit, a removal and a return.
fn registry() -> TestRepo {
    let repo = TestRepo::new();
    for text in ["One", "Two"] {
        repo.write_prompt("greet", &text_prompt(text));
        repo.prompt(&["commit", "-m", text]).success();
    }
    repo.write_prompt("other", &text_prompt("O"));
    repo.prompt(&["commit", "-m", "other"]).success();
    repo.prompt(&["mv", "greet", "team/greet"]).success();
    repo.write_prompt("team/greet", &text_prompt("Moved"));
    repo.prompt(&["commit", "-m", "edit after move"]).success();
    repo.prompt(&["rm", "other"]).success();
    repo
}

/// The questions asked of the cache: the whole history (a full read) and one prompt's versions
/// (a filtered read).
const QUESTIONS: [&[&str]; 2] = [&["log", "--json"], &["log", "team/greet", "--json"]];

fn ask(repo: &TestRepo, args: &[&str], no_cache: bool) -> String {
    repo.prompt_cached(args, no_cache)
}

/// Every file that one drop, one duplication or one swap of two lines makes of `lines`.
fn mutations(lines: &[String]) -> Vec<(String, String)> {
    let join = |v: &[String]| v.concat();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        let mut dropped = lines.to_vec();
        dropped.remove(i);
        out.push((format!("drop line {}", i + 1), join(&dropped)));
        let mut doubled = lines.to_vec();
        doubled.insert(i, lines[i].clone());
        out.push((format!("duplicate line {}", i + 1), join(&doubled)));
        for j in i + 1..lines.len() {
            if lines[i] == lines[j] {
                continue;
            }
            let mut swapped = lines.to_vec();
            swapped.swap(i, j);
            out.push((
                format!("swap lines {} and {}", i + 1, j + 1),
                join(&swapped),
            ));
        }
    }
    out
}

#[test]
fn every_single_line_drop_duplication_and_swap_gives_the_uncached_answers() {
    let repo = registry();
    let cache = repo.root().join(CACHE);
    let expected: Vec<String> = QUESTIONS.iter().map(|q| ask(&repo, q, true)).collect();
    assert!(expected[1].contains("\"version\": 3"), "{}", expected[1]);
    // Build the cache (the first full read writes it) and check it answers the same.
    assert_eq!(ask(&repo, QUESTIONS[0], false), expected[0]);
    let pristine = std::fs::read_to_string(&cache).expect("the cache was written");
    assert_eq!(ask(&repo, QUESTIONS[1], false), expected[1]);
    let lines: Vec<String> = pristine.split_inclusive('\n').map(str::to_string).collect();
    assert!(
        lines.len() >= 20,
        "a cache with every kind of line:\n{pristine}"
    );
    let all = mutations(&lines);
    assert!(all.len() > 200, "{}", all.len());
    for (what, damaged) in &all {
        assert_ne!(damaged, &pristine, "{what} changes the file");
        for (question, answer) in QUESTIONS.iter().zip(&expected) {
            std::fs::write(&cache, damaged).unwrap();
            assert_eq!(
                &ask(&repo, question, false),
                answer,
                "{question:?} after {what}"
            );
            // The damaged file was not trusted, and was rebuilt.
            assert_eq!(
                std::fs::read_to_string(&cache).unwrap(),
                pristine,
                "{question:?} after {what}"
            );
        }
    }
}

#[test]
fn the_cache_is_keyed_on_the_shallow_boundary_and_replace_refs() {
    let repo = registry();
    let cache = repo.root().join(CACHE);
    let expected = ask(&repo, QUESTIONS[0], true);
    assert_eq!(ask(&repo, QUESTIONS[0], false), expected);
    let before = std::fs::read_to_string(&cache).unwrap();
    assert!(before.contains("\nshallow\tnone\n") && before.contains("\nreplace\tnone\n"));
    // A replace ref (here a commit replaced by itself with another message) is a new key: the
    // cache is rebuilt rather than read for another view of history.
    let head = repo.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    let tree = repo.git(&["rev-parse", "HEAD~1^{tree}"]).trim().to_string();
    let parent = repo.git(&["rev-parse", "HEAD~2"]).trim().to_string();
    let twin = repo
        .git(&["commit-tree", &tree, "-p", &parent, "-m", "twin"])
        .trim()
        .to_string();
    repo.git(&["replace", &head, &twin]);
    ask(&repo, QUESTIONS[0], false);
    let after = std::fs::read_to_string(&cache).unwrap();
    assert!(!after.contains("\nreplace\tnone\n"), "{after}");
    repo.git(&["replace", "-d", &head]);
    assert_eq!(ask(&repo, QUESTIONS[0], false), expected);
    assert_eq!(std::fs::read_to_string(&cache).unwrap(), before);
}

/// A cache file with every commit-info line made unreadable and its checksum made to match again
/// (a hostile or buggy writer, not damage): the info is parsed only when asked for, and then the
/// commit is read instead, so every answer is still the walk's.
#[test]
fn info_lines_that_do_not_parse_give_the_answers_of_the_walk() {
    let repo = registry();
    let cache = repo.root().join(CACHE);
    let questions: [&[&str]; 4] = [
        QUESTIONS[0],
        QUESTIONS[1],
        &["show", "team/greet@2", "--json"],
        &["show", "team/greet@3"],
    ];
    let expected: Vec<String> = questions.iter().map(|q| ask(&repo, q, true)).collect();
    assert!(expected[2].contains("\"version\": 2"), "{}", expected[2]);
    assert_eq!(ask(&repo, questions[0], false), expected[0]);
    let pristine = std::fs::read_to_string(&cache).expect("the cache was written");
    let mut forged: String = pristine
        .lines()
        .filter(|l| !l.starts_with("end\t"))
        .map(|l| match l.strip_prefix("A\t") {
            Some(_) => "A\tnot json at all\n".to_string(),
            None => format!("{l}\n"),
        })
        .collect();
    assert_ne!(forged, pristine);
    let sum = xxhash_rust::xxh3::xxh3_64(forged.as_bytes());
    forged.push_str(&format!("end\t{sum:016x}\n"));
    for (question, answer) in questions.iter().zip(&expected) {
        std::fs::write(&cache, &forged).unwrap();
        assert_eq!(&ask(&repo, question, false), answer, "{question:?}");
    }
}
