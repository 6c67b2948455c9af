//! A property test of the version model (contract §4): random pull requests of `prompt new`, edits,
//! `prompt mv` and `prompt rm`, each merged in a random one of GitHub's three styles, give `log ID`,
//! `log`, `list` and `show ID@N` answers that agree with each other (`merges::versions_agree`) and
//! with a reference model: the list of release-line commits and, per prompt, which of them
//! changed it.

use std::collections::BTreeMap;

use proptest::prelude::*;

use crate::common::TestRepo;
use crate::merges::{merge_pr, versions_agree, Style, STYLES};

/// One step of a pull request; the index picks among the prompts that exist on the branch then.
#[derive(Debug, Clone)]
enum Op {
    New,
    Edit(usize),
    Mv(usize),
    Rm(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::New),
        3 => any::<usize>().prop_map(Op::Edit),
        2 => any::<usize>().prop_map(Op::Mv),
        1 => any::<usize>().prop_map(Op::Rm),
    ]
}

fn pull_request() -> impl Strategy<Value = (Vec<Op>, usize)> {
    (proptest::collection::vec(op(), 1..5), 0..3usize)
}

/// The model: for each prompt that exists, its version commits, oldest first; fresh names only
/// (a name is never used twice), so a prompt's history is its own and its moves'.
#[derive(Debug, Default, Clone)]
struct Model {
    versions: BTreeMap<String, Vec<String>>,
    /// Each prompt's template text at the release line's tip.
    text: BTreeMap<String, String>,
}

/// What one release-line commit did, as the model sees it: for each prompt after it, the name it
/// had before it (`None`: new) and its text. Prompts not listed are gone.
struct Net {
    end: BTreeMap<String, (Option<String>, String)>,
}

