//! `prompt test --changed REV`: the prompts whose rendering at `at` may differ from REV: their
//! own file differs, or a prompt they include (partials, parents, Jinja2 includes), directly or
//! through others, differs (contract §4's rule for versions, applied between two states).

use std::collections::{HashMap, HashSet};

use crate::error::Error;
use crate::model::includes::included_ids;
use crate::model::PromptId;
use crate::store::{Registry, Rev};

/// The prompts at `at` that differ from `spec` (a git revision) themselves or through what they
/// include, sorted by id.
pub fn changed_since(reg: &Registry, spec: &str, at: Rev) -> Result<Vec<PromptId>, Error> {
    let old = reg.revision(spec)?.ok_or_else(|| Error::UnknownRevision {
        spec: spec.to_string(),
        purpose: "`--changed REV` compares the prompts with a git revision".into(),
    })?;
    let old = Rev::Commit(old);
    let now = reg.ids(at)?;
    let mut bytes_now: HashMap<String, Vec<u8>> = HashMap::new();
    for id in &now {
        if let Some(b) = reg.read(at, id)? {
            bytes_now.insert(id.to_string(), b);
        }
    }
    let mut differs: HashSet<String> = HashSet::new();
    for id in &now {
        if reg.read(old, id)? != bytes_now.get(id.as_str()).cloned() {
            differs.insert(id.to_string());
        }
    }
    for id in reg.ids(old)? {
        if !bytes_now.contains_key(id.as_str()) {
            differs.insert(id.to_string());
        }
    }
    let includes: HashMap<&str, Vec<String>> = bytes_now
        .iter()
        .map(|(id, b)| (id.as_str(), included_ids(b)))
        .collect();
    let mut out = Vec::new();
    for id in &now {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack = vec![id.as_str()];
        let mut hit = false;
        while let Some(next) = stack.pop() {
            if !seen.insert(next) {
                continue;
            }
            if differs.contains(next) {
                hit = true;
                break;
            }
            for inc in includes.get(next).into_iter().flatten() {
                stack.push(inc.as_str());
            }
        }
        if hit {
            out.push(id.clone());
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing as fixture;

    #[test]
    fn a_prompt_changes_through_the_partial_it_includes() {
        let (dir, reg) = fixture::registry();
        fixture::write(dir.path(), "shared/sig", "format: 1\ntemplate: Bye\n");
        fixture::write(
            dir.path(),
            "mail",
            "format: 1\ntemplate: |\n  Hi\n  {{> shared/sig}}\n",
        );
        fixture::write(dir.path(), "other", "format: 1\ntemplate: Hello\n");
        fixture::commit(dir.path(), "one");
        assert!(changed_since(&reg, "HEAD", Rev::WorkingTree)
            .unwrap()
            .is_empty());
        fixture::write(dir.path(), "shared/sig", "format: 1\ntemplate: Cheers\n");
        let ids: Vec<String> = changed_since(&reg, "HEAD", Rev::WorkingTree)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(ids, ["mail", "shared/sig"]);
        assert!(changed_since(&reg, "nope", Rev::WorkingTree).is_err());
    }
}
