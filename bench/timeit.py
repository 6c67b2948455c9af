#!/usr/bin/env python3
"""Times `prompt` against the `git` commands that answer the same question.

    python3 bench/timeit.py --repo DIR --prompt BIN [--manifest FILE] [--runs 15] [--label NAME]
                            [--json OUT]
    python3 bench/timeit.py --summary OUT.json [OUT.json ...]

For each pair the two commands run alternately (A B A B ...) in the generated repository, stdout to
/dev/null, in a sealed environment (HOME is an empty temporary folder, GIT_CONFIG_NOSYSTEM=1, a fixed
locale and zone), after one discarded warm-up run of each. The table shows the medians in ms, the
ratio prompt/git and the target where the issue sets one.

Before any timing, `prompt`'s answers are checked against git's (and against the generator's
manifest when given); a mismatch stops the run with exit code 2 (`--keep-going` times anyway).
Standard library only.
"""

import argparse
import collections
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# Where the issue sets a target: the highest acceptable prompt/git ratio of the medians.
TARGETS = {
    "log-cold-walk": 1.0,
    "log-hot": 0.1,
    "log-cold": 0.1,
    "render-env": 1.2,
    "list": 1.0,
    "batch": 1 / 3,
}

# Lines in the --batch input (the 100k).
BATCH_LINES = 100_000


class CheckFailed(Exception):
    pass


