//! Likely secrets in prompt text: provider API keys, cloud credentials, private key blocks.
//!
//! A prompt is shared with a model provider and with everyone who can read the repository; a key
//! pasted into one leaks twice. Detection is by the documented shapes of well-known key formats,
//! so false positives are rare; findings are shown redacted.

/// A secret found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    /// What it looks like, e.g. `an OpenAI API key`.
    pub kind: &'static str,
    /// The first characters, then `…`: enough to find it, too little to use it.
    pub redacted: String,
    /// A stable name for this exact value, to allow a false positive without writing it out
    /// (`check --allow-secret FINGERPRINT`, or `allowed_secrets` in .prompts.yaml).
    pub fingerprint: String,
}

/// 64-bit FNV-1a of the value, as 16 hex digits: stable across runs and machines, and says
/// nothing useful about the value.
pub fn fingerprint(value: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in value.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A key format: a literal prefix, the characters that may follow, and how many at least.
struct Shape {
    prefix: &'static str,
    kind: &'static str,
    body: fn(u8) -> bool,
    min_body: usize,
}

fn key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn upper_or_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Ordered so that the more specific prefix wins (`sk-ant-` before `sk-`).
const SHAPES: &[Shape] = &[
    Shape {
        prefix: "sk-ant-",
        kind: "an Anthropic API key",
        body: key_char,
        min_body: 32,
    },
    Shape {
        prefix: "sk-proj-",
        kind: "an OpenAI project API key",
        body: key_char,
        min_body: 32,
    },
    Shape {
        prefix: "sk-",
        kind: "an OpenAI API key",
        body: key_char,
        min_body: 32,
    },
    Shape {
        prefix: "AKIA",
        kind: "an AWS access key id",
        body: upper_or_digit,
        min_body: 16,
    },
    Shape {
        prefix: "ASIA",
        kind: "an AWS temporary access key id",
        body: upper_or_digit,
        min_body: 16,
    },
    Shape {
        prefix: "ghp_",
        kind: "a GitHub personal access token",
        body: alnum,
        min_body: 36,
    },
    Shape {
        prefix: "gho_",
        kind: "a GitHub OAuth token",
        body: alnum,
        min_body: 36,
    },
    Shape {
        prefix: "ghs_",
        kind: "a GitHub app token",
        body: alnum,
        min_body: 36,
    },
    Shape {
        prefix: "github_pat_",
        kind: "a GitHub fine-grained token",
        body: key_char,
        min_body: 60,
    },
    Shape {
        prefix: "AIza",
        kind: "a Google API key",
        body: key_char,
        min_body: 35,
    },
    Shape {
        prefix: "xoxb-",
        kind: "a Slack bot token",
        body: key_char,
        min_body: 20,
    },
];

/// Finds likely secrets in `text`, one finding per occurrence.
pub fn find(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY-----") {
            let col = line.find("-----BEGIN").unwrap_or(0);
            out.push(Finding {
                line: i + 1,
                column: line[..col].chars().count() + 1,
                kind: "a private key block",
                redacted: "-----BEGIN … PRIVATE KEY-----".into(),
                fingerprint: fingerprint(line.trim()),
            });
            continue;
        }
        let bytes = line.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // A key starts at a word boundary.
            let boundary = at == 0 || !key_char(bytes[at - 1]);
            let found = boundary
                .then(|| {
                    SHAPES.iter().find_map(|s| {
                        let rest = bytes[at..].strip_prefix(s.prefix.as_bytes())?;
                        let n = rest.iter().take_while(|b| (s.body)(**b)).count();
                        let ends = rest.get(n).is_none_or(|b| !key_char(*b));
                        (n >= s.min_body && ends).then_some((s, s.prefix.len() + n))
                    })
                })
                .flatten();
            match found {
                Some((shape, len)) => {
                    let shown = (shape.prefix.len() + 4).min(len);
                    out.push(Finding {
                        line: i + 1,
                        column: line[..at].chars().count() + 1,
                        kind: shape.kind,
                        redacted: format!("{}…", &line[at..at + shown]),
                        fingerprint: fingerprint(&line[at..at + len]),
                    });
                    at += len;
                }
                None => at += line[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_key_shapes_redacted() {
        let openai = format!("sk-{}", "a1B2".repeat(12));
        let text = format!(
            "line one\n  key: {openai}\nAKIAIOSFODNN7EXAMPLE and ghp_{}\n-----BEGIN RSA PRIVATE KEY-----\n",
            "x".repeat(36)
        );
        let found = find(&text);
        let kinds: Vec<_> = found.iter().map(|f| (f.line, f.column, f.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (2, 8, "an OpenAI API key"),
                (3, 1, "an AWS access key id"),
                (3, 26, "a GitHub personal access token"),
                (4, 1, "a private key block"),
            ]
        );
        assert_eq!(found[0].redacted, "sk-a1B2…");
        assert!(found[..3].iter().all(|f| f.redacted.chars().count() <= 12));
    }

    #[test]
    fn ordinary_text_is_not_a_secret() {
        for text in [
            "Ask the user about sk-learn models.",
            "task-based flows",
            "AKIA is a prefix",
            "the desk-top is ghp_short",
            "ünïcödé sk-",
        ] {
            assert!(find(text).is_empty(), "{text}");
        }
    }
}
