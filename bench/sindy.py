#!/usr/bin/env python3
"""SINDy benchmark driver (issue 6): neurodyn's STLSQ (bench/sindy.c) against the same
algorithm written the way a Python user would — NumPy, the PySINDy way: columns
normalised, then each thresholding iteration a ridge least-squares solve on the active
columns over all samples (PySINDy's STLSQ calls sklearn's ridge_regression like this).
PySINDy itself is not packaged for Debian; the NumPy version does the same arithmetic.

Problem: 10,000 samples of Lorenz (σ 10, ρ 28, β 8/3, every 0.01 from (−8, 7, 27)), exact
derivatives, cubic library in (x, y, z) = 20 terms, threshold 0.1 (normalised units);
then the sweep `sindy … sweep=true` runs: the unthresholded fit, then 50 log-spaced
thresholds over its coefficients (the grid bench/sindy.c reports). One core.

Usage: /usr/bin/python3 bench/sindy.py   (after `make build/bench/sindy`, which `make bench` does)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bench", "sindy")


def library(X):
    x, y, z = X.T
    cols, names = [], []
    for d in range(4):
        for i in range(d, -1, -1):
            for j in range(d - i, -1, -1):
                k = d - i - j
                cols.append(x ** i * y ** j * z ** k)
                names.append((i, j, k))
    return np.column_stack(cols), names


def stlsq(theta, Y, threshold, ridge=1e-6, iters=20):
    s = np.sqrt((theta ** 2).mean(axis=0))
    sy = np.sqrt((Y ** 2).mean(axis=0))
    A, B = theta / s, Y / sy
    n = A.shape[0]
    coef = np.zeros((A.shape[1], Y.shape[1]))
    for k in range(Y.shape[1]):
        active = np.ones(A.shape[1], bool)
        for _ in range(iters):
            Aa = A[:, active]
            xi = np.linalg.solve(Aa.T @ Aa / n + ridge * np.eye(Aa.shape[1]), Aa.T @ B[:, k] / n)
            small = np.abs(xi) < threshold
            full = np.zeros(A.shape[1])
            full[active] = xi
            if not small.any():
                break
            active[np.flatnonzero(active)[small]] = False
        coef[:, k] = full
    return coef * sy / s[:, None]


def median_time(fn, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


def main():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "lorenz.txt")
        cmd = [BIN, "--export", path]
        if os.path.exists("/usr/bin/taskset"):
            cmd = ["taskset", "-c", "0"] + cmd
        nd = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True,
                                       env=env).stdout)
        data = np.loadtxt(path)
    X, Y = data[:, :3], data[:, 3:]
    theta, names = library(X)
    t_eval = median_time(lambda: library(X), 11)
    t_fit = median_time(lambda: stlsq(theta, Y, 0.1), 11)
    thresholds = np.logspace(np.log10(nd["sweep_lo"]), np.log10(nd["sweep_hi"]), 50)
    grid = np.concatenate(([0.0], thresholds))   # the unthresholded fit first, as neurodyn
    t_sweep = median_time(lambda: [stlsq(theta, Y, t) for t in grid], 3)
    coef = stlsq(theta, Y, 0.1)
    print(f"SINDy: Lorenz, {nd['rows']} samples x {nd['terms']} library terms (cubic in x, y, z), "
          f"STLSQ threshold 0.1; one core")
    print(f"{'':34}{'neurodyn':>12}{'NumPy':>12}{'NumPy/nd':>10}")
    print("-" * 68)
    for label, a, b in (("library evaluation", nd["eval"], t_eval),
                        ("one STLSQ fit", nd["fit"], t_fit),
                        ("sweep of 50 thresholds (+ fit at 0)", nd["sweep"], t_sweep)):
        print(f"{label:34}{a * 1e3:10.3f} ms{b * 1e3:10.3f} ms{b / a:9.1f}x")
    print(f"nonzero coefficients: neurodyn {nd['nonzero']}, NumPy {int((coef != 0).sum())} "
          f"(the true Lorenz model has 7); sweep knee at {nd['knee_terms']} terms "
          f"(threshold {nd['knee_threshold']:.3g}, suggested {nd['suggested']:.3g})")
    print(f"aim: one fit under 10 ms: {'met' if nd['fit'] < 0.01 else 'NOT met'} "
          f"({nd['fit'] * 1e3:.2f} ms)")


if __name__ == "__main__":
    sys.exit(main())