fn run(prs: &[(Vec<Op>, usize)]) {
    let repo = TestRepo::new();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "Add prompt registry"]);
    let mut model = Model::default();
    let mut fresh = 0;
    let mut name = || {
        fresh += 1;
        format!("p{fresh}")
    };
    // Two prompts on main to start with, so that every pull request can move, edit or remove.
    for _ in 0..2 {
        let id = name();
        let text = format!("Start {id} {{{{name}}}}");
        repo.prompt(&["new", &id, "--text", &text]).success();
        repo.prompt(&["commit", &id, "-m", &format!("Add {id}")])
            .success();
        let commit = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
        model.versions.insert(id.clone(), vec![commit]);
        model.text.insert(id, text);
    }
    for (number, (ops, style)) in prs.iter().enumerate() {
        let style = STYLES[*style];
        let branch = format!("pr{number}");
        repo.git(&["checkout", "-q", "-b", &branch, "main"]);
        // Prompts on the branch: id -> (origin on main, text), and each op's effect per commit
        // (for the rebase style: the commit's own changes).
        let mut live: BTreeMap<String, (Option<String>, String)> = model
            .text
            .iter()
            .map(|(id, t)| (id.clone(), (Some(id.clone()), t.clone())))
            .collect();
        let mut steps: Vec<Net> = Vec::new();
        for (k, op) in ops.iter().enumerate() {
            let pick = |i: usize| live.keys().nth(i % live.len().max(1)).cloned();
            let before = live.clone();
            let mut moved = None;
            match op {
                Op::New => {
                    let id = name();
                    let text = format!("New {id} in {branch} {{{{name}}}}");
                    repo.prompt(&["new", &id, "--text", &text]).success();
                    repo.prompt(&["commit", &id, "-m", &format!("Add {id}")])
                        .success();
                    live.insert(id, (None, text));
                }
                Op::Edit(i) => {
                    let Some(id) = pick(*i) else { continue };
                    let file = format!("prompts/{id}.prompt.yaml");
                    let old = live[&id].1.clone();
                    let text = format!("Edit {k} of {id} in {branch} {{{{name}}}}");
                    repo.write(&file, &repo.read(&file).replace(&old, &text));
                    repo.prompt(&["commit", &id, "-m", &format!("Edit {id}")])
                        .success();
                    live.get_mut(&id).unwrap().1 = text;
                }
                Op::Mv(i) => {
                    let Some(id) = pick(*i) else { continue };
                    let new = name();
                    repo.prompt(&["mv", &id, &new]).success();
                    let entry = live.remove(&id).unwrap();
                    live.insert(new.clone(), entry);
                    moved = Some((id, new));
                }
                Op::Rm(i) => {
                    let Some(id) = pick(*i) else { continue };
                    repo.prompt(&["rm", &id]).success();
                    live.remove(&id);
                }
            }
            // The commit's own change: the name each prompt after it had before it.
            let end = live
                .iter()
                .map(|(id, (_, text))| {
                    let came_from = match &moved {
                        Some((old, new)) if new == id => Some(old.clone()),
                        _ => before.contains_key(id).then(|| id.clone()),
                    };
                    (id.clone(), (came_from, text.clone()))
                })
                .collect();
            steps.push(Net { end });
        }
        if steps.is_empty() {
            // No commit: no pull request to merge.
            repo.git(&["checkout", "-q", "main"]);
            continue;
        }
        let old_main = repo.git(&["rev-parse", "main"]).trim().to_string();
        merge_pr(&repo, &branch, style, number as u32 + 1);
        let new_commits: Vec<String> = repo
            .git(&[
                "rev-list",
                "--first-parent",
                "--reverse",
                &format!("{old_main}..main"),
            ])
            .lines()
            .map(str::to_string)
            .collect();
        let nets: Vec<Net> = if style == Style::Rebase {
            steps
        } else {
            vec![Net {
                end: live
                    .iter()
                    .map(|(id, (origin, text))| (id.clone(), (origin.clone(), text.clone())))
                    .collect(),
            }]
        };
        assert_eq!(
            nets.len(),
            new_commits.len(),
            "{style:?}: one commit per step"
        );
        for (net, commit) in nets.iter().zip(&new_commits) {
            model.apply(net, commit);
        }
    }
    let answers = versions_agree(&repo);
    let log_commits = |id: &str| -> Vec<String> {
        let log: serde_json::Value =
            serde_json::from_str(&repo.prompt(&["log", id, "--json"]).success().stdout).unwrap();
        let mut v: Vec<(u64, String)> = log
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| Some((e["version"].as_u64()?, e["commit"].as_str()?.to_string())))
            .collect();
        v.sort();
        v.into_iter().map(|(_, c)| c).collect()
    };
    let ids: Vec<&String> = answers.keys().collect();
    let expected: Vec<&String> = model.versions.keys().collect();
    assert_eq!(ids, expected, "the prompts `list` shows");
    for (id, commits) in &model.versions {
        assert_eq!(&log_commits(id), commits, "the versions of {id}");
        let newest = answers[id].last().expect("a version");
        assert!(newest.contains(&model.text[id]), "{id}@latest: {newest}");
    }
}

impl Model {
    /// One release-line commit: each prompt at its end is a version when it is new or its text
    /// differs from what it came from; a prompt that came from another name takes its history.
    fn apply(&mut self, net: &Net, commit: &str) {
        let mut versions = BTreeMap::new();
        let mut text = BTreeMap::new();
        for (id, (came_from, t)) in &net.end {
            let (mut history, old_text) = match came_from {
                Some(old) if self.versions.contains_key(old) => {
                    (self.versions[old].clone(), Some(self.text[old].clone()))
                }
                _ => (Vec::new(), None),
            };
            if old_text.as_deref() != Some(t.as_str()) {
                history.push(commit.to_string());
            }
            versions.insert(id.clone(), history);
            text.insert(id.clone(), t.clone());
        }
        self.versions = versions;
        self.text = text;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_pull_requests_merged_in_random_styles_agree_with_the_model(
        prs in proptest::collection::vec(pull_request(), 1..4)
    ) {
        run(&prs);
    }
}
