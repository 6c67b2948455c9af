#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a deterministic benchmark registry.

    python3 bench/gen.py --scale 1 --manifest manifest.json > stream
    git init -q -b main repo && git -C repo fast-import --quiet < stream

The registry (SCALE=1):
  * `.prompts.yaml` (root: prompts, environments: development, staging, production);
  * 2,000 prompts in 20 folders, `prompts/fNN/pNNNN.prompt.yaml` (folder fNN holds pNN00 to pNN99),
    plus one hot prompt `prompts/f00/hot.prompt.yaml`; `--prompts 20000` makes 20,000 in 200
    folders (`prompts/fNNN/pNNNNN.prompt.yaml`, hot `f000/hot`, cold `f007/p00723`);
  * 5,000 x SCALE linear commits on `main`: the first adds every file, each later one changes 1 to 4
    prompts picked pseudo-randomly, and every 10th commit also changes the hot prompt;
  * annotated tags `ID@production` and `ID@staging` for 100 prompts (the hot one included), each
    pointing at a commit where that prompt changed.

Every change bumps the prompt's "Revision N" line, so each commit that touches a file is a version of
it. Dates are fixed and increase per commit, so the same arguments always give the same commit ids.

The manifest records what `prompt` must report: the version count of every prompt and the version
each environment tag points at. Standard library only; the random numbers come from a local
SplitMix64 so they do not depend on the Python version.
"""

import argparse
import json
import sys

PROMPTS = 2000  # the default number of prompts besides the hot one (`--prompts`)
PER_FOLDER = 100
BASE_COMMITS = 5000
HOT_EVERY = 10
TAGGED = 100  # prompts with environment tags, the hot one included
AUTHOR = "Bench Author <bench@example.com>"
EPOCH = 1_700_000_000  # 2023-11-14; commit i is at EPOCH + 600 * i
SEED = 0x5EED_2024


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


class Layout:
    """Names for `prompts` prompts: 2,000 keep the original two- and four-digit names (so the
    default registry keeps its commit ids); more widen the numbers."""

    def __init__(self, prompts):
        self.folders = prompts // PER_FOLDER
        self.fw = max(2, len(str(self.folders - 1)))
        self.pw = max(4, len(str(prompts - 1)))
        self.hot = f"f{0:0{self.fw}d}/hot"
        # A prompt the timings use as the cold case (few versions, no tags).
        self.cold = f"f{7:0{self.fw}d}/p{723:0{self.pw}d}"

    def ids(self):
        return [f"f{f:0{self.fw}d}/p{f * PER_FOLDER + k:0{self.pw}d}"
                for f in range(self.folders) for k in range(PER_FOLDER)]


def content(pid, revision):
    if pid.endswith("/hot"):
        desc = "Benchmark hot prompt"
    else:
        desc = f"Benchmark prompt {int(pid.rsplit('/p', 1)[1])}"
    return (
        "format: 1\n"
        f"description: {desc}\n"
        "model:\n"
        "  provider: openai\n"
        "  name: gpt-4o-mini\n"
        "inputs:\n"
        "  topic:\n"
        "    type: string\n"
        "template: |\n"
        f"  Write about {{{{topic}}}}. Revision {revision}.\n"
    )


def data(text):
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1, help="multiplies the number of commits")
    ap.add_argument("--prompts", type=int, default=PROMPTS,
                    help=f"prompts besides the hot one, a multiple of {PER_FOLDER} of at least 800 "
                         f"(default {PROMPTS})")
    ap.add_argument("--manifest", help="write the expected counts here (JSON)")
    args = ap.parse_args()
    if args.scale < 1:
        ap.error("--scale must be at least 1")
    if args.prompts < 800 or args.prompts % PER_FOLDER:
        ap.error(f"--prompts must be a multiple of {PER_FOLDER} of at least 800")

    layout = Layout(args.prompts)
    HOT, COLD = layout.hot, layout.cold
    rng = SplitMix64(SEED)
    ids = layout.ids()
    everything = ids + [HOT]
    n_commits = BASE_COMMITS * args.scale
    revision = {pid: 0 for pid in everything}
    changed_at = {pid: [] for pid in everything}  # commit indexes, oldest first
    out = sys.stdout.buffer

    def commit(i, touched, message):
        t = EPOCH + 600 * i
        out.write(b"commit refs/heads/main\nmark :%d\n" % (i + 1))
        out.write(b"author %s %d +0000\n" % (AUTHOR.encode(), t))
        out.write(b"committer %s %d +0000\n" % (AUTHOR.encode(), t))
        out.write(data(message))
        if i > 0:
            out.write(b"from :%d\n" % i)
        for path, text in touched:
            out.write(b"M 100644 inline %s\n" % path.encode())
            out.write(data(text))
        out.write(b"\n")

    # Commit 0 adds everything.
    files = [(".prompts.yaml", "root: prompts\nenvironments: [development, staging, production]\n")]
    for pid in everything:
        revision[pid] = 1
        changed_at[pid].append(0)
        files.append((f"prompts/{pid}.prompt.yaml", content(pid, 1)))
    commit(0, files, f"Add {len(everything)} benchmark prompts")

    for i in range(1, n_commits):
        k = 1 + rng.below(4)
        picked = []
        while len(picked) < k:
            pid = ids[rng.below(len(ids))]
            if pid not in picked:
                picked.append(pid)
        if i % HOT_EVERY == 0:
            picked.append(HOT)
        picked.sort()
        touched = []
        for pid in picked:
            revision[pid] += 1
            changed_at[pid].append(i)
            touched.append((f"prompts/{pid}.prompt.yaml", content(pid, revision[pid])))
        commit(i, touched, "Update " + ", ".join(picked))

    # Environment tags: the hot prompt plus 99 others with at least two versions, never COLD.
    # staging is the newest version; production lags 0 to 3 versions behind (5 for the hot one).
    candidates = [p for p in ids if p != COLD and len(changed_at[p]) >= 2]
    tagged = [HOT]
    while len(tagged) < TAGGED:
        pid = candidates[rng.below(len(candidates))]
        if pid not in tagged:
            tagged.append(pid)
    tags = {}
    for pid in sorted(tagged):
        versions = changed_at[pid]
        lag = 5 if pid == HOT else rng.below(min(4, len(versions)))
        for env, v in (("production", len(versions) - lag), ("staging", len(versions))):
            i = versions[v - 1]
            name = f"{pid}@{env}"
            out.write(b"tag %s\nfrom :%d\n" % (name.encode(), i + 1))
            out.write(b"tagger %s %d +0000\n" % (AUTHOR.encode(), EPOCH + 600 * n_commits))
            out.write(data(f"Promote {pid} to {env} (version {v})"))
            tags[name] = v
    out.write(b"done\n")
    out.flush()

    if args.manifest:
        manifest = {
            "scale": args.scale,
            "commits": n_commits,
            "prompts": len(everything),
            "hot": HOT,
            "cold": COLD,
            "root": "prompts",
            "versions": {pid: len(changed_at[pid]) for pid in sorted(everything)},
            "tags": tags,
            "touches": sum(len(v) for v in changed_at.values()),
        }
        with open(args.manifest, "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
