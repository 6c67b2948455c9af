//! Objects read straight from git's pack files, for the history walks.
//!
//! libgit2 reads a deltified object by inflating its chain of deltas back to a whole object,
//! keeping the bases it met in a cache of 16 MiB; when that cache is full it empties all of it.
//! A walk over 5,000 commits of a folder of 200 sub-folders reads some 15,000 trees that are
//! deltas of one another, so the cache fills every few hundred steps and each read then inflates
//! chains from their start again: seven times the inflating git does for the same walk (203,325
//! streams against 29,318, bench/README.md, issue 18 part H).
//!
//! This reader keeps the objects it builds in a cache that forgets the least recently used ones
//! first, and one inflate stream for all reads. It only reads: `.idx` version 2 files and the
//! packs they index, with offset and reference deltas. Anything else (a loose object, an object in
//! an alternate store, an index of another version, a delta whose base lies in another pack, bytes
//! that do not read) is `None`, and the caller reads the object through libgit2, which answers
//! or reports the damage as before.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::rc::Rc;

use flate2::{Decompress, FlushDecompress, Status};
use git2::Oid;

/// An object's bytes, shared between the cache and its readers (a `Vec` in an `Rc`, so that
/// what was inflated or built is kept without a copy).
pub(crate) type Bytes = Rc<Vec<u8>>;

/// The four kinds of whole object a pack holds, by their type numbers in the pack format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackedKind {
    Commit = 1,
    Tree = 2,
    Blob = 3,
    Tag = 4,
}

const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;
const ID: usize = 20;
/// Memory kept for objects built from deltas; git's own default for this cache is 96 MiB.
const CACHE_BYTES: usize = 32 << 20;
/// Objects larger than this are not kept (one large file must not push out a walk's trees).
const CACHE_OBJECT_BYTES: usize = 1 << 20;
/// Larger objects are left to libgit2: a walk reads commits and trees, and a damaged size field
/// must not ask for an allocation that ends the process.
const MAX_OBJECT_BYTES: usize = 256 << 20;
/// A chain of deltas longer than this is damage (git writes at most 50 by default, 4,095 at most).
const MAX_CHAIN: usize = 10_000;

/// The packs of one object store, opened when first asked for an object.
pub(crate) struct Packs {
    dir: std::path::PathBuf,
    packs: std::cell::OnceCell<Vec<Pack>>,
    inflate: RefCell<Decompress>,
    cache: RefCell<Cache>,
}

impl Packs {
    /// The packs in `objects/pack` under the git folder `git_dir`; nothing is read yet.
    pub(crate) fn new(git_dir: &Path) -> Packs {
        Packs {
            dir: git_dir.join("objects/pack"),
            packs: std::cell::OnceCell::new(),
            inflate: RefCell::new(Decompress::new(true)),
            cache: RefCell::new(Cache::default()),
        }
    }

