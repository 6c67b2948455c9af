//! Token counts of rendered prompts, for `prompt review` (contract §15).
//!
//! What is counted: the text of each rendered message (its `content`, text parts joined; image
//! and audio parts are not counted), or a text prompt's whole text. The chat framing a provider
//! adds around each message (OpenAI's cookbook counts 3 tokens per message and 3 for the reply's
//! priming) is **not** counted: the figures say what the prompt's own words cost, and compare the
//! same way across providers.
//!
//! Exact counts for OpenAI models, with the encoding OpenAI publishes for the family:
//! `o200k_base` for gpt-4o, chatgpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3 and o4; `cl100k_base`
//! for gpt-4, gpt-3.5-turbo and the text-embedding-3 / ada-002 models. Both encodings ship inside
//! the `tiktoken-rs` crate (nothing is downloaded); each is built once, on first use, and kept
//! for the process. Any other provider or model gets the `o200k_base` count labelled
//! `estimated`: other vendors' tokenizers are not published as data a program can ship, and a
//! count from a modern BPE is closer than bytes / 4.
//!
//! Pure: text in, numbers out; imports nothing else from the crate.

use serde::Serialize;

/// An encoding whose data ships with the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    O200kBase,
    Cl100kBase,
}

impl Encoding {
    /// Its name as OpenAI writes it: `o200k_base`, `cl100k_base`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    /// The number of tokens in `text` (special-token text such as `<|endoftext|>` counts as
    /// ordinary text, as it is in a prompt).
    pub fn count(self, text: &str) -> usize {
        if text.is_empty() {
            return 0;
        }
        let bpe = match self {
            Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        };
        bpe.encode_ordinary(text).len()
    }
}

/// Builds the `o200k_base` encoder on another thread (a few hundred milliseconds of work), so
/// that it is ready, or nearly, when the first count asks for it; counting waits for it anyway.
pub fn warm_up() {
    std::thread::spawn(|| Encoding::O200kBase.count("warm"));
}

/// How one prompt's tokens are counted: which encoding, and whether the count is exact for its
/// model or an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counter {
    pub encoding: Encoding,
    /// True for an OpenAI model whose encoding is known; false for an estimate.
    pub exact: bool,
}

impl Counter {
    /// The counter for a prompt's `model.provider` and `model.name` (either may be missing).
    pub fn for_model(provider: Option<&str>, model: Option<&str>) -> Counter {
        let estimate = Counter {
            encoding: Encoding::O200kBase,
            exact: false,
        };
        let openai = provider.is_none_or(|p| {
            matches!(
                p.to_ascii_lowercase().as_str(),
                "openai" | "azure_openai" | "azure"
            )
        });
        let Some(model) = model.filter(|_| openai) else {
            return estimate;
        };
        match openai_encoding(model) {
            Some(encoding) => Counter {
                encoding,
                exact: true,
            },
            None => estimate,
        }
    }

    pub fn count(&self, text: &str) -> usize {
        self.encoding.count(text)
    }

    /// `exact, o200k_base` or `estimated (o200k_base)`.
    pub fn label(&self) -> String {
        match self.exact {
            true => format!("exact, {}", self.encoding.as_str()),
            false => format!("estimated ({})", self.encoding.as_str()),
        }
    }
}

/// The encoding OpenAI publishes for a model name (`gpt-4o-mini`, `openai/gpt-4.1`,
/// `gpt-4o-2024-08-06`), or `None` for a name it does not cover.
pub fn openai_encoding(model: &str) -> Option<Encoding> {
    let name = model.trim().to_ascii_lowercase();
    let name = name.rsplit('/').next().unwrap_or_default();
    // A family name is the whole name or followed by `-` or `.` (`gpt-4o-mini`, `gpt-5.1`), so
    // that `o1` does not take `o100-custom`.
    let family = |prefix: &str| {
        name == prefix
            || name
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('.'))
    };
    const O200K: &[&str] = &[
        "gpt-4o",
        "chatgpt-4o",
        "gpt-4.1",
        "gpt-4.5",
        "gpt-5",
        "o1",
        "o3",
        "o4",
        "o4-mini",
    ];
    const CL100K: &[&str] = &[
        "gpt-4",
        "gpt-3.5-turbo",
        "gpt-35-turbo",
        "text-embedding-3-small",
        "text-embedding-3-large",
        "text-embedding-ada-002",
    ];
    if O200K.iter().any(|p| family(p)) || name.starts_with("gpt-5") {
        return Some(Encoding::O200kBase);
    }
    if CL100K.iter().any(|p| family(p)) {
        return Some(Encoding::Cl100kBase);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_strings_have_their_published_counts() {
        for e in [Encoding::O200kBase, Encoding::Cl100kBase] {
            assert_eq!(e.count("hello world"), 2, "{e:?}");
            assert_eq!(e.count(""), 0);
        }
        // The count OpenAI's cookbook prints for this string ("How to count tokens with
        // tiktoken").
        assert_eq!(
            Encoding::Cl100kBase.count("tiktoken is great!"),
            6,
            "cl100k_base"
        );
        // Special-token text is ordinary text in a prompt, never an error.
        assert!(Encoding::O200kBase.count("<|endoftext|>") > 1);
    }

    #[test]
    fn families_map_to_their_encodings() {
        for m in [
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4o-2024-08-06",
            "chatgpt-4o-latest",
            "gpt-4.1",
            "gpt-4.1-nano",
            "gpt-4.5-preview",
            "gpt-5",
            "gpt-5-mini",
            "gpt-5.1",
            "o1",
            "o1-mini",
            "o3",
            "o3-mini",
            "o4-mini",
            "openai/gpt-4o",
            "GPT-4O",
        ] {
            assert_eq!(openai_encoding(m), Some(Encoding::O200kBase), "{m}");
        }
        for m in [
            "gpt-4",
            "gpt-4-turbo",
            "gpt-4-0613",
            "gpt-3.5-turbo",
            "gpt-3.5-turbo-0125",
            "gpt-35-turbo",
            "text-embedding-3-small",
            "text-embedding-ada-002",
        ] {
            assert_eq!(openai_encoding(m), Some(Encoding::Cl100kBase), "{m}");
        }
        for m in [
            "claude-3-5-sonnet",
            "o100",
            "llama3",
            "gemini-2.0-flash",
            "",
        ] {
            assert_eq!(openai_encoding(m), None, "{m}");
        }
    }

    #[test]
    fn other_providers_are_estimates() {
        let c = Counter::for_model(Some("openai"), Some("gpt-4o"));
        assert!(c.exact);
        assert_eq!(c.label(), "exact, o200k_base");
        let c = Counter::for_model(Some("anthropic"), Some("gpt-4o"));
        assert!(!c.exact);
        assert_eq!(c.label(), "estimated (o200k_base)");
        assert!(!Counter::for_model(Some("openai"), None).exact);
        assert!(!Counter::for_model(None, None).exact);
        assert_eq!(
            Counter::for_model(Some("azure_openai"), Some("gpt-35-turbo")).encoding,
            Encoding::Cl100kBase
        );
    }
}
