//! A registry in a temporary folder for the operations' unit tests, committed with the real `git`
//! program (no git2 outside `store`): the store's own test helpers, which every module's unit
//! tests share.

pub(crate) use crate::store::testing::{commit, git, registry, remove, write};
