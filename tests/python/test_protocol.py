"""The neurodyn kernel through jupyter_client on real sockets: the messaging protocol 5.3
as a front end sees it (kernel_info, busy/idle framing, execution counts, silent cells,
user expressions, interrupts in both modes, shutdown, restart, signatures, heartbeat,
stop_on_error, code-point cursors, errors)."""

import datetime
import hashlib
import hmac
import json
import os
import re
import time

import pytest
import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.session import Session

from conftest import HISTORY_FILE, record, spec_manager_with, start_kernel

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(lines):
    return [ANSI.sub("", line) for line in lines]


def statuses(msgs):
    return [m["content"]["execution_state"] for m in msgs if m["msg_type"] == "status"]


def neurodyn_json(data):
    return data["application/vnd.neurodyn+json"]


def conn_url(k, port_name):
    info = k.km.get_connection_info()
    sep = ":" if info["transport"] == "tcp" else "-"
    return f"{info['transport']}://{info['ip']}{sep}{info[port_name]}", info


# ---------------------------------------------------------------- kernel_info

def test_kernel_info_reply(kernel):
    r = kernel.request("kernel_info_request")
    c = r.content
    assert r.msg["msg_type"] == "kernel_info_reply"
    assert c["status"] == "ok"
    assert c["protocol_version"] == "5.3"
    assert c["implementation"] == "neurodyn"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", c["implementation_version"])
    li = c["language_info"]
    assert li["name"] == "neurodyn"
    assert li["mimetype"] == "text/x-neurodyn"
    assert li["file_extension"] == ".nd"
    assert li["version"]
    assert c["banner"].strip()
    assert c.get("debugger") is False
    assert statuses(r.iopub) == ["busy", "idle"]


def test_kernel_info_header(kernel):
    r = kernel.request("kernel_info_request")
    h = r.msg["header"]
    assert h["version"] == "5.3"
    assert h["msg_type"] == "kernel_info_reply"
    assert isinstance(h["date"], datetime.datetime), f"date is not ISO 8601: {h['date']!r}"
    assert h["date"].tzinfo is not None, "date has no time zone"
    assert abs((datetime.datetime.now(datetime.timezone.utc) - h["date"]).total_seconds()) < 60


def test_comm_info_and_comm_open(kernel):
    r = kernel.request("comm_info_request", {})
    assert r.content == {"status": "ok", "comms": {}}
    # No comm target exists: a comm_open is answered by a comm_close (spec), no reply.
    msg_id = kernel.send("comm_open", {"comm_id": "c0ffee", "target_name": "nope", "data": {}})
    iopub = kernel.wait_idle(msg_id)
    closes = [m for m in iopub if m["msg_type"] == "comm_close"]
    assert len(closes) == 1 and closes[0]["content"]["comm_id"] == "c0ffee"


# ---------------------------------------------------------------- busy / idle framing

