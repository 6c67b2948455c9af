//! Likely secrets in prompt text: provider API keys, cloud credentials, private key blocks.
//!
//! A prompt is shared with a model provider and with everyone who can read the repository; a key
//! pasted into one leaks twice. Detection is first by the documented shapes of well-known key
//! formats, so false positives are rare; then by randomness, for keys of services with no known
//! shape: a long token mixing upper case, lower case and digits whose characters are about as
//! varied as random base64 (Shannon entropy, as secret scanners such as detect-secrets use).
//! Findings are shown redacted.

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

/// Characters of a base64 or URL-safe token (not `/`, which would make every path a token; `=`
/// only as padding at the end, so that `token=…` is not part of the token).
fn token_char(b: u8) -> bool {
    key_char(b) || b == b'+'
}

/// Tokens shorter than this are not judged by randomness: too few characters to tell.
const RANDOM_MIN: usize = 32;
/// Longer runs are data (an inline base64 image), not a credential.
const RANDOM_MAX: usize = 200;
/// Bits per character. Random base64 scores 4.3-4.8 at 32 characters (so some short keys pass
/// unseen) and 4.7-5.2 at 43 or more; camel-case phrases such as `SummarizeTheDocumentIn3Points`
/// score 4.1-4.3, and hex digests at most 4, below the line.
const RANDOM_BITS: f64 = 4.4;

/// The length of the token at the start of `bytes` (with its `=` padding) when it looks random
/// enough to be a key.
fn random_token(bytes: &[u8]) -> Option<usize> {
    let len = bytes.iter().take_while(|b| token_char(**b)).count();
    if !(RANDOM_MIN..=RANDOM_MAX).contains(&len) {
        return None;
    }
    let token = &bytes[..len];
    let mixed = token.iter().any(u8::is_ascii_uppercase)
        && token.iter().any(u8::is_ascii_lowercase)
        && token.iter().any(u8::is_ascii_digit);
    let padding = bytes[len..]
        .iter()
        .take(2)
        .take_while(|b| **b == b'=')
        .count();
    (mixed && entropy(token) >= RANDOM_BITS).then_some(len + padding)
}

/// Shannon entropy of the byte distribution, in bits per byte.
fn entropy(bytes: &[u8]) -> f64 {
    let mut counts = [0usize; 256];
    for b in bytes {
        counts[usize::from(*b)] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// The key starting at byte `at` of `line`, if one does: what it looks like, how many bytes of it
/// a finding shows, and its length. A known shape wins over randomness.
fn key_at(line: &str, at: usize) -> Option<(&'static str, usize, usize)> {
    let bytes = line.as_bytes();
    let before = at.checked_sub(1).map(|i| bytes[i]);
    // A key starts at a word boundary.
    if before.is_some_and(key_char) {
        return None;
    }
    let known = SHAPES.iter().find_map(|s| {
        let rest = bytes[at..].strip_prefix(s.prefix.as_bytes())?;
        let n = rest.iter().take_while(|b| (s.body)(**b)).count();
        let ends = rest.get(n).is_none_or(|b| !key_char(*b));
        (n >= s.min_body && ends).then_some((s.kind, s.prefix.len() + 4, s.prefix.len() + n))
    });
    known.or_else(|| {
        if before.is_some_and(token_char) || line[..at].ends_with("base64,") {
            return None;
        }
        let n = random_token(&bytes[at..])?;
        Some(("a random token (possibly a key)", 6, n))
    })
}

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
        let mut at = 0;
        while at < line.len() {
            match key_at(line, at) {
                Some((kind, shown, len)) => {
                    out.push(Finding {
                        line: i + 1,
                        column: line[..at].chars().count() + 1,
                        kind,
                        redacted: format!("{}…", &line[at..at + shown.min(len)]),
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
    fn random_looking_tokens_are_found_and_words_are_not() {
        let key = "Zx9Qm2Lp7Vt4Rk8Wn3Bc6Hd1Jf5Gs0Ay";
        let found = find(&format!("Use token={key} for the partner API."));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, "a random token (possibly a key)");
        assert_eq!((found[0].line, found[0].column), (1, 11));
        assert_eq!(found[0].redacted, "Zx9Qm2…");
        assert_eq!(found[0].fingerprint, fingerprint(key));
        for text in [
            "thisIsAVeryLongIdentifierName2024Version",
            "ReturnTheAnswerAsJSONWithFields1And2",
            "SummarizeTheDocumentIn3BulletPointsPlease",
            // A hex digest, a UUID, a path: no upper case, or not one token.
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "123e4567-e89b-12d3-a456-426614174000",
            "see /Zx9Qm2Lp7/Vt4Rk8Wn3B/c6Hd1Jf5Gs0Ay/",
            // Too short to judge.
            "Zx9Qm2Lp7Vt4Rk8Wn3Bc",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
        // Inline data is not a credential.
        let image = format!("data:image/png;base64,{}", key.repeat(3));
        assert!(find(&image).is_empty());
        assert!(find(&key.repeat(8)).is_empty(), "longer than a key");
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
