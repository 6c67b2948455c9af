#!/usr/bin/env bash
# Benchmark: `prompt` against plain `git` on a generated registry (see bench/README.md).
#
#   bench/run.sh                         # SCALE=1, 15 runs, output in /tmp/prompt-bench
#   SCALE=10 RUNS=9 bench/run.sh         # 10x the commits
#   bench/run.sh --out DIR --configs plain,graph,bloom
#
# Options (each also read from the environment variable in brackets):
#   --scale N     commits = 5,000 x N                                        [SCALE, default 1]
#   --prompts N   prompts in the registry besides the hot one (gen.py --prompts)
#                 a multiple of 100; 20000 is the large-registry case       [PROMPTS, default 2000]
#   --runs N      timed runs of each command after one warm-up               [RUNS, default 15]
#   --out DIR     where repositories and results live; kept between runs,
#                 one subfolder per scale, regenerated only when gen.py changes
#                                                                            [OUT, default /tmp/prompt-bench]
#   --configs L   comma list of: plain (as imported by fast-import), graph (after `git commit-graph
#                 write --reachable`), bloom (same plus --changed-paths), gc (after `git gc`: repacked
#                 and with a commit-graph, as most users' clones are)      [CONFIGS, default plain,graph]
#   --prompt BIN  time this binary instead of building one                   [PROMPT_BIN]
#   --only KEYS   time only these cases (log-hot,log-cold,show-env,show-n,list,check,log-all) [ONLY]
#   --keep-going  time even when a correctness check fails                   [KEEP_GOING=1]
#   --wait-quiet S  before each configuration, wait up to S seconds for the 1-minute load average
#                 to drop below 0.5 (other work on the machine makes timings noisy) [WAIT_QUIET, 0]
#
# The build is `cargo build --release` in the crate; when it fails (someone may be mid-edit in a
# shared target dir) it is retried BUILD_TRIES times (default 10), BUILD_WAIT seconds apart (60).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
crate=$(dirname "$here")

scale=${SCALE:-1}
prompts=${PROMPTS:-2000}
runs=${RUNS:-15}
out=${OUT:-${TMPDIR:-/tmp}/prompt-bench}
configs=${CONFIGS:-plain,graph}
prompt_bin=${PROMPT_BIN:-}
only=${ONLY:-}
keep_going=${KEEP_GOING:-}
wait_quiet=${WAIT_QUIET:-0}

usage() { sed -n '2,/^set -e/{/^set -e/d;p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
        --scale) scale=$2; shift 2 ;;
        --prompts) prompts=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --configs) configs=$2; shift 2 ;;
        --prompt) prompt_bin=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --keep-going) keep_going=1; shift ;;
        --wait-quiet) wait_quiet=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $scale in ''|*[!0-9]*|0) echo "run.sh: SCALE must be a positive integer" >&2; exit 2 ;; esac
case $runs in ''|*[!0-9]*|0) echo "run.sh: RUNS must be a positive integer" >&2; exit 2 ;; esac
case $wait_quiet in ''|*[!0-9]*) echo "run.sh: WAIT_QUIET must be a number of seconds" >&2; exit 2 ;; esac

started=$(date +%s)
case $prompts in ''|*[!0-9]*) echo "run.sh: PROMPTS must be a positive integer" >&2; exit 2 ;; esac
dir="$out/scale-$scale"
[ "$prompts" = 2000 ] || dir="$out/scale-$scale-prompts-$prompts"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Every git command of the benchmark sees no user or system configuration.
sealed_home=$(mktemp -d "${TMPDIR:-/tmp}/prompt-bench-home.XXXXXX")
trap 'rm -rf "$sealed_home"' EXIT
sgit() { env -i PATH="$PATH" HOME="$sealed_home" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8 TZ=UTC git "$@"; }