REQUESTS = [
    ("kernel_info_request", {}),
    ("execute_request", {"code": "1+2", "silent": False, "store_history": True,
                         "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}),
    ("complete_request", {"code": "he", "cursor_pos": 2}),
    ("inspect_request", {"code": "print", "cursor_pos": 5, "detail_level": 0}),
    ("is_complete_request", {"code": "repeat 2 {"}),
    ("history_request", {"output": False, "raw": True, "hist_access_type": "tail", "n": 2}),
    ("comm_info_request", {}),
]


@pytest.mark.parametrize("msg_type,content", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_busy_idle_around_request(kernel, msg_type, content):
    r = kernel.request(msg_type, content)
    assert r.msg["msg_type"] == msg_type.replace("_request", "_reply")
    assert r.status == ("incomplete" if msg_type == "is_complete_request" else "ok")
    assert r.iopub[0]["msg_type"] == "status"
    assert statuses(r.iopub) == ["busy", "idle"]
    assert r.iopub[0]["content"]["execution_state"] == "busy"
    assert r.iopub[-1]["content"]["execution_state"] == "idle"
    for m in r.iopub:
        assert m["parent_header"]["msg_id"] == r.msg["parent_header"]["msg_id"]
    if msg_type != "execute_request":
        assert [m["msg_type"] for m in r.iopub] == ["status", "status"]


def test_outputs_in_order_between_busy_and_idle(kernel):
    code = 'print "one"\nwarn "two"\nhelp\nprint "three"\n1+2'
    r = kernel.ok(code)
    kinds = [(m["msg_type"], m["content"].get("name") or m["content"].get("execution_state"))
             for m in r.iopub]
    assert kinds == [
        ("status", "busy"),
        ("execute_input", None),
        ("stream", "stdout"),
        ("stream", "stderr"),
        ("display_data", None),
        ("stream", "stdout"),
        ("execute_result", None),
        ("status", "idle"),
    ]
    assert r.of_type("execute_input")[0]["content"]["code"] == code
    texts = [m["content"]["text"] for m in r.of_type("stream")]
    assert texts == ["one\n", "two\n", "three\n"]
    assert r.text == "3"


def test_nothing_arrives_after_idle(kernel):
    ids = [kernel.send_execute('print "a"\nhelp\nwarn "b"\n7'),
           kernel.send("complete_request", {"code": "pr", "cursor_pos": 2}),
           kernel.send_execute("1 + no_such_name_after_idle")]
    counts = {}
    for msg_id in ids:
        kernel.wait_reply(msg_id)
        counts[msg_id] = len(kernel.wait_idle(msg_id))
    time.sleep(0.3)
    kernel.sync()
    for msg_id in ids:
        msgs = kernel.iopub[msg_id]
        assert len(msgs) == counts[msg_id], f"late iopub: {[m['msg_type'] for m in msgs]}"
        assert msgs[-1]["msg_type"] == "status"
        assert statuses(msgs) == ["busy", "idle"]


def test_headers_of_every_message(kernel):
    kernel.ok('print "x"\nhelp\n1')
    kernel.execute("no_such_name_for_headers")
    kernel.request("complete_request", {"code": "he", "cursor_pos": 2})
    msgs = kernel.seen
    assert len(msgs) > 20
    ids = [m["header"]["msg_id"] for m in msgs]
    assert len(ids) == len(set(ids)), "msg_ids are not unique"
    assert len({m["header"]["session"] for m in msgs}) == 1, "kernel session id changed"
    for m in msgs:
        h = m["header"]
        assert h["version"] == "5.3"
        assert h["msg_type"] == m["msg_type"]
        assert isinstance(h["date"], datetime.datetime), f"bad date {h['date']!r}"
        assert h["date"].tzinfo is not None
        assert h["username"]
        if m["parent_header"]:
            assert m["parent_header"]["session"] in (kernel.kc.session.session,
                                                     kernel.km.session.session)


# ---------------------------------------------------------------- execution counts, silent

def test_execution_count(kernel):
    r1 = kernel.ok("1")
    n = r1.content["execution_count"]
    assert r1.of_type("execute_input")[0]["content"]["execution_count"] == n
    assert r1.of_type("execute_result")[0]["content"]["execution_count"] == n

    r2 = kernel.ok("2", store_history=False)
    assert r2.content["execution_count"] == n, "store_history=False must not count"
    r3 = kernel.ok("3")
    assert r3.content["execution_count"] == n + 1
    r4 = kernel.ok("4", silent=True)
    assert r4.content["execution_count"] == n + 1, "silent must not count"
    r5 = kernel.execute("no_such_name_counts")
    assert r5.status == "error"
    assert r5.content["execution_count"] == n + 2, "a failed cell still takes a number"
    r6 = kernel.ok("6")
    assert r6.content["execution_count"] == n + 3
    assert r6.of_type("execute_result")[0]["content"]["execution_count"] == n + 3


def test_silent_publishes_only_status(kernel):
    r = kernel.ok('print "loud"\nwarn "louder"\nhelp\nclear\n1+2', silent=True)
    assert [m["msg_type"] for m in r.iopub] == ["status", "status"]
    assert statuses(r.iopub) == ["busy", "idle"]
    r = kernel.execute("no_such_name_silent", silent=True)
    assert r.status == "error"
    assert r.content["ename"] == "NameError"
    assert [m["msg_type"] for m in r.iopub] == ["status", "status"]


def test_silent_and_unstored_cells_stay_out_of_history(kernel):
    kernel.ok("let hist_silent_marker = 1", silent=True)
    kernel.ok("let hist_unstored_marker = 2", store_history=False)
    kernel.ok("let hist_stored_marker = 3")
    inputs = [h[2] for h in kernel.history(hist_access_type="tail", n=50)]
    assert "let hist_stored_marker = 3" in inputs
    assert "let hist_silent_marker = 1" not in inputs
    assert "let hist_unstored_marker = 2" not in inputs
    # the silent and unstored cells still ran
    assert kernel.ok("hist_silent_marker + hist_unstored_marker").text == "3"


def test_history_goes_to_the_env_file(kernel):
    kernel.ok("let env_history_marker = 41")
    with open(HISTORY_FILE) as f:
        records = [json.loads(line) for line in f if line.strip()]
    mine = [r for r in records if r.get("input") == "let env_history_marker = 41"]
    assert mine and isinstance(mine[-1]["session"], int) and isinstance(mine[-1]["line"], int)


def test_history_with_output(kernel):
    r = kernel.ok("20 + 22")
    hist = kernel.history(hist_access_type="tail", n=1, output=True)
    assert len(hist) == 1
    session, line, (inp, out) = hist[0]
    assert line == r.content["execution_count"]
    assert inp == "20 + 22"
    assert out == "42"


def test_history_search_glob(kernel):
    for _ in range(3):
        kernel.ok("let glob_alpha = 1")
    kernel.ok("let glob_beta = 2")
    hits = kernel.history(hist_access_type="search", pattern="let glob_*")
    inputs = [h[2] for h in hits]
    assert inputs.count("let glob_alpha = 1") >= 3 and "let glob_beta = 2" in inputs
    assert set(inputs) == {"let glob_alpha = 1", "let glob_beta = 2"}
    uniq = kernel.history(hist_access_type="search", pattern="let glob_*", unique=True)
    assert sorted(h[2] for h in uniq) == ["let glob_alpha = 1", "let glob_beta = 2"]
    last2 = kernel.history(hist_access_type="search", pattern="let glob_?lpha*", n=2)
    assert [h[2] for h in last2] == ["let glob_alpha = 1"] * 2
    assert kernel.history(hist_access_type="search", pattern="let glob_[b]eta = 2", n=5)[-1][2] \
        == "let glob_beta = 2"


# ---------------------------------------------------------------- user_expressions

def test_user_expressions(kernel):
    r = kernel.ok("let ux = 21",
                  user_expressions={"double": "ux * 2", "bad": "no_such_ux_name"})
    ue = r.content["user_expressions"]
    assert set(ue) == {"double", "bad"}
    assert ue["double"]["status"] == "ok"
    assert ue["double"]["data"]["text/plain"] == "42"
    assert neurodyn_json(ue["double"]["data"]) == {"type": "number", "value": 42}
    assert ue["bad"]["status"] == "error"
    assert ue["bad"]["ename"] == "NameError"
    assert "no_such_ux_name" in ue["bad"]["evalue"]
    # evaluating user expressions publishes nothing and does not count
    assert [m["msg_type"] for m in r.outputs] == []
    n = r.content["execution_count"]
    assert kernel.ok("ux").content["execution_count"] == n + 1


# ---------------------------------------------------------------- interrupts

def run_and_interrupt(k, code, interrupt, label, settle=0.3):
    """Starts code, interrupts it once it runs, returns (Reply, seconds to the reply)."""
    msg_id = k.send_execute(code)
    k.wait_iopub(msg_id, "execute_input")
    time.sleep(settle)
    k._pump_channel("shell", 0)
    assert msg_id not in k.replies, "the cell ended before the interrupt"
    t0 = time.perf_counter()
    interrupt()
    k.wait_reply(msg_id, timeout=15)
    dt = time.perf_counter() - t0
    record(label, dt)
    print(f"{label}: {dt * 1000:.1f} ms")
    r = k.finish(msg_id)
    assert r.status == "error", f"not interrupted: {r.content}"
    assert r.content["ename"] == "Interrupted"
    errors = r.of_type("error")
    assert len(errors) == 1 and errors[0]["content"]["ename"] == "Interrupted"
    assert r.stream("stderr") == ""
    return r, dt


def check_sleep_interrupt(k, interrupt, label):
    k.ok("let kept_before_sleep = 7")
    run_and_interrupt(k, "sleep 5", interrupt, label)
    assert k.ok("kept_before_sleep").text == "7"


def check_repeat_interrupt(k, interrupt, label):
    k.ok("let x = 0\nlet kept_before_repeat = 5")
    run_and_interrupt(k, "repeat 1e9 { let x = x + 1 }", interrupt, label)
    assert k.ok("kept_before_repeat").text == "5"
    x = neurodyn_json(k.ok("x").result)
    assert x["type"] == "number" and x["value"] > 0, "the loop's progress was lost"
    # the kernel is usable at once, and the next cell is not interrupted
    assert k.ok("x - x").text == "0"


def test_interrupt_signal_mode_sleep(kernel):
    assert kernel.km.kernel_spec.interrupt_mode == "signal"
    check_sleep_interrupt(kernel, kernel.km.interrupt_kernel, "interrupt (signal) during sleep 5")


def test_interrupt_signal_mode_busy_loop(kernel):
    check_repeat_interrupt(kernel, kernel.km.interrupt_kernel,
                           "interrupt (signal) during busy repeat")


def test_interrupt_signal_mode_during_a_simulation(kernel):
    """A long solve stops at its next step, and the model and data bound before stay."""
    kernel.ok("use hh\nset I = 10\nbefore_sim = simulate t=20")
    run_and_interrupt(kernel, "long = simulate t=1e6 sample=100", kernel.km.interrupt_kernel,
                      "interrupt (signal) during simulate")
    assert "dataset" in kernel.ok("before_sim").text
    assert kernel.execute("long").content["ename"] == "NameError"
    assert "spike" in kernel.ok("spikes before_sim").of_type("display_data")[0]["content"]["data"]["text/plain"]


def test_interrupt_while_idle_is_harmless(kernel):
    kernel.ok("let idle_marker = 3")
    for _ in range(3):
        kernel.km.interrupt_kernel()
        time.sleep(0.05)
    time.sleep(0.2)
    assert kernel.km.is_alive()
    r = kernel.ok("idle_marker + 1")
    assert r.text == "4"
    assert kernel.ok("sleep 0.05\n1").text == "1"


@pytest.fixture(scope="module")
def message_kernel():
    ksm, name = spec_manager_with("message")
    k = start_kernel(kernel_name=name, spec_manager=ksm)
    yield k
    k.stop()


def test_interrupt_message_mode_sleep(message_kernel):
    k = message_kernel
    assert k.km.kernel_spec.interrupt_mode == "message"
    check_sleep_interrupt(k, k.km.interrupt_kernel, "interrupt (message) during sleep 5")


def test_interrupt_message_mode_busy_loop(message_kernel):
    k = message_kernel
    sent = {}

    def interrupt():
        sent["id"] = k.send("interrupt_request", {}, channel="control")

    check_repeat_interrupt(k, interrupt, "interrupt (message) during busy repeat")
    reply = k.wait_reply(sent["id"], channel="control")
    assert reply["msg_type"] == "interrupt_reply"
    assert reply["content"]["status"] == "ok"


# ---------------------------------------------------------------- shutdown and restart

def wait_exit(k, timeout=5.0):
    proc = k.process
    try:
        return proc.wait(timeout=timeout)
    except Exception:
        pytest.fail(f"the kernel process did not exit within {timeout} s of shutdown_reply")


@pytest.mark.parametrize("channel", ["control", "shell"])
def test_shutdown_request(fresh_kernel, channel):
    k = fresh_kernel
    k.ok("let about_to_go = 1")
    msg_id = k.send("shutdown_request", {"restart": False}, channel=channel)
    reply = k.wait_reply(msg_id, channel=channel, timeout=5)
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["restart"] is False
    assert wait_exit(k) == 0


def test_shutdown_while_a_cell_runs(fresh_kernel):
    k = fresh_kernel
    exec_id = k.send_execute("sleep 30")
    k.wait_iopub(exec_id, "execute_input")
    t0 = time.perf_counter()
    msg_id = k.send("shutdown_request", {"restart": False}, channel="control")
    reply = k.wait_reply(msg_id, channel="control", timeout=5)
    assert reply["content"]["status"] == "ok"
    assert wait_exit(k, timeout=3) == 0
    record("shutdown_request during sleep 30 -> process exit", time.perf_counter() - t0)


def test_restart_keeps_history(tmp_path):
    hist = str(tmp_path / "restart-history.jsonl")
    k = start_kernel(env={"NEURODYN_HISTORY": hist})
    try:
        k.ok("let restart_marker = 123")
        k.ok("restart_marker + 1")
        before = k.history(hist_access_type="tail", n=2, output=True)
        s1 = before[0][0]
        assert [h[1] for h in before] == [1, 2]
        assert [h[2][0] for h in before] == ["let restart_marker = 123", "restart_marker + 1"]
        assert before[1][2][1] == "124"
        old = k.process

        t0 = time.perf_counter()
        k.km.restart_kernel(now=False)
        restart_s = time.perf_counter() - t0
        assert old.returncode == 0, f"old kernel did not exit by itself ({old.returncode})"
        k.kc.wait_for_ready(timeout=10)
        k.sync()
        record("km.restart_kernel(now=False)", restart_s)

        r = k.execute("restart_marker")
        assert r.status == "error" and r.content["ename"] == "NameError", \
            "the workspace must be new after a restart"
        r = k.ok("let after_restart = 1")
        assert r.content["execution_count"] == 2   # the NameError cell took 1

        tail = k.history(hist_access_type="tail", n=4)
        s2 = tail[-1][0]
        assert s2 > s1, f"new session {s2} is not after the old one {s1}"
        assert [(h[0], h[1], h[2]) for h in tail] == [
            (s1, 1, "let restart_marker = 123"),
            (s1, 2, "restart_marker + 1"),
            (s2, 1, "restart_marker"),
            (s2, 2, "let after_restart = 1"),
        ]
        old_cells = k.history(hist_access_type="range", session=s1, start=1, stop=3)
        assert [h[2] for h in old_cells] == ["let restart_marker = 123", "restart_marker + 1"]
        assert all(h[0] == s1 for h in old_cells)
        # session -1 counts back from the current session (messaging spec)
        prev = k.history(hist_access_type="range", session=-1, start=1, stop=0)
        assert [h[2] for h in prev] == ["let restart_marker = 123", "restart_marker + 1"]
        with_out = k.history(hist_access_type="range", session=s1, start=2, stop=3, output=True)
        assert with_out == [[s1, 2, ["restart_marker + 1", "124"]]]
    finally:
        k.stop()


def test_concurrent_kernels_get_distinct_sessions(tmp_path):
    """Two notebooks opened together (JupyterLab restoring a workspace) share the history
    file; their cells must not end up in one session."""
    hist = str(tmp_path / "shared-history.jsonl")
    with open(hist, "w") as f:
        f.write(json.dumps({"session": 4, "line": 1, "input": "old", "output": None}) + "\n")
    a = start_kernel(env={"NEURODYN_HISTORY": hist})
    b = start_kernel(env={"NEURODYN_HISTORY": hist})
    try:
        a.ok("let from_a = 1")
        b.ok("let from_b = 2")
        sa = a.history(hist_access_type="tail", n=1)[0][0]
        sb = b.history(hist_access_type="tail", n=1)[0][0]
        assert sa > 4 and sb > 4
        assert sa != sb, f"both kernels use session {sa}: their histories are mixed"
    finally:
        a.stop()
        b.stop()


# ---------------------------------------------------------------- signatures and bad input

def test_wrong_signature_is_ignored(fresh_kernel):
    k = fresh_kernel
    url, info = conn_url(k, "shell_port")
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(url)
    try:
        bad = Session(key=b"this-is-not-the-key", signature_scheme=info["signature_scheme"])
        bad_msg = bad.send(sock, "kernel_info_request", {})
        bad_exec = bad.send(sock, "execute_request",
                            {"code": "let forged = 1", "silent": False, "store_history": True,
                             "user_expressions": {}, "allow_stdin": False})
        t0 = time.perf_counter()
        assert sock.poll(1000) == 0, "the kernel answered a message with a wrong signature"
        assert time.perf_counter() - t0 >= 0.9

        good = Session(key=info["key"], signature_scheme=info["signature_scheme"])
        good_msg = good.send(sock, "kernel_info_request", {})
        assert sock.poll(5000), "no reply to a properly signed request after a bad one"
        idents, frames = good.feed_identities(sock.recv_multipart())
        reply = good.deserialize(frames)
        assert reply["msg_type"] == "kernel_info_reply"
        assert reply["parent_header"]["msg_id"] == good_msg["header"]["msg_id"]

        k.sync()
        assert k.iopub[bad_msg["header"]["msg_id"]] == []
        assert k.iopub[bad_exec["header"]["msg_id"]] == []
        r = k.execute("forged")
        assert r.content["ename"] == "NameError", "a forged execute_request was run"
        assert "dropped" in k.stderr_text().lower()
    finally:
        sock.close()


def sign(key, parts):
    h = hmac.new(key, digestmod=hashlib.sha256)
    for p in parts:
        h.update(p)
    return h.hexdigest().encode()


def test_malformed_messages_are_dropped(fresh_kernel):
    k = fresh_kernel
    k.ok("let survives_garbage = 9")
    url, info = conn_url(k, "shell_port")
    key = info["key"]
    D = b"<IDS|MSG>"
    hdr = json.dumps({"msg_id": "m1", "session": "s", "username": "u", "date":
                      "2024-01-01T00:00:00Z", "msg_type": "kernel_info_request",
                      "version": "5.3"}).encode()
    junk = [
        [b"garbage"],
        [D],
        [D, b"nothex"],
        [D, b"00" * 32, hdr, b"{}", b"{}", b"{}"],                 # wrong signature
        [D, b"", hdr, b"{}", b"{}", b"{}"],                        # empty signature
        [D, sign(key, [b"{not json", b"{}", b"{}", b"{}"]), b"{not json", b"{}", b"{}", b"{}"],
        [D, sign(key, [b"[]", b"{}", b"{}", b"{}"]), b"[]", b"{}", b"{}", b"{}"],
        [D, sign(key, [b"{}", b"{}", b"{}", b"{}"]), b"{}", b"{}", b"{}", b"{}"],   # no msg_type
        [D, sign(key, [hdr, b"{}", b"{}", b"[1]"]), hdr, b"{}", b"{}", b"[1]"],      # content list
        [D, sign(key, [hdr, b"{}", b"{}"]), hdr, b"{}", b"{}"],    # a frame missing
        [D, sign(key, [b"\xff\xfe", b"{}", b"{}", b"{}"]), b"\xff\xfe", b"{}", b"{}", b"{}"],
    ]
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(url)
    try:
        for frames in junk:
            sock.send_multipart(frames)
        # whatever the kernel made of them, it must still answer a good request
        good = Session(key=key, signature_scheme=info["signature_scheme"])
        msg = good.send(sock, "kernel_info_request", {})
        deadline = time.monotonic() + 5
        reply = None
        while reply is None and time.monotonic() < deadline:
            if not sock.poll(max(1, int((deadline - time.monotonic()) * 1000))):
                break
            _, frames = good.feed_identities(sock.recv_multipart())
            m = good.deserialize(frames)
            if m["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                reply = m
        assert reply is not None, "the kernel stopped answering after malformed messages"
        assert k.km.is_alive()
        assert k.ok("survives_garbage").text == "9"
    finally:
        sock.close()


def test_huge_cell_is_answered(kernel):
    big = 'let big_text = "' + "a" * 2_000_000 + '"\n' + "#" * 1_000_000 + "\n1+1"
    r = kernel.execute(big, timeout=30)
    assert r.status in ("ok", "error")
    assert kernel.ok("2+2").text == "4"


def test_unicode_round_trip(kernel):
    text = "héllo ∂V/∂t = −g·(V−E) 😀"
    r = kernel.ok(f'print "{text}"')
    assert r.stream("stdout") == text + "\n"
    r = kernel.ok(f'let uni = "{text}"\nuni')
    assert text in r.text


def test_nul_character_in_code_is_answered(fresh_kernel):
    """A NUL is valid JSON (\\u0000); the front end must get a reply, not wait forever."""
    k = fresh_kernel
    k.ok("let before_nul = 1")
    msg_id = k.send_execute('print "a\u0000b"')
    reply = k.wait_reply(msg_id, timeout=5)
    assert reply["content"]["status"] in ("ok", "error")
    k.wait_idle(msg_id)
    assert k.ok("before_nul").text == "1"


@pytest.mark.parametrize("code", [
    "(" * 100000 + "1" + ")" * 100000,
    "-" * 100000 + "1",
    "2^" * 100000 + "1",
    "[" * 100000 + "]" * 100000,
], ids=["parens", "unary-minus", "power", "lists"])
def test_deeply_nested_expression_is_an_error_not_a_crash(fresh_kernel, code):
    k = fresh_kernel
    k.ok("let before_deep = 1")
    r = k.finish(k.send_execute(code), timeout=10)
    assert r.status in ("ok", "error")
    if r.status == "error":
        assert r.content["ename"] in ("SyntaxError", "ValueError")
        assert len(r.content["evalue"]) < 1000, "the error message repeats the huge input"
    assert k.ok("before_deep").text == "1"


def test_requests_on_control_while_a_cell_runs_do_not_crash(fresh_kernel):
    """Control is served by its own thread while a cell runs; requests other than
    interrupt/shutdown sent there must not run the interpreter concurrently with it."""
    k = fresh_kernel
    k.ok("let x = 0")
    msg_id = k.send_execute("repeat 1e9 { let x = x + 1 }")
    k.wait_iopub(msg_id, "execute_input")
    for i in range(50):
        k.send("execute_request", {"code": f"let from_control_{i} = x", "silent": False,
                                   "store_history": True, "user_expressions": {},
                                   "allow_stdin": False, "stop_on_error": True},
               channel="control")
        k.send("complete_request", {"code": "from_", "cursor_pos": 5}, channel="control")
        k.send("inspect_request", {"code": "x", "cursor_pos": 1, "detail_level": 0},
               channel="control")
    time.sleep(1.0)
    assert k.process.poll() is None, f"kernel died (exit status {k.process.poll()}; -11 = SIGSEGV)"
    k.km.interrupt_kernel()
    r = k.finish(msg_id)
    assert r.content["ename"] == "Interrupted"
    assert neurodyn_json(k.ok("x").result)["value"] > 0


def test_two_clients_share_iopub(kernel):
    # A client of its own session (km.client() would share the manager's session, whose
    # id is also the ZeroMQ identity, and ROUTER drops a second peer with the same one).
    other = BlockingKernelClient()
    other.load_connection_info(kernel.km.get_connection_info())
    assert other.session.session != kernel.kc.session.session
    other.start_channels()
    try:
        msg_id = other.execute('print "from the other client"\n5*5')
        reply = other.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "ok"
        # our client sees the other client's outputs on iopub but gets no shell reply
        msgs = kernel.wait_idle(msg_id)
        assert [m["msg_type"] for m in msgs] == ["status", "execute_input", "stream",
                                                 "execute_result", "status"]
        kernel.sync()
        assert msg_id not in kernel.replies
    finally:
        other.stop_channels()


def test_idle_kernel_uses_little_cpu(kernel):
    pid = kernel.process.pid
    clk = os.sysconf("SC_CLK_TCK")

    def cpu():
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / clk

    c0, t0 = cpu(), time.monotonic()
    time.sleep(1.0)
    used = (cpu() - c0) / (time.monotonic() - t0)
    record("idle kernel CPU use", used, unit="%")
    assert used < 0.05, f"idle kernel uses {used * 100:.1f}% of a CPU"


# ---------------------------------------------------------------- heartbeat

def test_heartbeat_while_busy(kernel):
    url, _ = conn_url(kernel, "hb_port")
    sock = zmq.Context.instance().socket(zmq.REQ)
    sock.linger = 0
    sock.connect(url)
    try:
        # warm the connection up before the cell starts
        sock.send(b"warm")
        assert sock.poll(2000) and sock.recv() == b"warm"
        msg_id = kernel.send_execute("sleep 30")
        kernel.wait_iopub(msg_id, "execute_input")
        times = []
        for i in range(10):
            payload = b"ping-%d" % i
            t0 = time.perf_counter()
            sock.send(payload)
            # jupyter_client's heartbeat channel waits 1 s (time_to_dead); the latency table
            # shows the echo time, 3 s here only tells a dead heartbeat from a loaded machine
            assert sock.poll(3000), f"heartbeat {i} not answered within 3 s while busy"
            assert sock.recv() == payload
            times.append(time.perf_counter() - t0)
            time.sleep(0.1)
        kernel._pump_channel("shell", 0)
        assert msg_id not in kernel.replies, "the pings must all happen while the cell runs"
        record("heartbeat echo while busy (max of 10)", max(times))
        kernel.km.interrupt_kernel()
        assert kernel.finish(msg_id, timeout=10).content["ename"] == "Interrupted"
    finally:
        sock.close()


# ---------------------------------------------------------------- stop_on_error

def test_stop_on_error_aborts_queued_cells(kernel):
    first = kernel.send_execute("sleep 0.3\nsoe_undefined_one")
    queued = [kernel.send_execute("let soe_b = 2"), kernel.send_execute('print "never"')]
    r1 = kernel.finish(first)
    assert r1.status == "error" and r1.content["ename"] == "NameError"
    n = r1.content["execution_count"]
    for msg_id in queued:
        reply = kernel.wait_reply(msg_id)
        assert reply["content"]["status"] == "aborted"
        iopub = kernel.wait_idle(msg_id)
        assert [m["msg_type"] for m in iopub] == ["status", "status"]
        assert statuses(iopub) == ["busy", "idle"]
    r = kernel.execute("soe_b")
    assert r.status == "error" and r.content["ename"] == "NameError", "an aborted cell ran"
    assert r.content["execution_count"] == n + 1, "aborted cells must not take numbers"
    # a cell sent after the failure was answered runs normally
    assert kernel.ok("1+1").text == "2"


def test_stop_on_error_false_runs_queued_cells(kernel):
    first = kernel.send_execute("sleep 0.3\nsoe_undefined_two", stop_on_error=False)
    second = kernel.send_execute("let soe_c = 3")
    third = kernel.send_execute("soe_c * 2")
    assert kernel.finish(first).status == "error"
    assert kernel.finish(second).status == "ok"
    r3 = kernel.finish(third)
    assert r3.status == "ok" and r3.text == "6"


# ---------------------------------------------------------------- cursor positions

def test_complete_cursor_in_code_points(kernel):
    kernel.ok("let completion_target = 1")
    code = 'print "αβγ→😀", completion_ta'
    r = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)})
    c = r.content
    assert "completion_target" in c["matches"]
    assert c["cursor_start"] == len(code) - len("completion_ta")
    assert c["cursor_end"] == len(code)

    code = 'print "ü😀", completion_ta + 1'
    pos = code.index(" + 1")
    c = kernel.request("complete_request", {"code": code, "cursor_pos": pos}).content
    assert "completion_target" in c["matches"]
    assert (c["cursor_start"], c["cursor_end"]) == (pos - len("completion_ta"), pos)

    code = '# 😀😀😀😀\nhe'
    c = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)}).content
    assert c["matches"] == ["help"]
    assert (c["cursor_start"], c["cursor_end"]) == (len(code) - 2, len(code))


