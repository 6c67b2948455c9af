#!/usr/bin/env bash
# `prompt test --replay` for the GitHub Action: the prompts' own tests (contract §14), replayed
# from the recordings in the repository (no network call). Skipped, with a line saying why, when
# no prompt file has `tests:` or when this `prompt` has no `test` command.
#
# Environment: PROMPT (default `prompt`). Run in the registry's working directory.
set -euo pipefail
prompt=${PROMPT:-prompt}
if ! "$prompt" test --help >/dev/null 2>&1; then
    echo "prompt test: skipped (this version of prompt has no \`test\` command)"
    exit 0
fi
if ! grep -rlqE --include='*.prompt.yaml' --exclude-dir=.git '^tests:' .; then
    echo "prompt test: skipped (no prompt file has \`tests:\`)"
    exit 0
fi
exec "$prompt" test --replay