# 1. Build, then copy the binary so that a rebuild by someone else does not change it mid-run.
if [ -z "$prompt_bin" ]; then
    tries=${BUILD_TRIES:-10}
    for ((i = 1; ; i++)); do
        echo "== building prompt (cargo build --release), attempt $i" >&2
        if (cd "$crate" && cargo build --release --bin prompt >&2); then break; fi
        if [ "$i" -ge "$tries" ]; then echo "run.sh: the build failed $tries times" >&2; exit 1; fi
        echo "   build failed (maybe mid-edit); retrying in ${BUILD_WAIT:-60}s" >&2
        sleep "${BUILD_WAIT:-60}"
    done
    target=${CARGO_TARGET_DIR:-$crate/target}
    cp "$target/release/prompt" "$dir/prompt.new" && mv "$dir/prompt.new" "$dir/prompt"
    prompt_bin="$dir/prompt"
    { echo "built from: $(cd "$crate" && git describe --always --dirty 2>/dev/null || echo unknown)"
      echo "built at:   $(date -u +%FT%TZ)"; } > "$dir/prompt.info"
    sed 's/^/   /' "$dir/prompt.info" >&2
fi

# 2. The registry, as imported; regenerated when missing, or when gen.py or the scale changed.
stamp="scale=$scale prompts=$prompts gen=$(sha256sum "$here/gen.py" | cut -c1-16) $(git --version)"
if [ ! -f "$dir/plain.stamp" ] || [ "$(cat "$dir/plain.stamp")" != "$stamp" ]; then
    echo "== generating the registry (SCALE=$scale) in $dir/plain" >&2
    rm -rf "$dir/plain" "$dir"/*.stamp "$dir/manifest.json"
    t0=$(date +%s)
    sgit init -q -b main "$dir/plain"
    # Nothing may repack or write a commit-graph behind the benchmark's back.
    sgit -C "$dir/plain" config gc.auto 0
    sgit -C "$dir/plain" config maintenance.auto false
    python3 "$here/gen.py" --scale "$scale" --prompts "$prompts" --manifest "$dir/manifest.json" \
        | sgit -C "$dir/plain" fast-import --quiet
    sgit -C "$dir/plain" reset -q --hard
    sgit -C "$dir/plain" checkout -q main
    echo "   $(( $(date +%s) - t0 ))s" >&2
    echo "$stamp" > "$dir/plain.stamp"
fi

# 3. The other configurations are copies of the imported repository plus a commit-graph.
prepare() {
    local name=$1; shift
    if [ -f "$dir/$name.stamp" ] && [ "$(cat "$dir/$name.stamp")" = "$stamp" ]; then return; fi
    echo "== preparing $name: git $*" >&2
    rm -rf "$dir/$name"
    cp -a "$dir/plain" "$dir/$name"
    sgit -C "$dir/$name" "$@"
    echo "$stamp" > "$dir/$name.stamp"
}

load1() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0; }
wait_for_quiet() {
    [ "$wait_quiet" -gt 0 ] || return 0
    local deadline=$(( $(date +%s) + wait_quiet ))
    while awk "BEGIN{exit !($(load1) >= 0.5)}"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "   load average still $(load1) after ${wait_quiet}s; timing anyway" >&2; return 0
        fi
        echo "   load average $(load1); waiting for a quiet machine" >&2
        sleep 15
    done
}

# 4. Time each configuration.
results=()
IFS=, read -ra wanted <<< "$configs"
for config in "${wanted[@]}"; do
    case $config in
        plain) label="as imported" ;;
        graph) prepare graph commit-graph write --reachable; label="commit-graph" ;;
        bloom) prepare bloom commit-graph write --reachable --changed-paths; label="commit-graph+bloom" ;;
        gc) prepare gc gc --quiet; label="after git gc" ;;
        *) echo "run.sh: unknown configuration '$config' (plain, graph, bloom, gc)" >&2; exit 2 ;;
    esac
    wait_for_quiet
    echo
    [ -f "$dir/prompt.info" ] && [ "$prompt_bin" = "$dir/prompt" ] && sed 's/^/prompt /' "$dir/prompt.info"
    args=(--repo "$dir/$config" --prompt "$prompt_bin" --manifest "$dir/manifest.json"
          --runs "$runs" --label "$label" --json "$dir/results-$config.json")
    [ -n "$only" ] && args+=(--only "$only")
    [ -n "$keep_going" ] && args+=(--keep-going)
    python3 "$here/timeit.py" "${args[@]}"
    results+=("$dir/results-$config.json")
done

if [ "${#results[@]}" -gt 1 ]; then
    python3 "$here/timeit.py" --summary "${results[@]}"
fi
echo
echo "results: ${results[*]}"
echo "total: $(( $(date +%s) - started ))s"
