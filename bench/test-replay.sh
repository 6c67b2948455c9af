#!/usr/bin/env bash
# Benchmark (issue 29): `prompt test --replay` of 1,000 tests across 200 prompts against
# `prompt render --batch` of the same 1,000 requests (one --batch process per prompt, 5 lines
# each, --format openai). Goal: replay <= 2x render (replay is rendering plus hashing and reading
# one recording per test).
#
#   PROMPT_BIN=target/release/prompt bench/test-replay.sh
#
# Environment: PROMPT_BIN (default target/release/prompt), PROMPTS (200), TESTS (5 per prompt),
# RUNS (timed runs of each, after one warm-up; 5), OUT (work folder; a fresh temporary one).
# The recordings are made once with `prompt test --record` against a mock Chat Completions server
# on 127.0.0.1 (python3, standard library), which is stopped before anything is timed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
crate=$(dirname "$here")
bin=${PROMPT_BIN:-$crate/target/release/prompt}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
prompts=${PROMPTS:-200}
tests=${TESTS:-5}
runs=${RUNS:-5}
out=${OUT:-$(mktemp -d)}

[ -x "$bin" ] || { echo "no binary at $bin (set PROMPT_BIN)" >&2; exit 2; }
export HOME="$out/home" GIT_CONFIG_NOSYSTEM=1 LANG=C TZ=UTC
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
unset CI OPENAI_API_KEY OPENAI_BASE_URL
mkdir -p "$HOME"
repo="$out/repo"
rm -rf "$repo" && mkdir -p "$repo" && cd "$repo"
git init -q -b main
"$bin" init -q

# 200 prompts, each with 5 tests that call the model and one output check each; the batch file of
# each prompt holds the same 5 sets of values.
python3 - "$prompts" "$tests" <<'PY'
import json, os, sys
prompts, tests = int(sys.argv[1]), int(sys.argv[2])
os.makedirs("batch", exist_ok=True)
for p in range(prompts):
    folder = f"prompts/team{p % 10}"
    os.makedirs(folder, exist_ok=True)
    lines = [
        "format: 1",
        "model:",
        "  provider: openai",
        "  name: gpt-4o-mini",
        "  params:",
        "    temperature: 0",
        "inputs:",
        "  ticket:",
        "    type: string",
        "  tone:",
        "    type: string",
        "    default: calm",
        "messages:",
        "  - role: system",
        "    content: |",
        f"      You are agent {p}. Route the ticket in a {{{{tone}}}} tone.",
        "      Answer with one word: billing, shipping or sales.",
        "  - role: user",
        '    content: "{{ticket}}"',
        "tests:",
    ]
    with open(f"batch/{p}.jsonl", "w") as batch:
        for t in range(tests):
            ticket = f"Ticket {t} of prompt {p}: please refund order A-{p * 100 + t}."
            lines += [
                f"  - name: case {t}",
                "    vars:",
                f"      ticket: {json.dumps(ticket)}",
                "    rendered:",
                "      - contains: refund",
                "    output:",
                "      - contains: billing",
            ]
            batch.write(json.dumps({"ticket": ticket}) + "\n")
    with open(f"{folder}/p{p}.prompt.yaml", "w") as f:
        f.write("\n".join(lines) + "\n")
PY
git add -A && git commit -qm "bench prompts"

# Record once against a mock server on 127.0.0.1.
python3 - "$out/port" <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps({"id": "x", "object": "chat.completion", "created": 1, "model": "mock",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "billing"}}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.05; done
"$bin" test -q --record --jobs 8 --base-url "http://127.0.0.1:$(cat "$out/port")" > /dev/null
kill $mock; wait $mock 2>/dev/null || true
recorded=$(find prompts/.recordings -name '*.json' | wc -l)
echo "registry: $prompts prompts, $((prompts * tests)) tests, $recorded recordings"

replay() { "$bin" test -q --replay > /dev/null; }
render() {
    for p in $(seq 0 $((prompts - 1))); do
        "$bin" render "team$((p % 10))/p$p" --batch "batch/$p.jsonl" --format openai > /dev/null
    done
}
replay || { echo "replay failed" >&2; exit 1; }
render
time_ms() { # command -> median ms of $runs runs
    local samples=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N); "$@"; end=$(date +%s%N)
        samples+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
r=$(time_ms replay)
b=$(time_ms render)
echo "prompt test --replay (1 process, $((prompts * tests)) tests):   ${r} ms (median of $runs)"
echo "render --batch ($prompts processes, $((prompts * tests)) requests): ${b} ms (median of $runs)"
awk -v r="$r" -v b="$b" 'BEGIN { printf "ratio replay/render: %.2fx (goal <= 2x)\n", r / b }'
