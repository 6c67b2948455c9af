//! The versions of one prompt file, kept in `.git/prompt-history-files-v2/` (v1 was written before moves were found by content and the root read per commit) so that the second
//! `log ID` or `show ID@N` reads a few kilobytes instead of walking the history (no cache yet: a
//! fresh clone in CI) or verifying the whole history cache (`cache`: megabytes).
//!
//! One small file per prompt file, named after a hash of the root and the path, holding the
//! versions (commit, blob, commit info) that `history::file_versions` or `history::versions_in`
//! found, newest first. Keyed like the history cache (root, release line tip, shallow boundary,
//! replace refs and grafts) plus the path, and ending in an XXH3 checksum of everything before it:
//! a file for another key, or one that does not verify, is ignored and rewritten. When the tip
//! moves, each entry is rewritten on its next read. `PROMPT_NO_CACHE=1` bypasses it.

use std::path::PathBuf;

use git2::{Oid, Repository};
use xxhash_rust::xxh3::xxh3_64;

use super::cache::{self, Key};
use super::history::{Info, RawVersion};
use super::objects::oid_from_hex as oid;

const HEADER: &str = "prompt-history-files-v2";

/// Where the entry of `path` (relative to `root`) is kept.
fn file(repo: &Repository, root: &str, path: &str) -> PathBuf {
    let name = format!("{:016x}", xxh3_64(format!("{root}\0{path}").as_bytes()));
    repo.path().join(HEADER).join(name)
}

/// Everything a verified entry for `path` at `tip` starts with.
fn prefix(key: &Key, tip: Oid, path: &str) -> String {
    format!("{HEADER}\n{}path\t{path}\ntip\t{tip}\n", key.lines())
}

/// The versions of `path` (relative to `root`) at `tip`, newest first, when an entry for exactly
/// that is kept and verifies; `None` otherwise (and always with `PROMPT_NO_CACHE`).
pub(crate) fn read(repo: &Repository, tip: Oid, root: &str, path: &str) -> Option<Vec<RawVersion>> {
    let (bytes, body) = entry(repo, tip, root, path)?;
    cache::lines(&bytes[body])
        .map(|line| version(&bytes, line))
        .collect()
}

/// How many versions the entry of `path` at `tip` holds, and the one `choose` picks by its index
/// (newest first, given the count), decoding only that line: `show ID@N` and `ID@latest` need
/// no other (decoding 10,000 ids of a 5,000-version entry was half of a warm `show ID@N`). Every
/// line must still have a version line's shape, or the entry is not used.
pub(crate) fn pick(
    repo: &Repository,
    tip: Oid,
    root: &str,
    path: &str,
    choose: impl Fn(usize) -> Option<usize>,
) -> Option<(usize, Option<RawVersion>)> {
    let (bytes, body) = entry(repo, tip, root, path)?;
    let lines: Vec<&[u8]> = cache::lines(&bytes[body]).collect();
    let shaped = |line: &&[u8]| {
        line.len() > 2 * OID_HEX + 3
            && line.starts_with(b"V\t")
            && line[2 + OID_HEX] == b'\t'
            && line[3 + 2 * OID_HEX] == b'\t'
    };
    if !lines.iter().all(shaped) {
        return None;
    }
    let picked = match choose(lines.len()) {
        Some(i) => Some(version(&bytes, lines.get(i)?)?),
        None => None,
    };
    Some((lines.len(), picked))
}

/// The verified entry of `path` at `tip` and where its version lines are in it.
fn entry(
    repo: &Repository,
    tip: Oid,
    root: &str,
    path: &str,
) -> Option<(std::sync::Arc<Vec<u8>>, std::ops::Range<usize>)> {
    if cache::disabled() {
        return None;
    }
    let bytes = std::sync::Arc::new(std::fs::read(file(repo, root, path)).ok()?);
    let content = cache::verified(&bytes)?;
    let body = content.strip_prefix(prefix(&Key::of(repo, root), tip, path).as_bytes())?;
    let start = offset(&bytes, body);
    let range = start..start + body.len();
    Some((bytes, range))
}

/// Where `part`, a slice of `bytes`, starts in it.
fn offset(bytes: &[u8], part: &[u8]) -> usize {
    part.as_ptr() as usize - bytes.as_ptr() as usize
}