class Bench:
    def __init__(self, repo, prompt, git, home):
        self.repo = repo
        self.prompt = prompt
        self.git = git
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "TERM": "dumb",
            "NO_COLOR": "1",
        }

    def run(self, argv, check=True):
        """Runs a command in the repository and returns (stdout bytes, exit code)."""
        p = subprocess.run(
            argv, cwd=self.repo, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        if check and p.returncode != 0:
            raise CheckFailed(
                f"`{' '.join(argv)}` exited with {p.returncode}:\n"
                + p.stderr.decode(errors="replace")[-2000:]
            )
        return p.stdout, p.returncode

    def text(self, *argv):
        return self.run(list(argv))[0].decode()

    def git_out(self, *args):
        return self.text(self.git, *args)

    def prompt_json(self, *args):
        return json.loads(self.run([self.prompt, *args])[0])

    def timed(self, argv):
        """Wall-clock and CPU (user + sys) seconds of one run, output to /dev/null."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        p = subprocess.run(
            argv, cwd=self.repo, env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            self.run(argv)  # raises with the error message
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu


def sh(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine_info():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "nproc": sh("nproc") or str(os.cpu_count()),
        "cpu": cpu or platform.processor() or "unknown",
        "memory": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def registry_info(b, manifest):
    objects = dict(
        line.split(": ", 1) for line in b.git_out("count-objects", "-v").splitlines() if ": " in line
    )
    info_dir = os.path.join(b.git_out("rev-parse", "--git-dir").strip(), "objects", "info")
    info_dir = os.path.join(b.repo, info_dir) if not os.path.isabs(info_dir) else info_dir
    graph = os.path.exists(os.path.join(info_dir, "commit-graph")) or os.path.isdir(
        os.path.join(info_dir, "commit-graphs")
    )
    files = [f for f in b.git_out("ls-files", "prompts").splitlines() if f.endswith(".prompt.yaml")]
    return {
        "commits": int(b.git_out("rev-list", "--count", "HEAD")),
        "prompts": len(files),
        "tags": len(b.git_out("tag", "--list").splitlines()),
        "packs": int(objects.get("packs", 0)),
        "pack_kib": int(objects.get("size-pack", 0)),
        "loose_objects": int(objects.get("count", 0)),
        "commit_graph": graph,
        "scale": manifest.get("scale") if manifest else None,
    }


def checks(b, hot, cold, manifest, report):
    """Compares prompt's answers with git's. Calls report(ok, message) for each check."""
    hot_file = f"prompts/{hot}.prompt.yaml"
    expect = manifest.get("versions", {}) if manifest else {}
    tags = manifest.get("tags", {}) if manifest else {}

    # The mandated check: `prompt log ID --json` has as many entries as git's first-parent log.
    for pid in (hot, cold):
        f = f"prompts/{pid}.prompt.yaml"
        got = len(b.prompt_json("log", pid, "--json"))
        want = len(b.git_out("log", "--oneline", "--first-parent", "--", f).splitlines())
        extra = f", manifest {expect[pid]}" if pid in expect else ""
        report(got == want and expect.get(pid, want) == want,
               f"prompt log {pid} --json: {got} versions; git log --first-parent: {want}{extra}")

    # show ID@ENV and ID@3 give the same bytes as git show.
    for env in ("production", "staging"):
        tag = f"{hot}@{env}"
        got, _ = b.run([b.prompt, "show", tag])
        want, _ = b.run([b.git, "show", f"{tag}:{hot_file}"])
        report(got == want, f"prompt show {tag}: {'same bytes as' if got == want else 'DIFFERS from'}"
               f" git show {tag}:{hot_file}")
        shown = b.prompt_json("show", tag, "--json")
        if tag in tags:
            report(shown.get("version") == tags[tag],
                   f"prompt show {tag} --json: version {shown.get('version')}, manifest {tags[tag]}")
    v3 = b.git_out("log", "--reverse", "--first-parent", "--format=%H", "--", hot_file).split()[2]
    got, _ = b.run([b.prompt, "show", f"{hot}@3"])
    want, _ = b.run([b.git, "show", f"{v3}:{hot_file}"])
    report(got == want, f"prompt show {hot}@3: {'same bytes as' if got == want else 'DIFFERS from'}"
           f" git show {v3[:10]}:{hot_file}")

    # Registry-wide: per-file version counts from one git pass.
    per_commit = []  # newest first: (commit, [files below prompts/])
    for block in b.git_out("log", "--first-parent", "--format=%x00%H", "--name-only", "--",
                           "prompts").split("\0")[1:]:
        lines = [l for l in block.splitlines() if l]
        per_commit.append((lines[0], [l[len("prompts/"):] for l in lines[1:]]))
    counts = collections.Counter(f for _, files in per_commit for f in files)
    git_versions = {f[: -len(".prompt.yaml")]: n for f, n in counts.items()
                    if f.endswith(".prompt.yaml")}

    rows = b.prompt_json("list", "--json")
    listed = {r["id"]: r for r in rows}
    wrong = [(i, listed.get(i, {}).get("versions"), n) for i, n in git_versions.items()
             if listed.get(i, {}).get("versions") != n]
    report(not wrong and len(listed) == len(git_versions),
           f"prompt list --json: {len(listed)} prompts, versions match git for "
           f"{len(git_versions) - len(wrong)}/{len(git_versions)}"
           + (f"; first mismatches (id, prompt, git): {wrong[:5]}" if wrong else ""))
    if expect:
        wrong = [i for i, n in expect.items() if listed.get(i, {}).get("versions") != n]
        report(not wrong, f"prompt list --json: versions match the manifest for "
               f"{len(expect) - len(wrong)}/{len(expect)}" + (f"; e.g. {wrong[:5]}" if wrong else ""))
    if tags:
        got_tags = {f"{r['id']}@{e}": v for r in rows for e, v in r["environments"].items()}
        report(got_tags == tags, f"prompt list --json: {len(got_tags)} environment tags, "
               f"{sum(got_tags.get(t) == v for t, v in tags.items())}/{len(tags)} at the manifest's "
               "versions")
    errors = [r["id"] for r in rows if r.get("error")]
    report(not errors, f"prompt list --json: {len(errors)} rows with a load error"
           + (f", e.g. {errors[:3]}" if errors else ""))

    entries = b.prompt_json("log", "--json")
    expected_entries = []  # (commit, {id: version}) newest first
    remaining = collections.Counter(counts)
    for commit, files in per_commit:
        vs = {}
        for f in files:
            if f.endswith(".prompt.yaml"):
                vs[f[: -len(".prompt.yaml")]] = remaining[f]
                remaining[f] -= 1
        if vs:
            expected_entries.append((commit, vs))
    got_entries = [(e["commit"], {p["id"]: p["version"] for p in e["prompts"]}) for e in entries]
    first_bad = next((i for i, (g, w) in enumerate(zip(got_entries, expected_entries)) if g != w),
                     None)
    report(got_entries == expected_entries,
           f"prompt log --json: {len(got_entries)} commits (git: {len(expected_entries)}), "
           + ("commit ids and per-prompt version numbers all match git"
              if first_bad is None and len(got_entries) == len(expected_entries)
              else f"first difference at entry {first_bad}"))

    out, code = b.run([b.prompt, "check", "--format", "json"], check=False)
    rep = json.loads(out) if out.strip() else {}
    report(code == 0 and rep.get("errors") == 0 and rep.get("checked") == len(git_versions),
           f"prompt check: exit {code}, checked {rep.get('checked')}, errors {rep.get('errors')}, "
           f"warnings {rep.get('warnings')}")
    return v3


def batch_input(repo):
    """A JSONL file of values for `render --batch` (made once, next to the registry)."""
    path = os.path.join(os.path.dirname(os.path.abspath(repo)), f"batch-{BATCH_LINES}.jsonl")
    if not os.path.exists(path):
        with open(path, "w") as f:
            for i in range(BATCH_LINES):
                f.write(json.dumps({"topic": f"topic number {i}"}) + "\n")
    return path


def pairs(b, hot, cold, v3, cold_versions):
    P, G = b.prompt, b.git
    hf, cf = f"prompts/{hot}.prompt.yaml", f"prompts/{cold}.prompt.yaml"
    # Without the history cache: every run walks history, as the first run in a clone does.
    # (`env` adds an exec of about a millisecond to the prompt side.)
    walk = ["env", "PROMPT_NO_CACHE=1", P]
    batch = batch_input(b.repo)
    return [
        ("log-hot", f"log {hot} (history cache warm)", [P, "log", hot],
         [G, "log", "--oneline", "--", hf], ""),
        ("log-cold", f"log {cold} ({cold_versions} versions, cache warm)", [P, "log", cold],
         [G, "log", "--oneline", "--", cf], ""),
        ("log-hot-walk", f"log {hot} (no cache: walks history)", walk + ["log", hot],
         [G, "log", "--oneline", "--", hf], ""),
        ("log-cold-walk", f"log {cold} (no cache: walks history)", walk + ["log", cold],
         [G, "log", "--oneline", "--", cf], ""),
        ("render-env", f"render {hot}@production", [P, "render", f"{hot}@production", "--var",
         "topic=x"], [G, "show", f"{hot}@production:{hf}"], ""),
        ("show-env", f"show {hot}@production", [P, "show", f"{hot}@production"],
         [G, "show", f"{hot}@production:{hf}"], ""),
        ("show-n", f"show {hot}@3", [P, "show", f"{hot}@3"], [G, "show", f"{v3}:{hf}"], ""),
        ("list", "list", [P, "list"], [G, "log", "--format=%H", "--name-only", "--", "prompts"], ""),
        ("check", "check (all prompts)", [P, "check"], [G, "ls-files", "-s", "prompts"],
         "reference point only"),
        ("log-all", "log (whole registry)", [P, "log"],
         [G, "log", "--oneline", "--name-only", "--", "prompts"], ""),
        ("list-walk", "list (no cache)", walk + ["list"],
         [G, "log", "--format=%H", "--name-only", "--", "prompts"], ""),
        ("batch", f"render {hot} --batch ({BATCH_LINES} lines) vs jq -c", [P, "render", hot,
         "--batch", batch, "-f", "json"], ["jq", "-c", '{text: ("Write about " + .topic)}',
         batch], "target: at least 3x faster than jq"),
    ]


def time_pair(b, a_cmd, b_cmd, runs):
    b.timed(a_cmd)  # warm-up, discarded
    b.timed(b_cmd)
    a_wall, a_cpu, b_wall, b_cpu = [], [], [], []
    for _ in range(runs):
        w, c = b.timed(a_cmd)
        a_wall.append(w)
        a_cpu.append(c)
        w, c = b.timed(b_cmd)
        b_wall.append(w)
        b_cpu.append(c)
    return a_wall, a_cpu, b_wall, b_cpu


def ms(x):
    return f"{x * 1000:.1f}"


def quartiles(xs):
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return q[0], q[2]


def print_table(results, label):
    head = ["#", "case", "prompt ms", "git ms", "ratio", "target", "", "prompt IQR", "git IQR",
            "prompt cpu", "git cpu"]
    rows = []
    for n, r in enumerate(results, 1):
        target = TARGETS.get(r["key"])
        verdict = ""
        if target is not None:
            verdict = "ok" if r["ratio"] <= target else "MISS"
        pq, gq = r["prompt_iqr"], r["git_iqr"]
        rows.append([
            str(n), r["case"], ms(r["prompt_median"]), ms(r["git_median"]), f"{r['ratio']:.2f}x",
            f"<= {target:.1f}x" if target is not None else "-", verdict,
            f"{ms(pq[0])}-{ms(pq[1])}", f"{ms(gq[0])}-{ms(gq[1])}",
            ms(r["prompt_cpu_median"]), ms(r["git_cpu_median"]),
        ])
    if not rows:
        print(f"\n== {label} ==\n(no case timed)")
        return
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(head)]
    right = {0, 2, 3, 4, 7, 8, 9, 10}
    fmt = lambda row: "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                for i, (c, w) in enumerate(zip(row, widths))).rstrip()
    print(f"\n== {label} ==")
    print(fmt(head))
    print(fmt(["-" * w for w in widths]))
    for row in rows:
        print(fmt(row))
    for n, r in enumerate(results, 1):
        print(f"  {n}. prompt: {' '.join(os.path.basename(a) if i == 0 else a for i, a in enumerate(r['prompt_cmd']))}")
        print(f"     git:    {' '.join(os.path.basename(a) if i == 0 else a for i, a in enumerate(r['git_cmd']))}"
              + (f"   ({r['note']})" if r["note"] else ""))


def summary(files):
    docs = [json.load(open(f)) for f in files]
    keys = [r["key"] for r in docs[0]["results"]]
    cases = {r["key"]: r["case"] for r in docs[0]["results"]}
    head = ["case"] + [d["label"] for d in docs] + ["target"]
    rows = []
    for k in keys:
        row = [cases[k]]
        for d in docs:
            r = next((r for r in d["results"] if r["key"] == k), None)
            row.append(f"{ms(r['prompt_median'])} / {ms(r['git_median'])} = {r['ratio']:.2f}x"
                       if r else "-")
        t = TARGETS.get(k)
        row.append(f"<= {t:.1f}x" if t is not None else "-")
        rows.append(row)
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(head)]
    fmt = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(row, widths)))
    print("\n== summary: prompt / git medians in ms = ratio ==")
    print(fmt(head))
    print(fmt(["-" * w for w in widths]))
    for row in rows:
        print(fmt(row))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", help="the generated registry")
    ap.add_argument("--prompt", help="the prompt binary (a release build)")
    ap.add_argument("--git", default=shutil.which("git") or "git")
    ap.add_argument("--manifest", help="the generator's manifest.json")
    ap.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    ap.add_argument("--label", default="as imported", help="name of this configuration")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--only", help="comma-separated case keys to time (default: all)")
    ap.add_argument("--keep-going", action="store_true", help="time even when a check fails")
    ap.add_argument("--summary", nargs="+", metavar="JSON", help="print one table from result files")
    args = ap.parse_args()
    if args.summary:
        summary(args.summary)
        return 0
    if not args.repo or not args.prompt:
        ap.error("--repo and --prompt are required")

    manifest = json.load(open(args.manifest)) if args.manifest else {}
    hot = manifest.get("hot", "f00/hot")
    cold = manifest.get("cold", "f07/p0723")
    home = tempfile.mkdtemp(prefix="prompt-bench-home-")
    try:
        b = Bench(os.path.abspath(args.repo), os.path.abspath(args.prompt), args.git, home)
        mach = machine_info()
        reg = registry_info(b, manifest)
        tools = {
            "git": b.git_out("--version").strip(),
            "prompt": b.text(b.prompt, "--version").strip(),
        }
        print(f"machine:  {mach['nproc']} CPUs ({mach['cpu']}), {mach['memory']}, "
              f"Linux {mach['kernel']}, Python {mach['python']}")
        print(f"tools:    {tools['prompt']} ({b.prompt}); {tools['git']}")
        print(f"registry: {reg['commits']} commits, {reg['prompts']} prompts, {reg['tags']} tags; "
              f"{reg['packs']} pack(s), {reg['pack_kib'] / 1024:.1f} MiB, "
              f"{reg['loose_objects']} loose objects; commit-graph: "
              f"{'yes' if reg['commit_graph'] else 'no'}  [{args.label}]")
        print(f"repo:     {b.repo}")
        load = os.getloadavg()[0]
        print(f"load:     {load:.2f} (1-minute average before the checks)"
              + ("  -- the machine is busy: expect noise" if load > 0.5 else ""))

        failures = []

        def report(ok, message):
            print(f"  {'ok  ' if ok else 'FAIL'} {message}")
            if not ok:
                failures.append(message)

        print("correctness:")
        try:
            v3 = checks(b, hot, cold, manifest, report)
        except CheckFailed as e:
            report(False, str(e))
            v3 = None
        if failures:
            print(f"\n!!! {len(failures)} CORRECTNESS CHECK(S) FAILED: prompt disagrees with git !!!",
                  file=sys.stderr)
            for f in failures:
                print(f"!!! {f}", file=sys.stderr)
            if not args.keep_going or v3 is None:
                return 2

        cold_versions = len(b.git_out("log", "--oneline", "--first-parent", "--",
                                      f"prompts/{cold}.prompt.yaml").splitlines())
        only = set(args.only.split(",")) if args.only else None
        cases = pairs(b, hot, cold, v3, cold_versions)
        unknown = sorted(only - {c[0] for c in cases}) if only else []
        if unknown:
            print(f"error: --only: unknown case key(s) {', '.join(unknown)}; known: "
                  f"{', '.join(c[0] for c in cases)}", file=sys.stderr)
            return 2
        results = []
        print(f"timing: {args.runs} runs of each command after one warm-up, alternating prompt/git")
        for key, case, p_cmd, g_cmd, note in cases:
            if only and key not in only:
                continue
            aw, ac, bw, bc = time_pair(b, p_cmd, g_cmd, args.runs)
            r = {
                "key": key, "case": case, "note": note, "prompt_cmd": p_cmd, "git_cmd": g_cmd,
                "prompt_wall": aw, "git_wall": bw, "prompt_cpu": ac, "git_cpu": bc,
                "prompt_median": statistics.median(aw), "git_median": statistics.median(bw),
                "prompt_cpu_median": statistics.median(ac), "git_cpu_median": statistics.median(bc),
                "prompt_iqr": quartiles(aw), "git_iqr": quartiles(bw),
                "prompt_min": min(aw), "git_min": min(bw),
                "target": TARGETS.get(key),
            }
            r["ratio"] = r["prompt_median"] / r["git_median"]
            results.append(r)
            print(f"  {case}: prompt {ms(r['prompt_median'])} ms, git {ms(r['git_median'])} ms",
                  flush=True)
        print_table(results, f"{args.label}: medians of {args.runs} runs, ms "
                    f"(load average now {os.getloadavg()[0]:.2f}, about 1 of it this benchmark)")
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"label": args.label, "machine": mach, "load": os.getloadavg(), "tools": tools, "registry": reg,
                           "runs": args.runs, "checks_failed": failures, "results": results},
                          f, indent=1)
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
