#!/bin/bash
# Benchmark of `prompt serve` (issue 28, contract §13): renders per second and p50/p99 latency of
# POST /v1/render over loopback keep-alive, at 1 and 64 connections, for a text prompt and an
# OpenAI body; against one `prompt render` process per request (what scripts do today) and
# against nginx answering a static file of the same size (the floor); and the server's peak RSS
# (VmHWM) after 10,000 and 1,000,000 requests.
#
# Usage: PROMPT_BIN=target/release/prompt bench/serve.sh
#   DURATION=10      seconds per wrk run
#   PROCESSES=200    `prompt render` processes for the per-process figure
#   BIG=1000000      requests before the second memory reading
#   PROMPTS=200      prompts in the generated registry (all promoted to production)
# Needs: git, wrk, nginx (Debian: apt-get install wrk nginx-light), python3. Prints its figures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
P=${PROMPT_BIN:-$here/../target/release/prompt}
P=$(cd "$(dirname "$P")" && pwd)/$(basename "$P")
DURATION=${DURATION:-10}
PROCESSES=${PROCESSES:-200}
BIG=${BIG:-1000000}
PROMPTS=${PROMPTS:-200}
for tool in git wrk nginx python3; do
    command -v "$tool" >/dev/null || { echo "bench/serve.sh needs $tool (apt-get install wrk nginx-light)" >&2; exit 1; }
done
WORK=$(mktemp -d)
SERVER=""
NGINX=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    [ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export HOME=$WORK/home GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
    GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"

# The registry: PROMPTS text prompts, a text prompt with a partial, and an OpenAI chat prompt.
repo=$WORK/repo
git init -q -b main "$repo"
cd "$repo"
"$P" init -q .
mkdir -p prompts/shared prompts/many prompts/support
printf 'format: 1\ninputs:\n  team:\n    type: string\ntemplate: "-- the {{team}} team"\n' > prompts/shared/footer.prompt.yaml
cat > prompts/support/reply.prompt.yaml <<'YAML'
format: 1
inputs:
  name:
    type: string
  ticket:
    type: string
  team:
    type: string
template: |
  Hello {{name}},

  Thank you for writing to us about: {{ticket}}
  We are looking into it and will answer within one working day.

  {{> shared/footer}}
YAML
cat > prompts/support/triage.prompt.yaml <<'YAML'
format: 1
model:
  provider: openai
  name: gpt-4o-mini
  params: {temperature: 0.2, max_tokens: 400}
inputs:
  ticket:
    type: string
  tone:
    type: string
    default: neutral
    enum: [neutral, warm]
messages:
  - role: system
    content: |
      You triage support tickets in a {{tone}} tone. Answer with the queue name only.
  - role: user
    content: |
      {{ticket}}
YAML
for i in $(seq 1 "$PROMPTS"); do
    printf 'format: 1\ninputs:\n  name:\n    type: string\ntemplate: |\n  Prompt %s for {{name}}\n' "$i" > prompts/many/p$i.prompt.yaml
done
"$P" commit -q -m "bench prompts" >/dev/null
for id in support/reply support/triage shared/footer; do "$P" promote -q "$id" production --yes >/dev/null; done
for i in $(seq 1 "$PROMPTS"); do "$P" promote -q "many/p$i" production --yes >/dev/null; done

text_body='{"vars": {"name": "Ann", "ticket": "My parcel never arrived and the tracking page shows nothing.", "team": "support"}}'
openai_body='{"vars": {"ticket": "My parcel never arrived and the tracking page shows nothing.", "tone": "warm"}, "format": "openai"}'

# The server.
"$P" serve --bind 127.0.0.1:0 > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER=$!
for _ in $(seq 1 200); do grep -qs '^listening on' "$WORK/serve.out" && break; sleep 0.05; done
url=$(head -1 "$WORK/serve.out" | sed 's/^listening on //')
[ -n "$url" ] || { cat "$WORK/serve.err"; exit 1; }

post_lua() {  # $1: body file; $2: per-thread request limit (0: none)
    cat <<LUA
local f = io.open("$1", "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "application/json"
local limit = $2
local n = 0
request = function()
  n = n + 1
  if limit > 0 and n > limit then wrk.thread:stop() end
  return wrk.format()
end
LUA
}
printf '%s' "$text_body" > "$WORK/text.json"
printf '%s' "$openai_body" > "$WORK/openai.json"
post_lua "$WORK/text.json" 0 > "$WORK/text.lua"
post_lua "$WORK/openai.json" 0 > "$WORK/openai.lua"

# One wrk run: prints "renders/s p50 p99".
measure() {  # $1 url, $2 connections, $3 lua or ""
    local threads=1 out
    [ "$2" -gt 1 ] && threads=2
    if [ -n "$3" ]; then
        out=$(wrk -t"$threads" -c"$2" -d"${DURATION}s" --latency -s "$3" "$1")
    else
        out=$(wrk -t"$threads" -c"$2" -d"${DURATION}s" --latency "$1")
    fi
    local rps p50 p99 errs
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errs=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
    echo "$rps $p50 $p99 $errs"
}

# Check the bodies render before timing them.
curl_check() { python3 - "$1" "$2" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=open(sys.argv[2], 'rb').read(), method='POST')
with urllib.request.urlopen(req) as r:
    body = r.read()
    print(len(body))
PY
}
text_size=$(curl_check "$url/v1/render/support/reply@production" "$WORK/text.json")
openai_size=$(curl_check "$url/v1/render/support/triage@production" "$WORK/openai.json")

# The floor: nginx answering static files of the same sizes.
static=$WORK/static
mkdir -p "$static"
head -c "$text_size" /dev/zero | tr '\0' 'x' > "$static/text"
head -c "$openai_size" /dev/zero | tr '\0' 'x' > "$static/openai"
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/nginx.conf" <<NGX
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  server { listen 127.0.0.1:$nport; root $static; keepalive_requests 1000000; }
}
NGX
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX=$!
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$nport))" 2>/dev/null && break; sleep 0.05; done

