//! `blame` (contract §15): for each top-level field, each message and each input of a prompt,
//! the commit (version or draft, author, date, message) that last changed it.
//!
//! The prompt's history is walked newest first (`Registry::file_states`: the commits on the
//! first-parent history of the starting revision that changed its file, following `prompt mv`),
//! and consecutive states are compared parsed, part by part: a field by its value, an input by
//! its declaration, a message by its content after pairing the messages of the two states as the
//! semantic diff does (identical messages first, then by role), so that a message that only moved
//! keeps the commit that wrote it. A state that does not parse counts as changing every part.
//!
//! # JSON shape (`prompt blame ID [REF] --json`)
//!
//! ```text
//! { "id": ID, "revision": REV | null,           // REF as given; null: HEAD (and the working tree)
//!   "commit": HEX | null,                       // what REF named; null before the first commit
//!   "parts": [PART…] }                          // in file order: fields, then messages, inputs
//! PART = { "part": "model" | "messages[0]" | "inputs.ticket" | …,
//!          "kind": "field" | "message" | "input",
//!          "name": FIELD | INPUT | null, "index": N | null, "role": ROLE | "history" | null,
//!          "committed": BOOL,                  // false: changed in the working tree only
//!          "version": N | null, "draft": BOOL, // draft: off the release line (no number)
//!          "commit": HEX | null, "author": TEXT | null, "email": TEXT | null,
//!          "date": RFC3339 | null, "subject": TEXT | null }
//! ```

use serde::Serialize;
use serde_json::Value;

use crate::diff::message_pairs;
use crate::error::Error;
use crate::model::{load, Prompt, PromptId, Reference, Selector};
use crate::store::signature::format_rfc3339;
use crate::store::{CommitId, Registry, Rev, Standing};

/// Who last changed each part of a prompt.
#[derive(Debug, Clone, Serialize)]
pub struct Blame {
    pub id: String,
    pub revision: Option<String>,
    pub commit: Option<String>,
    pub parts: Vec<Part>,
}

/// One part of the prompt and the change that last touched it.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub part: String,
    pub kind: &'static str,
    pub name: Option<String>,
    pub index: Option<usize>,
    pub role: Option<String>,
    pub committed: bool,
    pub version: Option<usize>,
    pub draft: bool,
    pub commit: Option<String>,
    pub author: Option<String>,
    pub email: Option<String>,
    pub date: Option<String>,
    pub subject: Option<String>,
}

/// One state of the prompt, newest first: the working tree (no commit) or a commit.
struct State {
    commit: Option<(CommitId, crate::store::CommitInfo, Standing)>,
    prompt: Option<Prompt>,
}

