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
if [ ! -x "$oracle/venv1/bin/python" ]; then
  python3 -m venv "$oracle/venv1"
  "$oracle/venv1/bin/pip" install -q "prompty<1" typing_extensions
fi
"$oracle/venv1/bin/python" "$here/prompty_oracle.py" "$root/tests/fixtures/interchange/prompty"
# Exports to validate against Langfuse's create-request models: every Langfuse fixture and the
# other formats' fixtures, imported into a scratch registry and exported again.
(cd "$root" && cargo build -q)
bin="$root/target/debug/prompt"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git -C "$scratch" init -q
"$bin" --repo "$scratch" init -q >/dev/null
for f in "$root"/tests/fixtures/interchange/langfuse/support-summarize-versions.json \
         "$root"/tests/fixtures/interchange/langfuse/welcome-text.json; do
  "$bin" --repo "$scratch" import "$f" --from langfuse --force -q >/dev/null
done
# dotprompt exports, rendered by the dotprompt package: each source prompt of dotprompt-export/src
# is exported beside it, and the oracle renders those exported files.
export_dir="$root/tests/fixtures/interchange/dotprompt-export"
mkdir -p "$scratch/prompts"
for src in "$export_dir"/src/*.prompt.yaml; do
  id="$(basename "$src" .prompt.yaml)"
  cp "$src" "$scratch/prompts/"
  "$bin" --repo "$scratch" export "$id" --to dotprompt -q > "$export_dir/$id.prompt"
  rm "$scratch/prompts/$id.prompt.yaml"
done
node "$oracle/node/dotprompt_oracle.mjs" "$export_dir"
"$bin" --repo "$scratch" import "$root/tests/fixtures/interchange/dotprompt" --from dotprompt -q >/dev/null
"$bin" --repo "$scratch" import "$root/tests/fixtures/interchange/prompty" --from prompty -q >/dev/null
exported=()
for id in $("$bin" --repo "$scratch" list --json | python3 -c 'import json,sys; print(" ".join(p["id"] for p in json.load(sys.stdin)))'); do
  out="$scratch/$(echo "$id" | tr / _).langfuse.json"
  "$bin" --repo "$scratch" export "$id" --to langfuse -q > "$out" 2>/dev/null
  exported+=("$out")
done
"$oracle/venv/bin/python" "$here/langfuse_oracle.py" "$root/tests/fixtures/interchange/langfuse" "${exported[@]}"
echo "oracles: done"
