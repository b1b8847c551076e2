"""The bad-input suite of issue 8 over real sockets: wrong signatures, replayed messages,
missing fields, wrong types, huge messages, unknown msg_types, invalid UTF-8, truncated
and extra frames, cells of random bytes, and a thousand random well-formed cells.

After each case the kernel must answer a normal request with its workspace intact
(`keep` bound at the start is still 42), the process must be alive, and at the end its
stderr must not contain the HMAC key.

What the kernel does with a message it does not serve (docs/architecture.md):
- not properly signed (wrong key, bad or missing signature, frames missing before the
  four dicts can be checked): dropped and logged, never answered;
- a replay (a signature accepted before, on either channel): dropped and logged;
- signed, but the header is unreadable or lacks a string msg_id or msg_type: dropped and
  logged (a reply cannot be addressed);
- signed, header readable, but the other dicts are not JSON objects (invalid JSON,
  invalid UTF-8, a list) or the message is above the maximum size: a `*_reply` with
  status error, ename ProtocolError, saying what is wrong;
- an unknown msg_type: logged and not answered (as ipykernel does), with busy/idle.
Raw messages go over raw pyzmq DEALER sockets, signed with the session key.
"""

import hashlib
import hmac
import json
import random
import time
import uuid

import pytest
import zmq
from jupyter_client.session import Session
from jupyter_kernel_test.msgspec_v5 import validate_message

from conftest import record, start_kernel

D = b"<IDS|MSG>"
MAX_MESSAGE = 64 << 20          # the kernel's default NEURODYN_MAX_MESSAGE
QUIET = 0.4                     # seconds to wait to be sure that no reply comes


def sign(key, parts):
    h = hmac.new(key, digestmod=hashlib.sha256)
    for p in parts:
        h.update(p)
    return h.hexdigest().encode()


def conn_info(k):
    return k.km.get_connection_info()