def test_inspect_cursor_in_code_points(kernel):
    code = 'let s = "ääääää"\nsleep 1'
    pos = code.index("sleep") + 2
    c = kernel.request("inspect_request", {"code": code, "cursor_pos": pos,
                                           "detail_level": 0}).content
    assert c["found"] is True
    assert "sleep" in c["data"]["text/plain"]
    assert "SECONDS" in c["data"]["text/plain"] or "second" in c["data"]["text/plain"].lower()


def test_complete_commands_options_and_names(kernel):
    kernel.ok("let zeta_one = 1\nlet zeta_two = 2")
    c = kernel.request("complete_request", {"code": "he", "cursor_pos": 2}).content
    assert c["matches"] == ["help"]
    assert (c["cursor_start"], c["cursor_end"]) == (0, 2)
    c = kernel.request("complete_request", {"code": "print zeta_", "cursor_pos": 11}).content
    assert c["matches"] == ["zeta_one", "zeta_two"]
    assert (c["cursor_start"], c["cursor_end"]) == (6, 11)
    # help topics are commands; options of the command under the cursor end in "="
    c = kernel.request("complete_request", {"code": "help sl", "cursor_pos": 7}).content
    assert (c["matches"], c["cursor_start"], c["cursor_end"]) == (["sleep"], 5, 7)
    c = kernel.request("complete_request", {"code": "clear wa", "cursor_pos": 8}).content
    assert (c["matches"], c["cursor_start"], c["cursor_end"]) == (["wait="], 6, 8)
    c = kernel.request("complete_request", {"code": "print ab", "cursor_pos": 8}).content
    assert "abs" in c["matches"]