    fn packs(&self) -> &[Pack] {
        self.packs.get_or_init(|| {
            let Ok(dir) = std::fs::read_dir(&self.dir) else {
                return Vec::new();
            };
            let mut indexes: Vec<_> = dir
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "idx"))
                .collect();
            // A stable order: the same object is found in the same pack on every run.
            indexes.sort();
            indexes.iter().filter_map(|p| Pack::open(p)).collect()
        })
    }

    /// The object `id` and its kind, or `None` when it is not in a pack this reader can read.
    /// An object in several packs whose first copy does not read (damaged bytes) is read from
    /// the next pack that holds it, as git does.
    pub(crate) fn read(&self, id: Oid) -> Option<(PackedKind, Bytes)> {
        let packs = self.packs();
        packs.iter().enumerate().find_map(|(which, pack)| {
            let at = pack.find(id.as_bytes())?;
            self.read_at(which, pack, at)
        })
    }

    /// Follows the chain of deltas from `at` down to a whole or cached object, then applies the
    /// deltas upwards, keeping each object built on the way (the next read often starts there).
    fn read_at(&self, which: usize, pack: &Pack, at: u64) -> Option<(PackedKind, Bytes)> {
        let mut cache = self.cache.borrow_mut();
        let mut chain: Vec<(u64, Header)> = Vec::new();
        let mut at = at;
        let (kind, mut bytes) = loop {
            if let Some(found) = cache.get((which, at)) {
                break found;
            }
            let header = pack.header(at)?;
            match header.kind {
                1..=4 => {
                    let kind = [
                        PackedKind::Commit,
                        PackedKind::Tree,
                        PackedKind::Blob,
                        PackedKind::Tag,
                    ][usize::from(header.kind - 1)];
                    let bytes = Rc::new(self.inflate(pack, &header)?);
                    if !chain.is_empty() {
                        cache.put((which, at), kind, &bytes);
                    }
                    break (kind, bytes);
                }
                OFS_DELTA | REF_DELTA => {
                    let base = header.base?;
                    chain.push((at, header));
                    if chain.len() > MAX_CHAIN {
                        return None;
                    }
                    at = base;
                }
                _ => return None,
            }
        };
        while let Some((at, header)) = chain.pop() {
            let delta = self.inflate(pack, &header)?;
            bytes = Rc::new(apply_delta(&bytes, &delta)?);
            cache.put((which, at), kind, &bytes);
        }
        Some((kind, bytes))
    }

    /// The inflated data of the entry `header` describes, which must be exactly its stated size.
    fn inflate(&self, pack: &Pack, header: &Header) -> Option<Vec<u8>> {
        let input = pack.data.get(header.data..pack.data.len() - ID)?;
        let mut out = Vec::with_capacity(header.size);
        let mut inflate = self.inflate.borrow_mut();
        inflate.reset(true);
        // One call with room for exactly the stated size: a stream that wants more is damaged.
        match inflate.decompress_vec(input, &mut out, FlushDecompress::Finish) {
            Ok(Status::StreamEnd) if out.len() == header.size => Some(out),
            // A stream that ends exactly at the stated size but has not yet read its checksum.
            Ok(Status::Ok | Status::BufError) if out.len() == header.size => {
                let mut rest = [0u8; 1];
                let consumed = usize::try_from(inflate.total_in()).ok()?;
                let status = inflate
                    .decompress(&input[consumed..], &mut rest, FlushDecompress::Finish)
                    .ok()?;
                (status == Status::StreamEnd && inflate.total_out() as usize == header.size)
                    .then_some(out)
            }
            _ => None,
        }
    }
}

/// One pack: its `.idx` (version 2) and the `.pack` it indexes, both mapped.
struct Pack {
    index: memmap2::Mmap,
    data: memmap2::Mmap,
    count: usize,
}

/// Where the parts of a version 2 index start.
const FANOUT: usize = 8;
const IDS: usize = FANOUT + 256 * 4;

impl Pack {
    /// Opens a pack by its index, checking the index's shape and that it belongs to the pack.
    fn open(index_path: &Path) -> Option<Pack> {
        let map = |path: &Path| {
            let file = std::fs::File::open(path).ok()?;
            // The files are only read, and git replaces packs by writing new files and renaming
            // them, never by rewriting one in place.
            unsafe { memmap2::Mmap::map(&file) }.ok()
        };
        let index = map(index_path)?;
        let data = map(&index_path.with_extension("pack"))?;
        if index.get(..8)? != b"\xfftOc\x00\x00\x00\x02" {
            return None;
        }
        let fanout = |i: usize| be32(&index, FANOUT + 4 * i);
        let count = usize::try_from(fanout(255)?).ok()?;
        if (1..256).any(|i| fanout(i - 1) > fanout(i)) {
            return None;
        }
        // Ids, checksums, 4-byte offsets, 8-byte offsets, the pack's and the index's checksums.
        let fixed = IDS + count * (ID + 4 + 4) + 2 * ID;
        if index.len() < fixed || (index.len() - fixed) % 8 != 0 {
            return None;
        }
        let pack_checksum = &index[index.len() - 2 * ID..index.len() - ID];
        if data.len() < 12 + ID
            || data.get(..4)? != b"PACK"
            || !matches!(be32(&data, 4)?, 2 | 3)
            || usize::try_from(be32(&data, 8)?).ok()? != count
            || &data[data.len() - ID..] != pack_checksum
        {
            return None;
        }
        Some(Pack { index, data, count })
    }

