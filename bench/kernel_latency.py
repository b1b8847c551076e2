#!/usr/bin/python3
"""Kernel latency: neurodyn against Debian's ipykernel, through jupyter_client.

Two numbers per kernel, measured in one run with the same client:

  startup   time from asking KernelManager to start the kernel process to the first
            kernel_info_reply (median of --starts fresh kernels);
  execute   round trip of a trivial cell (`1`): execute_request sent -> execute_reply on
            shell and status idle on iopub received (median of --runs after a warm-up),
            through jupyter_client's blocking client and, as a floor, with bare pyzmq
            sockets (jupyter_client 7's blocking client runs every call through asyncio).

Run it with `make bench` (builds and installs the neurodyn kernelspec first) or directly:
`/usr/bin/python3 bench/kernel_latency.py [--starts 10] [--runs 200]`.
The neurodyn kernel writes its history to a temporary file, never to the user's.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

_TMP = tempfile.mkdtemp(prefix="neurodyn-bench-")
os.environ["NEURODYN_HISTORY"] = os.path.join(_TMP, "history.jsonl")
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(_TMP, "runtime")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # quiets debugpy's notice

import zmq  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from jupyter_client.session import Session  # noqa: E402

KERNELS = [("neurodyn", "neurodyn", "1"), ("ipykernel", "python3", "1")]


def ensure_specs():
    specs = KernelSpecManager().find_kernel_specs()
    if "python3" not in specs:
        print("installing the ipykernel kernelspec (python3) for this user", file=sys.stderr)
        subprocess.run(["/usr/bin/python3", "-m", "ipykernel", "install", "--user"], check=True)
    if "neurodyn" not in KernelSpecManager().find_kernel_specs():
        sys.exit("the neurodyn kernelspec is not installed: run `make all install`")


def start(kernel_name):
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def time_startup(kernel_name, starts):
    """Median seconds from start_kernel to the first kernel_info_reply."""
    times = []
    for _ in range(starts):
        t0 = time.perf_counter()
        km, kc = start(kernel_name)
        msg_id = kc.kernel_info()
        while True:
            reply = kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        times.append(time.perf_counter() - t0)
        stop(km, kc)
    return statistics.median(times), times


def execute_once(kc, code):
    msg_id = kc.execute(code, store_history=False)
    reply = None
    idle = False
    while reply is None:
        msg = kc.get_shell_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg
    while not idle:
        msg = kc.get_iopub_msg(timeout=30)
        idle = (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle")
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")


def time_execute(kernel_name, code, runs, warmup=20):
    """Median seconds of an execute round trip (reply and idle) of code."""
    km, kc = start(kernel_name)
    try:
        kc.wait_for_ready(timeout=60)
        for _ in range(warmup):
            execute_once(kc, code)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            execute_once(kc, code)
            times.append(time.perf_counter() - t0)
    finally:
        stop(km, kc)
    return statistics.median(times), times


def process_cpu(pid):
    """CPU seconds (user + system) the process has used so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_execute_raw(kernel_name, code, runs, warmup=20):
    """The same round trip with bare pyzmq sockets: the floor without jupyter_client's
    asyncio wrapping, closer to what the kernel itself costs."""
    km, kc = start(kernel_name)
    ctx = zmq.Context()
    try:
        kc.wait_for_ready(timeout=60)
        kc.stop_channels()
        info = km.get_connection_info()
        url = "%s://%s:%%d" % (info["transport"], info["ip"])
        shell = ctx.socket(zmq.DEALER)
        iopub = ctx.socket(zmq.SUB)
        iopub.setsockopt(zmq.SUBSCRIBE, b"")
        shell.connect(url % info["shell_port"])
        iopub.connect(url % info["iopub_port"])
        session = Session(key=info["key"], signature_scheme=info["signature_scheme"])

        def recv(sock):
            _, frames = session.feed_identities(sock.recv_multipart())
            return session.deserialize(frames, content=False)

        def roundtrip(msg_type, content, idle_timeout_ms=None):
            msg_id = session.send(shell, msg_type, content)["header"]["msg_id"]
            while recv(shell)["parent_header"].get("msg_id") != msg_id:
                pass
            while True:
                if idle_timeout_ms is not None and not iopub.poll(idle_timeout_ms):
                    return False
                m = recv(iopub)
                if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                        and b"idle" in m["content"]):
                    return True

        while not roundtrip("kernel_info_request", {}, idle_timeout_ms=500):
            pass   # until the iopub subscription is live
        content = {"code": code, "silent": False, "store_history": False,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        for _ in range(warmup):
            roundtrip("execute_request", content)
        times = []
        cpu0 = process_cpu(km.provisioner.process.pid)
        for _ in range(runs):
            t0 = time.perf_counter()
            roundtrip("execute_request", content)
            times.append(time.perf_counter() - t0)
        cpu = (process_cpu(km.provisioner.process.pid) - cpu0) / runs
        shell.close(0)
        iopub.close(0)
    finally:
        ctx.term()
        km.shutdown_kernel(now=True)
    return statistics.median(times), cpu


def fmt(seconds):
    return f"{seconds * 1000:9.2f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--starts", type=int, default=10, help="kernel starts per kernel")
    ap.add_argument("--runs", type=int, default=200, help="timed executes per kernel")
    args = ap.parse_args()
    ensure_specs()

    rows = {}
    for label, name, code in KERNELS:
        t0 = time.perf_counter()
        startup, _ = time_startup(name, args.starts)
        execute, ex_times = time_execute(name, code, args.runs)
        raw, cpu = time_execute_raw(name, code, 5 * args.runs)
        rows[label] = (startup, execute, statistics.quantiles(ex_times, n=20)[18], raw, cpu)
        print(f"  measured {label:<9} in {time.perf_counter() - t0:5.1f} s", file=sys.stderr)

    nd, ipk = rows["neurodyn"], rows["ipykernel"]
    print()
    print(f"{'':34}{'neurodyn':>12}{'ipykernel':>12}{'ipykernel/neurodyn':>20}")
    print(f"{'startup -> first kernel_info_reply':34}{fmt(nd[0])}{fmt(ipk[0])}"
          f"{ipk[0] / nd[0]:19.1f}x")
    print(f"{'  (median of %d starts)' % args.starts:34}")
    print(f"{'execute `1` round trip, median':34}{fmt(nd[1])}{fmt(ipk[1])}"
          f"{ipk[1] / nd[1]:19.1f}x")
    print(f"{'execute `1` round trip, p95':34}{fmt(nd[2])}{fmt(ipk[2])}"
          f"{ipk[2] / nd[2]:19.1f}x")
    print(f"{'  (%d runs after 20 warm-up runs)' % args.runs:34}")
    print(f"{'execute `1`, bare pyzmq, median':34}{fmt(nd[3])}{fmt(ipk[3])}"
          f"{ipk[3] / nd[3]:19.1f}x")
    print(f"{'kernel CPU per execute (bare)':34}{fmt(nd[4])}{fmt(ipk[4])}"
          f"{ipk[4] / max(nd[4], 1e-9):19.1f}x")
    print("  (bare pyzmq rows: %d runs; CPU from /proc of the kernel process alone -- the rest\n"
          "   of a round trip is the client's)" % (5 * args.runs))
    print()
    print(f"client: jupyter_client {__import__('jupyter_client').__version__} blocking client,"
          f" Python {sys.version.split()[0]}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_TMP, ignore_errors=True)