# ---------------------------------------------------------------- errors

def test_error_is_one_message_without_stderr(kernel):
    r = kernel.execute("let fine_before = 5\n1 + undefined_name_xyz")
    assert r.status == "error"
    assert [m["msg_type"] for m in r.outputs] == ["error"]
    err = r.outputs[0]["content"]
    for key in ("ename", "evalue", "traceback"):
        assert err[key] == r.content[key]
    assert err["ename"] == "NameError"
    assert "undefined_name_xyz" in err["evalue"]
    assert "line 2" in err["evalue"] and "column 5" in err["evalue"]
    assert r.stream("stderr") == ""


def test_error_traceback_has_line_and_caret(kernel):
    r = kernel.execute("let fine_before = 5\n1 + undefined_name_xyz")
    tb = plain(r.content["traceback"])
    src = [i for i, line in enumerate(tb) if "1 + undefined_name_xyz" in line]
    assert src, f"offending line not in traceback: {tb}"
    i = src[0]
    caret_line = tb[i + 1]
    assert "^" in caret_line
    assert caret_line.index("^") == tb[i].index("undefined_name_xyz")
    assert "NameError" in "\n".join(tb)


def test_error_caret_counts_characters_not_bytes(kernel):
    code = 'let s = "äöü" + nd_undef_after_umlauts'
    r = kernel.execute(code)
    assert r.content["ename"] == "NameError"
    tb = plain(r.content["traceback"])
    i = [j for j, line in enumerate(tb) if code in line][0]
    assert tb[i + 1].index("^") == tb[i].index("nd_undef_after_umlauts"), \
        f"caret misplaced under a line with non-ASCII text:\n{tb[i]}\n{tb[i + 1]}"


