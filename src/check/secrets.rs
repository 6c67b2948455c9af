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
        if let Some(n) = random_token(&bytes[at..]) {
            return Some(("a random token (possibly a key)", 6, n));
        }
        let n = aws_secret(bytes, at)?;
        (entropy(&bytes[at..at + n]) >= AWS_RANDOM_BITS).then_some((
            "a random token (possibly an AWS secret access key)",
            4,
            n,
        ))
    })
}

/// Length of an AWS secret access key: 40 characters of base64 (`/` and `+` included).
const AWS_SECRET_LEN: usize = 40;
/// Random 40-character base64 scores about 4.9-5.2 bits; unlabelled, a token must score this.
const AWS_RANDOM_BITS: f64 = 4.6;
/// Names under which AWS secret access keys are written (compared without case): the CLI's
/// config and environment (`aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`), SDK options
/// (`secret_access_key`, `secretAccessKey`) and STS JSON (`SecretAccessKey`).
const AWS_LABELS: [&str; 2] = ["secret_access_key", "secretaccesskey"];

fn base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// The length of an AWS-secret-shaped token at `at` (exactly 40 base64 characters with upper and
/// lower case and digits, standing alone), if there is one.
fn aws_secret(bytes: &[u8], at: usize) -> Option<usize> {
    if at.checked_sub(1).is_some_and(|i| base64_char(bytes[i])) {
        return None;
    }
    let n = bytes[at..].iter().take_while(|b| base64_char(**b)).count();
    let token = &bytes[at..at + n];
    let mixed = token.iter().any(u8::is_ascii_uppercase)
        && token.iter().any(u8::is_ascii_lowercase)
        && token.iter().any(u8::is_ascii_digit);
    (n == AWS_SECRET_LEN && mixed && !key_char(*bytes.get(at + n).unwrap_or(&b' '))).then_some(n)
}

/// Keys written after an AWS secret label on this line (`aws_secret_access_key = …`,
/// `"SecretAccessKey": "…"`): start and length of each. Labelled, no randomness test is needed.
fn labelled_aws_secrets(line: &str) -> Vec<(usize, usize)> {
    let lower = line.to_ascii_lowercase();
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    for label in AWS_LABELS {
        let mut from = 0;
        while let Some(i) = lower[from..].find(label) {
            let mut at = from + i + label.len();
            from = at;
            // Separators a config, an env file, JSON or YAML put between name and value.
            while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'=' | b':' | b'"' | b'\'')
            {
                at += 1;
            }
            if let Some(n) = aws_secret(bytes, at) {
                out.push((at, n));
            }
        }
    }
    out
}

/// How a value that matches a secret rule is shown in a message instead of its text: its length,
/// what it looks like and a redacted start (`None` when no rule matches). Render errors use this,
/// so that a token passed in the wrong place is not echoed to a terminal or a log (contract §12).
pub fn redacted_value(value: &str) -> Option<String> {
    let found = find(value);
    let first = found.first()?;
    Some(format!(
        "a value of {} characters that looks like {} (`{}`, redacted)",
        value.chars().count(),
        first.kind,
        first.redacted
    ))
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
        let aws = labelled_aws_secrets(line);
        let mut at = 0;
        while at < line.len() {
            let labelled = aws
                .iter()
                .find(|(start, _)| *start == at)
                .map(|(_, n)| ("an AWS secret access key", 4, *n));
            match labelled.or_else(|| key_at(line, at)) {
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

    /// A deterministic stream of random AWS-style secret keys (40 base64 characters).
    fn aws_keys(count: usize) -> Vec<String> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..count)
            .map(|_| {
                (0..AWS_SECRET_LEN)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        ALPHABET[(state % 64) as usize] as char
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn labelled_aws_secret_keys_are_all_found() {
        let keys = aws_keys(40);
        assert!(keys.iter().filter(|k| k.contains(['/', '+'])).count() > 20);
        for key in &keys {
            for text in [
                format!("aws_secret_access_key={key}"),
                format!("export AWS_SECRET_ACCESS_KEY=\"{key}\""),
                format!("  secret_access_key: '{key}'"),
                format!("{{\"SecretAccessKey\": \"{key}\"}}"),
            ] {
                let found = find(&text);
                assert_eq!(found.len(), 1, "{text}: {found:?}");
                assert_eq!(found[0].kind, "an AWS secret access key", "{text}");
                assert_eq!(found[0].redacted, format!("{}…", &key[..4]));
                assert_eq!(found[0].fingerprint, fingerprint(key));
            }
        }
        // A label with something else after it is not a key.
        assert!(find("aws_secret_access_key = <your key here>").is_empty());
        assert!(find("aws_secret_access_key: ${AWS_SECRET}").is_empty());
    }

    #[test]
    fn unlabelled_aws_secret_keys_are_found_by_shape() {
        let keys = aws_keys(40);
        let found = keys
            .iter()
            .filter(|k| !find(&format!("use {k} here")).is_empty())
            .count();
        // Every random key is found, by the random-token rule or the 40-character base64 rule.
        assert_eq!(found, 40);
        for text in [
            "see docs/guides/Setup2024/README/Intro.md",
            "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn secret_values_are_described_not_shown() {
        let token = format!("ghp_{}", "aB3".repeat(12));
        let shown = redacted_value(&token).unwrap();
        assert_eq!(
            shown,
            "a value of 40 characters that looks like a GitHub personal access token \
             (`ghp_aB3a…`, redacted)"
        );
        assert!(!shown.contains(&token[8..]));
        assert_eq!(redacted_value("neutral"), None);
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
