"""The protocol path under valgrind (`make valgrind`, not part of `make test`): a kernel run
by tests/valgrind/kernel.sh serves kernel_info, execute (values, a simulation, a figure, an
error), complete, inspect, history, an interrupt of a running cell, and a shutdown; then
valgrind's exit status and log must show no error and no definitely lost block."""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

LOG = os.environ.setdefault("NEURODYN_VALGRIND_LOG",
                            os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                         f"neurodyn-valgrind-{os.getpid()}.%p.log"))
os.environ.setdefault("NEURODYN_TEST_BINARY", os.path.join(HERE, "kernel.sh"))
os.environ.setdefault("NEURODYN_NATIVE", "0")   # cc's code is not what is being checked

import conftest  # noqa: E402

SLOW = 120.0
conftest.TIMEOUT = SLOW


def test_protocol_path_is_valgrind_clean():
    k = conftest.start_kernel()
    t0 = time.perf_counter()
    try:
        assert k.request("kernel_info_request", timeout=SLOW).content["implementation"] \
            == "neurodyn"
        assert k.ok("let kept = 42\nkept + 1", timeout=SLOW).text == "43"
        k.ok("use hh\nset I = 10\nd = simulate t=20 sample=0.1\nspikes d", timeout=SLOW)
        k.ok("plot d V", timeout=SLOW)
        d = conftest.tmp_path_for("vg")
        k.ok(f'save d "{d}/d.csv"\nback = load "{d}/d.csv"\nf = fi I 0..20 step=10 '
             f'window=100 plot=false\nb = continue I 0..20 cycles=false', timeout=SLOW)
        k.ok("use hh_rinzel\ndata = simulate t=5 sample=0.1\n"
             "net = ude replace=INa inputs=V,n hidden=4 seed=1\n"
             "train net data observe=V adam iters=3", timeout=SLOW)
        for i in range(100):   # many small cells, pipelined
            k.send_execute(f"let x{i % 7} = {i}\nprint \"cell {i}\"", stop_on_error=False)
        assert k.ok("x6", timeout=SLOW).text == "97"
        # messages the kernel drops or refuses: unknown type, wrong signature
        k.send("no_such_request", {})
        key = k.kc.session.key
        k.kc.session.key = b"wrong"
        k.send("kernel_info_request")
        k.kc.session.key = key
        r = k.execute("no_such_name + 1", timeout=SLOW)
        assert r.content["ename"] == "NameError"
        r = k.execute("let = 1", timeout=SLOW)
        assert r.content["ename"] == "SyntaxError"
        r = k.request("complete_request", {"code": "sim", "cursor_pos": 3}, timeout=SLOW)
        assert "simulate" in r.content["matches"]
        r = k.request("inspect_request", {"code": "simulate", "cursor_pos": 3,
                                          "detail_level": 0}, timeout=SLOW)
        assert r.content["found"]
        r = k.request("is_complete_request", {"code": "repeat 3 {"}, timeout=SLOW)
        assert r.content["status"] == "incomplete"
        r = k.request("history_request", dict(output=True, raw=True,
                                              hist_access_type="tail", n=5), timeout=SLOW)
        assert r.content["history"]
        # an interrupt of a running cell, then the workspace is still there
        msg_id = k.send_execute("sleep 60")
        k.wait_iopub(msg_id, "execute_input", timeout=SLOW)
        time.sleep(1.0)
        k.km.interrupt_kernel()
        assert k.finish(msg_id, timeout=SLOW).content["ename"] == "Interrupted"
        assert k.ok("kept", timeout=SLOW).text == "42"
        # shutdown: the kernel exits by itself, and valgrind's status is its status
        msg_id = k.send("shutdown_request", {"restart": False}, channel="control")
        k.wait_reply(msg_id, channel="control", timeout=SLOW)
        status = k.process.wait(timeout=SLOW)
        pid = k.process.pid
    finally:
        k.stop()
    # one log per process (%p): the kernel's, not the ones of gnuplot's forks before exec
    log_path = LOG.replace("%p", str(pid))
    with open(log_path) as f:
        log = f.read()
    summary = [line.split("== ", 1)[-1] for line in log.splitlines()
               if re.search(r"ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|"
                            r"still reachable|in use at exit", line)]
    print(f"\nvalgrind ({time.perf_counter() - t0:.0f} s), log {log_path}:\n  " + "\n  ".join(summary))
    assert status != 99, f"valgrind reported errors (exit 99): see {log_path}\n{log[-6000:]}"
    assert status == 0, f"the kernel exited with {status}; see {log_path}"
    assert "Command: " in log and " kernel -f " in log, "not the kernel's log"
    assert re.search(r"ERROR SUMMARY: 0 errors", log), log[-6000:]
    assert "definitely lost: 0 bytes" in log or "no leaks are possible" in log, log[-6000:]
