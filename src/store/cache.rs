//! The history cache: which commits of the release line (contract §4) changed which prompt files,
//! kept in `.git/prompt-history-v4` so that `log`, `list` and `env` need not walk history again.
//!
//! Keyed on everything that can change an answer: the registry root, the release line's tip, the
//! shallow boundary (`.git/shallow`) and the replace refs (`refs/replace/*`, `info/grafts`). The
//! file ends with an XXH3 checksum over everything before it, key included, and is trusted only
//! when both the key and the checksum agree; otherwise it is ignored and rewritten. When the tip
//! moves forward (same root, boundary and replacements), only the new commits are walked and the
//! cache is extended; when the old tip is not on the new tip's history (a reset, a rebase) it is
//! rebuilt. It is never needed for correctness: `PROMPT_NO_CACHE=1` bypasses it, and a test proves
//! that every single-line drop, duplication and swap of a real cache gives the same answers.
//! Writes go to a temporary file renamed into place, so concurrent processes never read half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};
use xxhash_rust::xxh3::xxh3_64;

use super::history::{registry_history, Info, Touched};
use super::objects::oid_from_hex as oid;
use super::steps::{through_includes, Move};
use crate::error::Error;

const HEADER: &str = "prompt-history-v4";
/// Earlier formats (v1: no commit info; v2: keyed on the tip alone, no checksum; v3: the move
/// trailer's id rather than the moves found, and one registry root for every commit), removed
/// when a v4 file is written.
const OLD_HEADERS: [&str; 3] = [
    "prompt-history-v1",
    "prompt-history-v2",
    "prompt-history-v3",
];

pub(super) fn file(repo: &Repository) -> PathBuf {
    repo.path().join(HEADER)
}