    /// The offset of `id` in the pack, by the fan-out table and a binary search of the ids.
    fn find(&self, id: &[u8]) -> Option<u64> {
        let first = usize::from(*id.first()?);
        let below = match first {
            0 => 0,
            _ => be32(&self.index, FANOUT + 4 * (first - 1))? as usize,
        };
        let upto = be32(&self.index, FANOUT + 4 * first)? as usize;
        let ids = self.index.get(IDS + below * ID..IDS + upto * ID)?;
        let mut low = 0;
        let mut high = upto - below;
        while low < high {
            let mid = (low + high) / 2;
            match ids[mid * ID..(mid + 1) * ID].cmp(id) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return self.offset(below + mid),
            }
        }
        None
    }

    /// The offset of the object at position `n` of the index.
    fn offset(&self, n: usize) -> Option<u64> {
        let small = be32(&self.index, IDS + self.count * (ID + 4) + 4 * n)?;
        if small & 0x8000_0000 == 0 {
            return Some(u64::from(small));
        }
        let large = IDS + self.count * (ID + 8) + 8 * (small & 0x7fff_ffff) as usize;
        let bytes = self.index.get(large..large + 8)?;
        let offset = u64::from_be_bytes(bytes.try_into().ok()?);
        // The last 40 bytes are checksums, not offsets.
        (large + 8 <= self.index.len() - 2 * ID).then_some(offset)
    }

    /// The entry header at `at`: type, inflated size, where its data starts and, for a delta,
    /// where its base is.
    fn header(&self, at: u64) -> Option<Header> {
        let start = usize::try_from(at).ok()?;
        let end = self.data.len() - ID;
        if start < 12 || start >= end {
            return None;
        }
        let bytes = &self.data[start..end];
        let mut i = 0;
        let mut byte = *bytes.first()?;
        let kind = (byte >> 4) & 7;
        let mut size = u64::from(byte & 15);
        let mut shift = 4;
        while byte & 0x80 != 0 {
            i += 1;
            byte = *bytes.get(i)?;
            if shift > 57 {
                return None;
            }
            size |= u64::from(byte & 0x7f) << shift;
            shift += 7;
        }
        i += 1;
        let base = match kind {
            OFS_DELTA => {
                // Big-endian groups of seven bits, each continuation adding one (git's encoding).
                let mut byte = *bytes.get(i)?;
                let mut back = u64::from(byte & 0x7f);
                while byte & 0x80 != 0 {
                    i += 1;
                    byte = *bytes.get(i)?;
                    back = back.checked_add(1)?.checked_mul(128)? | u64::from(byte & 0x7f);
                }
                i += 1;
                // A base comes before its delta in the pack.
                (back != 0 && back <= at).then(|| at - back)
            }
            REF_DELTA => {
                let base = bytes.get(i..i + ID)?;
                i += ID;
                Some(self.find(base)?)
            }
            _ => None,
        };
        Some(Header {
            kind,
            size: usize::try_from(size)
                .ok()
                .filter(|size| *size <= MAX_OBJECT_BYTES)?,
            data: start + i,
            base,
        })
    }
}

