//! Slugging service names into prompt ids (contract §10): lower case, `-` for every other
//! character, runs of `-` collapsed, and the ends trimmed so that each segment is a valid id
//! segment.

use crate::error::Error;
use crate::model::PromptId;

/// Longest segment written, in bytes: ids stay well below the id length limit.
const MAX_SEGMENT: usize = 80;

/// Windows device names, which cannot be file names there (see `model::id`).
const DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// One id segment from a name: `Support Summarizer (v2)` → `support-summarizer-v2`. A name with
/// nothing usable becomes `prompt`.
pub fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        let c = if keep { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let mut s = trim(&out).to_string();
    if s.len() > MAX_SEGMENT {
        s.truncate(MAX_SEGMENT);
        s = trim(&s).to_string();
    }
    if s.is_empty() {
        return "prompt".to_string();
    }
    if DEVICES.contains(&s.as_str()) {
        s.push_str("-prompt");
    }
    s
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c == '-' || c == '_')
}

/// The id of a prompt named `name`, in `folder` when given (both slugged).
pub fn id(folder: Option<&str>, name: &str) -> Result<PromptId, Error> {
    let text = match folder.filter(|f| !f.trim().is_empty()) {
        Some(f) => format!("{}/{}", segment(f), segment(name)),
        None => segment(name),
    };
    PromptId::parse(&text)
}

/// The id of a path-like handle (`namespace/name`): each `/`-separated part is slugged.
pub fn path_id(handle: &str) -> Result<PromptId, Error> {
    let parts: Vec<String> = handle
        .split('/')
        .filter(|p| !p.trim().is_empty())
        .map(segment)
        .collect();
    let text = if parts.is_empty() {
        "prompt".to_string()
    } else {
        parts.join("/")
    };
    PromptId::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_names() {
        let cases = [
            ("Support Summarizer", "support-summarizer"),
            ("support-summarize", "support-summarize"),
            ("  Triage: (v2)!! ", "triage-v2"),
            ("snake_case_name", "snake_case_name"),
            ("_leading_and_trailing_", "leading_and_trailing"),
            ("Ünïcödé Nämé", "n-c-d-n-m"),
            ("a/b", "a-b"),
            ("!!!", "prompt"),
            ("", "prompt"),
            ("CON", "con-prompt"),
            ("Q&A — FAQ", "q-a-faq"),
        ];
        for (name, want) in cases {
            assert_eq!(segment(name), want, "{name:?}");
            assert!(PromptId::parse(&segment(name)).is_ok(), "{name:?}");
        }
        let long = "x".repeat(300);
        assert_eq!(segment(&long).len(), MAX_SEGMENT);
    }

    #[test]
    fn ids_with_folders() {
        assert_eq!(
            id(Some("Customer Support"), "Refund Reply")
                .unwrap()
                .as_str(),
            "customer-support/refund-reply"
        );
        assert_eq!(id(None, "Refund Reply").unwrap().as_str(), "refund-reply");
        assert_eq!(id(Some("  "), "x").unwrap().as_str(), "x");
        assert_eq!(
            path_id("support/Summarize Ticket").unwrap().as_str(),
            "support/summarize-ticket"
        );
        assert_eq!(path_id("plain").unwrap().as_str(), "plain");
        assert_eq!(path_id("/").unwrap().as_str(), "prompt");
    }
}