/// Whether the cache is bypassed (`PROMPT_NO_CACHE` set to anything but `0` or empty).
pub(super) fn disabled() -> bool {
    std::env::var_os("PROMPT_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Whether a cache file is there (it may still be stale or foreign: `history` checks).
pub(crate) fn exists(repo: &Repository) -> bool {
    file(repo).exists()
}

/// What a cache must have been built for, besides its tip: the header lines after the first.
pub(super) struct Key {
    /// `root\t…\n`, `shallow\t…\n`, `replace\t…\n`: compared byte for byte.
    root: String,
    shallow: String,
    replace: String,
}

impl Key {
    /// The key's lines, as a cache file's header holds them after its root line.
    pub(super) fn lines(&self) -> String {
        format!("{}{}{}", self.root, self.shallow, self.replace)
    }

    /// Whether the line format can hold the key (a root with a tab or line break cannot).
    pub(super) fn storable(&self) -> bool {
        self.root.matches('\n').count() == 1 && self.root.matches('\t').count() == 1
    }

    pub(super) fn of(repo: &Repository, root: &str) -> Key {
        let common = repo.commondir();
        // The shallow boundary: which commits lost their parents. Sorted, so that git rewriting
        // the file in another order is no change.
        let shallow = match std::fs::read(common.join("shallow")) {
            Ok(bytes) if !bytes.is_empty() => {
                let mut lines: Vec<&[u8]> = bytes
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .collect();
                lines.sort();
                format!("{:016x}", xxh3_64(&lines.concat()))
            }
            _ => "none".to_string(),
        };
        // Replacements and grafts change what a commit's parents are to git.
        let mut replaced: Vec<String> = Vec::new();
        if let Ok(refs) = repo.references_glob("refs/replace/*") {
            for r in refs.flatten() {
                let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
                replaced.push(format!("{name} {:?}\n", r.target()));
            }
        }
        replaced.sort();
        if let Ok(grafts) = std::fs::read(common.join("info/grafts")) {
            replaced.push(format!("grafts {:016x}\n", xxh3_64(&grafts)));
        }
        let replace = if replaced.is_empty() {
            "none".to_string()
        } else {
            format!("{:016x}", xxh3_64(replaced.concat().as_bytes()))
        };
        Key {
            root: format!("root\t{root}\n"),
            shallow: format!("shallow\t{shallow}\n"),
            replace: format!("replace\t{replace}\n"),
        }
    }
}

/// The registry history from `tip`, newest first, through the cache.
/// Each commit's `through` (versions that came through includes) is filled in.
pub(crate) fn history(repo: &Repository, tip: Oid, root: &str) -> Result<Vec<Touched>, Error> {
    let mut entries = if disabled() {
        registry_history(repo, tip, root, None)?.0
    } else {
        let key = Key::of(repo, root);
        let cached = map(&file(repo)).and_then(|bytes| parse(&bytes, &key, None));
        brought_up_to_date(repo, tip, root, &key, cached)?
    };
    through_includes(&mut entries);
    Ok(entries)
}

/// The whole history from `tip`: what the cache held (its tip and entries), the rest walked, and
/// the cache rewritten when it was not for `tip`. The caller has let go of the file, so that
/// the rewrite can replace it on every system.
fn brought_up_to_date(
    repo: &Repository,
    tip: Oid,
    root: &str,
    key: &Key,
    cached: Option<(Oid, Vec<Touched>)>,
) -> Result<Vec<Touched>, Error> {
    let cached_tip = cached.as_ref().map(|(t, _)| *t);
    let (mut entries, stopped) = registry_history(repo, tip, root, cached_tip)?;
    if stopped {
        if let Some((_, older)) = cached {
            entries.extend(older);
        }
    }
    if cached_tip != Some(tip) {
        // A cache that cannot be written (read-only repository) only costs speed.
        if save(&file(repo), key, tip, &entries).is_ok() {
            super::shared::adjust(repo, &file(repo));
        }
    }
    Ok(entries)
}

/// The part of the registry history from `head` that one file's versions need: the commits that
/// touch `path` or a file it was moved from, with only those files and moves. `history::versions_in` gives the same versions on this as on
/// the whole history, because it never looks at other files. When the cache is not up to date
/// with `head`, this is `history` (which brings it up to date).
///
/// This is the read `log ID` and `show ID@N` do on every call, so it parses no more than it keeps:
/// a registry of 5,000 commits has a cache of about 1 MiB, nearly all of it other files.
pub(crate) fn history_of(
    repo: &Repository,
    tip: Oid,
    root: &str,
    path: &str,
) -> Result<Vec<Touched>, Error> {
    if disabled() {
        return history(repo, tip, root);
    }
    let key = Key::of(repo, root);
    let Some(bytes) = map(&file(repo)) else {
        let mut entries = brought_up_to_date(repo, tip, root, &key, None)?;
        through_includes(&mut entries);
        return Ok(entries);
    };
    let mut whole = false;
    // One verification (a hash of the whole file) serves both reads below.
    let cached = match body(&bytes, &key) {
        Some((cached_tip, lines)) if cached_tip == tip => {
            let wanted = Wanted {
                files: vec![path.to_string()],
            };
            match parse_lines(lines, Some(wanted)) {
                Some(entries) if entries.iter().all(|t| t.includes.is_empty()) => {
                    return Ok(entries)
                }
                // A file that includes others can get versions through them: that needs the
                // whole history.
                Some(_) => {
                    whole = true;
                    None
                }
                None => None,
            }
        }
        Some((cached_tip, lines)) => parse_lines(lines, None).map(|e| (cached_tip, e)),
        None => None,
    };
    drop(bytes);
    if whole {
        return history(repo, tip, root);
    }
    let mut entries = brought_up_to_date(repo, tip, root, &key, cached)?;
    through_includes(&mut entries);
    Ok(entries)
}

/// The cache file mapped into memory, or `None` when it cannot be.
///
/// `log ID` reads a few lines of a file of megabytes: read into a fresh buffer, the kernel's work
/// of giving that buffer its pages (about 470 page faults at 5,000 commits) cost more than the
/// scan. A mapping of a file in the page cache faults a few pages at a time.
pub(super) fn map(path: &Path) -> Option<memmap2::Mmap> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: the mapping is read only, and this program never changes a cache file in place:
    // `save` writes a new file and renames it over the old one, which leaves an open mapping of
    // the old file intact. Only a process truncating the file while it is mapped could break the
    // read, as with git's own mapped pack files.
    unsafe { memmap2::Mmap::map(&file) }.ok()
}

/// The lines of a cache file after its header and before its checksum line, and the tip it was
/// built for; `None` unless the file verifies: the header is for `key` and the checksum on the
/// last line is that of every byte before it.
fn body<'a>(bytes: &'a [u8], key: &Key) -> Option<(Oid, impl Iterator<Item = &'a [u8]>)> {
    let content = verified(bytes)?;
    let rest = content
        .strip_prefix(HEADER.as_bytes())?
        .strip_prefix(b"\n")?
        .strip_prefix(key.root.as_bytes())?;
    let (tip, rest) = rest.strip_prefix(b"tip\t")?.split_at_checked(OID_HEX)?;
    let tip = oid(tip)?;
    let rest = rest
        .strip_prefix(b"\n")?
        .strip_prefix(key.shallow.as_bytes())?
        .strip_prefix(key.replace.as_bytes())?;
    Some((tip, lines(rest)))
}

