#!/usr/bin/env bash
# Installs `prompt` for the GitHub Action (action.yml): with PROMPT_VERSION set, that release
# through scripts/install.sh (its binary, SHA-256 checked); otherwise built from the action's own
# checkout at the action's ref with `cargo install --path … --locked`, its target folder kept in
# PROMPT_TARGET_DIR so that the action's cache makes a second run a no-op build.
#
# Environment: ACTION_PATH (the action's folder; default: this script's repository),
# PROMPT_VERSION (optional release tag), ACTION_REPOSITORY (OWNER/NAME, for a release),
# PROMPT_INSTALL_ROOT (default ~/.cargo), PROMPT_TARGET_DIR (default
# ~/.cache/prompt-action/target), GITHUB_PATH (the folder of `prompt` is added to it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action=${ACTION_PATH:-$(cd "$here/../.." && pwd)}
root=${PROMPT_INSTALL_ROOT:-$HOME/.cargo}
mkdir -p "$root/bin"
if [ -n "${PROMPT_VERSION:-}" ]; then
    : "${ACTION_REPOSITORY:?ACTION_REPOSITORY (OWNER/NAME) is needed to install a release}"
    sh "$action/scripts/install.sh" --repo "$ACTION_REPOSITORY" --version "$PROMPT_VERSION" \
        --to "$root/bin"
else
    export CARGO_TARGET_DIR=${PROMPT_TARGET_DIR:-$HOME/.cache/prompt-action/target}
    cargo install --quiet --locked --force --path "$action" --root "$root"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$root/bin" >>"$GITHUB_PATH"
fi
"$root/bin/prompt" --version
