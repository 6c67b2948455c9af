"""Checks `prompt` bodies with the clients their users call (see tests/sdk/README.md).

For every case of the corpus in tests/fixtures/render-corpus, `prompt render -f openai|openai-responses|anthropic|bedrock|gemini` is sent
through the provider's official SDK to a mock server on 127.0.0.1, and the JSON the SDK sent is
compared with the body `prompt` wrote; `prompt export --to phoenix|langwatch|freeplay|bifrost` is
validated with the registry's own client types. Prints one line per check; exits 1 on a failure.
"""

import argparse
import base64
import copy
import json
import os
import subprocess
import sys
import tempfile
import threading
from urllib.parse import unquote
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

# The corpus shared with src/render/providers/tests.rs.
CORPUS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "render-corpus"


def corpus():
    """(id, prompt file text, values) for every case of the corpus."""
    out = []
    for case in json.loads((CORPUS_DIR / "cases.json").read_text()):
        text = (CORPUS_DIR / f"{case['prompt']}.prompt.yaml").read_text()
        if "tool_choice" in case:
            text = text.replace("tool_choice: auto", f"tool_choice: {case['tool_choice']}")
        out.append((case["name"], text, case.get("values", {})))
    return out


# What the mock server answers, by provider.
REPLIES = {
    "openai": {"id": "c1", "object": "chat.completion", "created": 0, "model": "m-1",
               "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                            "message": {"role": "assistant", "content": "ok"}}]},
    "openai-responses": {"id": "r1", "object": "response", "created_at": 0, "model": "m-1",
                         "status": "completed", "output": [], "parallel_tool_calls": True,
                         "tool_choice": "auto", "tools": []},
    "anthropic": {"id": "m1", "type": "message", "role": "assistant", "model": "m-1",
                  "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                  "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}},
    "bedrock": {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
                "stopReason": "end_turn", "usage": {"inputTokens": 1, "outputTokens": 1,
                                                    "totalTokens": 2},
                "metrics": {"latencyMs": 1}},
    "gemini": {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]},
                               "finishReason": "STOP"}]},
    "freeplay": {"prompt_template_id": "t", "prompt_template_version_id": "v",
                 "prompt_template_name": "n", "version_name": None, "version_description": None,
                 "metadata": None, "format_version": 2, "project_id": "p", "content": [],
                 "tool_schema": None},
}


class Mock(BaseHTTPRequestHandler):
    """Records each request and answers with a canned reply for its path."""
    seen = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        Mock.seen.append((self.path, json.loads(body or b"null")))
        if self.path.startswith("/v1/chat/completions"):
            reply, code = REPLIES["openai"], 200
        elif self.path.startswith("/v1/responses"):
            reply, code = REPLIES["openai-responses"], 200
        elif self.path.startswith("/v1/messages"):
            reply, code = REPLIES["anthropic"], 200
        elif "/converse" in self.path:
            reply, code = REPLIES["bedrock"], 200
        elif ":generateContent" in self.path:
            reply, code = REPLIES["gemini"], 200
        elif "/prompt-templates/" in self.path:
            reply, code = REPLIES["freeplay"], 201
        else:
            reply, code = {"error": "unknown path"}, 404
        data = json.dumps(reply).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def last_request():
    return Mock.seen[-1]


