#!/usr/bin/python3
"""HH solver benchmark driver: neurodyn against SUNDIALS CVODE and SciPy at equal accuracy,
and the compiled model language against the same right-hand side written by hand in C.

Builds build/bench/ode_hh from bench/ode_hh.c when it is missing or stale (needs
build/libneurodyn.a: `make all`), runs it (neurodyn dp5/tsit5/bdf on the hand-written and
the compiled model, CVODE Adams/BDF called directly, the reference, the RHS cost), then
bench/ode_scipy.py (solve_ivp RK45 and LSODA) on the same problem and reference, and
prints:

  1. every entry: wall time (median of repeats), RHS evaluations, max |dV| on the grid
     and spike-time error against the reference (dp5, rtol = atol = 1e-12);
  2. the ratios peer-time / neurodyn-time at equal accuracy: each peer runs at tolerances
     1e-5 .. 1e-12, which gives its work-precision curve; for a neurodyn entry with error
     e, the peer's time is interpolated (log time against log error) between its two
     neighbouring tolerances whose errors bracket e. Matched once on max |dV| and once on
     the spike-time error;
  3. nanoseconds per RHS evaluation, compiled built-in `hh` against hand-written C.

Run: /usr/bin/python3 bench/ode.py [--min-time 0.3] [--raw FILE]   (or `make bench`)
"""

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bench", "ode_hh")
LIB = os.path.join(ROOT, "build", "libneurodyn.a")
PEER_TOLS = "1e-5,1e-6,1e-7,1e-8,1e-9,1e-10,1e-11,1e-12"
ND_TOLS = "1e-6,1e-8"

PEERS = [("cvode", "adams"), ("cvode", "bdf"), ("cvode", "bdf-dqjac"),
         ("scipy", "rk45"), ("scipy", "lsoda")]


def build():
    """Compiles ode_hh when missing or older than its sources or the library."""
    if not os.path.exists(LIB):
        subprocess.run(["make", "-C", ROOT, "all"], check=True)
    srcs = [os.path.join(ROOT, "bench", f) for f in ("ode_hh.c", "hh_c.h")] + [LIB]
    if os.path.exists(BIN) and os.path.getmtime(BIN) >= max(map(os.path.getmtime, srcs)):
        return
    libs = subprocess.run(["make", "-s", "-C", ROOT, "--no-print-directory",
                           "--eval=print-libs: ; @echo $(LIBS)", "print-libs"],
                          check=True, capture_output=True, text=True).stdout.split()
    os.makedirs(os.path.dirname(BIN), exist_ok=True)
    cmd = ["cc", "-std=c11", "-O2", "-D_DEFAULT_SOURCE", "-o", BIN, srcs[0], LIB] + libs
    print(" ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd),
          file=sys.stderr)
    subprocess.run(cmd, check=True)


def run_lines(cmd):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def peer_time_at(points, e, key):
    """The peer's time to reach error e (key: err_v or err_spike) on its work-precision
    curve (points sorted from loose to tight tolerance). Returns (seconds, mark): mark ""
    when interpolated between two tolerances, "<=" when even the loosest tolerance is at
    least as accurate (its time is an upper bound), ">" when no tolerance reaches e (the
    tightest one's time is a lower bound), or (None, "") without data."""
    pts = [p for p in points if p["ok"] and p["time"] is not None]
    if not pts or e is None or not math.isfinite(e):
        return None, ""
    for j, p in enumerate(pts):
        if p[key] <= e:
            if j == 0:
                return p["time"], "<="
            q = pts[j - 1]
            if p[key] <= 0 or not math.isfinite(q[key]) or q[key] <= p[key]:
                return p["time"], "<="
            x = (math.log(e) - math.log(q[key])) / (math.log(p[key]) - math.log(q[key]))
            return math.exp(math.log(q["time"]) + x * (math.log(p["time"])
                                                         - math.log(q["time"]))), ""
    return pts[-1]["time"], ">"


def ms(s):
    return "-" if s is None else f"{s * 1e3:.3f}"


def sci(x):
    if x is None:
        return "-"
    return "inf" if math.isinf(x) else f"{x:.2e}"