def test_error_column_counts_characters_not_bytes(kernel):
    code = 'let s = "äöü" + nd_undef_after_umlauts'
    r = kernel.execute(code)
    col = code.index("nd_undef_after_umlauts") + 1
    assert f"line 1, column {col}" in r.content["evalue"], r.content["evalue"]


def test_syntax_error(kernel):
    r = kernel.execute("let ok_syntax = 1\nlet = 3")
    assert r.status == "error"
    assert r.content["ename"] == "SyntaxError"
    assert "line 2" in r.content["evalue"]
    assert len(r.of_type("error")) == 1
    # a syntax error anywhere stops the cell before it runs, or after line 1: either way
    # the kernel keeps going
    assert kernel.ok("1").text == "1"


def test_workspace_survives_errors(kernel):
    kernel.ok("let survivor = 10")
    for bad in ["no_such_thing", "let = 1", "1 +", 'print "a" +', "1 / ", "survivor(",
                "del no_such_thing", "sleep -1", 'repeat "x" { print 1 }', "}", ")",
                "let survivor2 = survivor + undefined_thing"]:
        r = kernel.execute(bad)
        assert r.status == "error", f"{bad!r} did not fail"
        assert len(r.of_type("error")) == 1
        assert r.content["ename"] in ("SyntaxError", "NameError", "ValueError", "TypeError")
    assert kernel.ok("survivor").text == "10"
    assert kernel.execute("survivor2").content["ename"] == "NameError"
    r = kernel.execute("let survivor = 11\nlet survivor3 = 1\nnope_nope")
    assert r.status == "error"
    assert kernel.ok("survivor + survivor3").text == "12", \
        "bindings before the failing line are kept"


