#!/usr/bin/env bash
# Benchmark of `prompt review` (issue 30): a registry of 300 chat prompts, each with two samples
# and a shared partial, on `main` (one commit, promoted environments for a tenth of them) and a
# branch that changes every prompt (a reworded system message, a changed model for every third
# one, a new sample for every fifth one) and the partial (so every prompt also changes through
# it). Times `prompt review main..feature` in markdown and in JSON, RUNS times each after one
# warm-up run, and prints the median and the slowest run.
#
#   bench/review.sh                                   # target/release/prompt, 5 runs
#   PROMPT_BIN=target/debug/prompt RUNS=3 bench/review.sh
#
# Environment: PROMPT_BIN (default target/release/prompt), PROMPTS (default 300), RUNS (5),
# OUT (where the repository is made; default a temporary folder, removed at the end).
# Goal (issue 30): under 2 s on 2 cores with a release build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prompt=${PROMPT_BIN:-$here/../target/release/prompt}
prompt=$(cd "$(dirname "$prompt")" && pwd)/$(basename "$prompt")
n=${PROMPTS:-300}
runs=${RUNS:-5}
work=${OUT:-$(mktemp -d)}
[ -n "${OUT:-}" ] || trap 'rm -rf "$work"' EXIT
[ -x "$prompt" ] || { echo "review.sh: no binary at $prompt (cargo build --release, or set PROMPT_BIN)" >&2; exit 2; }

export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home CI=true
mkdir -p "$HOME"
repo=$work/repo
rm -rf "$repo"
git init -q -b main "$repo"
cd "$repo"
"$prompt" init -q
mkdir -p prompts/shared prompts/many

write_prompt() { # id system model extra-sample
    cat >"prompts/many/$1.prompt.yaml" <<YAML
format: 1
model:
  provider: openai
  name: $3
  params:
    temperature: 0.2
inputs:
  ticket:
    type: string
  tone:
    type: string
    default: neutral
messages:
  - role: system
    content: |
      $2
      Answer in a {{tone}} tone, in at most five sentences.
  - role: user
    content: |
      {{> shared/header}}
      {{ticket}}
samples:
  refund:
    ticket: I was charged twice for order 1234 and want one payment back.
  late:
    ticket: My parcel is two weeks late and nobody answers my emails.
    tone: warm
$4
YAML
}

printf 'format: 1\ntemplate: |\n  Support desk. A customer wrote the ticket below.\n' \
    >prompts/shared/header.prompt.yaml
for i in $(seq -w 1 "$n"); do
    write_prompt "p$i" "You are the support assistant number $i. Read the ticket carefully." gpt-4o ""
done
git add -A
git commit -q -m base
for i in $(seq -w 1 10 "$n"); do
    "$prompt" promote -q "many/p$i@1" staging >/dev/null
done

git switch -q -c feature
printf 'format: 1\ntemplate: |\n  Support desk, ticket below (reply within a day).\n' \
    >prompts/shared/header.prompt.yaml
for i in $(seq -w 1 "$n"); do
    model=gpt-4o
    [ $((10#$i % 3)) -eq 0 ] && model=gpt-4.1
    extra=""
    [ $((10#$i % 5)) -eq 0 ] && extra="  angry:
    ticket: This is the third time I write. Cancel everything."
    write_prompt "p$i" "You are support assistant $i. Read the whole ticket before answering." \
        "$model" "$extra"
done
git commit -q -am feature

time_it() { # label, command...
    local label=$1
    shift
    "$@" >/dev/null # warm-up (and a check that it works)
    local times=()
    for _ in $(seq 1 "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    printf '%-28s median %6d ms   slowest %6d ms   (%s runs)\n' "$label" \
        "$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")" "$(tail -n 1 <<<"$sorted")" "$runs"
}

md=$("$prompt" review main..feature)
echo "prompt: $prompt ($("$prompt" --version))"
echo "registry: $n changed prompts with 2-3 samples each, a changed partial; $(nproc) cores"
echo "markdown: $(printf '%s' "$md" | wc -m) characters, first line $(head -n 1 <<<"$md")"
echo "json: $("$prompt" review main..feature --format json | wc -c) bytes"
time_it "review (markdown)" "$prompt" review main..feature
time_it "review --format json" "$prompt" review main..feature --format json