def normal(v):
    """JSON with key spelling (camelCase or snake_case) and number types set aside: the
    google-genai SDK re-spells some keys and sends integers as floats on their way out."""
    if isinstance(v, dict):
        return {k.replace("_", "").lower(): normal(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normal(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v


def same_json(a, b):
    return json.dumps(normal(a), sort_keys=True) == json.dumps(normal(b), sort_keys=True)


def send_openai(base, body):
    import openai
    client = openai.OpenAI(api_key="x", base_url=f"{base}/v1", max_retries=0)
    client.chat.completions.create(**body)
    return last_request()[1]


def send_openai_responses(base, body):
    import openai
    client = openai.OpenAI(api_key="x", base_url=f"{base}/v1", max_retries=0)
    client.responses.create(**body)
    return last_request()[1]


def send_anthropic(base, body):
    import anthropic
    client = anthropic.Anthropic(api_key="x", base_url=base, max_retries=0)
    client.messages.create(**body)
    return last_request()[1]


def boto3_params(body):
    """The boto3 recipe: REST JSON carries image bytes as base64 text; boto3 wants bytes."""
    params = copy.deepcopy(body)
    for message in params.get("messages", []):
        for block in message.get("content", []):
            source = block.get("image", {}).get("source", {})
            if "bytes" in source:
                source["bytes"] = base64.b64decode(source["bytes"])
    return params


def send_bedrock(base, body, model):
    import boto3
    client = boto3.client("bedrock-runtime", region_name="us-east-1", endpoint_url=base,
                          aws_access_key_id="x", aws_secret_access_key="x")
    client.converse(modelId=model, **boto3_params(body))
    path, sent = last_request()
    assert path.startswith(f"/model/{model}/converse"), path
    return sent


def send_gemini(base, body, model):
    from google import genai
    from google.genai import types
    config = dict(body.get("generationConfig", {}))
    for key in ("systemInstruction", "tools", "toolConfig", "safetySettings", "cachedContent"):
        if key in body:
            config[key] = body[key]
    # The SDK's own types check the body (extra fields are forbidden in them).
    contents = [types.Content.model_validate(c) for c in body["contents"]]
    config = types.GenerateContentConfig.model_validate(config)
    client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=base))
    client.models.generate_content(model=model, contents=contents, config=config)
    return last_request()[1]


PHOENIX = None


def check_phoenix(body):
    """Validates with the client's TypedDicts, closed: a key they do not define fails."""
    global PHOENIX
    import pydantic
    if PHOENIX is None:
        from typing import is_typeddict
        import phoenix.client.__generated__.v1 as v1
        for name in dir(v1):
            t = getattr(v1, name)
            if isinstance(t, type) and is_typeddict(t):
                t.__pydantic_config__ = pydantic.ConfigDict(extra="forbid")
        PHOENIX = pydantic.TypeAdapter(v1.CreatePromptRequestBody)
    PHOENIX.validate_python(body)


def check_langwatch(body):
    from langwatch.generated.langwatch_rest_api_client.models.post_api_prompts_body import (
        PostApiPromptsBody,
    )
    parsed = PostApiPromptsBody.from_dict(body)
    kept = parsed.to_dict()
    lost = sorted(set(body) - set(kept))
    return f"the client type drops {', '.join(lost)}" if lost else ""


def check_freeplay(base, body, endpoint):
    import dacite
    from freeplay import Freeplay
    from freeplay.support import HistoryTemplateMessage, TemplateChatMessage, ToolSchema
    strict = dacite.Config(strict=True)
    messages = [
        dacite.from_dict(HistoryTemplateMessage if m.get("kind") == "history"
                         else TemplateChatMessage, m, config=strict)
        for m in body["template_messages"]
    ]
    # The SDK serialises messages with `__dict__`, which leaves MediaSlot objects that json
    # cannot write: after checking them, media slots go to the SDK as plain dicts.
    for m in messages:
        if isinstance(m, TemplateChatMessage):
            m.media_slots = [s.__dict__ for s in m.media_slots]
    tools = [dacite.from_dict(ToolSchema, t, config=strict) for t in body.get("tool_schema") or []]
    # The template name and project are in the endpoint `prompt` printed.
    path = endpoint.split(" ", 1)[1]
    project = path.split("/projects/")[1].split("/")[0]
    name = unquote(path.split("/prompt-templates/name/")[1].rsplit("/versions", 1)[0])
    client = Freeplay(freeplay_api_key="x", api_base=f"{base}/api")
    client.prompts.create_version(
        project_id=project, template_name=name, template_messages=messages,
        model=body["model"], provider=body["provider"],
        version_name=body.get("version_name"), version_description=body.get("version_description"),
        llm_parameters=body.get("llm_parameters"), tool_schema=tools or None,
        environments=body.get("environments"))
    sent_path, sent = last_request()
    assert unquote(sent_path) == unquote(path), \
        f"the SDK posted to {sent_path}, `prompt` printed {path}"
    lost = sorted(k for k in body if k not in sent)
    return f"the SDK call cannot pass {', '.join(lost)}" if lost else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompt", required=True, help="the prompt binary")
    args = parser.parse_args()
    os.environ.setdefault("GIT_AUTHOR_NAME", "sdk")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "sdk@example.com")
    os.environ.setdefault("GIT_COMMITTER_NAME", "sdk")
    os.environ.setdefault("GIT_COMMITTER_EMAIL", "sdk@example.com")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Mock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        subprocess.run([args.prompt, "init", str(repo)], check=True, capture_output=True)
        (repo / "cat.png").write_bytes(PNG)
        cases = corpus()
        for pid, yaml, values in cases:
            (repo / "prompts" / f"{pid}.prompt.yaml").write_text(yaml)
            vals = json.loads(json.dumps(values).replace("@PNG", str(repo / "cat.png")))
            (repo / f"{pid}.vars.json").write_text(json.dumps(vals))

        def run(*argv):
            return subprocess.run([args.prompt, "--repo", str(repo), *argv],
                                  capture_output=True, text=True)

        for pid, _, _ in cases:
            for fmt in ("openai", "openai-responses", "anthropic", "bedrock", "gemini"):
                out = run("render", pid, "--vars", str(repo / f"{pid}.vars.json"), "-f", fmt)
                warnings = [w for w in out.stderr.splitlines() if w.startswith("warning")]
                if out.returncode != 0:
                    print(f"REFUSED {pid:22} {fmt:16} {out.stderr.strip()}")
                    continue
                body = json.loads(out.stdout)
                try:
                    if fmt == "openai":
                        sent = send_openai(base, body)
                    elif fmt == "openai-responses":
                        sent = send_openai_responses(base, body)
                    elif fmt == "anthropic":
                        sent = send_anthropic(base, body)
                    elif fmt == "bedrock":
                        sent = send_bedrock(base, body, "m-1")
                    else:
                        sent = send_gemini(base, body, "m-1")
                    note = "" if same_json(sent, body) else "  (the SDK sent a different body)"
                    if note:
                        failures += 1
                        print(f"DIFF    {pid:22} {fmt:16}\n  wrote {json.dumps(body)}\n"
                              f"  sent  {json.dumps(sent)}")
                    else:
                        print(f"ok      {pid:22} {fmt:16} {'; '.join(warnings)}")
                except Exception as e:  # noqa: BLE001 - report every SDK error
                    failures += 1
                    print(f"FAIL    {pid:22} {fmt:16} {type(e).__name__}: {str(e)[:400]}")
            for service in ("phoenix", "langwatch", "freeplay", "bifrost"):
                out = run("export", pid, "--to", service)
                warnings = [w for w in out.stderr.splitlines() if w.startswith("warning")]
                endpoint = [l for l in out.stderr.splitlines() if not l.startswith("warning")]
                if out.returncode != 0:
                    print(f"REFUSED {pid:16} {service:9} {out.stderr.strip()}")
                    continue
                body = json.loads(out.stdout)
                try:
                    note = ""
                    if service == "phoenix":
                        check_phoenix(body)
                    elif service == "langwatch":
                        note = check_langwatch(body)
                    elif service == "freeplay":
                        note = check_freeplay(base, body, endpoint[-1])
                    else:
                        note = "no client types published; not checked"
                    print(f"ok      {pid:16} {service:9} {note}  {'; '.join(warnings)}")
                except Exception as e:  # noqa: BLE001
                    failures += 1
                    print(f"FAIL    {pid:16} {service:9} {type(e).__name__}: {str(e)[:600]}")
    server.shutdown()
    print(f"{failures} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