/// Blames `id` as of `revision` (what follows `@` in a reference: a version number, `latest`, an
/// environment or a git revision); `None` is `HEAD` with the working tree's uncommitted changes
/// on top, as `git blame FILE` shows them.
pub fn blame(reg: &Registry, id: &PromptId, revision: Option<&str>) -> Result<Blame, Error> {
    let mut states = Vec::new();
    let start = match revision {
        Some(rev) => {
            let reference = Reference::parse(&format!("{id}@{rev}"))?;
            let resolved = reg.resolve(&reference)?;
            match resolved.rev {
                Rev::Commit(c) => Some(c),
                Rev::WorkingTree => None,
            }
        }
        None => {
            let head = reg.head()?;
            if reg.workdir().is_some() {
                let working = reg.resolve(&Reference {
                    id: id.clone(),
                    selector: Selector::WorkingTree,
                });
                match working {
                    Ok(r) if r.rev == Rev::WorkingTree => {
                        let committed = match head {
                            Some(h) => reg.read(Rev::Commit(h), id)?,
                            None => None,
                        };
                        if committed.as_ref() != Some(&r.bytes) {
                            states.push(State {
                                commit: None,
                                prompt: parse(&r.bytes),
                            });
                        }
                    }
                    Ok(_) => {}
                    Err(Error::PromptNotFound { .. }) if head.is_some() => {
                        return Err(reg.not_found(id, Rev::WorkingTree))
                    }
                    Err(e) => return Err(e),
                }
            }
            head
        }
    };
    if let Some(start) = start {
        let mut found = reg.file_states(start, id)?;
        if found.is_empty() && revision.is_some() {
            // `start` is older than a `prompt mv`: the file had another name there. Its history
            // under the name it has now follows the move; keep what `start` holds.
            if let Some(head) = reg.head()? {
                found = reg.file_states(head, id)?;
                found.retain(|s| reg.contains(start, s.commit));
            }
        }
        for s in found {
            states.push(State {
                prompt: parse(&s.bytes),
                commit: Some((s.commit, s.info, s.standing)),
            });
        }
    }
    let Some(newest) = states.first() else {
        return Err(reg.not_found(id, start.map_or(Rev::WorkingTree, Rev::Commit)));
    };
    let Some(prompt) = newest.prompt.clone() else {
        // The newest state does not parse: name the problem as every command does.
        let bytes = match start {
            Some(c) if newest.commit.is_some() => reg.read(Rev::Commit(c), id)?,
            _ => reg.read(Rev::WorkingTree, id)?,
        };
        let path = reg.path_of(id);
        return Err(match load::parse_bytes(&bytes.unwrap_or_default()) {
            Err(e) => Error::Parse {
                file: path,
                at: e.at,
                message: e.message,
            },
            Ok(_) => Error::Refused(format!("{path} could not be read as a prompt")),
        });
    };
    let mut parts = Vec::new();
    // Top-level fields, in the file's key order, as their serialized values.
    let fields = field_values(&prompt);
    for name in fields.keys() {
        if name == "messages" || name == "inputs" {
            continue;
        }
        let value = |s: &State| s.prompt.as_ref().and_then(|p| field_values(p).remove(name));
        let at = last_change(&states, |older, newer| value(older) == value(newer));
        parts.push(part(
            &states[at],
            name.clone(),
            "field",
            Some(name.clone()),
            None,
            None,
        ));
    }
    for (k, item) in prompt.messages.iter().flatten().enumerate() {
        // Follow the message back: its index in each older state, while it is unchanged.
        let mut index = k;
        let mut at = 0;
        while at + 1 < states.len() {
            let newer = states[at].prompt.as_ref().and_then(|p| p.messages.as_ref());
            let older = states[at + 1]
                .prompt
                .as_ref()
                .and_then(|p| p.messages.as_ref());
            let (Some(newer), Some(older)) = (newer, older) else {
                break;
            };
            let Some(j) = message_pairs(older, newer)
                .into_iter()
                .find(|(_, n)| *n == Some(index))
                .and_then(|(o, _)| o)
            else {
                break;
            };
            if older[j] != newer[index] {
                break;
            }
            index = j;
            at += 1;
        }
        let role = match (&item.history, item.role) {
            (Some(_), _) => "history".to_string(),
            (None, Some(r)) => r.as_str().to_string(),
            (None, None) => "user".to_string(),
        };
        parts.push(part(
            &states[at],
            format!("messages[{k}]"),
            "message",
            None,
            Some(k),
            Some(role),
        ));
    }
    for name in prompt.inputs.keys() {
        let spec = |s: &State| s.prompt.as_ref().and_then(|p| p.inputs.get(name).cloned());
        let at = last_change(&states, |older, newer| spec(older) == spec(newer));
        parts.push(part(
            &states[at],
            format!("inputs.{name}"),
            "input",
            Some(name.clone()),
            None,
            None,
        ));
    }
    // Inputs come after messages in the file; keep the file's order of fields around them.
    sort_in_file_order(&mut parts, &fields);
    Ok(Blame {
        id: id.to_string(),
        revision: revision.map(str::to_string),
        commit: start.map(|c| c.to_string()),
        parts,
    })
}

fn parse(bytes: &[u8]) -> Option<Prompt> {
    load::parse_bytes(bytes).ok().map(|l| l.prompt)
}