struct Header {
    kind: u8,
    size: usize,
    data: usize,
    base: Option<u64>,
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Builds an object from its base and a delta (git's format: the base's size and the result's
/// size, then instructions that copy a range of the base or insert the bytes that follow).
pub(crate) fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut rest = delta;
    let mut size = || -> Option<usize> {
        let mut value = 0usize;
        let mut shift = 0;
        loop {
            let (&byte, after) = rest.split_first()?;
            rest = after;
            if shift > 56 {
                return None;
            }
            value |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
    };
    if size()? != base.len() {
        return None;
    }
    let wanted = size()?;
    if wanted > MAX_OBJECT_BYTES {
        return None;
    }
    let mut out = Vec::with_capacity(wanted);
    while let Some((&op, after)) = rest.split_first() {
        rest = after;
        if op & 0x80 != 0 {
            // Copy: which offset and size bytes follow is in the low seven bits.
            let mut field = |bits: u8, first: u32| -> Option<usize> {
                let mut value = 0usize;
                for (n, bit) in (first..first + u32::from(bits)).enumerate() {
                    if op & (1 << bit) != 0 {
                        let (&byte, after) = rest.split_first()?;
                        rest = after;
                        value |= usize::from(byte) << (8 * n);
                    }
                }
                Some(value)
            };
            let offset = field(4, 0)?;
            let length = match field(3, 4)? {
                0 => 0x10000,
                n => n,
            };
            out.extend_from_slice(base.get(offset..offset.checked_add(length)?)?);
        } else if op != 0 {
            let length = usize::from(op);
            out.extend_from_slice(rest.get(..length)?);
            rest = &rest[length..];
        } else {
            return None;
        }
        if out.len() > wanted {
            return None;
        }
    }
    (out.len() == wanted).then_some(out)
}

/// Which pack (its place in `Packs::packs`) and where in it.
type Key = (usize, u64);

/// A hash for keys that are positions in a file or object ids, which a walk looks up hundreds of
/// thousands of times: one multiply per word (the "Fx" hash of rustc) instead of SipHash's
/// rounds. It is not keyed; the worst a crafted repository can do is make one walk's
/// look-ups slower.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with `WordHasher`.
pub(crate) type WordMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

/// Objects built from packs, by pack and offset, up to `CACHE_BYTES`; the least recently used go
/// first. Each use appends to `order`; an entry is dropped when its oldest mark comes up and it
/// has not been used since.
#[derive(Default)]
struct Cache {
    /// Each object with the mark of its last use.
    objects: WordMap<Key, (PackedKind, Bytes, u64)>,
    order: VecDeque<(Key, u64)>,
    bytes: usize,
    clock: u64,
}

impl Cache {
    fn get(&mut self, key: Key) -> Option<(PackedKind, Bytes)> {
        let (kind, bytes, used) = self.objects.get_mut(&key)?;
        self.clock += 1;
        *used = self.clock;
        let found = (*kind, Rc::clone(bytes));
        self.order.push_back((key, self.clock));
        self.tidy();
        Some(found)
    }

    fn put(&mut self, key: Key, kind: PackedKind, bytes: &Bytes) {
        if bytes.len() > CACHE_OBJECT_BYTES || self.objects.contains_key(&key) {
            return;
        }
        self.clock += 1;
        self.bytes += bytes.len();
        self.objects
            .insert(key, (kind, Rc::clone(bytes), self.clock));
        self.order.push_back((key, self.clock));
        while self.bytes > CACHE_BYTES {
            let Some((key, mark)) = self.order.pop_front() else {
                break;
            };
            if self
                .objects
                .get(&key)
                .is_some_and(|(_, _, used)| *used == mark)
            {
                if let Some((_, bytes, _)) = self.objects.remove(&key) {
                    self.bytes -= bytes.len();
                }
            }
        }
        self.tidy();
    }

    /// Drops the marks of uses that a later use replaced, when they outnumber the entries.
    fn tidy(&mut self) {
        if self.order.len() > 4 * self.objects.len() + 64 {
            let objects = &self.objects;
            self.order
                .retain(|(key, mark)| objects.get(key).is_some_and(|(_, _, used)| used == mark));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::git;

    /// A repository whose files change a little in each of many commits, packed with deep
    /// delta chains.
    fn history(dir: &Path, commits: usize) {
        git(dir, &["init", "-q", "-b", "main"]);
        // An empty file is an object of size 0, and an empty tree is written by --allow-empty
        // on an empty index: both must read.
        std::fs::write(dir.join("empty.txt"), "").unwrap();
        git(dir, &["commit", "-q", "--allow-empty", "-m", "nothing yet"]);
        for c in 0..commits {
            for f in 0..12 {
                let text: String = (0..40)
                    .map(|line| format!("file {f} line {line} {}\n", (line == c % 40) as usize * c))
                    .collect();
                std::fs::write(dir.join(format!("f{f}.txt")), text).unwrap();
            }
            git(dir, &["add", "-A"]);
            git(dir, &["commit", "-q", "-m", &format!("commit {c}")]);
        }
    }

    /// Every object of the repository, read both ways; how many entries of each pack type.
    fn reads_every_object_as_libgit2(dir: &Path) -> [usize; 8] {
        let repo = git2::Repository::open(dir).unwrap();
        let odb = repo.odb().unwrap();
        let packs = Packs::new(repo.path());
        let mut ids = Vec::new();
        odb.foreach(|id| {
            ids.push(*id);
            true
        })
        .unwrap();
        let mut types = [0; 8];
        for id in &ids {
            let pack = &packs.packs()[0];
            match pack.find(id.as_bytes()) {
                Some(at) => types[usize::from(pack.header(at).unwrap().kind)] += 1,
                // Loose (unreachable objects a repack left): not this reader's.
                None => types[0] += 1,
            }
        }
        // Newest first and oldest first: the cache must give the same bytes either way.
        for id in ids.iter().chain(ids.iter().rev()) {
            let want = odb.read(*id).unwrap();
            let Some((kind, bytes)) = packs.read(*id) else {
                assert!(packs.packs()[0].find(id.as_bytes()).is_none(), "{id}");
                continue;
            };
            let want_kind = match want.kind() {
                git2::ObjectType::Commit => PackedKind::Commit,
                git2::ObjectType::Tree => PackedKind::Tree,
                git2::ObjectType::Blob => PackedKind::Blob,
                _ => PackedKind::Tag,
            };
            assert_eq!(kind, want_kind, "{id}");
            assert_eq!(&bytes[..], want.data(), "{id}");
        }
        types
    }

    #[test]
    fn reads_offset_and_reference_deltas_as_libgit2_does() {
        let dir = tempfile::tempdir().unwrap();
        history(dir.path(), 30);
        git(
            dir.path(),
            &["repack", "-adfq", "--depth=50", "--window=50"],
        );
        let types = reads_every_object_as_libgit2(dir.path());
        assert!(types[usize::from(OFS_DELTA)] > 200, "{types:?}");
        // Reference deltas (what `index-pack` writes for thin packs, and older gits).
        git(
            dir.path(),
            &[
                "-c",
                "repack.useDeltaBaseOffset=false",
                "-c",
                "pack.useDeltaBaseOffset=false",
                "repack",
                "-adfq",
                "--depth=50",
            ],
        );
        let types = reads_every_object_as_libgit2(dir.path());
        assert!(types[usize::from(REF_DELTA)] > 200, "{types:?}");
    }

    #[test]
    fn objects_outside_packs_and_damaged_packs_are_none() {
        let dir = tempfile::tempdir().unwrap();
        history(dir.path(), 3);
        let repo = git2::Repository::open(dir.path()).unwrap();
        let head = repo.head().unwrap().target().unwrap();
        // Loose objects only: the caller reads them through libgit2.
        assert!(Packs::new(repo.path()).read(head).is_none());
        git(dir.path(), &["repack", "-adq"]);
        assert!(Packs::new(repo.path()).read(head).is_some());
        // A pack damaged inside an object's compressed data: zlib's checksum fails, and every
        // read is either the right bytes or `None` (then libgit2 reports the damage), never a
        // panic. (Damage to an entry's header can make it point at another base of the same
        // size; libgit2, which does not re-hash objects either, reads that the same way.)
        let pack_dir = repo.path().join("objects/pack");
        let pack = std::fs::read_dir(&pack_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "pack"))
            .unwrap();
        let good = std::fs::read(&pack).unwrap();
        let odb = repo.odb().unwrap();
        let mut ids = Vec::new();
        odb.foreach(|id| {
            ids.push(*id);
            true
        })
        .unwrap();
        let want: Vec<Vec<u8>> = ids
            .iter()
            .map(|id| odb.read(*id).unwrap().data().to_vec())
            .collect();
        // Where each entry's compressed data starts and ends.
        let packs = Packs::new(repo.path());
        let whole = &packs.packs()[0];
        let mut starts: Vec<u64> = ids
            .iter()
            .map(|id| whole.find(id.as_bytes()).unwrap())
            .collect();
        starts.sort_unstable();
        let data: Vec<(usize, usize)> = starts
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let end = starts.get(i + 1).map_or(good.len() - ID, |n| *n as usize);
                (whole.header(*at).unwrap().data, end)
            })
            .collect();
        drop(packs);
        let mut damaged = 0;
        for at in (12..good.len() - ID).step_by(5) {
            if !data.iter().any(|(start, end)| (*start..*end).contains(&at)) {
                continue;
            }
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&pack, &bad).unwrap();
            let packs = Packs::new(repo.path());
            for (id, want) in ids.iter().zip(&want) {
                match packs.read(*id) {
                    Some((_, bytes)) => assert_eq!(&bytes[..], &want[..], "damage at {at}, {id}"),
                    None => damaged += 1,
                }
            }
        }
        assert!(damaged > 0);
        std::fs::write(&pack, &good).unwrap();
    }