class Raw:
    """A raw DEALER socket on one of the kernel's channels, building messages by hand."""

    def __init__(self, k, channel="shell"):
        info = conn_info(k)
        sep = ":" if info["transport"] == "tcp" else "-"
        self.key = info["key"]
        self.session = Session(key=self.key, signature_scheme=info["signature_scheme"])
        self.sock = zmq.Context.instance().socket(zmq.DEALER)
        self.sock.linger = 0
        self.sock.connect(f"{info['transport']}://{info['ip']}{sep}{info[channel + '_port']}")

    def close(self):
        self.sock.close()

    @staticmethod
    def header(kind, changes=None):
        h = {"msg_id": uuid.uuid4().hex, "session": "raw-client", "username": "test",
             "date": "2026-01-01T00:00:00.000000Z", "msg_type": kind, "version": "5.3"}
        for name, value in (changes or {}).items():
            if value is DROP:
                del h[name]
            else:
                h[name] = value
        return h

    def frames(self, kind="execute_request", content=None, *, header=None,
               raw=None, key=None, changes=None):
        """Signed frames of a message and its msg_id. raw maps a dict's name (header,
        parent, metadata, content) to the exact bytes to send in its place."""
        h = header if header is not None else self.header(kind, changes)
        raw = raw or {}
        parts = [raw.get("header", json.dumps(h).encode()), raw.get("parent", b"{}"),
                 raw.get("metadata", b"{}"),
                 raw.get("content", json.dumps({} if content is None else content).encode())]
        msg_id = h.get("msg_id") if isinstance(h, dict) else None
        return [D, sign(self.key if key is None else key, parts)] + parts, msg_id

    def send(self, frames):
        self.sock.send_multipart(frames)

    def collect(self, msg_id, wait, first=False):
        """Every reply with parent msg_id that arrives within wait seconds (with first,
        returns as soon as there is one)."""
        got = []
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.sock.poll(max(1, int(left * 1000))):
                return got
            _, frames = self.session.feed_identities(self.sock.recv_multipart())
            m = self.session.deserialize(frames)
            if m["parent_header"].get("msg_id") == msg_id:
                got.append(m)
                if first:
                    return got

    def reply(self, msg_id, timeout=10.0):
        """The first reply to msg_id; fails when none comes within timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.collect(msg_id, deadline - time.monotonic(), first=True)
            if got:
                return got[0]
        raise AssertionError(f"no reply to {msg_id} within {timeout}s")

    def no_reply(self, msg_id=None, wait=QUIET):
        """Nothing at all arrives within wait (this socket's requests are answered in
        order, so any message now answers something that must be dropped)."""
        if self.sock.poll(int(wait * 1000)):
            _, frames = self.session.feed_identities(self.sock.recv_multipart())
            m = self.session.deserialize(frames)
            raise AssertionError(f"the kernel answered a message it must drop ({msg_id}): "
                                 f"{m['msg_type']} {m['content']}")

    def request(self, kind, content=None, timeout=10.0, **kw):
        frames, msg_id = self.frames(kind, content, **kw)
        self.send(frames)
        return self.reply(msg_id, timeout)


DROP = object()   # a header field to leave out


def execute_content(code, **kw):
    c = dict(code=code, silent=False, store_history=False, user_expressions={},
             allow_stdin=False, stop_on_error=False)
    c.update(kw)
    return c


def check_intact(k):
    """The kernel runs, answers a normal request, and still has its workspace."""
    assert k.exit_status() is None, f"the kernel died (exit status {k.exit_status()})"
    r = k.ok("print keep")
    assert r.stream("stdout") == "42\n", r.stream("stdout")
    assert k.ok("1 + 1").text == "2"


def protocol_error(reply, msg_type):
    assert reply["msg_type"] == msg_type, reply["msg_type"]
    validate_message(reply, msg_type, reply["parent_header"]["msg_id"])
    c = reply["content"]
    assert c["status"] == "error", c
    assert c["ename"] == "ProtocolError", c
    return c["evalue"]


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel(capture_stderr=True)
    kernel.ok("let keep = 42")
    yield kernel
    key = conn_info(kernel)["key"].decode()
    kernel.stop()
    assert key not in kernel.stderr_text(), "the HMAC key is in the kernel's log"


@pytest.fixture
def raw(k):
    r = Raw(k)
    yield r
    r.close()


# ---------------------------------------------------------------- signatures

def test_wrong_signatures_are_dropped(k, raw):
    good, _ = raw.frames("execute_request", execute_content("let forged_a = 1"))
    cases = []
    # signed with another key
    cases.append(raw.frames("execute_request", execute_content("let forged_b = 1"),
                            key=b"not-the-key"))
    # the right signature of other bytes: the content was changed after signing
    f, msg_id = raw.frames("execute_request", execute_content("let forged_c = 1"))
    f[-1] = json.dumps(execute_content("let forged_c = 2")).encode()
    cases.append((f, msg_id))
    # one hex digit changed, upper-case hex, truncated, too long, empty, not hex
    for mangle in (lambda s: s[:-1] + (b"0" if s[-1:] != b"0" else b"1"), bytes.upper,
                   lambda s: s[:32], lambda s: s + b"00", lambda s: b"", lambda s: b"z" * 64):
        f, msg_id = raw.frames("execute_request", execute_content("let forged_d = 1"))
        f[1] = mangle(f[1])
        if f[1] != good[1]:
            cases.append((f, msg_id))
    for f, _ in cases:
        raw.send(f)
    raw.no_reply()
    k.sync()
    for _, msg_id in cases:
        assert k.iopub[msg_id] == [], "a forged message got busy/idle"
    for name in "bcd":
        assert k.execute(f"forged_{name}").content["ename"] == "NameError"
    assert "signature does not match" in k.stderr_text()
    check_intact(k)


def test_replayed_message_runs_once(k, raw):
    k.ok("let counter = 0")
    frames, msg_id = raw.frames("execute_request", execute_content("let counter = counter + 1"))
    raw.send(frames)
    raw.send(frames)                      # the same bytes again at once
    first = raw.reply(msg_id)
    assert first["content"]["status"] == "ok"
    raw.no_reply(msg_id)                  # the second copy is dropped, not answered
    raw.send(frames)                      # and again later, after other requests
    k.ok("1")
    raw.no_reply(msg_id)
    assert k.ok("print counter").stream("stdout") == "1\n", "a replayed cell ran again"

    # the memory is shared by the channels: the same bytes on control are a replay too
    control = Raw(k, "control")
    try:
        control.send(frames)
        control.no_reply(msg_id)
        info, info_id = control.frames("kernel_info_request")
        control.send(info)
        control.send(info)
        assert control.reply(info_id)["msg_type"] == "kernel_info_reply"
        control.no_reply(info_id)
    finally:
        control.close()
    err = k.stderr_text()
    assert "dropped a replayed message" in err
    assert frames[1].decode() not in err, "the log shows a whole signature"
    check_intact(k)


# ---------------------------------------------------------------- missing fields, wrong types

def test_missing_header_fields(k, raw):
    for field in ("msg_id", "msg_type"):
        f, msg_id = raw.frames("kernel_info_request", changes={field: DROP})
        raw.send(f)
        raw.no_reply(msg_id)
    f, _ = raw.frames("kernel_info_request", header={})
    raw.send(f)
    raw.no_reply()
    assert "header lacks a string msg_type or msg_id" in k.stderr_text()
    # msg_id and msg_type are all a reply needs: a header without session or date is served
    for field in ("session", "date", "username", "version"):
        r = raw.request("kernel_info_request", changes={field: DROP})
        assert r["content"]["status"] == "ok", field
    check_intact(k)


def test_missing_content_keys(k, raw):
    c = execute_content("x")
    del c["code"]
    evalue = protocol_error(raw.request("execute_request", c), "execute_reply")
    assert "code" in evalue
    # the other keys of execute_request have defaults
    r = raw.request("execute_request", {"code": "keep"})
    assert r["content"]["status"] == "ok"
    assert raw.request("complete_request", {})["content"]["status"] == "ok"
    assert raw.request("inspect_request", {})["content"]["status"] == "ok"
    assert raw.request("is_complete_request", {})["content"]["status"] == "invalid"
    r = raw.request("history_request", {})
    assert r["content"] == {"status": "ok", "history": []}
    assert raw.request("comm_info_request", {})["content"]["status"] == "ok"
    f, msg_id = raw.frames("comm_open", {})          # no comm_id: nothing to close
    raw.send(f)
    raw.no_reply(msg_id)
    check_intact(k)


def test_wrong_types_in_content(k, raw):
    for code in (5, None, ["keep"], {"a": 1}, True):
        evalue = protocol_error(raw.request("execute_request", execute_content(code)),
                                "execute_reply")
        assert "string 'code'" in evalue
    # flags of the wrong type fall back to their defaults
    r = raw.request("execute_request", execute_content(
        "keep", silent="yes", store_history=3, allow_stdin="no", stop_on_error=[],
        user_expressions=[1, 2]))
    assert r["content"]["status"] == "ok" and r["content"]["user_expressions"] == {}
    r = raw.request("execute_request", execute_content(
        "1", user_expressions={"bad": 5, "good": "keep", "err": "nosuch"}))
    ue = r["content"]["user_expressions"]
    assert ue["good"]["status"] == "ok" and ue["good"]["data"]["text/plain"] == "42"
    assert ue["bad"]["status"] == "error" and ue["err"]["status"] == "error"
    # cursors and counts: strings, negatives, fractions and numbers beyond int
    for pos in ("x", -5, 2.5, 1e300, -1e300, 10 ** 18, None, [3]):
        for t in ("complete_request", "inspect_request"):
            r = raw.request(t, {"code": "ke", "cursor_pos": pos, "detail_level": pos})
            assert r["content"]["status"] == "ok", (t, pos, r["content"])
        r = raw.request("history_request", {"hist_access_type": "range", "session": pos,
                                             "start": pos, "stop": pos, "n": pos,
                                             "output": pos, "raw": pos})
        assert r["content"]["status"] == "ok"
    for hat in (5, None, "nosuch", "search"):
        r = raw.request("history_request", {"hist_access_type": hat, "pattern": 7, "n": -1})
        assert r["content"]["status"] == "ok"
    # an integer too big for the JSON parser: the content cannot be read, the header can
    r = raw.request("complete_request", raw={"content": b'{"code": "k", "cursor_pos": '
                                                      + b"9" * 400 + b"}"})
    protocol_error(r, "complete_reply")
    check_intact(k)


def test_dicts_of_the_wrong_kind(k, raw):
    # content, parent_header or metadata that are not objects: answered with an error
    for name, value in (("content", b"[1, 2]"), ("content", b'"code"'), ("content", b"5"),
                        ("content", b"null"), ("parent", b"[]"), ("metadata", b"true"),
                        ("content", b'{"code": "keep"'), ("content", b"")):
        f, msg_id = raw.frames("execute_request", raw={name: value})
        raw.send(f)
        evalue = protocol_error(raw.reply(msg_id), "execute_reply")
        assert "JSON" in evalue, evalue
    # a header that is not an object cannot be answered
    for value in (b"[]", b'"kernel_info_request"', b"{", b"", b'{"msg_id": 1, "msg_type": 2}'):
        f, _ = raw.frames(raw={"header": value})
        raw.send(f)
    raw.no_reply()
    r = raw.request("kernel_info_request")
    assert r["content"]["status"] == "ok"
    check_intact(k)


# ---------------------------------------------------------------- sizes

def test_large_but_allowed_cell(k):
    code = "# " + "x" * 10_000_000 + "\nkeep"
    t0 = time.perf_counter()
    r = k.execute(code, timeout=30, store_history=False)
    record("10 MB cell (a comment and a name)", time.perf_counter() - t0)
    assert r.status == "ok" and r.text == "42"
    check_intact(k)


def test_message_above_the_maximum_gets_an_error_reply(k, raw):
    content = json.dumps(execute_content("#" * (MAX_MESSAGE + 1024) + "\nlet too_big = 1"))
    t0 = time.perf_counter()
    frames, msg_id = raw.frames("execute_request", raw={"content": content.encode()})
    del content
    raw.send(frames)
    del frames
    evalue = protocol_error(raw.reply(msg_id, timeout=30), "execute_reply")
    record("refusing a 64 MiB + 1 kB message", time.perf_counter() - t0)
    assert "maximum" in evalue and str(MAX_MESSAGE) in evalue
    assert k.execute("too_big").content["ename"] == "NameError"
    # a big frame that is no message at all, and a message of too many frames
    raw.send([b"\0" * (MAX_MESSAGE + 1)])
    raw.send([b""] * 5000)
    raw.no_reply()
    err = k.stderr_text()
    assert f"the maximum is {MAX_MESSAGE}" in err
    assert "frames: the maximum is 4096" in err
    check_intact(k)


def test_maximum_size_from_the_environment():
    """NEURODYN_MAX_MESSAGE=1M: 2 MB is refused with a reply; a 5 MB frame is above the
    hard limit (4 x the maximum), which ZeroMQ enforces by dropping that connection."""
    small = start_kernel(env={"NEURODYN_MAX_MESSAGE": "1M"}, capture_stderr=True)
    r = Raw(small)
    try:
        small.ok("let keep = 42")
        assert r.request("execute_request", execute_content("#" * 900_000 + "\nkeep"))[
            "content"]["status"] == "ok"
        frames, msg_id = r.frames("execute_request", execute_content("#" * 2_000_000))
        r.send(frames)
        assert str(1 << 20) in protocol_error(r.reply(msg_id), "execute_reply")

        frames, msg_id = r.frames("execute_request", execute_content("#" * 5_000_000))
        r.send(frames)
        r.no_reply(msg_id)
        check_intact(small)
        # the dropped client reconnects by itself and is served again
        deadline = time.monotonic() + 10
        answered = False
        while not answered and time.monotonic() < deadline:
            frames, msg_id = r.frames("kernel_info_request")
            r.send(frames)
            answered = bool(r.collect(msg_id, 0.5, first=True))
        assert answered, "the client dropped for a frame above the hard limit never got back"
        assert "maximum is 1048576" in small.stderr_text()
    finally:
        r.close()
        small.stop()


# ---------------------------------------------------------------- unknown types

def test_unknown_msg_types_are_logged_not_answered(k, raw):
    long_type = "x" * 100_000 + "_request"
    ids = []
    for t in ("foo_request", "", "execute_reply", "status", long_type, "ünïcode_request"):
        f, msg_id = raw.frames(t, {"code": "let unknown_ran = 1"})
        raw.send(f)
        ids.append(msg_id)
    raw.no_reply()
    for msg_id in ids:
        assert [m["content"]["execution_state"] for m in k.wait_idle(msg_id)] == ["busy", "idle"]
    control = Raw(k, "control")
    try:
        f, msg_id = control.frames("foo_request")
        control.send(f)
        control.no_reply(msg_id)
        # a shell request on control is answered with an error naming the shell channel
        evalue = protocol_error(control.request("complete_request", {"code": ""}),
                                "complete_reply")
        assert "shell" in evalue
    finally:
        control.close()
    err = k.stderr_text()
    assert "unknown type 'foo_request'" in err and "unknown type 'foo_request' on control" in err
    assert "x" * 200 not in err, "a huge msg_type was copied into the log"
    assert k.execute("unknown_ran").content["ename"] == "NameError"
    check_intact(k)


# ---------------------------------------------------------------- UTF-8

def test_invalid_utf8(k, raw):
    # in the code: the content is not valid JSON text, so the request gets an error reply
    for bad in (b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"ok \xe2\x82", b"\xf8\x88\x80\x80\x80"):
        f, msg_id = raw.frames("execute_request",
                               raw={"content": b'{"code": "let u = 1 ' + bad + b'"}'})
        raw.send(f)
        protocol_error(raw.reply(msg_id), "execute_reply")
    # escaped lone surrogates are not text either; either error shape is clean
    f, msg_id = raw.frames("execute_request", raw={"content": b'{"code": "\\ud800"}'})
    raw.send(f)
    assert raw.reply(msg_id)["content"]["status"] == "error"
    # in the header: the message cannot be answered
    hdr = json.dumps(Raw.header("kernel_info_request")).encode()
    f, _ = raw.frames(raw={"header": hdr.replace(b'"test"', b'"te\xffst"')})
    raw.send(f)
    raw.no_reply()
    assert "header is not valid JSON" in k.stderr_text()
    # valid UTF-8 beyond the BMP, and a NUL, are answered normally
    r = raw.request("execute_request", execute_content('print "😀 ∂V"'))
    assert r["content"]["status"] == "ok"
    r = raw.request("execute_request", execute_content('print "a\u0000b"'))
    assert r["content"]["status"] == "error"
    check_intact(k)


# ---------------------------------------------------------------- frames

def test_truncated_and_extra_frames(k, raw):
    full, _ = raw.frames("execute_request", execute_content("let truncated_ran = 1"))
    for n in range(1, len(full)):                 # every truncation of a signed message
        raw.send(full[:n])
    raw.send([b"garbage"])
    raw.send([b""])
    raw.send([b"id1", b"id2"])                    # idents and no delimiter
    raw.send([D, D, D, D, D, D])
    raw.no_reply()
    assert k.execute("truncated_ran").content["ename"] == "NameError"
    # extra frames after content are buffers; extra idents are routed back
    f, msg_id = raw.frames("execute_request", execute_content("let buffered = 7"))
    raw.send(f + [b"buffer-1", b"\0" * 1000])
    assert raw.reply(msg_id)["content"]["status"] == "ok"
    f, msg_id = raw.frames("kernel_info_request")
    raw.send([b"extra-ident", b"another"] + f)
    assert raw.reply(msg_id)["msg_type"] == "kernel_info_reply"
    assert k.ok("buffered").text == "7"
    check_intact(k)


# ---------------------------------------------------------------- random cells

def json_string_bytes(b):
    """b as the inside of a JSON string, leaving bytes >= 0x80 raw (maybe invalid UTF-8)."""
    out = bytearray()
    for c in b:
        if c == 0x22 or c == 0x5C:
            out += b"\\" + bytes([c])
        elif c < 0x20:
            out += b"\\u%04x" % c
        else:
            out.append(c)
    return bytes(out)


def test_cells_of_random_bytes(k, raw):
    rng = random.Random(8)
    t0 = time.perf_counter()
    statuses = {"ok": 0, "error": 0}
    for i in range(100):
        data = rng.randbytes(rng.randint(0, 400))
        if i % 2 == 0:
            # as text (each byte one code point): a valid request with strange code
            r = k.finish(k.send_execute(data.decode("latin-1"), store_history=False,
                                        stop_on_error=False), timeout=10)
            status, ename = r.status, r.content.get("ename")
        else:
            # the bytes themselves inside the JSON string: mostly invalid UTF-8
            f, msg_id = raw.frames("execute_request", raw={
                "content": b'{"code": "' + json_string_bytes(data) + b'", "silent": false}'})
            raw.send(f)
            c = raw.reply(msg_id)["content"]
            status, ename = c["status"], c.get("ename")
        assert status in statuses, (i, status)
        assert ename != "InternalError", (i, data)
        statuses[status] += 1
    record("100 cells of random bytes", time.perf_counter() - t0)
    assert statuses["error"] > 0
    check_intact(k)


MODELS = ["fhn", "hh", "ml", "lif", "izh", "nosuch"]
NUMBERS = ["0", "1", "-1", "0.5", "1e308", "-1e308", "1e-320", "nan", "inf", "-inf",
           '"text"', "[1, 2]", "none", "true", "keep_not", "1/0", "()", "1e", "--1", "2^1024"]


def random_cell(rng):
    """A well-formed cell of the language's commands with random, often invalid, values."""
    name = f"v{rng.randrange(10)}"
    num = (lambda: rng.choice(NUMBERS) if rng.random() < 0.3
           else repr(round(rng.uniform(-50, 50), rng.randrange(4))))
    kind = rng.randrange(12)
    if kind == 0:
        return f"let {name} = {num()}"
    if kind == 1:
        return f"print {name}, {num()}"
    if kind == 2:
        return f"{name} + {num()} * {rng.choice(['2', name, 'sqrt(4)', 'pi'])}"
    if kind == 3:
        t = rng.choice([repr(round(rng.uniform(0.1, 20), 2)), "0", "-5", "nan", "inf",
                        "1e12", '"x"'])
        extra = rng.choice(["", " method=rk4", " method=euler dt=0.05", " sample=0.1",
                            " method=bdf", " method=nosuch", " rtol=-1", " sample=1e-9"])
        return f"{name} = simulate {rng.choice(MODELS)} t={t}{extra}"
    if kind == 4:
        return f"use {rng.choice(MODELS)}"
    if kind == 5:
        # (only I: other parameters make some models pathologically slow to integrate,
        # e.g. izh with a < 0 takes 6-23 s to reach the solver's step limit)
        return f"set {rng.choice(['I', 'I', 'nosuch'])} = {num()}"
    if kind == 6:
        return f"del {name}"
    if kind == 7:
        return "vars"
    if kind == 8:
        return f"repeat {rng.choice(['0', '1', '3', '-1', 'nan'])} {{ let {name} = {num()} }}"
    if kind == 9:
        return f"{name}?"
    if kind == 10:
        return f"stability at {rng.choice(['V', 'v', 'w', 'x'])}={num()}"
    return f"print {name} > {num()} and {rng.choice(['true', 'false', name])}"


def test_a_thousand_random_well_formed_cells(k):
    rng = random.Random(1000)
    counts = {}
    t0 = time.perf_counter()
    for i in range(1000):
        code = "\n".join(random_cell(rng) for _ in range(rng.randint(1, 3)))
        r = k.finish(k.send_execute(code, store_history=False, stop_on_error=False),
                     timeout=10, validate=(i % 50 == 0))
        assert r.status in ("ok", "error"), (code, r.content)
        if r.status == "error":
            assert r.content["ename"] not in ("InternalError", "Interrupted"), (code, r.content)
            assert r.content["evalue"], code
        key = r.status if r.status == "ok" else r.content["ename"]
        counts[key] = counts.get(key, 0) + 1
        if i % 250 == 249:
            check_intact(k)
    elapsed = time.perf_counter() - t0
    record("1000 random well-formed cells", elapsed)
    assert counts.get("ok", 0) > 200 and len(counts) > 3, counts
    check_intact(k)


def test_kernel_alive_and_key_not_logged(k):
    """Runs last: after everything above, the same process still serves the workspace."""
    check_intact(k)
    key = conn_info(k)["key"]
    assert key and key.decode() not in k.stderr_text()