/// The checksum line that ends a cache file.
const END: &[u8] = b"end\t";
const SUM_HEX: usize = 16;

/// `bytes` without its last line, when that line is `end\t<checksum of the bytes before it>`.
pub(super) fn verified(bytes: &[u8]) -> Option<&[u8]> {
    let without_newline = bytes.strip_suffix(b"\n")?;
    let start = memchr::memrchr(b'\n', without_newline).map_or(0, |i| i + 1);
    let sum = without_newline[start..].strip_prefix(END)?;
    if sum.len() != SUM_HEX {
        return None;
    }
    let content = &bytes[..start];
    (sum == checksum(content).as_bytes()).then_some(content)
}

pub(super) fn checksum(content: &[u8]) -> String {
    format!("{:016x}", xxh3_64(content))
}

/// The lines of `bytes`, each without its `\n`; text after the last `\n` is not a line (a file
/// cut short there is caught by its missing `end`).
pub(super) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', bytes).map(move |end| {
        let line = &bytes[start..end];
        start = end + 1;
        line
    })
}

/// The files a filtered read keeps: one file, and the files moves into it came from, added as the
/// read meets the moves. The cache lists commits newest first, so a move is met before any line
/// of the older file it came from.
struct Wanted {
    files: Vec<String>,
}

const OID_HEX: usize = 40;

/// Parses a cache file for `key`; `None` when it is for another key, damaged or cut short.
/// With `wanted`, only the files it names are read, and commits left with no file are dropped.
fn parse(bytes: &[u8], key: &Key, wanted: Option<Wanted>) -> Option<(Oid, Vec<Touched>)> {
    let (tip, lines) = body(bytes, key)?;
    Some((tip, parse_lines(lines, wanted)?))
}

