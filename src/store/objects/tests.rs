//! Unit tests of the object reader: against libgit2 on real and crafted objects.

use super::*;

#[test]
fn hex_ids_decode_as_libgit2_decodes_them() {
    for text in [
        "0123456789abcdef0123456789abcdef01234567",
        "ABCDEFabcdef0123456789ABCDEF0123456789ff",
        "ffffffffffffffffffffffffffffffffffffffff",
        "0000000000000000000000000000000000000000",
    ] {
        assert_eq!(
            oid_from_hex(text.as_bytes()),
            Some(Oid::from_str(text).unwrap())
        );
    }
    let good = b"0123456789abcdef0123456789abcdef01234567";
    for i in 0..good.len() {
        for bad in [b'g', b'G', b' ', b'/', b':', b'@', b'`', 0, 0x80, 0xff] {
            let mut text = *good;
            text[i] = bad;
            assert_eq!(
                oid_from_hex(&text),
                None,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }
    assert_eq!(oid_from_hex(&good[..39]), None);
    assert_eq!(oid_from_hex(b""), None);
}

#[test]
fn reads_what_libgit2_reads() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    let blob = repo.blob(b"hello\n").unwrap();
    let mut inner = repo.treebuilder(None).unwrap();
    inner.insert("a.prompt.yaml", blob, 0o100644).unwrap();
    inner.insert("run.sh", blob, 0o100755).unwrap();
    inner.insert("link", blob, 0o120000).unwrap();
    let inner = inner.write().unwrap();
    let mut root = repo.treebuilder(None).unwrap();
    root.insert("prompts", inner, 0o040000).unwrap();
    root.insert("prompts.txt", blob, 0o100644).unwrap();
    let root = root.write().unwrap();
    let sig = git2::Signature::new("A", "a@example.com", &git2::Time::new(1, 0)).unwrap();
    let tree = repo.find_tree(root).unwrap();
    let first = repo.commit(None, &sig, &sig, "one", &tree, &[]).unwrap();
    let first_commit = repo.find_commit(first).unwrap();
    let second = repo
        .commit(None, &sig, &sig, "two\n\nbody", &tree, &[&first_commit])
        .unwrap();

    let objects = Objects::new(&repo).unwrap();
    let head = objects.commit(second).unwrap();
    assert_eq!((head.tree, head.parent), (root, Some(first)));
    assert_eq!(objects.commit(first).unwrap().parent, None);
    assert!(objects.commit(root).is_err(), "a tree is not a commit");

    let ours = objects.tree(root).unwrap();
    let theirs = repo.find_tree(root).unwrap();
    let names = |e: &[Entry]| {
        e.iter()
            .map(|e| (e.name.to_vec(), e.kind, e.id))
            .collect::<Vec<_>>()
    };
    let expected: Vec<_> = theirs
        .iter()
        .map(|e| {
            let kind = match e.kind() {
                Some(git2::ObjectType::Tree) => Kind::Tree,
                _ => Kind::Blob,
            };
            (e.name_bytes().to_vec(), kind, e.id())
        })
        .collect();
    assert_eq!(names(&ours.entries().unwrap()), expected);
    assert_eq!(ours.get("prompts").unwrap().unwrap().id, inner);
    assert!(ours.get("prompt").unwrap().is_none());
    let inner_tree = objects.tree(inner).unwrap();
    assert_eq!(inner_tree.entries().unwrap().len(), 3);
    assert!(objects.tree(blob).is_err(), "a blob is not a tree");
}

/// Writes a loose object whose file holds `content` whatever its id says: what a damaged
/// object database looks like (zlib with one stored block, no compression needed).
fn write_loose(repo: &Repository, id: Oid, kind: &str, content: &[u8]) {
    let mut raw = format!("{kind} {}\0", content.len()).into_bytes();
    raw.extend_from_slice(content);
    let len = u16::try_from(raw.len()).unwrap();
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&(!len).to_le_bytes());
    z.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let hex = id.to_string();
    let dir = repo.path().join("objects").join(&hex[..2]);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&hex[2..]), z).unwrap();
}

