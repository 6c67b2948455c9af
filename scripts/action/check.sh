#!/usr/bin/env bash
# `prompt check` for the GitHub Action: annotations on the pull request's diff (`--format
# github`, on stdout where Actions reads them), and SARIF written to SARIF_FILE for code
# scanning (written even when the check fails). Exits with the check's status: 1 when a prompt
# has an error.
#
# Environment: PROMPT (default `prompt`), SARIF_FILE (default prompt-check.sarif; empty: no SARIF).
set -uo pipefail
prompt=${PROMPT:-prompt}
sarif=${SARIF_FILE-prompt-check.sarif}
"$prompt" check --format github
status=$?
if [ -n "$sarif" ]; then
    "$prompt" check --format sarif >"$sarif" || true
    echo "SARIF written to $sarif" >&2
fi
exit "$status"
