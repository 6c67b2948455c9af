//! Template engines.