/// The author and message read from a commit's bytes are libgit2's, for every commit the
/// plain reading accepts; the others go to libgit2, which reads or refuses them as before.
#[test]
fn commit_info_is_what_libgit2_reads() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    let tree = repo.treebuilder(None).unwrap().write().unwrap();
    let odb = repo.odb().unwrap();
    let plain = |author: &str, rest: &[u8]| {
        let mut bytes = format!(
            "tree {tree}\nparent {tree}\nauthor {author}\ncommitter C <c@x> 1700000000 +0000\n"
        )
        .into_bytes();
        bytes.extend_from_slice(rest);
        bytes
    };
    // (commit bytes, whether the plain reading takes it)
    let cases: Vec<(Vec<u8>, bool)> = vec![
        (
            plain(
                "Ada Author <ada@example.com> 1700000000 +0100",
                b"\nOne line\n",
            ),
            true,
        ),
        (
            plain(
                " ,Ada; \t<  ada@x ;> 1700000000 -0130",
                b"\n\n\nLeading lines\n\n  \n",
            ),
            true,
        ),
        (
            plain("Zone <z@x> 1700000000 +1500", b"\nZone out of range\n"),
            true,
        ),
        (
            plain("Zone <z@x> 1700000000 +0075", b"\nMinutes out of range\n"),
            true,
        ),
        (
            plain(
                "Ünïcode <u@x> 0 +0000",
                b"encoding ISO-8859-1\n\nbody\xff\n",
            ),
            // Another encoding: libgit2's reading, re-encoded (below).
            false,
        ),
        (
            plain("Utf <u@x> 0 +0000", b"encoding UTF-8\n\nbody\n"),
            true,
        ),
        (
            plain(
                "Sig <s@x> 1 +0000",
                b"gpgsig -----BEGIN\n line\n -----END\n\nSigned\n",
            ),
            true,
        ),
        (plain("Nul <n@x> 1 +0000", b"\nbefore\0after\n"), true),
        (plain("Empty <e@x> 1 +0000", b"\n"), true),
        (plain("No message <e@x> 1 +0000", b""), false),
        (plain("Two <a@x> <b@x> 1 +0000", b"\nm\n"), false),
        (plain("Angle > <a@x> 1 +0000", b"\nm\n"), false),
        (plain("No zone <a@x> 1", b"\nm\n"), false),
        (plain("Bad zone <a@x> 1 *0100", b"\nm\n"), false),
        (plain("Long <a@x> 12345678901234567 +0000", b"\nm\n"), false),
        (plain("No time <a@x>", b"\nm\n"), false),
        (
            format!(
                "tree {tree}\nauthor A <a@x> 1 +0000\nauthor B <b@x> 2 +0000\n\
                 committer C <c@x> 1 +0000\n\nTwo authors\n"
            )
            .into_bytes(),
            false,
        ),
        (
            format!("tree {tree}\nauthor A <a@x> 1 +0000\n\nNo committer\n").into_bytes(),
            false,
        ),
    ];
    // Re-encoded from the commit's encoding, as `git log` shows it.
    let latin = cases[4].0.clone();
    let id = odb.write(git2::ObjectType::Commit, &latin).unwrap();
    assert_eq!(
        CommitInfo::of(&repo.find_commit(id).unwrap()).message,
        "bodyÿ"
    );
    for (bytes, plain) in &cases {
        let id = odb.write(git2::ObjectType::Commit, bytes).unwrap();
        let ours = commit_info(bytes);
        let shown = String::from_utf8_lossy(bytes);
        assert_eq!(ours.is_some(), *plain, "{shown}");
        let Some(ours) = ours else { continue };
        let theirs = CommitInfo::of(&repo.find_commit(id).unwrap());
        assert_eq!(ours, theirs, "{shown}");
        // And through the walk's reader.
        let objects = Objects::new(&repo).unwrap();
        assert_eq!(objects.commit_info(&repo, id).unwrap(), theirs);
    }
}

#[test]
fn a_walk_round_a_loop_of_damaged_commits_ends_with_an_error() {
    // As `Registry::open` reads: without re-hashing each object (so damage goes unnoticed).
    git2::opts::strict_hash_verification(false);
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    let tree = repo.treebuilder(None).unwrap().write().unwrap();
    // Five commits whose (unverified) bytes say: each one's parent is the next, and the last
    // one's parent is the second.
    let ids: Vec<Oid> = (1..=5u8)
        .map(|i| Oid::from_bytes(&[i; 20]).unwrap())
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let parent = ids.get(i + 1).copied().unwrap_or(ids[1]);
        let body = format!(
            "tree {tree}\nparent {parent}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nc\n"
        );
        write_loose(&repo, *id, "commit", body.as_bytes());
    }
    let objects = Objects::new(&repo).unwrap();
    let mut head = objects.commit(ids[0]).unwrap();
    assert_eq!(head.parent, Some(ids[1]));
    let mut steps = 0;
    let err = loop {
        match objects.parent(&head) {
            Ok(Some(p)) => head = p,
            Ok(None) => panic!("the loop has no root"),
            Err(e) => break e,
        }
        steps += 1;
        assert!(steps < 100, "the walk does not end");
    };
    assert!(err.to_string().contains("the history loops"), "{err}");
    let walked = super::super::history::file_versions(&repo, ids[0], "", "a");
    assert!(walked.is_err());
}

