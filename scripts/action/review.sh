#!/usr/bin/env bash
# `prompt review` for the GitHub Action: the pull request's report, from the merge base of the
# base branch and HEAD (so that commits the base branch got since do not show as reverted), as
# markdown in REVIEW_FILE. A base that the checkout does not have is fetched from origin first.
#
# Environment: PROMPT (default `prompt`), BASE_REF (default origin/$GITHUB_BASE_REF),
# REVIEW_FILE (default prompt-review.md). Run in the registry's working directory.
set -euo pipefail
prompt=${PROMPT:-prompt}
base=${BASE_REF:-}
if [ -z "$base" ]; then
    if [ -z "${GITHUB_BASE_REF:-}" ]; then
        echo "prompt review: skipped (not a pull request, and no base-ref given)"
        exit 0
    fi
    base=origin/$GITHUB_BASE_REF
fi
out=${REVIEW_FILE:-prompt-review.md}
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    case $base in
    origin/*)
        branch=${base#origin/}
        git fetch --quiet --no-tags origin "+refs/heads/$branch:refs/remotes/origin/$branch" || true
        ;;
    esac
fi
"$prompt" review "$base...HEAD" --format markdown >"$out"
echo "review of $base...HEAD written to $out ($(wc -c <"$out") bytes)"