def test_interrupt_aborts_the_queued_cells(kernel):
    """Run all, then interrupt: the running cell ends Interrupted, the rest is aborted."""
    msg_id = kernel.send_execute("sleep 5")
    queued = [kernel.send_execute("let after_interrupt = 1"), kernel.send_execute("2")]
    kernel.wait_iopub(msg_id, "execute_input")
    time.sleep(0.2)
    kernel.km.interrupt_kernel()
    assert kernel.finish(msg_id).content["ename"] == "Interrupted"
    for q in queued:
        assert kernel.wait_reply(q)["content"]["status"] == "aborted"
        kernel.wait_idle(q)
    assert kernel.execute("after_interrupt").content["ename"] == "NameError"


def test_interrupted_error_shape(kernel):
    r, _ = run_and_interrupt(kernel, "sleep 5", kernel.km.interrupt_kernel,
                             "interrupt (signal) during sleep 5, again")
    tb = plain(r.content["traceback"])
    assert any("sleep 5" in line for line in tb)
    assert "line 1" in r.content["evalue"]


# ---------------------------------------------------------------- output conventions

def test_execute_result_bundle(kernel):
    r = kernel.ok("1+2")
    assert r.result["text/plain"] == "3"
    assert neurodyn_json(r.result) == {"type": "number", "value": 3}
    assert r.of_type("execute_result")[0]["content"]["metadata"] == {}


