#!/usr/bin/env bash
# Regenerates the interchange oracle outputs (see README.md). Needs node/npm and python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
oracle="${ORACLE_DIR:-/tmp/prompt-interchange-oracle}"
mkdir -p "$oracle/node"
if [ ! -d "$oracle/node/node_modules/dotprompt" ]; then
  (cd "$oracle/node" && npm init -y >/dev/null && npm install --silent dotprompt@1)
fi
if [ ! -x "$oracle/venv/bin/python" ]; then
  python3 -m venv "$oracle/venv"
  "$oracle/venv/bin/pip" install -q "prompty[mustache,jinja2]==2.*" "langfuse>=3"
fi
cp "$here/dotprompt_oracle.mjs" "$oracle/node/"
node "$oracle/node/dotprompt_oracle.mjs" "$root/tests/fixtures/interchange/dotprompt"
"$oracle/venv/bin/python" "$here/prompty_oracle.py" "$root/tests/fixtures/interchange/prompty"
"$oracle/venv/bin/python" "$here/langfuse_oracle.py" "$root/tests/fixtures/interchange/langfuse"
echo "oracles: done"
