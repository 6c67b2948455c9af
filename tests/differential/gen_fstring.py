#!/usr/bin/env python3
"""Regenerates tests/fixtures/fstring/corpus.json: f-string templates rendered by Python's own
str.format, the oracle for `template_format: f-string` (contract §9).

Run from the repository root with any Python 3.11+ (no packages needed):

    python3 tests/differential/gen_fstring.py

Each case is {"template", "values", and either "expected" (the text Python produced) or "error"
(the exception Python raised: the engine must refuse the same template)}. The corpus is a fixed
hand-written list plus templates drawn with a fixed seed, so a rerun gives the same file unless
Python's behaviour changes. `cargo test` reads the file; it never runs Python.
"""

import json
import pathlib
import random
import sys

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "fstring" / "corpus.json"

# `{obj.k}` is left out on purpose: the engine reads an object's key as an attribute (`{user.name}`,
# as LangChain users pass objects), where Python's dict has no such attribute.

# What `json.loads` makes of a prompt's values. No None: a null is the one product rule that
# differs from Python (an optional input that was not given renders as nothing).
VALUES = {
    "lang": "en",
    "quote": "it's",
    "both": "it's \"both\"",
    "uni": "café ☕",
    "ctl": "a\tb\nc\\d",
    "empty": "",
    "n": 1234567,
    "z": 0,
    "neg": -42,
    "big": 18446744073709551615,
    "one": 1,
    "f": 3.14159,
    "nf": -0.5,
    "nz": -0.0,
    "tiny": 1e-05,
    "huge": 1e16,
    "half": 2.5,
    "whole": 3.0,
    "money": 1234567.891,
    "t": True,
    "fl": False,
    "items": [1, "a", True, 2.5],
    "obj": {"k": "v", "n": 1, "inner": {"deep": ["x"]}},
    "code": 233,
}

HAND = [
    "{lang!r}", "{quote!r}", "{both!r}", "{uni!r}", "{uni!a}", "{ctl!r}", "{items!r}", "{obj!r}",
    "{items}", "{obj}", "{t}", "{fl}", "{t!r}", "{f!r}", "{huge}", "{tiny}", "{nz}", "{whole}",
    "{z:o}", "{neg:b}", "{z:x}", "{n:#x}", "{n:#X}", "{n:#o}", "{n:#b}", "{neg:#x}", "{neg:#010x}",
    "{n:_x}", "{n:_b}", "{n:,x}", "{n:,}", "{n:_}", "{money:,.2f}", "{money:_.1f}", "{n:010,}",
    "{code:c}", "{lang:c}", "{f:d}", "{whole:d}", "{n:.2}", "{n:.2f}", "{n:%}", "{half:.0f}",
    "{half:#.0f}", "{f:#.0e}", "{f:#g}", "{one:#g}", "{f:.3g}", "{huge:g}", "{tiny:g}", "{nz:z.1f}",
    "{nf:z.0f}", "{nz:.1f}", "{t:d}", "{t:>5}", "{t!s:>6}", "{items:>5}", "{items!s:>30}",
    "{lang:=>5}", "{lang:+}", "{lang:d}", "{n:s}", "{lang:^9}", "{lang:*^9.1}", "{uni:.3}",
    "{obj[k]}", "{obj[inner][deep][0]}", "{items[1]}", "{n:n}", "{f:n}", "{f:%}",
    "{f:.2%}", "{f:E}", "{huge:e}", "{f:F}", "{neg:+d}", "{n: d}", "{neg:=+8}", "{neg:08}",
    "{f:+08.2f}", "{big}", "{big:x}", "{big:,}", "{money}", "{money:g}", "{money:.10g}",
    "{money:e}", "{z:#x}", "{z:#b}", "{one:c}", "{n:#_b}",
]

FILLS = ["", "*", "0", " "]
ALIGNS = ["", "<", ">", "^", "="]
SIGNS = ["", "+", "-", " "]
TYPES = ["", "s", "d", "b", "o", "x", "X", "c", "e", "E", "f", "F", "g", "G", "n", "%"]
CONVERSIONS = ["", "", "", "!s", "!r", "!a"]


def random_template(rng):
    name = rng.choice(sorted(VALUES))
    conv = rng.choice(CONVERSIONS)
    spec = ""
    align = rng.choice(ALIGNS)
    if align:
        spec += rng.choice(FILLS) + align
    spec += rng.choice(SIGNS)
    if rng.random() < 0.15:
        spec += "z"
    if rng.random() < 0.3:
        spec += "#"
    if rng.random() < 0.2:
        spec += "0"
    if rng.random() < 0.5:
        spec += str(rng.randint(1, 14))
    if rng.random() < 0.25:
        spec += rng.choice([",", "_"])
    if rng.random() < 0.35:
        spec += "." + str(rng.randint(0, 8))
    value = VALUES[name]
    if rng.random() < 0.2:
        spec += rng.choice(TYPES)
    elif conv or isinstance(value, (str, list, dict)):
        spec += rng.choice(["", "s"])
        spec = spec.replace("#", "").replace("z", "").replace(",", "").replace("_", "")
        for sign in "+- ":
            spec = spec.replace(sign, "") if not spec.startswith(sign) else spec
    elif isinstance(value, float):
        spec += rng.choice(["", "e", "E", "f", "F", "g", "G", "n", "%"])
    else:
        spec += rng.choice(["", "d", "b", "o", "x", "X", "n", "e", "f", "g", "%"])
    field = "{" + name + conv + (":" + spec if spec else "") + "}"
    return rng.choice(["", "x=", "[", "Hi "]) + field + rng.choice(["", "]", " !", "{{}}"])


def case(template):
    out = {"template": template}
    try:
        out["expected"] = template.format(**VALUES)
    except Exception as e:  # noqa: BLE001 - every refusal is data
        out["error"] = type(e).__name__
    return out


def main():
    rng = random.Random(19)
    templates = list(HAND)
    seen = set(templates)
    while len(templates) < len(HAND) + 600:
        t = random_template(rng)
        if t not in seen:
            seen.add(t)
            templates.append(t)
    doc = {
        "generator": "tests/differential/gen_fstring.py",
        "python": sys.version.split()[0],
        "values": VALUES,
        "cases": [case(t) for t in templates],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    ok = sum("expected" in c for c in doc["cases"])
    print(f"{OUT}: {len(doc['cases'])} cases ({ok} rendered, {len(doc['cases']) - ok} refused)")


if __name__ == "__main__":
    main()