/// The entries of a verified body's lines.
fn parse_lines<'a>(
    lines: impl Iterator<Item = &'a [u8]>,
    mut wanted: Option<Wanted>,
) -> Option<Vec<Touched>> {
    let text = |b: &[u8]| std::str::from_utf8(b).ok().map(str::to_string);
    let mut entries: Vec<Touched> = Vec::new();
    let mut current: Option<Current> = None;
    for line in lines {
        // Each commit line is followed by its info line before anything else.
        let info_missing = current.as_ref().is_some_and(|c| c.info.is_none());
        if let Some(rest) = line.strip_prefix(b"C\t") {
            if info_missing {
                return None;
            }
            if rest.len() != OID_HEX {
                return None;
            }
            current = Some(Current {
                id: rest,
                info: None,
                added: false,
            });
            continue;
        }
        if let Some(rest) = line.strip_prefix(b"I\t") {
            // The prompts a file of the commit includes: `I\t<file>\t<id>\t<id>…`.
            let text = std::str::from_utf8(rest).ok()?;
            let mut parts = text.split('\t');
            let file = parts.next()?;
            let c = current.as_mut().filter(|c| c.info.is_some())?;
            if let Some(w) = &wanted {
                if !w.files.iter().any(|f| f == file) {
                    continue;
                }
            }
            if !c.added {
                entries.push(c.touched()?);
                c.added = true;
            }
            let ids = parts.map(str::to_string).collect();
            entries.last_mut()?.includes.push((file.to_string(), ids));
            continue;
        }
        if let Some(rest) = line.strip_prefix(b"M\t") {
            // A move: `M\t<blob the old file had>\t<old file>\t<new file>`.
            let (blob, files) = rest.split_at_checked(OID_HEX)?;
            let files = std::str::from_utf8(files.strip_prefix(b"\t")?).ok()?;
            let (from, to) = files.split_once('\t')?;
            let c = current.as_mut().filter(|c| c.info.is_some())?;
            if let Some(w) = wanted.as_mut() {
                if !w.files.iter().any(|f| f == to) {
                    continue;
                }
                w.files.push(from.to_string());
            }
            if !c.added {
                entries.push(c.touched()?);
                c.added = true;
            }
            entries.last_mut()?.moves.push(Move {
                from: from.to_string(),
                to: to.to_string(),
                from_blob: oid(blob)?,
            });
            continue;
        }
        if let Some(info) = line.strip_prefix(b"A\t") {
            let c = current.as_mut().filter(|c| c.info.is_none())?;
            c.info = Some(info);
            if wanted.is_none() {
                entries.push(c.touched()?);
                c.added = true;
            }
            continue;
        }
        let (blob, path) = if let Some(rest) = line.strip_prefix(b"+\t") {
            let (blob, path) = rest.split_at_checked(OID_HEX)?;
            (Some(blob), path.strip_prefix(b"\t")?)
        } else if let Some(path) = line.strip_prefix(b"-\t") {
            (None, path)
        } else {
            return None;
        };
        // A file line before any commit and info line is damage.
        let c = current.as_mut().filter(|c| c.info.is_some())?;
        if let Some(w) = &wanted {
            if !w.files.iter().any(|f| f.as_bytes() == path) {
                continue;
            }
        }
        if !c.added {
            entries.push(c.touched()?);
            c.added = true;
        }
        let last = entries.last_mut()?;
        match blob {
            Some(blob) => last.files.push((text(path)?, oid(blob)?)),
            None => last.removed.push(text(path)?),
        }
    }
    // A commit line without its info line is damage the checksum would have caught; still.
    if current.as_ref().is_some_and(|c| c.info.is_none()) {
        return None;
    }
    Some(entries)
}

/// The commit whose lines a parse is reading.
struct Current<'b> {
    id: &'b [u8],
    /// The JSON of its info line, once read.
    info: Option<&'b [u8]>,
    /// Whether it is in the parse's entries yet: a filtered parse adds a commit only once one of
    /// its files is kept.
    added: bool,
}

impl Current<'_> {
    /// The commit's entry, without files yet.
    fn touched(&self) -> Option<Touched> {
        Some(Touched {
            commit: oid(self.id)?,
            info: Info::Json(self.info?.into()),
            files: Vec::new(),
            removed: Vec::new(),
            moves: Vec::new(),
            includes: Vec::new(),
            through: Vec::new(),
        })
    }
}

fn save(path: &Path, key: &Key, tip: Oid, entries: &[Touched]) -> std::io::Result<()> {
    let clean = |s: &str| !s.contains(['\t', '\n']);
    if entries.iter().any(|t| {
        t.files.iter().any(|(f, _)| !clean(f))
            || t.removed.iter().any(|f| !clean(f))
            || t.moves.iter().any(|m| !clean(&m.from) || !clean(&m.to))
            || t.includes
                .iter()
                .any(|(f, ids)| !clean(f) || ids.iter().any(|i| !clean(i)))
    }) || !key.storable()
    {
        // Names the line format cannot hold: go without a cache rather than a wrong one.
        return Ok(());
    }
    let mut text = format!(
        "{HEADER}\n{}tip\t{tip}\n{}{}",
        key.root, key.shallow, key.replace
    );
    for t in entries {
        text.push_str(&format!("C\t{}\n", t.commit));
        text.push_str("A\t");
        push_info(&mut text, &t.info)?;
        text.push('\n');
        for m in &t.moves {
            text.push_str(&format!("M\t{}\t{}\t{}\n", m.from_blob, m.from, m.to));
        }
        for (f, blob) in &t.files {
            text.push_str(&format!("+\t{blob}\t{f}\n"));
        }
        for f in &t.removed {
            text.push_str(&format!("-\t{f}\n"));
        }
        for (f, ids) in &t.includes {
            text.push_str(&format!("I\t{f}\t{}\n", ids.join("\t")));
        }
    }
    write_sealed(path, text)?;
    if let Some(dir) = path.parent() {
        for old in OLD_HEADERS {
            let _ = std::fs::remove_file(dir.join(old));
        }
    }
    Ok(())
}

