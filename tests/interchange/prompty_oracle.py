"""Renders the cases of tests/fixtures/interchange/prompty/cases.json with Microsoft's Prompty
runtime (`prompty.prepare`: render, then split into messages) and writes what it gives (role,
text, images) to cases.expected.json beside it, merged by case name.

Cases with `"runtime": "v1"` are older (prompt flow era) files that the v2 runtime no longer
loads; run this script once with the v2 runtime (prompty 2.x) and once with the v1 runtime
(prompty 0.1.x): each run renders the cases of its own runtime. See run.sh.

Usage: python prompty_oracle.py FIXTURE_DIR
"""

import json
import os
import sys
from pathlib import Path

import prompty

# Connections name environment variables; rendering never calls the model.
os.environ.setdefault("OPENAI_API_KEY", "not-used")

HISTORY_MARK = "<history message>"
V1 = hasattr(prompty, "Prompty")  # prompty 0.1.x exports the Prompty class at the top


def render(path: Path, inputs: dict) -> list:
    agent = prompty.load(str(path))
    messages = prompty.prepare(agent, inputs) if V1 else prompty.prepare(agent, inputs=inputs)
    out = []
    for m in messages:
        if isinstance(m, dict):
            content = m["content"]
            if isinstance(content, str):
                out.append({"role": m["role"], "text": content, "images": []})
            else:
                texts = [c["text"] for c in content if c.get("type") == "text"]
                images = [c["image_url"]["url"] for c in content if c.get("type") == "image_url"]
                out.append({"role": m["role"], "text": "".join(texts), "images": images})
            continue
        texts = [p.value for p in m.parts if hasattr(p, "value")]
        images = [getattr(p, "source", None) for p in m.parts if type(p).__name__ == "ImagePart"]
        out.append({"role": m.role, "text": "".join(texts), "images": images})
    return out


def wire(path: Path) -> dict:
    """The tools and response_format Prompty's OpenAI executor sends for a file (`"wire": true`
    cases), so the import is compared with what Prompty puts on the wire, not only the text."""
    from prompty.providers.openai import executor

    agent = prompty.load(str(path))
    return {
        "tools": executor._tools_to_wire(agent),
        "response_format": executor._output_schema_to_wire(agent),
    }


def main(folder: str) -> None:
    root = Path(folder)
    cases = json.loads((root / "cases.json").read_text())
    expected_path = root / "cases.expected.json"
    previous = json.loads(expected_path.read_text()) if expected_path.exists() else []
    by_name = {c["name"]: c for c in previous}
    count = 0
    for case in cases:
        if (case.get("runtime") == "v1") != V1:
            continue
        inputs = dict(case["input"])
        # A thread input is given one marked message, so the expected output shows where the
        # conversation is spliced in.
        for name in case.get("threads", []):
            inputs[name] = [{"role": "user", "content": HISTORY_MARK}]
        entry = {"name": case["name"], "messages": render(root / case["file"], inputs)}
        if case.get("wire") and not V1:
            entry.update(wire(root / case["file"]))
        by_name[case["name"]] = entry
        count += 1
    ordered = [by_name[c["name"]] for c in cases if c["name"] in by_name]
    expected_path.write_text(json.dumps(ordered, indent=2) + "\n")
    print(f"prompty ({'v1' if V1 else 'v2'} runtime): {count} cases rendered")


if __name__ == "__main__":
    main(sys.argv[1])