def test_display_tables(kernel):
    kernel.ok("let table_var = 4")
    for code in ("help", "vars"):
        r = kernel.ok(code)
        shown = r.of_type("display_data")
        assert len(shown) == 1, code
        data = shown[0]["content"]["data"]
        assert data["text/plain"].strip()
        assert "<table" in data["text/html"]
    data = kernel.ok("vars").of_type("display_data")[0]["content"]["data"]
    assert "table_var" in data["text/plain"] and "table_var" in data["text/html"]
    r = kernel.ok("del table_var")
    assert kernel.execute("table_var").content["ename"] == "NameError"
    data = kernel.ok("vars").of_type("display_data")[0]["content"]["data"]
    assert "table_var" not in data["text/plain"]


def test_help_for_one_command(kernel):
    r = kernel.ok("help sleep")
    shown = r.of_type("display_data")
    assert len(shown) == 1
    assert "sleep" in shown[0]["content"]["data"]["text/plain"]
    assert r.content["payload"] == []


@pytest.mark.parametrize("code", ["?print", "print?"])
def test_pager_payload(kernel, code):
    r = kernel.ok(code)
    pages = r.content["payload"]
    assert len(pages) == 1
    assert pages[0]["source"] == "page"
    assert "print" in pages[0]["data"]["text/plain"]
    assert pages[0]["start"] == 0
    assert r.outputs == [], "help for the pager must not also be shown in the cell"