/// One version line (`V<TAB>commit<TAB>blob<TAB>info JSON`) of the entry `bytes`; its info is a
/// range of the shared file.
fn version(bytes: &std::sync::Arc<Vec<u8>>, line: &[u8]) -> Option<RawVersion> {
    let rest = line.strip_prefix(b"V\t")?;
    let (commit, rest) = rest.split_at_checked(OID_HEX)?;
    let (blob, rest) = rest.strip_prefix(b"\t")?.split_at_checked(OID_HEX)?;
    let json = rest.strip_prefix(b"\t")?;
    let start = offset(bytes, json);
    Some(RawVersion {
        commit: oid(commit)?,
        blob: oid(blob)?,
        info: Info::Shared {
            file: std::sync::Arc::clone(bytes),
            start,
            end: start + json.len(),
        },
    })
}

const OID_HEX: usize = 40;

/// Keeps `versions` as the entry of `path` at `tip`. Nothing is kept for a path or root the line
/// format cannot hold, nor for a file without versions (a mistyped id need not leave a file).
/// A failed write (a read-only repository) only costs speed, so it is not an error.
pub(crate) fn write(repo: &Repository, tip: Oid, root: &str, path: &str, versions: &[RawVersion]) {
    if cache::disabled() || versions.is_empty() || path.contains(['\t', '\n']) {
        return;
    }
    let key = Key::of(repo, root);
    if !key.storable() {
        return;
    }
    let mut text = prefix(&key, tip, path);
    for v in versions {
        text.push_str(&format!("V\t{}\t{}\t", v.commit, v.blob));
        if cache::push_info(&mut text, &v.info).is_err() {
            return;
        }
        text.push('\n');
    }
    let target = file(repo, root, path);
    if let Some(dir) = target.parent() {
        if !dir.is_dir() && std::fs::create_dir_all(dir).is_ok() {
            super::shared::adjust(repo, dir);
        }
    }
    if cache::write_sealed(&target, text).is_ok() {
        super::shared::adjust(repo, &target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CommitInfo;

    #[test]
    fn a_picked_version_is_the_one_the_whole_read_gives() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let tip = Oid::from_str("00000000000000000000000000000000000000aa").unwrap();
        let versions: Vec<RawVersion> = (1..=5u8)
            .map(|n| RawVersion {
                commit: Oid::from_bytes(&[n; 20]).unwrap(),
                blob: Oid::from_bytes(&[n + 100; 20]).unwrap(),
                info: Info::Read(CommitInfo {
                    author: format!("A{n}"),
                    email: "a@example.com".into(),
                    time: i64::from(n),
                    offset_minutes: 60,
                    message: format!("v{n}\ttab"),
                }),
            })
            .collect();
        write(&repo, tip, "prompts", "p.prompt.yaml", &versions);
        let whole = read(&repo, tip, "prompts", "p.prompt.yaml").unwrap();
        assert_eq!(whole, versions);
        for (i, version) in whole.iter().enumerate() {
            let (count, picked) = pick(&repo, tip, "prompts", "p.prompt.yaml", |n| {
                assert_eq!(n, 5);
                Some(i)
            })
            .unwrap();
            assert_eq!((count, picked.as_ref()), (5, Some(version)));
        }
        // Past the end: the entry is not used (the caller walks instead).
        assert!(pick(&repo, tip, "prompts", "p.prompt.yaml", |_| Some(5)).is_none());
        assert_eq!(
            pick(&repo, tip, "prompts", "p.prompt.yaml", |_| None).map(|(n, p)| (n, p.is_none())),
            Some((5, true))
        );
        // Another tip, or a line without a version's shape: not used.
        assert!(
            pick(&repo, Oid::ZERO_SHA1, "prompts", "p.prompt.yaml", |_| Some(
                0
            ))
            .is_none()
        );
        let path = file(&repo, "prompts", "p.prompt.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let body = text.rsplit_once("end\t").unwrap().0;
        let bent = body.replacen("\nV\t", "\nV ", 1);
        let sum = xxh3_64(bent.as_bytes());
        std::fs::write(&path, format!("{bent}end\t{sum:016x}\n")).unwrap();
        assert!(cache::verified(std::fs::read(&path).unwrap().as_slice()).is_some());
        assert!(pick(&repo, tip, "prompts", "p.prompt.yaml", |_| Some(0)).is_none());
        assert!(read(&repo, tip, "prompts", "p.prompt.yaml").is_none());
    }
}
