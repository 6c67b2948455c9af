//! Resolving a reference (`ID`, `ID@N`, `ID@ENV`, `ID@REV`) to the bytes it names, and the
//! "not found" errors with their suggestions.

use std::collections::HashMap;

use super::{CommitId, Registry, Resolved, Rev};
use crate::error::Error;
use crate::model::id::printable;
use crate::model::{EnvName, PromptId, Reference, Selector};

/// A file's bytes and the version number they are.
type BytesAndVersion = (Vec<u8>, Option<usize>);

impl Registry {
    /// The commit the environment tag `ID@ENV` points at, if the tag exists.
    pub fn env_commit(&self, id: &PromptId, env: &EnvName) -> Result<Option<CommitId>, Error> {
        self.env_tag_commit(id, env)
    }

    /// The configured environments of one prompt that have a tag, with their commits. Broken
    /// tags are left out (`broken_env_tags` lists them).
    pub fn envs_of(&self, id: &PromptId) -> Result<Vec<(EnvName, CommitId)>, Error> {
        let mut out = Vec::new();
        for env in &self.config.environments {
            match self.env_commit(id, env) {
                Ok(Some(c)) => out.push((env.clone(), c)),
                Ok(None) | Err(Error::BrokenTag { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Every environment tag of a configured environment, by prompt id.
    pub fn all_envs(&self) -> Result<HashMap<PromptId, Vec<(EnvName, CommitId)>>, Error> {
        // Broken tags are left out here (`broken_env_tags` lists them).
        Ok(self.env_tags()?.0)
    }

    /// Resolves a reference (contract §4) to the file's bytes.
    pub fn resolve(&self, reference: &Reference) -> Result<Resolved, Error> {
        let id = &reference.id;
        let path = self.path_of(id);
        let resolved = |rev: Rev, version: Option<usize>, env: Option<EnvName>, bytes| Resolved {
            id: id.clone(),
            rev,
            version,
            env,
            path: path.clone(),
            bytes,
        };
        match &reference.selector {
            Selector::WorkingTree => {
                let rev = self.default_rev()?.unwrap_or(Rev::WorkingTree);
                match self.read(rev, id)? {
                    Some(bytes) => Ok(resolved(rev, None, None, bytes)),
                    None => Err(self.not_found(id, rev)),
                }
            }
            Selector::Version(n) => {
                // Newest first; only the number is needed, not each version's commit info.
                let (count, picked) = self.release_version_pick(id, |count| {
                    (*n > 0).then(|| count.checked_sub(*n)).flatten()
                })?;
                let Some(v) = picked else {
                    if count == 0 && self.read(Rev::WorkingTree, id).ok().flatten().is_none() {
                        // No such prompt at all: suggest similar ids, not committing it.
                        return Err(self.not_found(id, Rev::WorkingTree));
                    }
                    return Err(Error::UnknownReference {
                        reference: reference.to_string(),
                        reason: self.describe_versions(id, count)?,
                    });
                };
                let bytes = self.blob_bytes(v.blob, &path)?;
                Ok(resolved(
                    Rev::Commit(CommitId(v.commit)),
                    Some(*n),
                    None,
                    bytes,
                ))
            }
            Selector::Latest => {
                let (count, picked) =
                    self.release_version_pick(id, |count| (count > 0).then_some(0))?;
                let Some(v) = picked else {
                    if self.read(Rev::WorkingTree, id).ok().flatten().is_none() {
                        return Err(self.not_found(id, Rev::WorkingTree));
                    }
                    return Err(Error::UnknownReference {
                        reference: reference.to_string(),
                        reason: self.describe_versions(id, 0)?,
                    });
                };
                let bytes = self.blob_bytes(v.blob, &path)?;
                Ok(resolved(
                    Rev::Commit(CommitId(v.commit)),
                    Some(count),
                    None,
                    bytes,
                ))
            }
            Selector::Named(name) => {
                if let Some(env) = self.config.env(name) {
                    let Some(commit) = self.env_commit(id, env)? else {
                        let promoted: Vec<String> = self
                            .envs_of(id)?
                            .into_iter()
                            .map(|(e, _)| e.to_string())
                            .collect();
                        return Err(Error::NotPromoted {
                            reference: reference.to_string(),
                            reason: format!(
                                "`{id}` is not promoted to {env}; {}",
                                if promoted.is_empty() {
                                    "it is not promoted to any environment".to_string()
                                } else {
                                    format!("it is promoted to: {}", promoted.join(", "))
                                }
                            ),
                        });
                    };
                    let rev = Rev::Commit(commit);
                    let Some((bytes, version)) = self.read_at_commit(id, commit)? else {
                        return Err(self.not_found(id, rev));
                    };
                    return Ok(resolved(rev, version, Some(env.clone()), bytes));
                }
                let Some(commit) = self.revision(name)? else {
                    let envs: Vec<String> = self
                        .config
                        .environments
                        .iter()
                        .map(|e| e.to_string())
                        .collect();
                    return Err(Error::UnknownReference {
                        reference: printable(&reference.to_string()),
                        reason: format!(
                            "`{}` is neither a version number, `latest`, an environment ({}) nor a \
                             git revision{}",
                            printable(name),
                            envs.join(", "),
                            crate::error::did_you_mean(name, &envs)
                        ),
                    });
                };
                let rev = Rev::Commit(commit);
                let Some((bytes, version)) = self.read_at_commit(id, commit)? else {
                    return Err(self.not_found(id, rev));
                };
                Ok(resolved(rev, version, None, bytes))
            }
        }
    }

    /// The version number a resolved reference shows: known for `@N` and `@latest`, looked up (in
    /// the history cache, or by a walk) for environments and revisions; none for the working
    /// tree, a draft, or where a shallow clone cannot tell.
    pub fn version_number(&self, resolved: &Resolved) -> Result<Option<usize>, Error> {
        match (resolved.version, resolved.rev) {
            (Some(n), _) => Ok(Some(n)),
            (None, Rev::Commit(c)) => self.number_at(&resolved.id, c),
            (None, Rev::WorkingTree) => Ok(None),
        }
    }

    /// The version number `id` shows at `commit`: `None` for a draft, a commit without the
    /// prompt, or a shallow clone that cannot count (what only reads content still works there).
    pub fn number_at(&self, id: &PromptId, commit: CommitId) -> Result<Option<usize>, Error> {
        match self.state_at(id, commit) {
            Ok(state) => Ok(state.and_then(|s| s.number())),
            Err(Error::ShallowHistory { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A prompt's bytes at a commit and the version number it shows there. When the file is not at
    /// the id's path in that commit, the prompt may have been moved since: the release line's
    /// history, which follows moves, gives the version at or before the commit.
    pub(super) fn read_at_commit(
        &self,
        id: &PromptId,
        commit: CommitId,
    ) -> Result<Option<BytesAndVersion>, Error> {
        if let Some(bytes) = self.read(Rev::Commit(commit), id)? {
            // The number costs a history lookup; `version_number` works it out when asked.
            return Ok(Some((bytes, None)));
        }
        let mut versions = match self.release_raw_versions(id) {
            Ok(v) => v,
            Err(Error::ShallowHistory { .. } | Error::NoReleaseLine { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let numbered = !versions.is_empty();
        if !numbered {
            // Moved on a branch not merged yet (`prompt mv` kept the environment tags under both
            // names there): `HEAD`'s history follows the move; no numbers off the release line.
            if let Some(head) = self.head()? {
                versions = self.raw_versions(head, id)?;
            }
        }
        let count = versions.len();
        for (i, v) in versions.iter().enumerate() {
            let at_or_before = v.commit == commit.0
                || self
                    .repo
                    .graph_descendant_of(commit.0, v.commit)
                    .unwrap_or(false);
            if at_or_before {
                return Ok(Some((
                    self.blob_bytes(v.blob, &self.path_of(id))?,
                    numbered.then_some(count - i),
                )));
            }
        }
        Ok(None)
    }

    pub(super) fn describe_versions(&self, id: &PromptId, count: usize) -> Result<String, Error> {
        let envs: Vec<String> = self
            .envs_of(id)?
            .into_iter()
            .map(|(e, _)| e.to_string())
            .collect();
        let versions = match count {
            0 => format!("`{id}` has no committed versions yet (run `prompt commit {id}`)"),
            1 => format!("`{id}` has 1 version (@1)"),
            n => format!("`{id}` has {n} versions (@1 to @{n})"),
        };
        Ok(if envs.is_empty() {
            versions
        } else {
            format!("{versions}; environments: {}", envs.join(", "))
        })
    }

    /// A not-found error listing the most similar ids, for a typo.
    pub fn not_found(&self, id: &PromptId, rev: Rev) -> Error {
        let place = match rev {
            Rev::WorkingTree => format!("in the working tree (no file {})", self.path_of(id)),
            Rev::Commit(c) => format!("at commit {}", c.short()),
        };
        let ids = self.ids(rev).unwrap_or_default();
        Error::PromptNotFound {
            id: id.to_string(),
            place,
            similar: similar_ids(id.as_str(), ids.iter().map(PromptId::as_str)),
        }
    }
}

/// Up to three ids close to `wanted`, closest first: same last segment, or a small edit distance.
pub fn similar_ids<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let last = wanted.rsplit('/').next().unwrap_or(wanted);
    let mut scored: Vec<(usize, &str)> = ids
        .filter_map(|id| {
            let d = strsim::levenshtein(wanted, id);
            let same_name = last.len() >= 4 && id.rsplit('/').next() == Some(last);
            let score = if same_name { 0 } else { d };
            (score <= 2.max(wanted.len() / 4)).then_some((score, id))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_similar_ids() {
        let ids = [
            "support/summarize",
            "support/triage",
            "sales/summarize",
            "x",
        ];
        assert_eq!(
            similar_ids("support/sumarize", ids.iter().copied()),
            vec!["support/summarize"]
        );
        assert_eq!(
            similar_ids("summarize", ids.iter().copied()),
            vec!["sales/summarize", "support/summarize"]
        );
        assert!(similar_ids("completely-else", ids.iter().copied()).is_empty());
    }
}
