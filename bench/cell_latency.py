#!/usr/bin/python3
"""Cell latency: a notebook cell that simulates 500 ms of Hodgkin-Huxley and plots it,
timed from the execute_request to the kernel's `status: idle`, through jupyter_client
against the installed "neurodyn" kernelspec.

Three cells, each timed --runs times (median, min, max) after --warmup runs in one kernel:

  full      use hh / set I = 10 / sim = simulate t=500 / plot sim V
  simulate  the same without the plot line
  plot      plot sim V   (sim from the cells before)

A round trip is execute_request sent -> execute_reply on shell and status idle on iopub
received (every iopub message of the cell, the figure included, is read by the client on
the way). Also reported: the kernel process's CPU time per cell (from /proc) and the size
of the figure's display_data.

Run with `make bench` or `/usr/bin/python3 bench/cell_latency.py [--runs 10] [--warmup 2]`
after `make all install`. The kernel writes its history to a temporary file.
"""

import argparse
import json
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

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

SIM = "use hh\nset I = 10\nsim = simulate t=500"
PLOT = "plot sim V"
CELLS = [("full (simulate + plot)", SIM + "\n" + PLOT),
         ("simulate only", SIM),
         ("plot only", PLOT)]


def execute(kc, code):
    """Runs code; returns (seconds to reply and idle, bytes of display_data received)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    reply, idle, shown = None, False, 0
    while reply is None:
        msg = kc.get_shell_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg
    while not idle:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "display_data":
            shown += len(json.dumps(msg["content"]["data"]))
        idle = msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
    dt = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return dt, shown


def process_cpu(pid):
    """CPU seconds (user + system) the process has used so far, and those of its reaped
    children (gnuplot), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return ((int(fields[11]) + int(fields[12])) / tick,
            (int(fields[13]) + int(fields[14])) / tick)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="timed runs per cell")
    ap.add_argument("--warmup", type=int, default=2, help="untimed runs per cell first")
    args = ap.parse_args()
    if "neurodyn" not in KernelSpecManager().find_kernel_specs():
        sys.exit("the neurodyn kernelspec is not installed: run `make all install`")

    km = KernelManager(kernel_name="neurodyn")
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    rows = []
    try:
        kc.wait_for_ready(timeout=60)
        pid = km.provisioner.process.pid
        execute(kc, SIM)                       # so that `plot sim V` has its sim
        for label, code in CELLS:
            for _ in range(args.warmup):
                execute(kc, code)
            times, shown = [], 0
            cpu0 = process_cpu(pid)
            for _ in range(args.runs):
                dt, shown = execute(kc, code)
                times.append(dt)
            cpu1 = process_cpu(pid)
            cpu = [(b - a) / args.runs for a, b in zip(cpu0, cpu1)]
            rows.append((label, statistics.median(times), min(times), max(times), cpu, shown))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    print()
    print("cell: HH, 500 ms, plotted -- execute_request -> reply and idle, "
          f"median of {args.runs} runs after {args.warmup} warm-up runs")
    print(f"{'':24}{'median':>10}{'min':>10}{'max':>10}{'kernel CPU':>12}{'gnuplot CPU':>13}"
          f"{'figure':>9}")
    for label, med, lo, hi, cpu, shown in rows:
        fig = f"{shown / 1024:.0f} KiB" if shown else "-"
        print(f"{label:24}{med * 1e3:7.1f} ms{lo * 1e3:7.1f} ms{hi * 1e3:7.1f} ms"
              f"{cpu[0] * 1e3:9.1f} ms{cpu[1] * 1e3:10.1f} ms{fig:>9}")
    print("  cells: " + " | ".join(f"{label.split()[0]}: {code!r}" for label, code in CELLS))
    print("  kernel CPU: the kernel process's user+system time per cell; gnuplot CPU: that of"
          "\n  its gnuplot children (/proc, 10 ms ticks averaged over the runs); figure: size"
          "\n  of the display_data (SVG + PNG) the client receives")
    print(f"client: jupyter_client {__import__('jupyter_client').__version__} blocking client,"
          f" Python {sys.version.split()[0]}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_TMP, ignore_errors=True)
