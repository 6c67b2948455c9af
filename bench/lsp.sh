#!/usr/bin/env bash
# Benchmark: `prompt lsp` in a registry of 2,000 prompts (issue 31). Prints
#   startup_to_initialize_ms            from starting the process to the `initialize` result
#   didchange_to_diagnostics_median_ms  from `didChange` to the `publishDiagnostics` of that
#   didchange_to_diagnostics_p99_ms     version, over CHANGES edits of a prompt that includes a
#   didchange_to_diagnostics_max_ms     partial, one edit every 60 ms (typing speed)
#   references_of_partial_ms            references of the included partial (reads every prompt)
#   peak_rss_mib                        the server's peak resident memory (VmHWM)
# Goals: median <= 50 ms, p99 <= 150 ms, start-up <= 100 ms (release build).
#
#   PROMPT_BIN=target/release/prompt bench/lsp.sh
#   PROMPTS=2000 CHANGES=300 OUT=/tmp/prompt-lsp-bench bench/lsp.sh
#
# Needs python3 (bench/lsp_driver.py speaks LSP over the server's stdio) and git.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
crate=$(dirname "$here")
prompt_bin=${PROMPT_BIN:-$crate/target/release/prompt}
prompts=${PROMPTS:-2000}
changes=${CHANGES:-300}
out=${OUT:-${TMPDIR:-/tmp}/prompt-lsp-bench}

case $prompts in ''|*[!0-9]*|0) echo "lsp.sh: PROMPTS must be a positive integer" >&2; exit 2 ;; esac
case $changes in ''|*[!0-9]*|0) echo "lsp.sh: CHANGES must be a positive integer" >&2; exit 2 ;; esac
[ -x "$prompt_bin" ] || { echo "lsp.sh: no binary at $prompt_bin (set PROMPT_BIN)" >&2; exit 2; }
prompt_bin=$(cd "$(dirname "$prompt_bin")" && pwd)/$(basename "$prompt_bin")

repo=$out/registry-$prompts
if [ ! -f "$repo/.done" ]; then
    rm -rf "$repo"
    mkdir -p "$repo"
    git -C "$repo" init -q -b main
    (cd "$repo" && "$prompt_bin" init >/dev/null 2>&1)
    python3 - "$repo/prompts" "$prompts" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(root, "shared"), exist_ok=True)
with open(os.path.join(root, "shared", "header.prompt.yaml"), "w") as f:
    f.write("format: 1\ninputs:\n  team:\n    type: string\ntemplate: |\n  Team {{team}}.\n")
for i in range(n - 1):
    folder = os.path.join(root, f"area{i % 20:02d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"p{i:05d}.prompt.yaml"), "w") as f:
        f.write(
            "format: 1\n"
            f"description: Generated prompt {i}.\n"
            "model:\n  provider: openai\n  name: gpt-4o-mini\n  params:\n    temperature: 0.2\n"
            "inputs:\n  ticket:\n    type: string\n    description: The ticket.\n"
            "  team:\n    type: string\n  tone:\n    type: string\n    default: warm\n"
            "    enum: [warm, neutral]\n"
            "messages:\n  - role: system\n    content: |\n      You answer in a {{tone}} tone.\n"
            "  - role: user\n    content: |\n      {{> shared/header}}\n      {{ticket}}\n"
        )
PY
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm "generated"
    touch "$repo/.done"
fi

echo "binary: $prompt_bin"
echo "prompts: $prompts"
python3 "$here/lsp_driver.py" "$prompt_bin" "$repo" prompts/area00/p00000.prompt.yaml "$changes"
