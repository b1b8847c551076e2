#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (run from the
repository root; the files are committed, so this only needs re-running to change them):

  wire/      real Jupyter messages as the wire target reads them (fuzz/wire.c): a mode byte,
             then the frames separated by "\\n|\\n"
  connfile/  connection files as Jupyter writes them, and variants
  cell/      every code cell of notebooks/*.ipynb and the code examples of docs/*.md
  model/     the built-in models lib/models/*.nd and the model blocks of those cells
  abf/       the recordings of data/recordings/*.abf shrunk to two short sweeps (header
             kept, sample counts and the sweep table rewritten), and their first 8 kB

`fuzz/seeds.py abf` writes one target's seeds only.
"""
import glob
import hashlib
import struct
import sys
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


def shrunk_abf(raw, keep=128):
    """The same recording with two sweeps of `keep` samples per channel: the header up to
    the samples unchanged, then 2 * keep * channels samples, then the sweep table."""
    b = bytearray(raw)
    if raw[:4] == b"ABF2":
        section = lambda s: 76 + 16 * s
        block_of = lambda s: struct.unpack_from("<I", b, section(s))[0]
        nadc = struct.unpack_from("<q", b, section(1) + 8)[0]
        item = 2 if struct.unpack_from("<H", b, 30)[0] == 0 else 4
        data = block_of(10) * 512
        per_sweep = keep * nadc
        struct.pack_into("<i", b, block_of(0) * 512 + 22, per_sweep)   # samples per episode
        synch_block = (data + 2 * per_sweep * item + 511) // 512
        struct.pack_into("<IIq", b, section(10), block_of(10), item, 2 * per_sweep)
        struct.pack_into("<IIq", b, section(15), synch_block, 8, 2)
        synch = struct.pack("<iiii", 0, per_sweep, 100000, per_sweep)
    else:
        nadc = struct.unpack_from("<h", b, 120)[0]
        item = 2 if struct.unpack_from("<h", b, 100)[0] == 0 else 4
        data = struct.unpack_from("<i", b, 40)[0] * 512
        per_sweep = keep * nadc
        synch_block = (data + 2 * per_sweep * item + 511) // 512
        struct.pack_into("<i", b, 10, 2 * per_sweep)
        struct.pack_into("<i", b, 138, per_sweep)
        struct.pack_into("<ii", b, 92, synch_block, 2)
        synch = struct.pack("<iiii", 0, per_sweep, 5000, per_sweep)
    out = bytes(b[:data + 2 * per_sweep * item])
    return out.ljust(synch_block * 512, b"\0") + synch


def abf():
    for path in sorted(glob.glob("data/recordings/*.abf")):
        with open(path, "rb") as f:
            raw = f.read()
        name = os.path.splitext(os.path.basename(path))[0]
        write("abf", name + "-2-sweeps.abf", shrunk_abf(raw))
        write("abf", name + "-head.abf", raw[:8192])


TARGETS = {"wire": wire, "connfile": connfile, "cell": cell, "model": model, "abf": abf}

if __name__ == "__main__":
    for target in sys.argv[1:] or TARGETS:
        TARGETS[target]()
