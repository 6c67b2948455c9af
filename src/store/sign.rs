//! Signing an environment tag as `git tag -s` signs one (`gpg.format` `openpgp`, `x509` or
//! `ssh`, `user.signingKey`, `gpg.<format>.program`, `gpg.ssh.defaultKeyCommand`): git has no
//! plumbing that signs a tag object without also moving its reference, and prompt moves the
//! reference itself, by compare-and-swap. The signature is what git's would be: a detached
//! signature of the tag object, appended to it. A signature that cannot be made refuses the
//! promotion, as git refuses the tag.

use std::process::{Command, Stdio};

use super::program::{run, GitConfig};
use super::Registry;
use crate::error::Error;

/// The signature to append to the tag object `payload`; `tagger` is the raw identity line.
pub(super) fn sign(
    reg: &Registry,
    config: &GitConfig,
    payload: &[u8],
    tagger: &str,
) -> Result<Vec<u8>, Error> {
    let format = config.get("gpg.format").unwrap_or("openpgp");
    let refuse = |why: String| {
        Error::Refused(format!(
            "tag.gpgSign is on and the environment tag could not be signed, so nothing was \
             changed (git refuses the same): {why}"
        ))
    };
    let signature = match format {
        "ssh" => sign_ssh(reg, config, payload).map_err(refuse)?,
        "openpgp" | "x509" => {
            let program = match format {
                "x509" => config.get("gpg.x509.program").unwrap_or("gpgsm"),
                _ => config
                    .get("gpg.openpgp.program")
                    .or_else(|| config.get("gpg.program"))
                    .unwrap_or("gpg"),
            };
            // Without a key, git signs as the committer: `Name <email>`.
            let who = tagger
                .rfind('>')
                .map_or(tagger, |end| &tagger[..=end])
                .to_string();
            let key = config.get("user.signingkey").map_or(who, str::to_string);
            let mut cmd = Command::new(program);
            cmd.args(["--status-fd=2", "-bsau", &key]);
            let ran = run(&mut cmd, Some(payload)).map_err(|e| refuse(e.to_string()))?;
            if !ran.ok || !format!("\n{}", ran.stderr).contains("\n[GNUPG:] SIG_CREATED ") {
                return Err(refuse(ran.stderr));
            }
            ran.stdout
        }
        other => return Err(refuse(format!("unknown gpg.format `{other}`"))),
    };
    // git drops carriage returns from a signature.
    Ok(signature.into_iter().filter(|b| *b != b'\r').collect())
}

/// `ssh-keygen -Y sign -n git -f KEY FILE`, as git runs it; the key a file, or a literal public
/// key (`key::…` or `ssh-…`) whose private half is in the agent.
fn sign_ssh(reg: &Registry, config: &GitConfig, payload: &[u8]) -> Result<Vec<u8>, String> {
    let program = config.get("gpg.ssh.program").unwrap_or("ssh-keygen");
    let key = match config.get("user.signingkey").filter(|k| !k.is_empty()) {
        Some(k) => k.to_string(),
        None => default_ssh_key(config)?,
    };
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let literal = key
        .strip_prefix("key::")
        .or_else(|| key.starts_with("ssh-").then_some(key.as_str()));
    let (key_file, agent) = match literal {
        Some(text) => {
            let file = scratch.path().join("key.pub");
            std::fs::write(&file, format!("{text}\n")).map_err(|e| e.to_string())?;
            (file, true)
        }
        None => (expand_home(&key), false),
    };
    let buffer = scratch.path().join("tag");
    std::fs::write(&buffer, payload).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(program);
    cmd.args(["-Y", "sign", "-n", "git", "-f"]).arg(&key_file);
    if agent {
        cmd.arg("-U");
    }
    cmd.arg(&buffer)
        .current_dir(reg.workdir().unwrap_or_else(|| reg.repo.path()))
        .stdin(Stdio::null());
    let ran = run(&mut cmd, None).map_err(|e| e.to_string())?;
    if !ran.ok {
        return Err(ran.stderr);
    }
    std::fs::read(buffer.with_extension("sig")).map_err(|e| e.to_string())
}

/// `gpg.ssh.defaultKeyCommand`'s first line, as git takes it when `user.signingKey` is unset.
fn default_ssh_key(config: &GitConfig) -> Result<String, String> {
    let Some(command) = config.get("gpg.ssh.defaultkeycommand") else {
        return Err(
            "either user.signingkey or gpg.ssh.defaultKeyCommand needs to be configured".into(),
        );
    };
    let out = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    match text.lines().next().map(str::trim) {
        Some(line) if out.status.success() && !line.is_empty() => Ok(line.to_string()),
        _ => Err(format!(
            "gpg.ssh.defaultKeyCommand gave no key: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// `~/…` as git expands a path in its configuration.
fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(path),
    }
}
