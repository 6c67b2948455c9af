//! The versions of one prompt file, kept in `.git/prompt-history-files-v1/` so that the second
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

const HEADER: &str = "prompt-history-files-v1";

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
    if cache::disabled() {
        return None;
    }
    let bytes = std::fs::read(file(repo, root, path)).ok()?;
    let content = cache::verified(&bytes)?;
    let body = content.strip_prefix(prefix(&Key::of(repo, root), tip, path).as_bytes())?;
    cache::lines(body)
        .map(|line| {
            let rest = line.strip_prefix(b"V\t")?;
            let (commit, rest) = rest.split_at_checked(OID_HEX)?;
            let (blob, rest) = rest.strip_prefix(b"\t")?.split_at_checked(OID_HEX)?;
            Some(RawVersion {
                commit: oid(commit)?,
                blob: oid(blob)?,
                info: Info::Json(rest.strip_prefix(b"\t")?.into()),
            })
        })
        .collect()
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
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = cache::write_sealed(&target, text);
}
