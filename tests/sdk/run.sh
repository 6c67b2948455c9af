#!/usr/bin/env bash
# Sends every body `prompt render` and `prompt export` write through the providers' and registries'
# own Python clients, against a mock HTTP server on 127.0.0.1 (no network, no API keys).
# Run by hand: bash tests/sdk/run.sh. `cargo test` never runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PROMPT_SDK_VENV:-/tmp/prompt-sdk-venv}"
# pydantic validates the Phoenix client's TypedDicts only on Python 3.12 or later.
python="${PYTHON:-$(command -v python3.13 || command -v python3.12 || command -v python3)}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/pip" install -q -r "$here/requirements.txt"
(cd "$root" && cargo build -q)
exec "$venv/bin/python" "$here/check_sdks.py" --prompt "$root/target/debug/prompt" "$@"