/// The prompt's top-level fields as the file has them (defaults left out), in key order.
fn field_values(prompt: &Prompt) -> serde_json::Map<String, Value> {
    match serde_json::to_value(prompt) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// The index of the oldest state, walking back from the newest, up to which `same(older,
/// newer)` holds at every step: the state that last changed the part.
fn last_change(states: &[State], same: impl Fn(&State, &State) -> bool) -> usize {
    let mut at = 0;
    while at + 1 < states.len()
        && states[at + 1].prompt.is_some()
        && same(&states[at + 1], &states[at])
    {
        at += 1;
    }
    at
}

fn part(
    state: &State,
    part: String,
    kind: &'static str,
    name: Option<String>,
    index: Option<usize>,
    role: Option<String>,
) -> Part {
    let (committed, version, draft, commit, author, email, date, subject) = match &state.commit {
        None => (false, None, false, None, None, None, None, None),
        Some((c, info, standing)) => (
            true,
            match standing {
                Standing::Version(n) => Some(*n),
                _ => None,
            },
            *standing == Standing::Draft,
            Some(c.to_string()),
            Some(info.author.clone()),
            Some(info.email.clone()),
            Some(format_rfc3339(info.time, info.offset_minutes)),
            Some(info.summary().to_string()),
        ),
    };
    Part {
        part,
        kind,
        name,
        index,
        role,
        committed,
        version,
        draft,
        commit,
        author,
        email,
        date,
        subject,
    }
}

/// Orders parts as the file writes them: fields in key order, messages where `messages` is,
/// inputs where `inputs` is.
fn sort_in_file_order(parts: &mut [Part], fields: &serde_json::Map<String, Value>) {
    let rank = |p: &Part| -> (usize, usize) {
        let key = match p.kind {
            "message" => "messages",
            "input" => "inputs",
            _ => p.name.as_deref().unwrap_or_default(),
        };
        let at = fields.keys().position(|k| k == key).unwrap_or(usize::MAX);
        (at, 0)
    };
    // Stable: messages and inputs keep their own order inside their rank.
    parts.sort_by_key(|p| rank(p));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{commit, registry, write};

    fn line<'a>(b: &'a Blame, part: &str) -> &'a Part {
        b.parts
            .iter()
            .find(|p| p.part == part)
            .unwrap_or_else(|| panic!("no part {part}: {:?}", b.parts))
    }

    #[test]
    fn each_part_names_the_commit_that_last_changed_it() {
        let (dir, reg) = registry();
        let v1 = "format: 1\ndescription: first\ninputs:\n  name:\n    type: string\nmessages:\n  - role: system\n    content: Be brief.\n  - role: user\n    content: Hi {{name}}\n";
        write(dir.path(), "greet", v1);
        commit(dir.path(), "first");
        // A message inserted before the others: they keep their first commit.
        let v2 = v1.replace(
            "messages:\n",
            "messages:\n  - role: developer\n    content: New rule.\n",
        );
        write(dir.path(), "greet", &v2);
        commit(dir.path(), "second");
        let v3 = v2.replace("first", "third");
        write(dir.path(), "greet", &v3);
        let id = PromptId::parse("greet").unwrap();
        let b = blame(&reg, &id, None).unwrap();
        let names: Vec<&str> = b.parts.iter().map(|p| p.part.as_str()).collect();
        assert_eq!(
            names,
            [
                "format",
                "description",
                "inputs.name",
                "messages[0]",
                "messages[1]",
                "messages[2]"
            ]
        );
        assert!(!line(&b, "description").committed);
        assert_eq!(line(&b, "format").version, Some(1));
        assert_eq!(line(&b, "messages[0]").version, Some(2));
        assert_eq!(line(&b, "messages[0]").role.as_deref(), Some("developer"));
        assert_eq!(line(&b, "messages[1]").version, Some(1));
        assert_eq!(line(&b, "messages[2]").subject.as_deref(), Some("first"));
        // As of a revision: the working tree is not looked at.
        let b = blame(&reg, &id, Some("1")).unwrap();
        assert_eq!(line(&b, "description").version, Some(1));
        assert!(blame(&reg, &PromptId::parse("nope").unwrap(), None).is_err());
    }
}
