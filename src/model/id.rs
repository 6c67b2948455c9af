//! Prompt ids and environment names (contract §2).
//!
//! Both are validated here, before any filesystem or git access, so that nothing a user types can name
//! a path outside the registry root or a malformed git reference.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The rule for ids, quoted in every rejection so that the user sees what is allowed.
pub const ID_RULE: &str = "an id is one or more `/`-separated segments, each matching \
                           [a-z0-9]([a-z0-9_-]*[a-z0-9])? (for example `support/summarize`)";

/// The rule for environment names, quoted in every rejection.
pub const ENV_RULE: &str =
    "an environment name matches [a-z][a-z0-9_-]* and is not `latest` (for example `production`)";

/// Longest id accepted, in bytes: well below path and ref-name limits of every platform.
const MAX_ID_LEN: usize = 200;
/// Longest environment name accepted, in bytes.
const MAX_ENV_LEN: usize = 64;

/// Names Windows reserves for devices: a file with such a stem cannot be checked out there.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A validated prompt id such as `support/summarize`: the file's path below the registry root
/// without the `.prompt.yaml` extension.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PromptId(String);

impl PromptId {
    /// Validates `s` as an id.
    pub fn parse(s: &str) -> Result<PromptId, Error> {
        match id_problem(s) {
            None => Ok(PromptId(s.to_string())),
            Some(problem) => Err(Error::InvalidId {
                id: printable(s),
                problem,
                rule: ID_RULE,
            }),
        }
    }

    /// Validates each of `texts` (ids given on a command line); the first invalid one is the
    /// error.
    pub fn parse_all<S: AsRef<str>>(texts: &[S]) -> Result<Vec<PromptId>, Error> {
        texts.iter().map(|s| PromptId::parse(s.as_ref())).collect()
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file name of the prompt relative to the registry root.
    pub fn file_name(&self) -> String {
        format!("{}{}", self.0, crate::model::PROMPT_EXT)
    }

    /// Turns a path below the registry root back into an id, if it names a prompt file with a
    /// valid id; anything else found while listing (notes, stray files) is not a prompt.
    pub fn from_file_name(rel: &str) -> Option<PromptId> {
        let stem = rel.strip_suffix(crate::model::PROMPT_EXT)?;
        PromptId::parse(stem).ok()
    }
}

impl fmt::Display for PromptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PromptId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        PromptId::parse(s)
    }
}

/// Says what is wrong with an id, or `None` when it is valid.
fn id_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("it is empty".into());
    }
    if s.len() > MAX_ID_LEN {
        return Some(format!("it is longer than {MAX_ID_LEN} bytes"));
    }
    if s.starts_with('/') {
        return Some("it is an absolute path".into());
    }
    if s.ends_with('/') {
        return Some("it ends with `/`".into());
    }
    for segment in s.split('/') {
        if segment.is_empty() {
            return Some("it has an empty segment (`//`)".into());
        }
        if segment == "." || segment == ".." {
            return Some(format!("the segment `{segment}` would leave the folder"));
        }
        if let Some(c) = segment.chars().find(|c| !is_id_char(*c)) {
            return Some(format!("it contains {}", describe_char(c)));
        }
        let first = segment.as_bytes()[0];
        let last = segment.as_bytes()[segment.len() - 1];
        if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
            return Some(format!(
                "the segment `{segment}` must start and end with a letter or digit"
            ));
        }
        if WINDOWS_DEVICES.contains(&segment) {
            return Some(format!("`{segment}` is a device name on Windows"));
        }
    }
    None
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
}

/// Names a rejected character so that invisible and look-alike characters are visible.
fn describe_char(c: char) -> String {
    if c.is_ascii_uppercase() {
        format!("the upper-case letter `{c}`")
    } else if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else if !c.is_ascii() {
        format!("the non-ASCII character `{c}` (U+{:04X})", c as u32)
    } else {
        format!("the character `{c}`")
    }
}

/// Makes user input safe to echo in a message: control characters are escaped.
pub(crate) fn printable(s: &str) -> String {
    s.chars().flat_map(char::escape_debug).collect::<String>()
}

/// A validated environment name such as `production`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnvName(String);

