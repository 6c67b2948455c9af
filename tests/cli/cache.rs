//! The history cache can be damaged in any way and still never change an answer (contract §4):
//! every single-line drop, duplication and swap of a real cache gives the answers
//! `PROMPT_NO_CACHE=1` gives, and the damaged file is rebuilt.

use crate::common::{text_prompt, TestRepo};

const CACHE: &str = ".git/prompt-history-v4";
/// The folder of per-prompt entries (one prompt's versions each).
const FILES: &str = ".git/prompt-history-files-v2";

/// Removes the per-prompt entries, so that the next read of one prompt reads the history cache.
fn forget_prompt_entries(repo: &TestRepo) {
    let _ = std::fs::remove_dir_all(repo.root().join(FILES));
}

/// The one per-prompt entry there is.
fn prompt_entry(repo: &TestRepo) -> std::path::PathBuf {
    let entries: Vec<_> = std::fs::read_dir(repo.root().join(FILES))
        .expect("a per-prompt entry was written")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

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

/// A cache file damaged one way.
struct Damage<'a> {
    file: &'a std::path::Path,
    damaged: &'a str,
    /// What the file held before, and must hold again once a command has read it.
    pristine: &'a str,
    what: &'a str,
}

impl Damage<'_> {
    /// Writes the damaged file and checks that `question` gets the uncached `answer` and that
    /// the damaged file was not trusted but rewritten.
    fn answers_as_uncached(&self, repo: &TestRepo, question: &[&str], answer: &str) {
        std::fs::write(self.file, self.damaged).unwrap();
        let what = self.what;
        assert_eq!(
            ask(repo, question, false),
            answer,
            "{question:?} after {what}"
        );
        assert_eq!(
            std::fs::read_to_string(self.file).unwrap(),
            self.pristine,
            "{question:?} after {what}"
        );
    }
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
            // One prompt's versions are read off the history cache only when they are not kept.
            forget_prompt_entries(&repo);
            let damage = Damage {
                file: &cache,
                damaged,
                pristine: &pristine,
                what,
            };
            damage.answers_as_uncached(&repo, question, answer);
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
        forget_prompt_entries(&repo);
        assert_eq!(&ask(&repo, question, false), answer, "{question:?}");
    }
    // The per-prompt entry written from the forged lines holds them too: still the walk's answers.
    for (question, answer) in questions.iter().zip(&expected).skip(1) {
        assert_eq!(&ask(&repo, question, false), answer, "{question:?}");
    }
}

/// `lines` (each with its line break) sealed with a checksum line, as the cache writes files.
fn sealed(lines: &str) -> String {
    let sum = xxhash_rust::xxh3::xxh3_64(lines.as_bytes());
    format!("{lines}end\t{sum:016x}\n")
}

/// The questions about one prompt, which a per-prompt entry answers.
const ONE_PROMPT: [&[&str]; 3] = [
    QUESTIONS[1],
    &["show", "team/greet@2", "--json"],
    &["show", "team/greet@3"],
];

/// The first read of one prompt's versions leaves an entry that the next read uses, with or
/// without a history cache; the entry is keyed on the release line's tip, and every single-line
/// drop, duplication and swap of it gives the uncached answers and is rewritten.
#[test]
fn a_per_prompt_entry_is_used_keyed_and_never_changes_an_answer() {
    let repo = registry();
    let cache = repo.root().join(CACHE);
    // (`prompt commit` reads the versions it made, so it may have left entries.)
    forget_prompt_entries(&repo);
    let expected: Vec<String> = ONE_PROMPT.iter().map(|q| ask(&repo, q, true)).collect();
    assert!(
        !repo.root().join(FILES).exists(),
        "PROMPT_NO_CACHE keeps nothing"
    );
    // A fresh clone: the first `log ID` walks one file and keeps its versions, not the history.
    assert_eq!(ask(&repo, ONE_PROMPT[0], false), expected[0]);
    assert!(!cache.exists());
    let entry = prompt_entry(&repo);
    let pristine = std::fs::read_to_string(&entry).unwrap();
    assert!(
        pristine.contains("\npath\tteam/greet.prompt.yaml\n"),
        "{pristine}"
    );
    assert_eq!(pristine.matches("\nV\t").count(), 3, "{pristine}");
    // The next read uses it: an entry forged with a matching checksum shows through.
    let body = pristine.rsplit_once("end\t").unwrap().0;
    let forged = sealed(&body.replace("\"author\":\"Ada Author\"", "\"author\":\"Forged\""));
    assert_ne!(forged, pristine);
    std::fs::write(&entry, &forged).unwrap();
    assert!(ask(&repo, ONE_PROMPT[0], false).contains("Forged"));
    // Another tip is another key: after a commit the entry is not read but rewritten.
    repo.write_prompt("other2", &text_prompt("X"));
    repo.prompt(&["commit", "-m", "x"]).success();
    assert_eq!(ask(&repo, ONE_PROMPT[0], false), expected[0]);
    let rewritten = std::fs::read_to_string(&entry).unwrap();
    assert!(!rewritten.contains("Forged"), "{rewritten}");
    let pristine = rewritten;
    // Damage, with no history cache (the entry is rebuilt by a walk) and with one (rebuilt from
    // the history cache).
    let lines: Vec<String> = pristine.split_inclusive('\n').map(str::to_string).collect();
    let all = mutations(&lines);
    assert!(all.len() > 50, "{}", all.len());
    for with_history_cache in [false, true] {
        if with_history_cache {
            ask(&repo, QUESTIONS[0], false);
            assert!(cache.exists());
        }
        for (what, damaged) in &all {
            for (question, answer) in ONE_PROMPT.iter().zip(&expected) {
                let damage = Damage {
                    file: &entry,
                    damaged,
                    pristine: &pristine,
                    what: &format!("{what} (history cache: {with_history_cache})"),
                };
                damage.answers_as_uncached(&repo, question, answer);
            }
        }
    }
}

/// Every file below `dir` whose name holds `.tmp-` (the cache's temporary files).
fn temporaries(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            temporaries(&path, out);
        } else if path.to_string_lossy().contains(".tmp-") {
            out.push(path);
        }
    }
}

#[test]
fn a_cache_that_cannot_be_written_leaves_no_temporary_file() {
    // A file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that writes fail with EFBIG)
    // stands in for a full disk: the cache files are larger than 512 bytes, so their writes
    // fail half way. The commands still answer, and nothing is left taking space in .git.
    let repo = TestRepo::new();
    let long = "a long commit message line to make the cache larger than the limit\n".repeat(12);
    for n in 0..4 {
        repo.write_prompt("greet", &text_prompt(&format!("Hello {n}")));
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", &format!("greet {n}\n\n{long}")]);
    }
    for args in [["log", "greet"], ["list", "--json"]] {
        let out = repo
            .command("sh", &repo.root())
            .args(["-c", "trap '' XFSZ; ulimit -f 1 && exec \"$0\" \"$@\""])
            .arg(env!("CARGO_BIN_EXE_prompt"))
            .args(args)
            .output()
            .expect("run sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        let mut left = Vec::new();
        temporaries(&repo.root().join(".git"), &mut left);
        assert!(left.is_empty(), "{args:?} left {left:?}");
    }
    let log = repo.prompt(&["log", "greet"]).success();
    assert!(log.stdout.contains("greet 3"), "{}", log.stdout);
}
