#!/usr/bin/env bash
# Benchmark of `prompt review` (issue 30): a registry of 300 chat prompts, each with two samples
# and a shared partial, on `main` (one commit, then HISTORY commits that touch no prompt, and
# environments promoted for a tenth of them) and a branch that changes every prompt (a reworded system message, a changed model for every third
# one, a new sample for every fifth one) and the partial (so every prompt also changes through
# it). Times `prompt review main..feature` in markdown and in JSON, RUNS times each after one
# warm-up run, and prints the median and slowest wall time and the median CPU time.
#
#   bench/review.sh                                   # target/release/prompt, 5 runs
#   PROMPT_BIN=target/debug/prompt RUNS=3 bench/review.sh
#
# Environment: PROMPT_BIN (default target/release/prompt), PROMPTS (default 300), RUNS (5),
# HISTORY (commits touching no prompt between the prompts' first commit and the branch; 2000),
# OUT (where the repository is made; default a temporary folder, removed at the end).
# Goal (issue 30): under 2 s on 2 cores with a release build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prompt=${PROMPT_BIN:-$here/../target/release/prompt}
prompt=$(cd "$(dirname "$prompt")" && pwd)/$(basename "$prompt")
n=${PROMPTS:-300}
history=${HISTORY:-2000}
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
# History below the change, as a real repository has: commits that touch no prompt (so numbering
# the base side cannot be a walk per prompt back to its last change).
if [ "$history" -gt 0 ]; then
    {
        echo "reset refs/heads/main"
        echo "from refs/heads/main^0"
        for i in $(seq 1 "$history"); do
            echo "commit refs/heads/main"
            echo "committer Bench <bench@example.com> $((1700000000 + i)) +0000"
            msg="noise $i"
            echo "data ${#msg}"
            echo "$msg"
            echo "M 100644 inline noise.txt"
            echo "data ${#i}"
            echo "$i"
        done
    } | git fast-import --quiet
    git reset -q --hard main
fi
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

time_it() { # label, command...: wall and CPU (user + system) seconds, median and slowest
    local label=$1
    shift
    "$@" >/dev/null # warm-up (and a check that it works)
    local walls=() cpus=() TIMEFORMAT='%R %U %S' t
    for _ in $(seq 1 "$runs"); do
        t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
        read -r real user sys <<<"$t"
        walls+=("$real")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')")
    done
    local w c
    w=$(printf '%s\n' "${walls[@]}" | sort -n)
    c=$(printf '%s\n' "${cpus[@]}" | sort -n)
    printf '%-22s wall median %6.2f s, slowest %6.2f s; CPU median %6.2f s   (%s runs)\n' \
        "$label" "$(sed -n "$(((runs + 1) / 2))p" <<<"$w")" "$(tail -n 1 <<<"$w")" \
        "$(sed -n "$(((runs + 1) / 2))p" <<<"$c")" "$runs"
}

md=$("$prompt" review main..feature)
echo "prompt: $prompt ($("$prompt" --version))"
echo "registry: $n changed prompts with 2-3 samples each, a changed partial, $history commits of history; $(nproc) cores"
echo "markdown: $(printf '%s' "$md" | wc -m) characters, first line $(head -n 1 <<<"$md")"
echo "json: $("$prompt" review main..feature --format json | wc -c) bytes"
time_it "review (markdown)" "$prompt" review main..feature
time_it "review --format json" "$prompt" review main..feature --format json
