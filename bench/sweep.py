#!/usr/bin/env python3
"""Sweep benchmark driver (issue 16): the 40 x 40 firing-rate map of HH over (I, gK) =
(0..20, 20..50), 200 ms transient then 1000 ms measured per point, from rest.

neurodyn: build/bench/sweep runs the map with 1 and 2 threads (bench/sweep.c) and checks
that the two tables are identical. Then the same map as a script, `neurodyn run`, with 1
thread, 2 threads, and on 2 MPI ranks of 1 thread each (`mpirun -np 2`, when mpirun and
the MPI plugin are there): the time the sweep reports (from its start to the gathered
table on rank 0) and the whole process's, and whether the MPI table is byte-identical to
the serial one. Python: what a Python user writes, SciPy's solve_ivp
(RK45, rtol = atol = 1e-6 as neurodyn's default, spikes as upward crossings of -20 mV by
event location) over the points in a multiprocessing pool of 2 processes. SciPy takes
about a second per point, so by default it times an evenly spread subset of the points
(--subset, default 40 of 1600) and scales the time to the whole map, saying so; the rates
of the subset are compared with neurodyn's.

Usage: /usr/bin/python3 bench/sweep.py [--subset N] [--repeats R] [--no-scipy]
       (after `make all build/bench/sweep`)
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from multiprocessing import Pool

import numpy as np
from scipy.integrate import solve_ivp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bench", "sweep")
NEURODYN = os.path.join(ROOT, "build", "neurodyn")
PLUGIN = os.path.join(ROOT, "build", "libneurodyn_mpi.so")
HH_INIT = [-64.9964, 0.052955, 0.595994, 0.317732]
TRANSIENT, WINDOW = 200.0, 1000.0


def hh(t, y, I, gK):
    V, m, h, n = y
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    bm = 4 * np.exp(-(V + 65) / 18)
    ah = 0.07 * np.exp(-(V + 65) / 20)
    bh = 1 / (1 + np.exp(-(V + 35) / 10))
    an = 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))
    bn = 0.125 * np.exp(-(V + 65) / 80)
    return [I - 120 * m**3 * h * (V - 50) - gK * n**4 * (V + 77) - 0.3 * (V + 54.387),
            am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]


def up(t, y, I, gK):
    return y[0] + 20


up.direction = 1


def rate(point):
    I, gK = point
    sol = solve_ivp(hh, (0, TRANSIENT + WINDOW), HH_INIT, args=(I, gK), rtol=1e-6,
                    atol=1e-6, events=[up])
    t = sol.t_events[0]
    t = t[t >= TRANSIENT]
    if len(t) < 2 or TRANSIENT + WINDOW - t[-1] > 2 * np.mean(np.diff(t)):
        return 0.0
    return 1000.0 / np.mean(np.diff(t))


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def script_run(cmd, threads, workdir):
    """Runs the map as a script; (the process's wall seconds — the sweep's result carries no
    time, so that it reads the same on every machine —, its CPU seconds (every rank's), the
    table without its metadata lines)."""
    path = os.path.join(workdir, f"map{threads}.nd")
    table = os.path.join(workdir, f"map-{len(cmd)}-{threads}.csv")
    with open(path, "w") as f:
        f.write(f"use hh\nm = sweep I=0..20 n=40 gK=20..50 n=40 threads={threads} plot=false\n"
                f"save m \"{table}\"\n")
    t0, c0 = time.perf_counter(), children_cpu()
    out = subprocess.run(cmd + [NEURODYN, "run", path], check=True, capture_output=True,
                         text=True, cwd=workdir).stdout
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    with open(table) as f:
        return wall, cpu, [l for l in f if not l.startswith("#")]


def script_rows(repeats):
    """1 thread, 2 threads, 2 MPI ranks: best of repeats each; returns the MPI time or None."""
    mpirun = shutil.which("mpirun")
    runs = [("1 thread", [], 1), ("2 threads", [], 2)]
    if mpirun and os.path.exists(PLUGIN):
        # one machine: shared memory (ob1) spares the 0.2 s UCX spends probing network devices
        runs.append(("2 MPI ranks x 1 thread",
                     [mpirun, "--allow-run-as-root", "--oversubscribe", "--mca", "pml", "ob1",
                      "-np", "2"], 1))
    best = {}
    with tempfile.TemporaryDirectory() as d:
        for name, cmd, threads in runs:
            for _ in range(repeats):
                r = script_run(cmd, threads, d)
                if name not in best or r[0] < best[name][0]:
                    best[name] = r
    print("The same map as a script (`neurodyn run`): the whole process's wall time (start-up "
          "included, about 20 ms) and its CPU time (all ranks)")
    t1, c1 = best["1 thread"][0], best["1 thread"][1]
    for name, _, threads in runs:
        workers = 1 if name == "1 thread" else 2
        wall, cpu, table = best[name]
        same = "" if name == "1 thread" else \
            f"; values {'identical' if table == best['1 thread'][2] else 'DIFFERENT'}"
        print(f"  {name:24s} {wall:7.3f} s  speed-up {t1 / wall:4.2f}x  (CPU {cpu:6.3f} s: "
              f"{workers * c1 / cpu:4.2f}x on free cores){same}")
    if len(runs) < 3:
        print("  (no mpirun or no build/libneurodyn_mpi.so: the MPI row is left out)")
        return None
    mpi = best["2 MPI ranks x 1 thread"][0]
    print(f"  2 MPI ranks / 2 threads: {best['2 threads'][0] / mpi:.2f}x the speed")
    return mpi


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--subset", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--no-scipy", action="store_true", help="leave SciPy out (it takes ~25 s)")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        subprocess.run(["make", "-C", ROOT, "build/bench/sweep"], check=True)
    csv = os.path.join(ROOT, "build", "bench", "sweep_map.csv")
    out = subprocess.run([BIN, str(args.repeats), csv], check=True, capture_output=True,
                         text=True).stdout
    print(out, end="")
    nd = json.loads(out.strip().splitlines()[-1])
    mpi = script_rows(args.repeats)
    if args.no_scipy:
        return

    I = np.linspace(0, 20, 40)
    gK = np.linspace(20, 50, 40)
    points = [(i, g) for g in gK for i in I]          # I fastest, as neurodyn's table
    pick = np.linspace(0, len(points) - 1, min(args.subset, len(points))).round().astype(int)
    with Pool(2) as pool:
        t0 = time.perf_counter()
        rates = pool.map(rate, [points[k] for k in pick], chunksize=1)
        dt = time.perf_counter() - t0
    scaled = dt * len(points) / len(pick)
    print(f"SciPy solve_ivp (RK45) in a 2-process pool: {len(pick)} of {len(points)} points "
          f"in {dt:.2f} s, scaled to the whole map: {scaled:.1f} s")
    print(f"  neurodyn 2 threads is {scaled / nd['t2']:.0f}x faster "
          f"({scaled:.1f} s / {nd['t2']:.3f} s)")
    if mpi:
        print(f"  neurodyn on 2 MPI ranks is {scaled / mpi:.0f}x faster ({scaled:.1f} s / "
              f"{mpi:.3f} s)")
    with open(csv) as f:
        table = np.loadtxt([l for l in f if not l.startswith("#")][1:], delimiter=",")
    mine = table[pick, 2]
    both = (mine > 0) & (np.array(rates) > 0)
    agree = int(np.sum((mine > 0) == (np.array(rates) > 0)))
    rel = np.max(np.abs(mine[both] - np.array(rates)[both]) / mine[both]) if both.any() else 0
    print(f"  subset: firing agrees at {agree} of {len(pick)} points; where both fire the "
          f"rates differ by at most {100 * rel:.2f} %")


if __name__ == "__main__":
    main()
