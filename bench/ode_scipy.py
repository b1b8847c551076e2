#!/usr/bin/python3
"""HH solver benchmark, the SciPy side: solve_ivp RK45 and LSODA on the same problem as
bench/ode_hh.c (HH, I = 10, 100 ms from the model's rest values, output grid
t = 0, 0.1, ..., 100 ms, rtol = atol = tol), with the errors measured against the
reference ode_hh.c wrote (--ref FILE: dp5 at 1e-12).

The right-hand side is written as a careful SciPy user would write it for speed: scalar
arithmetic with the math module on Python floats, a list returned, no Jacobian (LSODA
forms its own by differences, as it does for most users).

Prints one JSON object per line (kind = "run"), the same fields as ode_hh.c: time (median
wall time of one solve_ivp call over >= --min-time seconds of repeats, taken in 3 rounds
through all entries), evals
(nfev), err_v (max |V - Vref| on the grid), err_spike (max difference of the upward
-20 mV crossing times, from a second solve with an event, which leaves the steps alone),
nspikes, event_shift.

Run: /usr/bin/python3 bench/ode_scipy.py --ref REF.json [--tols 1e-5,...] [--min-time 0.3]
(bench/ode.py runs it).
"""

import argparse
import json
import math
import statistics
import time
import warnings

import numpy as np
import scipy
from scipy.integrate import solve_ivp

I_STIM = 10.0
ROUNDS = 3
exp, expm1 = math.exp, math.expm1


def vtrap(x, k):
    """x / (1 - exp(-x/k)) without the cancellation near x = 0."""
    return k if abs(x) < 1e-9 else -x / expm1(-x / k)


def hh(t, y):
    V, m, h, n = y.tolist()
    am = 0.1 * vtrap(V + 40, 10)
    bm = 4 * exp(-(V + 65) / 18)
    ah = 0.07 * exp(-(V + 65) / 20)
    bh = 1 / (1 + exp(-(V + 35) / 10))
    an = 0.01 * vtrap(V + 55, 10)
    bn = 0.125 * exp(-(V + 65) / 80)
    n2 = n * n
    return [I_STIM - 120 * m * m * m * h * (V - 50) - 36 * n2 * n2 * (V + 77)
            - 0.3 * (V + 54.387),
            am * (1 - m) - bm * m,
            ah * (1 - h) - bh * h,
            an * (1 - n) - bn * n]


def spike(t, y):
    return y[0] + 20


spike.direction = 1


def solve(method, tol, y0, t_end, grid, events=False):
    return solve_ivp(hh, (0.0, t_end), y0, method=method, t_eval=grid, rtol=tol, atol=tol,
                     events=spike if events else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ref", required=True, help="reference JSON written by ode_hh --ref")
    ap.add_argument("--tols", default="1e-5,1e-6,1e-7,1e-8,1e-9,1e-10")
    ap.add_argument("--methods", default="RK45,LSODA")
    ap.add_argument("--min-time", type=float, default=0.3)
    args = ap.parse_args()
    with open(args.ref) as f:
        ref = json.load(f)
    grid = np.array(ref["t"])
    vref = np.array(ref["V"])
    sref = np.array(ref["spikes"])
    y0 = np.array(ref["y0"])
    tols = [float(s) for s in args.tols.split(",")]
    print(json.dumps({"kind": "info", "what": "scipy", "version": scipy.__version__,
                      "numpy": np.__version__}), flush=True)
    warnings.simplefilter("ignore")   # LSODA's "excess work" chatter at tight tolerances

    # A warm-up solve per entry sets its solves per round (min_time / ROUNDS seconds);
    # then ROUNDS rounds through all entries, so that a passing disturbance on a shared
    # machine spreads over the entries; each time is the median of its >= ROUNDS solves.
    entries = [(m, tol) for m in args.methods.split(",") for tol in tols]
    per_round, times = {}, {}
    for e in entries:
        t0 = time.perf_counter()
        solve(*e, y0, ref["t_end"], grid)
        one = time.perf_counter() - t0
        per_round[e] = max(1, min(3000, math.ceil(args.min_time / ROUNDS / one)))
        times[e] = []
    for _ in range(ROUNDS):
        for e in entries:
            for _ in range(per_round[e]):
                t0 = time.perf_counter()
                solve(*e, y0, ref["t_end"], grid)
                times[e].append(time.perf_counter() - t0)

    for method, tol in entries:
        sol = solve(method, tol, y0, ref["t_end"], grid)
        acc = solve(method, tol, y0, ref["t_end"], grid, events=True)
        ok = bool(sol.success and acc.success and sol.y.shape[1] == len(grid))
        err_v = float(np.max(np.abs(sol.y[0] - vref))) if ok else math.inf
        st = acc.t_events[0]
        err_s = (float(np.max(np.abs(st - sref))) if ok and len(st) == len(sref)
                 else math.inf)
        shift = float(np.max(np.abs(sol.y[0] - acc.y[0]))) if ok else math.inf
        print(json.dumps({"kind": "run", "solver": "scipy", "method": method.lower(),
                          "model": "python", "tol": tol,
                          "time": statistics.median(times[(method, tol)]),
                          "repeats": len(times[(method, tol)]),
                          "evals": int(sol.nfev), "ok": ok, "err_v": err_v,
                          "err_spike": err_s, "nspikes": len(st),
                          "event_shift": shift}), flush=True)


if __name__ == "__main__":
    main()
