#!/usr/bin/env python3
"""Recordings benchmark driver (issue 14): neurodyn reading the fast-spiking interneuron's
ABF file and measuring every feature (bench/recordings.c) against what a Python user
does: neo (Debian's python3-neo) reads the file and its protocol, then NumPy/SciPy measure
the same features with the same definitions (ipfx's spike detection on dV/dt, thresholds
at 5 % of the mean upstroke, steady states, an exponential fitted with curve_fit for tau,
least-squares lines for the input resistance and the F–I slope). One core; medians.

Usage: /usr/bin/python3 bench/recordings.py   (after `make build/bench/recordings`)
"""
import json
import os
import subprocess
import time
import warnings

import numpy as np
from scipy.optimize import curve_fit

warnings.simplefilter("ignore")
import neo  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bench", "recordings")
FSI = os.path.join(ROOT, "data", "recordings", "2019_07_24_0055_fsi.abf")
REPEATS = 5


def read():
    io = neo.io.AxonIO(FSI)
    block = io.read_block()
    protocol = io.read_raw_protocol()
    dt = 1000.0 / float(block.segments[0].analogsignals[0].sampling_rate)
    vs = [np.asarray(s.analogsignals[0], dtype=np.float64).ravel() for s in block.segments]
    cs = [np.asarray(c[0], dtype=np.float64).ravel() for c in protocol[0]]
    return dt, vs, cs


def window(command, dt):
    """The longest run of the largest step differing from holding."""
    level = command[np.argmax(np.abs(command - command[0]))]
    on = np.flatnonzero(command == level)
    runs = np.split(on, np.flatnonzero(np.diff(on) > 1) + 1)
    run = max(runs, key=len)
    return run[0] * dt, (run[-1] + 1) * dt, int(run[0]), int(run[-1]) + 1


def spikes(v, dt, a, b):
    d = np.diff(v) / dt
    up = np.flatnonzero((d[a:b - 1] < 20) & (d[a + 1:b] >= 20)) + a
    starts = [u for j, u in enumerate(up) if j == 0 or np.any(d[up[j - 1]:u] < 0)]
    ends = starts[1:] + [b]
    peaks = [s + int(np.argmax(v[s:e])) for s, e in zip(starts, ends)]
    keep = [v[p] >= -30 and v[p] - v[s] >= 2 for s, p in zip(starts, peaks)]
    starts = [s for s, k in zip(starts, keep) if k]
    peaks = [p for p, k in zip(peaks, keep) if k]
    if not starts:
        return []
    ups = [s + int(np.argmax(d[s:p])) for s, p in zip(starts, peaks)]
    target = 0.05 * d[ups].mean()
    out = []
    for j, (u, p) in enumerate(zip(ups, peaks)):
        lo = ups[j - 1] if j else a
        below = np.flatnonzero(d[lo + 1:u + 1] <= target)
        th = lo + 1 + int(below[-1]) if below.size else None
        out.append((th if th is not None else u, p, th is None))
    return out


def features(dt, vs, cs):
    start, end, a, b = window(cs[-1], dt)
    rows = []
    for v, c in zip(vs, cs):
        amp = c[a:b].mean() - c[0]
        sp = spikes(v, dt, a, b)
        thr_t = np.array([s[0] * dt for s in sp])
        rate = 1000 * np.count_nonzero((thr_t >= start) & (thr_t <= end)) / (end - start)
        first = sp[0] if sp else None
        hw = np.nan
        if first and not first[2]:
            th, pk, _ = first
            level = 0.5 * (v[th] + v[pk])
            nxt = sp[1][0] if len(sp) > 1 else b
            fall = pk + int(np.flatnonzero(v[pk:nxt] <= level)[0])
            rise = th + int(np.flatnonzero(v[th:pk + 1] <= level)[-1])
            hw = (fall - rise) * dt
        steady = v[b - int(30 / dt):b].mean()
        tau = np.nan
        if amp < 0 and not sp:
            base = v[a - int(100 / dt):a].mean()
            kmin = a + int(np.argmin(v[a:b]))
            k0 = a + int(np.flatnonzero(v[a:] <= base + 0.1 * (v[kmin] - base))[0])
            x, y = (np.arange(k0, kmin) - k0) * dt, v[k0:kmin]
            popt, _ = curve_fit(lambda x, y0, A, k: y0 + A * np.exp(-k * x), x, y,
                                p0=(y[-1], y[0] - y[-1], 0.05))
            tau = 1 / popt[2]
        rows.append(dict(amp=amp, n=len(sp), rate=rate, steady=steady, tau=tau, hw=hw))
    hyper = [r for r in rows if r["amp"] < 0 and r["n"] == 0]
    rin = 1000 * np.polyfit([r["amp"] for r in hyper], [r["steady"] for r in hyper], 1)[0]
    rheobase = min(r["amp"] for r in rows if r["amp"] > 0 and r["n"] > 0)
    supra = [r for r in rows if r["amp"] >= rheobase]
    slope = np.polyfit([r["amp"] for r in supra], [r["rate"] for r in supra], 1)[0]
    tau = np.mean([r["tau"] for r in hyper])
    return dict(rheobase=rheobase, input_resistance=rin, tau=tau, fi_slope=slope,
                spikes=sum(r["n"] for r in rows))


def median(fn):
    ts = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2], out


def main():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    cmd = [BIN, FSI]
    if os.path.exists("/usr/bin/taskset"):
        cmd = ["taskset", "-c", "0"] + cmd
    nd = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True,
                                   env=env).stdout)
    t_read, data = median(read)
    t_all, py = median(lambda: features(*read()))
    print("Reading the FSI recording (17 sweeps × 60,000 samples) and measuring its features")
    print(f"{'':28}{'neurodyn':>12}{'neo + NumPy':>14}{'ratio':>9}")
    print(f"{'read the file':28}{nd['read_s'] * 1e3:10.2f} ms{t_read * 1e3:12.2f} ms"
          f"{t_read / nd['read_s']:8.1f}×")
    print(f"{'read + every feature':28}{nd['features_s'] * 1e3:10.2f} ms{t_all * 1e3:12.2f} ms"
          f"{t_all / nd['features_s']:8.1f}×")
    print("same numbers:")
    for key in ("rheobase", "input_resistance", "tau", "fi_slope", "spikes"):
        print(f"  {key:18} {nd[key]:>14.6g} {py[key]:>14.6g}")


if __name__ == "__main__":
    main()