/// Appends a commit's info as one line of JSON (without the line break).
pub(super) fn push_info(text: &mut String, info: &Info) -> std::io::Result<()> {
    match info {
        // JSON has no raw line breaks or tabs: one line whatever the message holds.
        Info::Read(info) => {
            text.push_str(&serde_json::to_string(info).map_err(std::io::Error::other)?);
        }
        // Bytes of a verified line of a cache file: no line break in them.
        Info::Json(_) | Info::Shared { .. } => {
            let json = info.json().unwrap_or_default();
            text.push_str(std::str::from_utf8(json).map_err(std::io::Error::other)?);
        }
    }
    Ok(())
}

/// Ends `text` with its checksum line and puts it at `path` through a temporary file renamed
/// into place, so that a concurrent reader sees the old file or the new one, never half of one.
/// On any failure (a full disk, a file size limit) the temporary file is removed: a cache must
/// never take the last free blocks that the next git command needs.
pub(super) fn write_sealed(path: &Path, text: String) -> std::io::Result<()> {
    write_sealed_with(path, text, |file, bytes| file.write_all(bytes))
}

/// `write_sealed` with the write itself given (the tests make it fail).
fn write_sealed_with(
    path: &Path,
    mut text: String,
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let sum = checksum(text.as_bytes());
    text.push_str(&format!("end\t{sum}\n"));
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut file| {
        write(&mut file, text.as_bytes())?;
        drop(file);
        std::fs::rename(&tmp, path)
    });
    if written.is_err() {
        // `create` may have made the file before failing; removing an absent one is harmless.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of a registry at `root` that is not shallow and has no replacements.
    fn key(root: &str) -> Key {
        Key {
            root: format!("root\t{root}\n"),
            shallow: "shallow\tnone\n".into(),
            replace: "replace\tnone\n".into(),
        }
    }

    fn load(path: &Path, root: &str) -> Option<(Oid, Vec<Touched>)> {
        parse(&std::fs::read(path).ok()?, &key(root), None)
    }

    fn info(n: u8) -> crate::store::CommitInfo {
        crate::store::CommitInfo {
            author: format!("Author {n}"),
            email: "a@example.com".into(),
            time: 1_700_000_000 + i64::from(n),
            offset_minutes: -90,
            message: format!("Change {n}\n\nWith\ttabs and \"quotes\"\r\nand lines"),
        }
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let oid = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        let entries = vec![
            Touched {
                commit: oid(1),
                info: Info::Read(info(1)),
                files: vec![("a.prompt.yaml".into(), oid(2))],
                removed: vec!["b.prompt.yaml".into()],
                moves: vec![Move {
                    from: "old/a.prompt.yaml".into(),
                    to: "a.prompt.yaml".into(),
                    from_blob: oid(7),
                }],
                includes: vec![(
                    "a.prompt.yaml".into(),
                    vec!["shared/tone".into(), "base".into()],
                )],
                through: vec![],
            },
            Touched {
                commit: oid(3),
                info: Info::Read(info(3)),
                files: vec![
                    ("b.prompt.yaml".into(), oid(4)),
                    ("c d.prompt.yaml".into(), oid(5)),
                ],
                removed: vec![],
                moves: vec![],
                includes: vec![],
                through: vec![],
            },
        ];
        save(&path, &key("prompts"), oid(9), &entries).unwrap();
        let (tip, back) = load(&path, "prompts").unwrap();
        assert_eq!(tip, oid(9));
        assert_eq!(back, entries);
        assert!(load(&path, "other-root").is_none());
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() - 10]).unwrap();
        assert!(
            load(&path, "prompts").is_none(),
            "a truncated file is ignored"
        );
        std::fs::write(&path, "garbage\n").unwrap();
        assert!(load(&path, "prompts").is_none());
        // A commit without its info line (as a v1 file had) is not trusted either.
        let no_info: String = text
            .lines()
            .filter(|l| !l.starts_with("A\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, no_info).unwrap();
        assert!(load(&path, "prompts").is_none());
        // Another shallow boundary or replacement is another key.
        std::fs::write(&path, &text).unwrap();
        assert!(load(&path, "prompts").is_some());
        let bytes = std::fs::read(&path).unwrap();
        let mut shallow = key("prompts");
        shallow.shallow = "shallow\t0123456789abcdef\n".into();
        assert!(parse(&bytes, &shallow, None).is_none());
        let mut replaced = key("prompts");
        replaced.replace = "replace\t0123456789abcdef\n".into();
        assert!(parse(&bytes, &replaced, None).is_none());
        // A changed byte anywhere fails the checksum, even where the lines still parse.
        let flipped = text.replacen("Author 1", "Author 2", 1);
        std::fs::write(&path, flipped).unwrap();
        assert!(load(&path, "prompts").is_none());
        // Writing the current format removes a file of an old one.
        let v1 = dir.path().join(OLD_HEADERS[0]);
        std::fs::write(&v1, "prompt-history-v1\n").unwrap();
        save(&path, &key("prompts"), oid(9), &entries).unwrap();
        assert!(!v1.exists());
    }

    #[test]
    fn a_filtered_read_keeps_only_the_wanted_files_and_their_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let oid = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        type Moved<'a> = Option<(&'a str, &'a str, u8)>;
        let t = |c: u8, files: &[(&str, u8)], removed: &[&str], moved: Moved| Touched {
            commit: oid(c),
            info: Info::Read(info(c)),
            files: files
                .iter()
                .map(|(f, b)| (f.to_string(), oid(*b)))
                .collect(),
            removed: removed.iter().map(|f| f.to_string()).collect(),
            moves: moved
                .iter()
                .map(|(from, to, b)| Move {
                    from: from.to_string(),
                    to: to.to_string(),
                    from_blob: oid(*b),
                })
                .collect(),
            includes: vec![],
            through: vec![],
        };
        let entries = vec![
            t(
                1,
                &[("b.prompt.yaml", 2), ("new.prompt.yaml", 3)],
                &["old.prompt.yaml"],
                Some(("old.prompt.yaml", "new.prompt.yaml", 7)),
            ),
            t(4, &[("b.prompt.yaml", 5)], &[], None),
            t(
                6,
                &[("old.prompt.yaml", 7), ("c.prompt.yaml", 8)],
                &[],
                None,
            ),
        ];
        save(&path, &key("prompts"), oid(9), &entries).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let wanted = || Wanted {
            files: vec!["new.prompt.yaml".into()],
        };
        let (tip, kept) = parse(&bytes, &key("prompts"), Some(wanted())).unwrap();
        assert_eq!(tip, oid(9));
        assert_eq!(
            kept,
            vec![
                t(
                    1,
                    &[("new.prompt.yaml", 3)],
                    &["old.prompt.yaml"],
                    Some(("old.prompt.yaml", "new.prompt.yaml", 7))
                ),
                t(6, &[("old.prompt.yaml", 7)], &[], None),
            ]
        );
        assert_eq!(
            crate::store::history::versions_in(&kept, "new.prompt.yaml"),
            crate::store::history::versions_in(&entries, "new.prompt.yaml"),
        );
        // A file line before any commit line is damage, filtered or not, even when the checksum
        // agrees.
        let mut damaged = format!(
            "{HEADER}\nroot\tprompts\ntip\t{}\nshallow\tnone\nreplace\tnone\n-\tx\n",
            oid(9)
        );
        damaged.push_str(&format!("end\t{}\n", checksum(damaged.as_bytes())));
        assert!(parse(damaged.as_bytes(), &key("prompts"), Some(wanted())).is_none());
        assert!(parse(damaged.as_bytes(), &key("prompts"), None).is_none());
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_keeps_the_os_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prompt-history-v3");
        write_sealed(&path, "old\n".into()).unwrap();
        let before = std::fs::read(&path).unwrap();
        // A disk that fills after the first bytes: half a file is written, then ENOSPC.
        let err = write_sealed_with(&path, "new\n".repeat(1000), |file, bytes| {
            file.write_all(&bytes[..100])?;
            Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["prompt-history-v3"], "a temporary file was left");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the old cache stays whole"
        );
        // A rename that fails (the target is a folder) removes the temporary file too.
        let folder = dir.path().join("taken");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("x"), "").unwrap();
        assert!(write_sealed(&folder, "x\n".into()).is_err());
        let count = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(count, 2, "only the cache file and the folder");
    }
}
