//! Test results before → after in `prompt review` (contract §15): each changed prompt's tests
//! (contract §14) replayed from the recordings at the base and at the head, with no network call.

use std::collections::BTreeMap;

use crate::model::PromptId;
use crate::store::{CommitId, Registry, Rev};
use crate::testing::{self, TestResult};

use super::{PromptReview, TestCase, TestStatus, TestsPart};

/// The tests part of one prompt: `None` when the prompt has no tests on either side.
pub(super) fn tests_part(
    reg: &Registry,
    old_commit: CommitId,
    new_commit: CommitId,
    prompt: &PromptReview,
) -> Option<TestsPart> {
    let side = |rev: CommitId, id: &str| -> Side {
        let Ok(id) = PromptId::parse(id) else {
            return Side::default();
        };
        let Ok(results) = testing::replay_at(reg, Rev::Commit(rev), &id) else {
            return Side::default();
        };
        let mut side = Side::default();
        for r in &results {
            // A file that does not parse has no cases to run: one result says why.
            if r.test == testing::UNPARSABLE {
                side.unparsable = r.error.clone();
            } else {
                side.cases.push(outcome(r));
            }
        }
        side
    };
    let mut before = match &prompt.old {
        Some(_) => side(old_commit, prompt.old_id.as_deref().unwrap_or(&prompt.id)),
        None => Side::default(),
    };
    let mut after = match &prompt.new {
        Some(_) => side(new_commit, &prompt.id),
        None => Side::default(),
    };
    // Where one side does not parse, the other side's cases are errors there, saying why.
    let stand_in = |other: &Side, why: &str| -> Vec<Outcome> {
        other
            .cases
            .iter()
            .map(|(name, _, _)| (name.clone(), TestStatus::Error, Some(why.to_string())))
            .collect()
    };
    if let Some(why) = after.unparsable.clone() {
        after.cases = stand_in(&before, &why);
    }
    if let Some(why) = before.unparsable.clone() {
        before.cases = stand_in(&after, &why);
    }
    if before.cases.is_empty() && after.cases.is_empty() {
        return None;
    }
    Some(TestsPart {
        cases: pair(before.cases, after.cases),
    })
}

/// A case's name, status and the reason it did not pass.
type Outcome = (String, TestStatus, Option<String>);

/// The cases of one side, or why its file could not be read.
#[derive(Default)]
struct Side {
    cases: Vec<Outcome>,
    unparsable: Option<String>,
}

/// One result as a status and the reason it did not pass.
fn outcome(result: &TestResult) -> Outcome {
    let status = if result.passed {
        TestStatus::Passed
    } else {
        match &result.error {
            Some(e) if e.starts_with("no recording") => TestStatus::NoRecording,
            Some(_) => TestStatus::Error,
            None => TestStatus::Failed,
        }
    };
    (result.display_name(), status, result.reason())
}

/// Cases by name: the head's order first, then the cases only the base has.
fn pair(before: Vec<Outcome>, after: Vec<Outcome>) -> Vec<TestCase> {
    let mut old: BTreeMap<String, TestStatus> = before
        .iter()
        .map(|(name, status, _)| (name.clone(), *status))
        .collect();
    let mut cases: Vec<TestCase> = after
        .into_iter()
        .map(|(name, status, reason)| TestCase {
            before: old.remove(&name),
            after: Some(status),
            detail: if status == TestStatus::Passed {
                None
            } else {
                reason.map(|r| first_line(&r))
            },
            name,
        })
        .collect();
    for (name, _, _) in before {
        if let Some(status) = old.remove(&name) {
            cases.push(TestCase {
                name,
                before: Some(status),
                after: None,
                detail: None,
            });
        }
    }
    cases
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_pair_by_name_head_order_first_then_removed_ones() {
        let p = |n: &str, s| (n.to_string(), s, Some(format!("{n} failed\nmore")));
        let cases = pair(
            vec![p("gone", TestStatus::Passed), p("kept", TestStatus::Passed)],
            vec![
                p("kept", TestStatus::Failed),
                p("new", TestStatus::NoRecording),
            ],
        );
        let got: Vec<_> = cases
            .iter()
            .map(|c| (c.name.as_str(), c.before, c.after, c.detail.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "kept",
                    Some(TestStatus::Passed),
                    Some(TestStatus::Failed),
                    Some("kept failed")
                ),
                (
                    "new",
                    None,
                    Some(TestStatus::NoRecording),
                    Some("new failed")
                ),
                ("gone", Some(TestStatus::Passed), None, None),
            ]
        );
    }
}