#[test]
fn equal_entries_are_whole_entries_of_the_common_prefix() {
    let entry = |mode: &str, name: &str, id: u8| {
        let mut e = format!("{mode} {name}\0").into_bytes();
        e.extend([id; 20]);
        e
    };
    let tree = |entries: &[Vec<u8>]| entries.concat();
    let a = [
        entry("100644", "a.prompt.yaml", 1),
        entry("40000", "folder", 2),
        entry("100755", "a name with spaces", 3),
        entry("0100644", "odd mode", 4),
    ];
    let whole = tree(&a);
    assert_eq!(equal_entries(&whole, &whole).0, whole.len());
    // A different id in the third entry: the first two are stepped over.
    let mut b = a.clone();
    b[2] = entry("100755", "a name with spaces", 9);
    assert_eq!(equal_entries(&whole, &tree(&b)).0, a[0].len() + a[1].len());
    // A different name in the first: nothing.
    b = a.clone();
    b[0] = entry("100644", "b.prompt.yaml", 1);
    assert_eq!(equal_entries(&whole, &tree(&b)).0, 0);
    // One side ends early: only its whole entries count.
    assert_eq!(
        equal_entries(&whole, &whole[..whole.len() - 3]).0,
        whole.len() - a[3].len()
    );
    // Every entry reads as the plain search reads it, whatever the mode's length.
    let mut rest: &[u8] = &whole;
    for (i, e) in a.iter().enumerate() {
        let (read, after) = next_entry(rest).unwrap();
        let space = e.iter().position(|b| *b == b' ').unwrap();
        let nul = e.iter().position(|b| *b == 0).unwrap();
        assert_eq!(read.name, &e[space + 1..nul], "entry {i}");
        rest = after;
    }
    assert!(rest.is_empty());
}

#[test]
fn malformed_bytes_are_errors_not_panics() {
    assert!(entry(b"100644 name").is_none());
    assert!(entry(b"100644 name\0short").is_none());
    assert!(commit_head(Oid::ZERO_SHA1, b"tree nothex\n").is_none());
    assert!(commit_head(Oid::ZERO_SHA1, b"parent 0000\n").is_none());
    assert_eq!(oid_from_hex(b"zz"), None);
}