echo "prompt serve benchmark: $(nproc) cores, wrk ${DURATION}s per run, binary $P"
echo "render sizes: text $text_size bytes, openai $openai_size bytes"
printf '%-44s %12s %10s %10s\n' "case" "renders/s" "p50" "p99"
for conns in 1 64; do
    read -r rps p50 p99 rest < <(measure "$url/v1/render/support/reply@production" "$conns" "$WORK/text.lua")
    printf '%-44s %12s %10s %10s %s\n' "serve text, $conns conn" "$rps" "$p50" "$p99" "$rest"
    read -r rps p50 p99 rest < <(measure "$url/v1/render/support/triage@production" "$conns" "$WORK/openai.lua")
    printf '%-44s %12s %10s %10s %s\n' "serve openai, $conns conn" "$rps" "$p50" "$p99" "$rest"
    read -r rps p50 p99 rest < <(measure "http://127.0.0.1:$nport/text" "$conns" "")
    printf '%-44s %12s %10s %10s %s\n' "nginx static ($text_size B), $conns conn" "$rps" "$p50" "$p99" "$rest"
    read -r rps p50 p99 rest < <(measure "http://127.0.0.1:$nport/openai" "$conns" "")
    printf '%-44s %12s %10s %10s %s\n' "nginx static ($openai_size B), $conns conn" "$rps" "$p50" "$p99" "$rest"
done

# One `prompt render` process per request.
start=$(date +%s.%N)
for _ in $(seq 1 "$PROCESSES"); do
    "$P" render support/reply@production --var name=Ann --var ticket=x --var team=support >/dev/null
done
end=$(date +%s.%N)
python3 -c "print('%-44s %12.1f' % ('prompt render, one process per request', $PROCESSES / ($end - $start)))"

# Memory: peak RSS of a fresh server after 10,000 requests, then after BIG more.
hwm() { awk '/VmHWM/ {print $2, $3}' "/proc/$SERVER/status"; }
fresh_server() {
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true  # SIGTERM: drains, exits 0
    "$P" serve --bind 127.0.0.1:0 > "$WORK/serve.out" 2>> "$WORK/serve.err" &
    SERVER=$!
    for _ in $(seq 1 200); do grep -qs '^listening on' "$WORK/serve.out" && break; sleep 0.05; done
    url=$(head -1 "$WORK/serve.out" | sed 's/^listening on //')
}
# Runs wrk in steps of $2 seconds until at least $1 requests were answered; prints the count.
drive() {
    local total=0 n
    while [ "$total" -lt "$1" ]; do
        n=$(wrk -t2 -c64 -d"$2s" -s "$WORK/text.lua" "$url/v1/render/support/reply@production" \
            | awk '/requests in/ {print $1}')
        total=$((total + n))
    done
    echo "$total"
}
fresh_server
echo "serve peak RSS at start: $(hwm)"
n=$(drive 10000 1)
echo "serve peak RSS after $n requests: $(hwm)"
n=$((n + $(drive "$BIG" 10)))
echo "serve peak RSS after $n requests: $(hwm)"
