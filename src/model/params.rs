//! Names of model parameters and what model families take: the spellings one parameter goes
//! by across providers and registries, and OpenAI's reasoning models (which name the output cap
//! differently and refuse the sampling parameters). Shared by `render` (provider bodies),
//! `check` (provider rules) and `interchange` (exports), so each says the same.

/// Spellings of one parameter across providers and registries, mapped to the name the tables
/// of provider parameters use (`max_tokens` for `maxOutputTokens`, `stop` for `stop_sequences`, …), so a prompt
/// imported from one service renders for every provider.
const EQUIVALENTS: &[(&str, &str)] = &[
    ("maxTokens", "max_tokens"),
    ("max_output_tokens", "max_tokens"),
    ("maxOutputTokens", "max_tokens"),
    ("stop_sequences", "stop"),
    ("stopSequences", "stop"),
    ("topP", "top_p"),
    ("topK", "top_k"),
    ("presencePenalty", "presence_penalty"),
    ("frequencyPenalty", "frequency_penalty"),
    ("candidate_count", "n"),
    ("candidateCount", "n"),
    ("thinkingConfig", "thinking_config"),
    ("responseLogprobs", "response_logprobs"),
    ("reasoningEffort", "reasoning_effort"),
    ("responseMimeType", "response_mime_type"),
    ("responseModalities", "response_modalities"),
    ("mediaResolution", "media_resolution"),
    ("speechConfig", "speech_config"),
    ("safetySettings", "safety_settings"),
    ("cachedContent", "cached_content"),
];

/// The name `key` goes by in the provider tables (`maxOutputTokens` → `max_tokens`, …). Also
/// used by the registry exports, which rename parameters the same way.
pub fn canonical(key: &str) -> &str {
    EQUIVALENTS
        .iter()
        .find(|(alias, _)| *alias == key)
        .map_or(key, |(_, ours)| ours)
}

/// Whether `model` is one of OpenAI's reasoning models (the o-series and gpt-5, not its chat
/// variant), which take `max_completion_tokens` and refuse the sampling parameters. A provider
/// prefix (`openai/o3`) is ignored; other names (an Azure deployment) are not recognised.
pub fn is_reasoning_model(model: &str) -> bool {
    let name = model
        .rsplit('/')
        .next()
        .unwrap_or(model)
        .to_ascii_lowercase();
    let o_series = ["o1", "o3", "o4"].iter().any(|family| {
        name.strip_prefix(family)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
    });
    let gpt5 = name.strip_prefix("gpt-5").is_some_and(|rest| {
        !rest.starts_with(|c: char| c.is_ascii_digit()) && !rest.contains("-chat")
    });
    o_series || gpt5
}

/// The name of the output cap for `model` when the prompt calls it `max_tokens` (or another
/// provider's name): `max_completion_tokens` for reasoning models (which refuse `max_tokens`),
/// `max_tokens` for the others (OpenAI-compatible servers may know only that one).
pub fn cap_name(model: &str) -> &'static str {
    if is_reasoning_model(model) {
        "max_completion_tokens"
    } else {
        "max_tokens"
    }
}

/// Parameters reasoning models refuse (the API answers 400 for any value but the default).
pub const REFUSED_BY_REASONING_MODELS: &[&str] = &[
    "temperature",
    "top_p",
    "presence_penalty",
    "frequency_penalty",
    "logprobs",
    "top_logprobs",
    "logit_bias",
];