impl EnvName {
    /// Validates `s` as an environment name (only the syntax: whether the registry allows it is
    /// the config's business).
    pub fn parse(s: &str) -> Result<EnvName, Error> {
        match env_problem(s) {
            None => Ok(EnvName(s.to_string())),
            Some(problem) => Err(Error::InvalidEnv {
                name: printable(s),
                problem,
                rule: ENV_RULE,
            }),
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EnvName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn env_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("it is empty".into());
    }
    if s.len() > MAX_ENV_LEN {
        return Some(format!("it is longer than {MAX_ENV_LEN} bytes"));
    }
    if s == "latest" {
        return Some("`latest` names the newest version".into());
    }
    let first = s.chars().next().unwrap_or('a');
    if !first.is_ascii_lowercase() {
        return Some(format!("it starts with {}", describe_char(first)));
    }
    if let Some(c) = s.chars().find(|c| !is_id_char(*c)) {
        return Some(format!("it contains {}", describe_char(c)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_ids_is_valid_or_names_its_first_bad_one() {
        let ids = PromptId::parse_all(&["a", "team/b"]).unwrap();
        assert_eq!(
            ids,
            [
                PromptId::parse("a").unwrap(),
                PromptId::parse("team/b").unwrap()
            ]
        );
        let err = PromptId::parse_all(&["a", "Bad Id", "../x"]).unwrap_err();
        assert!(err.to_string().contains("Bad Id"), "{err}");
        assert!(PromptId::parse_all::<&str>(&[]).unwrap().is_empty());
    }

    #[test]
    fn accepts_valid_ids() {
        for id in ["a", "support/summarize", "a-b_c/d9", "0/1", "x/y/z", "a1-2"] {
            assert!(PromptId::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn rejects_invalid_ids_with_reason() {
        let cases = [
            ("", "empty"),
            ("/abs", "absolute"),
            ("a/", "ends with"),
            ("a//b", "empty segment"),
            ("..", "leave the folder"),
            ("a/../b", "leave the folder"),
            ("./a", "leave the folder"),
            (".git", "`.`"),
            ("a.lock", "`.`"),
            ("Upper", "upper-case"),
            ("has space", "U+0020"),
            ("a@b", "`@`"),
            ("a\u{7}b", "U+0007"),
            ("-a", "start and end"),
            ("a_", "start and end"),
            ("con", "device"),
            ("x/lpt1", "device"),
            ("саша", "non-ASCII"),
            ("a\\b", "`\\`"),
        ];
        for (id, want) in cases {
            let err = PromptId::parse(id).unwrap_err().to_string();
            assert!(err.contains(want), "{id:?}: {err}");
            assert!(err.contains("[a-z0-9]"), "rule shown: {err}");
        }
        assert!(PromptId::parse(&"a".repeat(201)).is_err());
    }

    #[test]
    fn file_names_round_trip() {
        let id = PromptId::parse("support/summarize").unwrap();
        assert_eq!(id.file_name(), "support/summarize.prompt.yaml");
        assert_eq!(PromptId::from_file_name(&id.file_name()), Some(id));
        assert_eq!(PromptId::from_file_name("notes.md"), None);
        assert_eq!(PromptId::from_file_name("Bad.prompt.yaml"), None);
    }

    #[test]
    fn environment_names() {
        for ok in ["production", "staging", "dev-2", "a_b"] {
            assert!(EnvName::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "latest", "Prod", "2024", "1abc", "-x", "a/b", "a.b", "a@{", "ü",
        ] {
            let err = EnvName::parse(bad).unwrap_err().to_string();
            assert!(err.contains("[a-z][a-z0-9_-]*"), "{bad}: {err}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text_is_accepted_or_rejected_without_panic(s in "\\PC*") {
            let _ = PromptId::parse(&s);
            let _ = EnvName::parse(&s);
        }

        #[test]
        fn accepted_ids_are_safe_paths(s in "[a-z0-9_./@ -]{0,40}") {
            if let Ok(id) = PromptId::parse(&s) {
                prop_assert!(!id.as_str().split('/').any(|seg| seg == ".." || seg == "." || seg.is_empty()));
                prop_assert!(!id.as_str().starts_with('/'));
                prop_assert!(!id.as_str().contains(['@', '.', ' ', '\\']));
                prop_assert_eq!(PromptId::from_file_name(&id.file_name()), Some(id));
            }
        }

        #[test]
        fn generated_valid_ids_are_accepted(
            segs in proptest::collection::vec("[a-z0-9]([a-z0-9_-]{0,8}[a-z0-9])?", 1..4)
        ) {
            let id = segs.join("/");
            let windows = segs.iter().any(|s| WINDOWS_DEVICES.contains(&s.as_str()));
            prop_assert_eq!(PromptId::parse(&id).is_ok(), !windows, "{}", id);
        }
    }
}
