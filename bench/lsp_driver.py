#!/usr/bin/env python3
"""A small LSP client for bench/lsp.sh: starts `prompt lsp` in a registry, speaks LSP over its
stdio (Content-Length framing), and measures

- start-up: from starting the process to the `initialize` result;
- diagnostics latency: from sending `didChange` to the `publishDiagnostics` of that version,
  for N changes (median, p99, max);
- references of a partial (every prompt file is read);
- peak memory of the server (VmHWM from /proc, Linux).

Usage: lsp_driver.py PROMPT_BIN REGISTRY_DIR PROMPT_FILE [CHANGES]
Prints one `name: value` line per figure.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import queue


class Client:
    def __init__(self, argv, cwd):
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def wait(self, pred, timeout=30):
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no such message")
            item = self.messages.get(timeout=left)
            if item is None:
                raise EOFError("server closed its output")
            at, msg = item
            if pred(msg):
                return at, msg


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    binary, registry, prompt_file = sys.argv[1:4]
    changes = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    path = os.path.abspath(os.path.join(registry, prompt_file))
    uri = "file://" + path
    started = time.perf_counter()
    c = Client([binary, "lsp"], registry)
    rid = c.request("initialize", {"processId": None, "rootUri": "file://" + os.path.abspath(registry),
                                   "capabilities": {}})
    at, _ = c.wait(lambda m: m.get("id") == rid)
    print(f"startup_to_initialize_ms: {(at - started) * 1000:.1f}")
    c.notify("initialized", {})
    with open(path) as f:
        text = f.read()
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    c.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
           and m["params"].get("version") == 1)
    latencies = []
    for v in range(2, changes + 2):
        # Alternate between the clean text and one that uses an undeclared variable.
        new = text if v % 2 else text.replace("{{ticket}}", "{{ticket}} {{x}}", 1)
        sent = time.perf_counter()
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"text": new}]})
        at, _ = c.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                       and m["params"].get("version") == v)
        latencies.append((at - sent) * 1000)
        # Typing speed: a change every 60 ms at most.
        time.sleep(max(0.0, 0.06 - (time.perf_counter() - sent)))
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"changes: {len(latencies)}")
    print(f"didchange_to_diagnostics_median_ms: {statistics.median(latencies):.1f}")
    print(f"didchange_to_diagnostics_p99_ms: {p99:.1f}")
    print(f"didchange_to_diagnostics_max_ms: {latencies[-1]:.1f}")
    # References of the partial the prompt includes: every prompt of the registry is read.
    line = next((i, l) for i, l in enumerate(text.split("\n")) if "{{>" in l)
    sent = time.perf_counter()
    rid = c.request("textDocument/references", {
        "textDocument": {"uri": uri},
        "position": {"line": line[0], "character": line[1].index("{{>") + 4},
        "context": {"includeDeclaration": False}})
    at, msg = c.wait(lambda m: m.get("id") == rid)
    print(f"references_of_partial_ms: {(at - sent) * 1000:.1f} ({len(msg.get('result') or [])} found)")
    rss = peak_rss_kib(c.proc.pid)
    if rss is not None:
        print(f"peak_rss_mib: {rss / 1024:.1f}")
    sid = c.request("shutdown", None)
    c.wait(lambda m: m.get("id") == sid)
    c.notify("exit", None)
    code = c.proc.wait(timeout=10)
    print(f"exit_code: {code}")


if __name__ == "__main__":
    main()