    #[test]
    fn an_object_whose_first_copy_is_damaged_is_read_from_another_pack() {
        let dir = tempfile::tempdir().unwrap();
        history(dir.path(), 3);
        git(dir.path(), &["repack", "-adq"]);
        let repo = git2::Repository::open(dir.path()).unwrap();
        let pack_dir = repo.path().join("objects/pack");
        let first = |ext: &str| {
            std::fs::read_dir(&pack_dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == ext))
                .unwrap()
        };
        // A copy of the pack under a name that sorts first, damaged in every object's data.
        let (pack, idx) = (first("pack"), first("idx"));
        let good = std::fs::read(&pack).unwrap();
        let mut bad = good.clone();
        for at in (40..bad.len() - ID).step_by(7) {
            bad[at] ^= 0x55;
        }
        let zeros = "0".repeat(40);
        std::fs::write(pack_dir.join(format!("pack-{zeros}.pack")), &bad).unwrap();
        std::fs::copy(&idx, pack_dir.join(format!("pack-{zeros}.idx"))).unwrap();
        let odb = repo.odb().unwrap();
        let mut ids = Vec::new();
        odb.foreach(|id| {
            ids.push(*id);
            true
        })
        .unwrap();
        let packs = Packs::new(repo.path());
        assert_eq!(packs.packs().len(), 2);
        // The damaged copies, read alone, do not read.
        let damaged = &packs.packs()[0];
        let unreadable = ids
            .iter()
            .filter(|id| {
                let at = damaged
                    .find(id.as_bytes())
                    .expect("every object is in both packs");
                Packs::new(repo.path()).read_at(0, damaged, at).is_none()
            })
            .count();
        assert!(unreadable > ids.len() / 2, "{unreadable} of {}", ids.len());
        for id in &ids {
            let (kind, bytes) = packs.read(*id).unwrap_or_else(|| panic!("{id} reads"));
            assert_eq!(sha1_of(&bytes, kind), *id, "the good copy of {id}");
        }
    }

    /// The id git gives an object of `kind` with `bytes`.
    fn sha1_of(bytes: &[u8], kind: PackedKind) -> Oid {
        let name = ["", "commit", "tree", "blob", "tag"][kind as usize];
        let mut hash = sha1_smol::Sha1::new();
        hash.update(format!("{name} {}\0", bytes.len()).as_bytes());
        hash.update(bytes);
        Oid::from_bytes(&hash.digest().bytes()).unwrap()
    }

    #[test]
    fn deltas_that_do_not_fit_their_base_are_refused() {
        let base = b"hello world";
        // Sizes 11 -> 5, copy 5 bytes from offset 6.
        assert_eq!(
            apply_delta(base, &[11, 5, 0x91, 6, 5]).as_deref(),
            Some(&b"world"[..])
        );
        // Insert three bytes.
        assert_eq!(
            apply_delta(base, &[11, 3, 3, b'a', b'b', b'c']).as_deref(),
            Some(&b"abc"[..])
        );
        for bad in [
            &[12, 5, 0x91, 6, 5][..],            // wrong base size
            &[11, 6, 0x91, 6, 5],                // result shorter than stated
            &[11, 5, 0x91, 7, 5],                // copy past the base's end
            &[11, 2, 3, b'a', b'b'],             // insert cut short
            &[11, 1, 0],                         // reserved instruction
            &[11],                               // no result size
            &[11, 0x80, 0x80, 0x80, 0x80, 0x7f], // a result too large to build
        ] {
            assert_eq!(apply_delta(base, bad), None, "{bad:?}");
        }
    }
}