def ratio_str(peer_t, mark, nd_t):
    if peer_t is None:
        return "-"
    r = peer_t / nd_t
    # the peer time is an upper bound ("<=") or a lower bound (">"): so is the ratio
    return f"{'<=' if mark == '<=' else '>' if mark == '>' else ''}{r:.1f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-time", type=float, default=0.3,
                    help="seconds of repeats per entry (median taken; at least 3 runs)")
    ap.add_argument("--peer-tols", default=PEER_TOLS)
    ap.add_argument("--nd-tols", default=ND_TOLS)
    ap.add_argument("--raw", help="also write every measurement (JSON lines) to this file")
    args = ap.parse_args()

    build()
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="neurodyn-ode-bench-") as tmp:
        ref_path = os.path.join(tmp, "ref.json")
        rows = run_lines([BIN, "--min-time", str(args.min_time), "--nd-tols", args.nd_tols,
                          "--peer-tols", args.peer_tols, "--ref", ref_path])
        print(f"  C side (neurodyn, CVODE) measured in {time.perf_counter() - t_start:.1f} s",
              file=sys.stderr)
        t1 = time.perf_counter()
        rows += run_lines([sys.executable, os.path.join(ROOT, "bench", "ode_scipy.py"),
                           "--ref", ref_path, "--tols", args.peer_tols,
                           "--min-time", str(args.min_time)])
        print(f"  SciPy measured in {time.perf_counter() - t1:.1f} s", file=sys.stderr)
    if args.raw:
        with open(args.raw, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")

    ref = next(r for r in rows if r["kind"] == "ref")
    checks = [r for r in rows if r["kind"] == "refcheck"]
    jac = next(r for r in rows if r.get("what") == "jacobian_check")
    spy = next(r for r in rows if r.get("what") == "scipy")
    sun = next(r for r in rows if r.get("what") == "sundials")
    rhs = next(r for r in rows if r["kind"] == "rhs")
    runs = [r for r in rows if r["kind"] == "run"]
    for r in runs:
        for k in ("err_v", "err_spike"):
            if r[k] is None:
                r[k] = math.inf
    nd = [r for r in runs if r["solver"] == "neurodyn"]
    peers = {(s, m): sorted([r for r in runs if r["solver"] == s and r["method"] == m],
                            key=lambda r: -r["tol"]) for s, m in PEERS}

    print()
    print("HH, I = 10 uA/cm^2, 100 ms from rest, output grid t = 0, 0.1, ..., 100 ms, "
          "rtol = atol = tol")
    print(f"reference: neurodyn dp5 at 1e-12 on the hand-written RHS ({ref['evals']} evals, "
          f"{ref['nspikes']} spikes at "
          + ", ".join(f"{t:.3f}" for t in ref["spikes"]) + " ms)")
    for c in checks:
        print(f"  cross-check {c['solver']} {c['method']} at 1e-12: max|dV| "
              f"{sci(c['err_v'])} mV, spike times {sci(c['err_spike'])} ms "
              f"({c['evals']} evals)")
    print(f"  analytic Jacobian of the hand-written RHS vs central differences: max rel. "
          f"error {jac['max_rel_err']:.1e}")
    print()
    print("1. every entry (time: median wall time of one complete solve; evals: RHS "
          "evaluations;\n   max|dV| on the output grid; spike: max error of the -20 mV "
          "upward crossing times)")
    hdr = (f"{'solver':<9}{'method':<10}{'model':<7}{'tol':>7}{'time ms':>10}{'evals':>8}"
           f"{'max|dV| mV':>12}{'spike ms':>10}{'runs':>6}")
    print(hdr)
    print("-" * len(hdr))
    model_name = {"hand": "C", "hh": "hh", "python": "py"}
    for r in nd + [r for k in PEERS for r in peers[k]]:
        note = "" if r["ok"] else "  FAILED"
        if r["event_shift"] and r["event_shift"] > 0:
            note += f"  (event solve differs by {r['event_shift']:.1e})"
        print(f"{r['solver']:<9}{r['method']:<10}{model_name[r['model']]:<7}{r['tol']:>7.0e}"
              f"{ms(r['time']):>10}{r['evals']:>8}{sci(r['err_v']):>12}"
              f"{sci(r['err_spike']):>10}{r['repeats']:>6}{note}")
    print("  model: C = bench/hh_c.h (+ analytic Jacobian for bdf/CVODE), hh = compiled "
          "built-in model,\n  py = Python function for solve_ivp; bdf-dqjac = CVODE BDF "
          "with its own difference-quotient Jacobian")

    summary = {}
    for key, label, part in (("err_v", "max|dV|", "2a"), ("err_spike", "spike-time error", "2b")):
        print()
        print(f"{part}. peer time / neurodyn time at equal accuracy, matched on {label} "
              "(peer time interpolated\n   log-log on its work-precision curve over tol "
              f"{args.peer_tols.split(',')[0]}..{args.peer_tols.split(',')[-1]}; "
              "<=: upper bound, >: lower bound)")
        hdr = (f"{'neurodyn':<16}{'tol':>6}{'error':>10}{'time ms':>9}"
               + "".join(f"{('cvode-' if s == 'cvode' else '') + m:>16}" for s, m in PEERS)
               + f"{'CVODE/nd':>10}{'SciPy/nd':>10}")
        print(hdr)
        print("-" * len(hdr))
        for r in nd:
            e = r[key]
            cells, best = [], {"cvode": None, "scipy": None}
            for s, m in PEERS:
                t, mark = peer_time_at(peers[(s, m)], e, key)
                cells.append(ratio_str(t, mark, r["time"]))
                if t is not None and mark != ">":
                    if best[s] is None or t < best[s][0]:
                        best[s] = (t, mark)
            bests = [ratio_str(*best[s], r["time"]) if best[s] else "-"
                     for s in ("cvode", "scipy")]
            name = f"{r['method']} {model_name[r['model']]}"
            print(f"{name:<16}{r['tol']:>6.0e}{sci(e):>10}{ms(r['time']):>9}"
                  + "".join(f"{c:>16}" for c in cells) + f"{bests[0]:>10}{bests[1]:>10}")
            if best["cvode"] and best["scipy"]:
                summary[(key, r["method"], r["model"], r["tol"])] = (
                    best["cvode"][0] / r["time"], best["scipy"][0] / r["time"])
        print("  CVODE/nd, SciPy/nd: the fastest CVODE variant and the faster of RK45/LSODA "
              "at that accuracy")

    print()
    print("3. one right-hand-side evaluation of HH (ns, best of 7, over the 1001 states of "
          "the reference trajectory)")
    h, he = rhs["hand_ns"], rhs["hand_exp_ns"]
    print(f"  hh_rhs of bench/hh_c.h (expm1), inlined    {h:8.1f} ns")
    print(f"  the same through a problem's rhs pointer   {rhs['hand_ptr_ns']:8.1f} ns")
    print(f"  hh_rhs with exp in place of expm1         {he:8.1f} ns")
    for key, label in (("model_ns", "nd_model_rhs, compiled built-in hh        "),
                       ("model_ivp_ns", "the model's nd_ode_problem rhs (model_ivp)")):
        print(f"  {label} {rhs[key]:8.1f} ns   {rhs[key] / h:.2f}x hh_rhs, "
              f"{rhs[key] / he:.2f}x the exp variant")
    print(f"  (nd_model_rhs and hh_rhs agree to {rhs['max_rel_diff']:.1e} relative)")

    print()
    print("aims of issue 3 (dp5/tsit5 >= 5x faster than CVODE, >= 200x faster than SciPy, at "
          "equal max|dV|):")
    for (key, meth, model, tol), (cv, sp) in summary.items():
        if key == "err_v" and meth in ("dp5", "tsit5"):
            print(f"  {meth:<6}{model_name[model]:<3}{tol:6.0e}:  CVODE/nd {cv:6.1f}x "
                  f"({'met' if cv >= 5 else 'NOT met'}),  SciPy/nd {sp:6.1f}x "
                  f"({'met' if sp >= 200 else 'NOT met'})")
    print()
    print(f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"SUNDIALS {sun['version']}, SciPy {spy['version']}, NumPy {spy['numpy']}, "
          f"Python {platform.python_version()}; total {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
