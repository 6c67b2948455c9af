#!/bin/bash
# Measures interrupted and concurrent writes against the debug binary (PROMPT_BIN overrides).
# Usage: bench/writes.sh [ITERATIONS=200] [CONCURRENT_RUNS=10]   (build first: cargo build)
# Prints the figures of issue 12: SIGTERM and SIGKILL loops (commits made vs claimed, stale indexes,
# leftover locks, git fsck) and 32 concurrent commits of one change (commits made per run).
WORK=$(mktemp -d)
P=${PROMPT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/debug/prompt}
export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@b GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@b GIT_CONFIG_NOSYSTEM=1 HOME=$(mktemp -d)
mkdir -p $HOME
setup() { rm -rf $1 && git init -q -b main $1 && cd $1 && $P init -q && git add .prompts.yaml && git commit -qm c && printf 'format: 1\ntemplate: |\n  v0\n' > prompts/a.prompt.yaml && $P commit -qm v0 >/dev/null; }
loop() { sig=$1; n=$2; setup $WORK/m_$sig; made=0; claimed=0; stale=0; staged=0; locks=0; rc130=0
  for i in $(seq 1 $n); do printf "format: 1\ntemplate: |\n  v$i\n" > prompts/a.prompt.yaml; b=$(git rev-parse HEAD)
    $P commit -m v$i > out.txt 2>/dev/null & pid=$!; sleep 0.0$(( (i*37) % 40 / 10 ))$(( (i*37) % 10 )); kill -$sig $pid 2>/dev/null; wait $pid; rc=$?
    [ $rc = 130 ] && rc130=$((rc130+1)); a=$(git rev-parse HEAD); [ "$a" != "$b" ] && made=$((made+1)); grep -q version out.txt && claimed=$((claimed+1))
    l=$(ls .git .git/refs/heads | grep -cE '\.lock$|\.tmp$'); locks=$((locks+l)); rm -f .git/*.lock .git/*.tmp .git/refs/heads/*.lock; rm -f out.txt
    if [ -n "$(git diff --cached --name-only -- prompts)" ]; then if [ -n "$(git diff --name-only -- prompts)" ]; then stale=$((stale+1)); else staged=$((staged+1)); fi; git reset -q -- prompts; fi
  done
  fsck=$(git fsck --strict --no-progress >/dev/null 2>&1 && echo ok || echo FAILED)
  echo "SIG$sig: iterations=$n exit130=$rc130 commits_made=$made commits_claimed=$claimed stale_indexes=$stale staged_not_committed=$staged leftover_locks=$locks fsck=$fsck versions=$($P log a --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
}
conc() { setup $WORK/m_conc; runs=""; for r in $(seq 1 $1); do printf "format: 1\ntemplate: |\n  c$r\n" > prompts/a.prompt.yaml; b=$(git rev-list --count HEAD); ok=0
    for k in $(seq 1 32); do ($P commit a -m c$r > o$k.txt 2>/dev/null) & done; wait; ok=$(cat o*.txt | grep -c version); rm -f o*.txt
    runs="$runs $(( $(git rev-list --count HEAD) - b ))/$ok"; done; echo "32x commit p (commits made/claimed per run):$runs; fsck=$(git fsck --strict --no-progress >/dev/null 2>&1 && echo ok || echo FAILED)"
  for i in $(seq 1 32); do printf "format: 1\ntemplate: |\n  m$i\n" > prompts/m$i.prompt.yaml; done; b=$(git rev-list --count HEAD)
  for k in $(seq 1 32); do ($P commit -m all$k > o$k.txt 2>/dev/null) & done; wait; ok=$(grep -l version o*.txt | wc -l); rm -f o*.txt
  echo "32x commit -m over 32 edited prompts: commits made=$(( $(git rev-list --count HEAD) - b )) processes claiming=$ok empty commits=$(git log --format=%H -n 40 | while read c; do [ -z "$(git diff-tree --root --no-commit-id --name-only -r $c)" ] && echo e; done | wc -l)"
}
loop TERM ${1:-200}; loop KILL ${1:-200}; conc ${2:-10}