def test_clear_output(kernel):
    r = kernel.ok('print "before"\nclear\nprint "after"')
    assert [m["msg_type"] for m in r.outputs] == ["stream", "clear_output", "stream"]
    assert r.of_type("clear_output")[0]["content"] == {"wait": False}
    assert r.stream("stdout") == "before\nafter\n"
    r = kernel.ok("clear wait=true")
    assert [m["content"] for m in r.outputs] == [{"wait": True}]


def test_is_complete(kernel):
    def check(code):
        return kernel.request("is_complete_request", {"code": code}).content

    assert check("1+2") == {"status": "complete"}
    assert check("") == {"status": "complete"}
    assert check("repeat 2 { print 1 }")["status"] == "complete"
    assert check("repeat 3 {") == {"status": "incomplete", "indent": "  "}
    assert check("let y = (1 +")["status"] == "incomplete"
    assert check("repeat 2 {\n  print 1")["status"] == "incomplete"
    assert check("1 + 2)")["status"] == "invalid"
    assert check(")")["status"] == "invalid"
    # brackets inside strings and comments do not count
    assert check('print "{"') == {"status": "complete"}
    assert check("# {") == {"status": "complete"}
    assert check('repeat 2 { print "}"') == {"status": "incomplete", "indent": "  "}
    # nested blocks indent one more level each
    assert check("repeat 2 {\n  repeat 3 {") == {"status": "incomplete", "indent": "    "}
    assert check("print [1,\n2")["status"] == "incomplete"
    assert check("repeat 2 {\n  print 1\n}\n}")["status"] == "invalid"
    assert check("(]")["status"] == "invalid"


def test_unterminated_string_is_invalid_not_incomplete(kernel):
    """Strings cannot span lines, so no further line can finish `print "abc`; a console
    told "incomplete" would only wait for a line that cannot help."""
    r = kernel.execute('print "abc\ndef"')
    assert r.content["ename"] == "SyntaxError"       # the language has no multi-line strings
    c = kernel.request("is_complete_request", {"code": 'print "abc'}).content
    assert c["status"] == "invalid", c


def test_inspect(kernel):
    c = kernel.request("inspect_request", {"code": "print", "cursor_pos": 5,
                                           "detail_level": 0}).content
    assert c["found"] is True and "print" in c["data"]["text/plain"]
    kernel.ok("let inspected = 3")
    c = kernel.request("inspect_request", {"code": "inspected", "cursor_pos": 4,
                                           "detail_level": 0}).content
    assert c["found"] is True and "inspected" in c["data"]["text/plain"]
    c = kernel.request("inspect_request", {"code": "zzz_nothing_here", "cursor_pos": 3,
                                           "detail_level": 0}).content
    assert c == {"status": "ok", "found": False, "data": {}, "metadata": {}}
