//! The error of reading a YAML file: a position and a message. Its own file because both passes
//! of a read return it: the nesting pre-pass (`nesting`, also run on values files, configs and
//! service payloads) and the loader (`load`), which runs the pre-pass first.

use crate::error::Location;

/// A load failure: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub at: Location,
    pub message: String,
}

impl LoadError {
    pub(crate) fn new(at: Location, message: impl Into<String>) -> LoadError {
        LoadError {
            at,
            message: message.into(),
        }
    }
}
