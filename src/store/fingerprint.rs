//! A cheap fingerprint of the refs that decide what a served state holds (`prompt serve --watch`,
//! contract §13): `HEAD` and every tag, by name and unpeeled target. Polled every 250 ms, so it
//! reads ref files only, no objects.

use super::{git, Registry};
use crate::error::Error;

impl Registry {
    /// `HEAD`'s name and target, then each tag's name and target, one per line; it changes when a
    /// commit is made, a branch moves or a tag is created, moved or removed.
    pub fn refs_fingerprint(&self) -> Result<String, Error> {
        let mut out = String::new();
        if let Ok(head) = self.repo.find_reference("HEAD") {
            out.push_str(&String::from_utf8_lossy(
                head.symbolic_target_bytes().unwrap_or(b""),
            ));
            out.push(' ');
            if let Ok(resolved) = head.resolve() {
                if let Some(oid) = resolved.target() {
                    out.push_str(&oid.to_string());
                }
            }
        }
        out.push('\n');
        let refs = self
            .repo
            .references_glob("refs/tags/*")
            .map_err(git("listing tags"))?;
        for r in refs {
            let r = r.map_err(git("reading a tag"))?;
            out.push_str(&String::from_utf8_lossy(r.name_bytes()));
            out.push(' ');
            if let Some(oid) = r.target() {
                out.push_str(&oid.to_string());
            }
            out.push('\n');
        }
        Ok(out)
    }
}
