#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (run from the
repository root; the files are committed, so this only needs re-running to change them):

  wire/      real Jupyter messages as the wire target reads them (fuzz/wire.c): a mode byte,
             then the frames separated by "\\n|\\n"
  connfile/  connection files as Jupyter writes them, and variants
  cell/      every code cell of notebooks/*.ipynb and the code examples of docs/*.md
  model/     the built-in models lib/models/*.nd and the model blocks of those cells
"""
import glob
import hashlib
import hmac
import json
import os
import re
import uuid

KEY = b"a0436f6c-1916-498b-8eb9-e81ab9368e84"   # the key in fuzz/wire.c
SEP = b"\n|\n"
ROOT = "fuzz/corpus"


def write(target, name, data):
    path = os.path.join(ROOT, target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def message(msg_type, content, parent=None, idents=(b"client-ident",), buffers=()):
    """The frames of one request, as jupyter_client's Session would send them."""
    header = {"msg_id": str(uuid.UUID(int=len(msg_type) * 7919)), "session": "s-1",
              "username": "user", "date": "2026-11-26T04:00:00.000000Z",
              "msg_type": msg_type, "version": "5.3"}
    dicts = [dumps(header), dumps(parent or {}), dumps({}), dumps(content)]
    return list(idents) + [b"<IDS|MSG>"] + [None] + dicts + list(buffers)


def wire_seed(frames, mode):
    """Mode 0: unsigned; 1: signed with KEY; 2: the target signs it (placeholder)."""
    frames = list(frames)
    d = frames.index(b"<IDS|MSG>")
    if mode == 0:
        frames[d + 1] = b""
    elif mode == 1:
        mac = hmac.new(KEY, digestmod=hashlib.sha256)
        for part in frames[d + 2:d + 6]:
            mac.update(part)
        frames[d + 1] = mac.hexdigest().encode()
    else:
        frames[d + 1] = b"0" * 64
    return bytes([mode]) + SEP.join(frames)


def wire():
    requests = {
        "kernel_info": message("kernel_info_request", {}),
        "execute": message("execute_request", {
            "code": "use hh\nset I = 10\nsim = simulate t=100\nspikes sim", "silent": False,
            "store_history": True, "user_expressions": {"x": "1 + 2"},
            "allow_stdin": False, "stop_on_error": True}),
        "complete": message("complete_request", {"code": "simulate t=10 me", "cursor_pos": 16}),
        "inspect": message("inspect_request", {"code": "use hh", "cursor_pos": 2,
                                               "detail_level": 0}),
        "is_complete": message("is_complete_request", {"code": "model m {\n  dx/dt = -x"}),
        "history": message("history_request", {"output": False, "raw": True,
                                                "hist_access_type": "tail", "n": 10}),
        "comm_info": message("comm_info_request", {"target_name": "x"}),
        "shutdown": message("shutdown_request", {"restart": False}, idents=()),
        "interrupt": message("interrupt_request", {}, idents=(b"a", b"b")),
        "with_parent": message("execute_request", {"code": "print \"\\u00e9\\u0000\""},
                               parent={"msg_id": "p-1", "msg_type": "x", "session": "s"}),
        "buffers": message("comm_msg", {"comm_id": "c", "data": {"n": [1, 2.5, None, True]}},
                           buffers=(b"\x00\x01\x02binary", b"")),
    }
    for name, frames in requests.items():
        for mode in (0, 1, 2):
            write("wire", f"{name}_{mode}", wire_seed(frames, mode))


def connfile():
    base = {"shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796,
            "control_port": 53797, "hb_port": 53798, "ip": "127.0.0.1",
            "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84", "transport": "tcp",
            "signature_scheme": "hmac-sha256", "kernel_name": "neurodyn"}
    write("connfile", "jupyter", json.dumps(base, indent=2))
    write("connfile", "ipc", json.dumps(dict(base, transport="ipc", ip="/tmp/kernel-ipc")))
    minimal = {k: base[k] for k in ("ip", "shell_port", "iopub_port", "stdin_port",
                                    "control_port", "hb_port")}
    write("connfile", "minimal", json.dumps(minimal))
    write("connfile", "empty_key", json.dumps(dict(base, key="")))
    write("connfile", "other_scheme", json.dumps(dict(base, signature_scheme="hmac-md5")))


def cell():
    n = 0
    for path in sorted(glob.glob("notebooks/*.ipynb")):
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        stem = os.path.splitext(os.path.basename(path))[0]
        for i, c in enumerate(nb["cells"]):
            if c["cell_type"] != "code":
                continue
            source = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            if source.strip():
                write("cell", f"{stem}_{i:02d}", source)
                n += 1
            for k, body in enumerate(model_blocks(source)):
                write("model", f"{stem}_{i:02d}_{k}.nd", body)
    for path in sorted(glob.glob("docs/*.md")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        stem = os.path.splitext(os.path.basename(path))[0]
        for i, block in enumerate(re.findall(r"^```[a-z]*\n(.*?)^```", text, re.M | re.S)):
            if "model " in block or re.search(r"^\s*(use|simulate|let|set|print|plot)\b",
                                              block, re.M):
                write("cell", f"doc_{stem}_{i:02d}", block)
                n += 1
            for k, body in enumerate(model_blocks(block)):
                write("model", f"doc_{stem}_{i:02d}_{k}.nd", body)
    return n


def model_blocks(source):
    """The texts inside "model NAME { ... }" (braces nest; strings hold none)."""
    for m in re.finditer(r"^\s*model\s+\w+[^{\n]*\{", source, re.M):
        depth, i = 1, m.end()
        while i < len(source) and depth:
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            i += 1
        if depth == 0:
            yield source[m.end():i - 1]


def model():
    for path in sorted(glob.glob("lib/models/*.nd")):
        with open(path, "rb") as f:
            write("model", os.path.basename(path), f.read())


if __name__ == "__main__":
    wire()
    connfile()
    cell()
    model()
