//! The bundle digest: SHA-256 over a canonical JSON form that another language can rebuild.
//!
//! Canonical JSON here: no whitespace; object keys sorted by their UTF-8 bytes; strings escaped
//! as `serde_json` escapes them (`"` and `\` with a backslash, `\b \f \n \r \t` by name, other
//! control characters as `\u00XX` in lower-case hex, everything else as UTF-8); numbers written as
//! `serde_json` writes them (integers in decimal, floats in their shortest round-trip form);
//! `true`, `false`, `null`. The digest of a bundle is that of its JSON without the `digest` and
//! `generated_from` fields.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::Error;

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `value` as canonical JSON (see the module documentation).
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        // Scalars: serde_json's own writing is the definition.
        other => out.push_str(&other.to_string()),
    }
}

/// The digest of a bundle given as JSON: its canonical form without `digest` and
/// `generated_from`, hashed.
pub fn of_value(bundle: &Value) -> String {
    let mut content = bundle.clone();
    if let Value::Object(map) = &mut content {
        map.shift_remove("digest");
        map.shift_remove("generated_from");
    }
    sha256_hex(canonical(&content).as_bytes())
}

/// The digest of a bundle being written.
pub fn of_bundle(bundle: &super::Bundle) -> Result<String, Error> {
    let value = serde_json::to_value(bundle)
        .map_err(|e| Error::Refused(format!("the bundle cannot be written as JSON: {e}")))?;
    Ok(of_value(&value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn canonical_sorts_keys_and_drops_whitespace() {
        let a = json!({"b": [1, 2.5, "x\n\u{1}é"], "a": {"z": null, "y": true}});
        assert_eq!(
            canonical(&a),
            r#"{"a":{"y":true,"z":null},"b":[1,2.5,"x\n\u0001é"]}"#
        );
    }

    #[test]
    fn the_digest_ignores_key_order_time_and_origin() {
        let one = json!({"format": 1, "environment": "p", "generated_from": "aaa", "digest": "x",
            "prompts": {"a": {"id": "a", "sha256": "00"}}});
        let two = json!({"prompts": {"a": {"sha256": "00", "id": "a"}}, "generated_from": "bbb",
            "environment": "p", "format": 1});
        assert_eq!(of_value(&one), of_value(&two));
        let three =
            json!({"format": 1, "environment": "q", "prompts": {"a": {"id": "a", "sha256": "00"}}});
        assert_ne!(of_value(&one), of_value(&three));
    }
}
