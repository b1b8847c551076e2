#!/usr/bin/env python3
"""Parameter-fit benchmark (issue 15): neurodyn's `fit` (bench/fit.c: forward
sensitivities, Levenberg–Marquardt and L-BFGS) against SciPy's least_squares over
solve_ivp, the way a Python user would write it — the same data, the same parameters, the
same start.

Problem: the Hodgkin–Huxley model (Hodgkin & Huxley 1952, the modern convention of
lib/models/hh.nd) with gNa = 100, gK = 30 (not the defaults 120, 36), I = 10 µA/cm² on
[5, 35) ms, V sampled every 0.1 ms over 40 ms (401 samples) with Gaussian noise of 1 mV
(seed 1); fitted for gNa and gK from the defaults. SciPy: least_squares (trf, its
finite-difference Jacobian) over solve_ivp (LSODA, rtol = atol = 1e-8, solved piecewise
between the stimulus edges). Both are timed to their own convergence; the accuracy is
checked by comparing the optima (they must agree far inside the standard errors). One core.

The functions here (the model, the data, the SciPy fit) are also what
tests/python/test_fit.py checks the kernel against.

Usage: /usr/bin/python3 bench/fit.py   (after `make build/bench/fit`, which `make bench` does)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bench", "fit")

ENA, EK, EL, GL, C = 50.0, -77.0, -54.387, 0.3, 1.0
Y0 = [-64.9964, 0.052955, 0.595994, 0.317732]
EDGES = [0.0, 5.0, 35.0, 40.0]
AMP = 10.0


def am(v): return 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10))
def bm(v): return 4 * np.exp(-(v + 65) / 18)
def ah(v): return 0.07 * np.exp(-(v + 65) / 20)
def bh(v): return 1 / (1 + np.exp(-(v + 35) / 10))
def an(v): return 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10))
def bn(v): return 0.125 * np.exp(-(v + 65) / 80)


def rhs(t, y, gna, gk, i_app):
    v, m, h, n = y
    ina = gna * m**3 * h * (v - ENA)
    ik = gk * n**4 * (v - EK)
    il = GL * (v - EL)
    return [(i_app - ina - ik - il) / C, am(v) * (1 - m) - bm(v) * m,
            ah(v) * (1 - h) - bh(v) * h, an(v) * (1 - n) - bn(v) * n]


def voltage(t, gna, gk, rtol=1e-8):
    """V at the times t, solved piecewise between the stimulus edges."""
    y, out = list(Y0), []
    for a, b in zip(EDGES[:-1], EDGES[1:]):
        i_app = AMP if a == EDGES[1] else 0.0
        ts = t[(t >= a) & (t <= b)]
        if out and len(ts) and ts[0] == a:
            ts = ts[1:]
        s = solve_ivp(rhs, (a, b), y, t_eval=ts, args=(gna, gk, i_app), method="LSODA",
                      rtol=rtol, atol=rtol)
        out.append(s.y[0])
        y = solve_ivp(rhs, (a, b), y, args=(gna, gk, i_app), method="LSODA", rtol=rtol,
                      atol=rtol).y[:, -1] if len(ts) == 0 or ts[-1] != b else s.y[:, -1]
    return np.concatenate(out)


def make_data(sigma=1.0, seed=1, dt=0.1):
    t = np.round(np.arange(0, EDGES[-1] + dt / 2, dt), 10)
    v = voltage(t, 100.0, 30.0, rtol=1e-10)
    rng = np.random.default_rng(seed)
    return t, v + sigma * rng.standard_normal(len(t))


def write_csv(path, t, v):
    with open(path, "w") as f:
        f.write("t [ms],V [mV]\n")
        for ti, vi in zip(t, v):
            f.write(f"{ti!r},{vi!r}\n")


def scipy_fit(t, v, x0=(120.0, 36.0), rtol=1e-8, diff_step=None):
    """least_squares over solve_ivp; returns the estimates, their standard errors
    (σ²(JᵀJ)⁻¹ from its Jacobian), the residual sum of squares and the evaluations."""
    res = least_squares(lambda p: voltage(t, p[0], p[1], rtol) - v, x0, x_scale="jac",
                        diff_step=diff_step)
    J = res.jac
    ssr = float(res.fun @ res.fun)
    cov = ssr / (len(v) - 2) * np.linalg.inv(J.T @ J)
    return res.x, np.sqrt(np.diag(cov)), ssr, res.nfev


def main():
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: run `make build/bench/fit` first")
    d = tempfile.mkdtemp(prefix="nd-fit-bench-")
    path = os.path.join(d, "hh.csv")
    t, v = make_data()
    write_csv(path, t, v)
    out = subprocess.run([BIN, path], check=True, capture_output=True, text=True).stdout
    nd = json.loads(out)
    rows = []
    for label, kw in (("SciPy, defaults", {}),
                      ("SciPy, rtol=1e-10", {"rtol": 1e-10})):
        t0 = time.perf_counter()
        x, se, ssr, nfev = scipy_fit(t, v, **kw)
        rows.append((label, x, time.perf_counter() - t0, f"{nfev} solves"))
    for m in nd["methods"]:
        rows.append(("neurodyn " + m["method"], m["estimates"], m["seconds"],
                     f"{m['iterations']} iterations"))
    # Accuracy judged independently: each optimum's SSR under a tight SciPy solve.
    ssrs = [float(np.sum((voltage(t, x[0], x[1], 1e-10) - v) ** 2)) for _, x, _, _ in rows]
    best = min(ssrs)
    print(f"hh, {len(t)} samples of V (1 mV noise), gNa and gK from 120, 36 (truth 100, 30)")
    print(f"{'':24s} {'gNa':>9s} {'gK':>8s} {'SSR-min':>8s} {'time':>9s} {'SciPy/neurodyn':>15s}")
    py = rows[0][2]
    for (label, x, sec, note), s in zip(rows, ssrs):
        print(f"{label:24s} {x[0]:9.4f} {x[1]:8.4f} {s - best:8.3f} {sec:8.4f}s "
              f"{py / sec:14.1f}x  ({note})")
    print("SSR-min: the optimum's residual sum of squares (tight SciPy solve) above the best "
          "one; < 1 is the same fit within the noise")


if __name__ == "__main__":
    main()