#[test]
fn a_commit_graph_gives_what_the_commits_say() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| crate::store::testing::git(dir.path(), args);
    git(&["init", "-q", "-b", "main"]);
    for i in 0..40 {
        std::fs::write(dir.path().join(format!("f{}", i % 7)), format!("{i}\n")).unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", &format!("c{i}")]);
    }
    git(&["checkout", "-q", "-b", "side", "HEAD~5"]);
    std::fs::write(dir.path().join("side"), "side\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "side"]);
    git(&["checkout", "-q", "main"]);
    git(&["merge", "-q", "--no-ff", "-m", "merge", "side"]);
    // Written after 'later', so that one commit is missing from the graph.
    git(&["commit-graph", "write", "--reachable"]);
    git(&["commit", "-q", "--allow-empty", "-m", "later"]);

    let repo = Repository::open(dir.path()).unwrap();
    let objects = Objects::new(&repo).unwrap();
    let graph = objects.graph().expect("the commit-graph is read");
    assert_eq!(graph.count, 42);
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    let mut seen = 0;
    for id in walk {
        let id = id.unwrap();
        let c = repo.find_commit(id).unwrap();
        let head = objects.commit(id).unwrap();
        assert_eq!(
            (head.tree, head.parent),
            (c.tree_id(), c.parent_id(0).ok()),
            "{id}"
        );
        seen += usize::from(graph.commit(id).is_some());
    }
    assert_eq!(seen, 42, "every commit but the last comes from the graph");

    // A damaged graph is no graph: a changed byte, even with the checksum made to match again
    // when the change makes first parents loop or leave the file.
    let path = dir.path().join(".git/objects/info/commit-graph");
    let good = std::fs::read(&path).unwrap();
    let graph = CommitGraph::read(&path).unwrap();
    let (data, count) = (graph.data, graph.count);
    let head_id = repo.head().unwrap().target().unwrap();
    let parent_of = |bytes: &mut Vec<u8>, position: usize, parent: u32| {
        let at = data + position * GRAPH_DATA + GRAPH_ID;
        bytes[at..at + 4].copy_from_slice(&parent.to_be_bytes());
    };
    let position_of = |id: Oid| {
        (0..count)
            .find(|p| graph.id_at(*p) == id.as_bytes())
            .unwrap()
    };
    let root = {
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        walk.last().unwrap().unwrap()
    };
    let merge = repo.find_commit(head_id).unwrap().parent_id(0).unwrap();
    let resum = |bytes: &mut Vec<u8>| {
        let n = bytes.len() - GRAPH_ID;
        let sum = sha1_smol::Sha1::from(&bytes[..n]).digest().bytes();
        bytes[n..].copy_from_slice(&sum);
    };
    // The root's parent made the merge: first parents loop.
    let mut looped = good.clone();
    parent_of(&mut looped, position_of(root), position_of(merge) as u32);
    resum(&mut looped);
    std::fs::write(&path, &looped).unwrap();
    assert!(CommitGraph::read(&path).is_none(), "a loop is refused");
    // A walk over the repository with that file answers as git does, and ends.
    let walked = super::super::history::file_versions(&repo, head_id, "", "f3").unwrap();
    std::fs::write(&path, &good).unwrap();
    let expected = super::super::history::file_versions(&repo, head_id, "", "f3").unwrap();
    assert_eq!(walked, expected);
    assert!(!walked.is_empty());
    // A parent outside the file.
    let mut outside = good.clone();
    parent_of(&mut outside, position_of(merge), count as u32 + 5);
    resum(&mut outside);
    std::fs::write(&path, &outside).unwrap();
    assert!(
        CommitGraph::read(&path).is_none(),
        "a parent outside the file is refused"
    );
    // One flipped byte of a tree id, checksum left as it was.
    let mut flipped = good.clone();
    flipped[data + position_of(merge) * GRAPH_DATA] ^= 1;
    std::fs::write(&path, &flipped).unwrap();
    assert!(
        CommitGraph::read(&path).is_none(),
        "a checksum mismatch is refused"
    );
    std::fs::write(&path, &good).unwrap();
    assert!(CommitGraph::read(&path).is_some());
    let mut bytes = good;
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&path, &bytes).unwrap();
    assert!(CommitGraph::read(&path).is_none());
    std::fs::write(&path, b"CGPH").unwrap();
    assert!(CommitGraph::read(&path).is_none());
}

/// In a linked worktree (`git worktree add`), the packs, the commit-graph and the shallow list
/// are the common git folder's: the fast reader reads the packs there, the graph is used, and a
/// shallow clone's boundary commits are roots, exactly as in the main worktree.
#[test]
fn a_linked_worktree_reads_the_common_folder() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main");
    std::fs::create_dir_all(&main).unwrap();
    let git = |at: &std::path::Path, args: &[&str]| crate::store::testing::git(at, args);
    git(&main, &["init", "-q", "-b", "main"]);
    for i in 0..4 {
        std::fs::write(main.join("f"), format!("{i}\n")).unwrap();
        git(&main, &["add", "."]);
        git(&main, &["commit", "-q", "-m", &format!("c{i}")]);
    }
    git(&main, &["repack", "-adq"]);
    git(&main, &["commit-graph", "write", "--reachable"]);
    git(&main, &["worktree", "add", "-q", "../linked", "-b", "side"]);
    let repo = Repository::open(dir.path().join("linked")).unwrap();
    assert_ne!(repo.path(), repo.commondir(), "a linked worktree");
    let head = repo.head().unwrap().target().unwrap();
    let objects = Objects::new(&repo).unwrap();
    assert!(
        objects.packs.read(head).is_some(),
        "the fast reader reads the packs"
    );
    assert_eq!(
        objects.graph().map(|g| g.count),
        Some(4),
        "the graph is used"
    );

    // A shallow clone of depth 2, and a worktree of it: the walk stops at the boundary.
    let url = format!("file://{}", main.display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "2", &url, "shallow"],
    );
    let shallow = dir.path().join("shallow");
    git(&shallow, &["repack", "-adq"]);
    git(
        &shallow,
        &["worktree", "add", "-q", "../shallow-linked", "-b", "side"],
    );
    let repo = Repository::open(dir.path().join("shallow-linked")).unwrap();
    let objects = Objects::new(&repo).unwrap();
    let tip = objects
        .commit(repo.head().unwrap().target().unwrap())
        .unwrap();
    assert!(
        objects.packs.read(tip.id).is_some(),
        "the fast reader reads the packs"
    );
    let boundary = objects.parent(&tip).unwrap().expect("the depth is 2");
    assert_eq!(boundary.parent, None, "the shallow boundary is a root");
    assert!(super::super::open::is_shallow(&repo));
}
