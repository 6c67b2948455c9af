"""Langfuse's own client as the oracle.

1. Compiles every case of tests/fixtures/interchange/langfuse/cases.json with the Langfuse
   Python client (`TextPromptClient`/`ChatPromptClient.compile`, placeholders filled with the
   case's history) and writes the messages to cases.expected.json beside it.
2. Validates each body given on the command line after the folder (files written by
   `prompt export --to langfuse`) against the client's API models for
   POST /api/public/v2/prompts (`CreateTextPromptRequest` / `CreateChatPromptRequest`).

Usage: python langfuse_oracle.py FIXTURE_DIR [EXPORTED.json …]
"""

import json
import sys
from pathlib import Path

from langfuse.api.prompts.types import (
    CreateChatPromptRequest,
    CreateTextPromptRequest,
    Prompt_Chat,
    Prompt_Text,
)
from langfuse.model import ChatPromptClient, TextPromptClient


def compile_case(root: Path, case: dict) -> dict:
    payload = json.loads((root / case["file"]).read_text())
    versions = payload if isinstance(payload, list) else [payload]
    raw = next(v for v in versions if v["version"] == case["version"])
    values = dict(case["input"])
    if raw["type"] == "text":
        client = TextPromptClient(Prompt_Text.model_validate(raw))
        return {"name": case["name"], "messages": [{"role": "text", "text": client.compile(**values)}]}
    client = ChatPromptClient(Prompt_Chat.model_validate(raw))
    if "placeholder" in case:
        values[case["placeholder"]] = case["history"]
    messages = client.compile(**values)
    return {
        "name": case["name"],
        "messages": [{"role": m["role"], "text": m["content"]} for m in messages],
    }


def main(folder: str, exported: list) -> None:
    root = Path(folder)
    cases = json.loads((root / "cases.json").read_text())
    out = [compile_case(root, c) for c in cases]
    (root / "cases.expected.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"langfuse: {len(out)} cases compiled")
    for path in exported:
        body = json.loads(Path(path).read_text())
        model = CreateChatPromptRequest if body.get("type") == "chat" else CreateTextPromptRequest
        model.model_validate(body)
        extra = set(body) - {"name", "prompt", "config", "type", "labels", "tags", "commitMessage"}
        if extra:
            raise SystemExit(f"{path}: fields the create request does not have: {sorted(extra)}")
        print(f"langfuse: {path} is a valid {model.__name__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
