//! Media inputs (`image`, `audio`): a URL is passed as is; a local file is read and base64-encoded.
//! Provider formats turn either into that provider's image or audio part, never into text.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use super::RenderError;

/// The largest local media file read, in bytes (providers cap requests at about this size).
const MAX_MEDIA_BYTES: u64 = 20 * 1024 * 1024;

/// Image or audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Audio,
}

/// A media value ready for a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// The MIME type, e.g. `image/png`; guessed from the extension for URLs.
    pub mime: String,
    pub source: MediaSource,
}

/// Where the bytes are.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaSource {
    /// An `http(s)://`, `gs://`, `s3://` or `data:` URL.
    Url(String),
    /// A local file's bytes, base64-encoded.
    Inline { data: String, path: String },
}

impl Media {
    /// A short description for the text output.
    pub fn describe(&self) -> String {
        match &self.source {
            MediaSource::Url(u) if u.starts_with("data:") => format!("inline {}", self.mime),
            MediaSource::Url(u) => u.clone(),
            MediaSource::Inline { path, data } => {
                format!("{path}, {}, {} bytes", self.mime, data.len() / 4 * 3)
            }
        }
    }

    /// The format name (`png`, `wav`) from the MIME type.
    pub fn format(&self) -> &str {
        self.mime.rsplit('/').next().unwrap_or("")
    }

    /// The bytes as base64, when they are inline or a `data:` URL.
    pub fn base64(&self) -> Option<&str> {
        match &self.source {
            MediaSource::Inline { data, .. } => Some(data),
            MediaSource::Url(u) => u
                .strip_prefix("data:")
                .and_then(|r| r.split_once(";base64,"))
                .map(|(_, d)| d),
        }
    }
}

const IMAGE_TYPES: [(&str, &str); 5] = [
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
];
const AUDIO_TYPES: [(&str, &str); 6] = [
    ("wav", "audio/wav"),
    ("mp3", "audio/mp3"),
    ("flac", "audio/flac"),
    ("ogg", "audio/ogg"),
    ("m4a", "audio/mp4"),
    ("webm", "audio/webm"),
];

/// Loads the value of media input `name`.
pub fn load(name: &str, value: Option<&Value>, kind: Kind) -> Result<Media, RenderError> {
    let fail = |why: String| RenderError::Media {
        name: name.to_string(),
        why,
    };
    let Some(Value::String(source)) = value else {
        return Err(fail("no value: give a URL or a file path".into()));
    };
    let types: &[(&str, &str)] = match kind {
        Kind::Image => &IMAGE_TYPES,
        Kind::Audio => &AUDIO_TYPES,
    };
    if let Some(rest) = source.strip_prefix("data:") {
        let mime = rest.split([';', ',']).next().unwrap_or("").to_string();
        return Ok(Media {
            mime,
            source: MediaSource::Url(source.clone()),
        });
    }
    let ext = source
        .rsplit('/')
        .next()
        .unwrap_or("")
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = types
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, m)| m.to_string());
    let is_url = ["http://", "https://", "gs://", "s3://"]
        .iter()
        .any(|s| source.starts_with(s));
    if is_url {
        return Ok(Media {
            mime: mime.unwrap_or_else(|| match kind {
                Kind::Image => "image/jpeg".into(),
                Kind::Audio => "audio/mp3".into(),
            }),
            source: MediaSource::Url(source.clone()),
        });
    }
    let known: Vec<&str> = types.iter().map(|(e, _)| *e).collect();
    let mime = mime.ok_or_else(|| {
        fail(format!(
            "`{source}`: unknown file type; expected one of {}",
            known.join(", ")
        ))
    })?;
    let meta = std::fs::metadata(source).map_err(|e| fail(format!("`{source}`: {e}")))?;
    if meta.len() > MAX_MEDIA_BYTES {
        return Err(fail(format!(
            "`{source}` is larger than {MAX_MEDIA_BYTES} bytes"
        )));
    }
    let bytes = std::fs::read(source).map_err(|e| fail(format!("`{source}`: {e}")))?;
    Ok(Media {
        mime,
        source: MediaSource::Inline {
            data: STANDARD.encode(&bytes),
            path: source.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pass_through_and_files_are_inlined() {
        let url = Value::String("https://x.test/cat.PNG?size=2".into());
        let m = load("photo", Some(&url), Kind::Image).unwrap();
        assert_eq!(m.mime, "image/png");
        assert_eq!(
            m.source,
            MediaSource::Url("https://x.test/cat.PNG?size=2".into())
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        std::fs::write(&path, b"RIFF").unwrap();
        let value = Value::String(path.to_string_lossy().into_owned());
        let m = load("clip", Some(&value), Kind::Audio).unwrap();
        assert_eq!(m.base64(), Some("UklGRg=="));
        assert_eq!(m.format(), "wav");

        let err = load("clip", Some(&Value::String("x.txt".into())), Kind::Audio).unwrap_err();
        assert!(err.to_string().contains("unknown file type"), "{err}");
        assert!(load("clip", None, Kind::Audio).is_err());
    }
}
