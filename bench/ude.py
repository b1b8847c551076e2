#!/usr/bin/python3
"""UDE benchmark driver (issue 5): the flagship hybrid trained by neurodyn against the same
training written the way a Python user would in PyTorch.

Builds build/bench/ude (bench/ude.c) when missing or stale, runs it on one core
(taskset -c 0 when available, OPENBLAS_NUM_THREADS=1): it builds the problem (hh_rinzel,
INa replaced by a 2-16-16-1 tanh network of V and n, noisy V data, n unobserved), writes
it to a temporary JSON file, times one loss with and without its gradient, Adam per
iteration, and the full flagship training with its final errors. Then runs
bench/ude_torch.py on the same file, on the same core (torch float64, one thread, RK4
unrolled with autograd, torch.optim.Adam), and prints the two side by side:

  1. seconds per forward loss, per loss + gradient, their ratio, and per Adam iteration,
     with PyTorch / neurodyn;
  2. the cross-check: the loss and its gradient at the initial parameters, and the losses
     after the first Adam iterations, from both sides (they compute the same discretised
     problem, so they must agree to rounding);
  3. the flagship training: wall time per stage, the learned INa's RMS error along the
     true trajectory over INa's range, and the spike times against the truth, under the
     training stimulus and under a different one.

Run: /usr/bin/python3 bench/ude.py [--torch-iters 10] [--adam-iters 200]
         [--recipe "adam,10,0.01,1500;lbfgs,10,0,300"] [--no-flagship] [--keep DIR]
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bench", "ude")


def build():
    """Makes build/bench/ude (and the library under it) when stale."""
    subprocess.run(["make", "-s", "-C", ROOT, "--no-print-directory",
                    os.path.relpath(BIN, ROOT)], check=True)


def one_core(cmd):
    return (["taskset", "-c", "0"] + cmd) if shutil.which("taskset") else cmd


def env1():
    e = dict(os.environ)
    e.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return e


def run_lines(cmd):
    out = subprocess.run(one_core(cmd), check=True, stdout=subprocess.PIPE, text=True,
                         env=env1()).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def ms(s):
    return "-" if s is None else f"{s * 1e3:10.2f} ms"


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def fmt_times(ts):
    return "[" + ", ".join(f"{t:.3f}" for t in ts) + "]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--torch-iters", type=int, default=10,
                    help="Adam iterations PyTorch is timed on (default 10)")
    ap.add_argument("--adam-iters", type=int, default=200,
                    help="Adam iterations neurodyn is timed on (default 200)")
    ap.add_argument("--recipe", default=None,
                    help='flagship stages "KIND,SEGMENTS,LR,ITERS[,CONTINUITY];..." '
                         '(default: bench/ude.c\'s)')
    ap.add_argument("--no-flagship", action="store_true", help="skip the full training")
    ap.add_argument("--no-torch", action="store_true", help="neurodyn alone")
    ap.add_argument("--keep", help="keep the problem file and both outputs in this directory")
    ap.add_argument("--bin", help="run this build of bench/ude.c instead of building "
                    "build/bench/ude")
    args = ap.parse_args()

    if args.bin:
        binary = os.path.abspath(args.bin)
    else:
        build()
        binary = BIN
    t_start = time.perf_counter()
    tmp = args.keep or tempfile.mkdtemp(prefix="neurodyn-ude-bench-")
    os.makedirs(tmp, exist_ok=True)
    prob_path = os.path.join(tmp, "problem.json")
    cmd = [binary, "--problem", prob_path, "--torch-iters", str(args.torch_iters),
           "--adam-iters", str(args.adam_iters)]
    if args.recipe:
        cmd += ["--recipe", args.recipe]
    if args.no_flagship:
        cmd.append("--no-flagship")
    rows = run_lines(cmd)
    print(f"  neurodyn measured in {time.perf_counter() - t_start:.1f} s", file=sys.stderr)
    nd = {r["kind"]: r for r in rows}
    th = None
    if not args.no_torch:
        t1 = time.perf_counter()
        th = run_lines([sys.executable, os.path.join(ROOT, "bench", "ude_torch.py"),
                        prob_path])[0]
        print(f"  PyTorch measured in {time.perf_counter() - t1:.1f} s", file=sys.stderr)
    if args.keep:
        with open(os.path.join(tmp, "neurodyn.jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        if th:
            with open(os.path.join(tmp, "torch.json"), "w") as f:
                json.dump(th, f)
    else:
        shutil.rmtree(tmp, ignore_errors=True)

    p, tm, ad = nd["problem"], nd["timing"], nd["adam"]
    npn = p["nparams_net"]
    print()
    print(f"UDE flagship: hh_rinzel, INa replaced by a 2-16-16-1 tanh network of (V, n) "
          f"({npn} parameters);")
    print(f"data: V every 0.1 ms over {p['t_end']:g} ms ({p['samples']} samples), "
          f"{p['noise'] * 100:g} % noise, n unobserved; stimulus "
          + " + ".join(f"{a:g} uA/cm^2 on [{t0:g}, {t1:g})" for t0, t1, a in p["stim"])
          + f" ms, {len(p['spikes'])} spikes")
    print(f"loss: single shooting, mean ((V - V_data) / {p['loss_scale']:.4g})^2, RK4 dt = "
          f"{p['dt']:g} ms ({th['nsteps'] if th else '?'} steps); Adam lr 0.01; one core")
    print()
    print("1. cost (neurodyn: median of repeats; Adam: mean over its iterations; PyTorch: "
          "float64, 1 thread)")
    hdr = f"{'':<36}{'neurodyn':>14}{'PyTorch':>14}{'PyTorch/nd':>12}"
    print(hdr)
    print("-" * len(hdr))

    def row(label, a, b):
        r = f"{b / a:10.1f}x" if (a and b) else "-"
        print(f"{label:<36}{ms(a):>14}{ms(b):>14}{r:>12}")

    row("loss, forward solve only", tm["forward"], th and th["sec_forward_nograd"])
    row("loss + gradient", tm["loss_and_grad"], th and th["sec_loss_and_grad"])
    row("Adam iteration", ad["per_iter"], th and th["sec_per_iter_mean"])
    g_th = th["sec_loss_and_grad"] / th["sec_forward_nograd"] if th else None
    print(f"{'gradient cost / forward solve':<36}{tm['ratio']:>13.2f}x"
          f"{(f'{g_th:.2f}x' if g_th else '-'):>14}")
    print(f"{'iterations timed':<36}{ad['iters']:>14}{(th['iters'] if th else '-'):>14}")
    print(f"  neurodyn forward solve: {tm['rhs_evals']} RHS evaluations; PyTorch Adam "
          f"iterations (s): {fmt_times(th['sec_per_iter']) if th else '-'}")

    if th:
        print()
        print("2. cross-check at the initial parameters (same network, data, stimulus and RK4 "
              "grid on both sides)")
        l_nd, l_th = tm["loss0"], th["loss0"]
        print(f"  loss       neurodyn {l_nd:.15g}   PyTorch {l_th:.15g}   relative difference "
              f"{rel(l_nd, l_th):.1e}")
        g_nd, g_t = tm["grad0"], th["grad0"]
        m = min(len(g_nd), len(g_t))
        gmax = max(abs(x) for x in g_t[:m])
        dmax = max(abs(a - b) for a, b in zip(g_nd[:m], g_t[:m]))
        big = [rel(a, b) for a, b in zip(g_nd[:m], g_t[:m]) if abs(b) > 1e-3 * gmax]
        print(f"  gradient   {m} entries compared (neurodyn has {len(g_nd)}, PyTorch "
              f"{len(g_t)}): max|diff| / max|g| {dmax / gmax:.1e}, max relative difference "
              f"of the entries above 1e-3 max|g| {max(big):.1e}")
        hist = [tm["loss0"]] + ad["history"][:th["iters"]]
        k = min(len(hist), len(th["losses"]))
        diffs = [rel(a, b) for a, b in zip(hist[:k], th["losses"][:k])]
        print(f"  losses after Adam iterations 0..{k - 1}: max relative difference "
              f"{max(diffs):.1e}")
        print("    neurodyn " + ", ".join(f"{x:.6g}" for x in hist[:k]))
        print("    PyTorch  " + ", ".join(f"{x:.6g}" for x in th["losses"][:k]))

    fl = nd.get("flagship")
    if fl:
        print()
        print(f"3. flagship training: {fl['seconds']:.2f} s wall on one core (aim < 30 s)")
        for s in fl["stages"]:
            if s["kind"] == "default recipe":
                print(f"  default recipe (collocation, then L-BFGS on ~rows/10, rows/60, 2 and 1 "
                      f"segments): {s['attempts']} attempt(s), attempt {s['kept']} kept, "
                      f"single-shooting loss {s['final_loss']:.4g}, verdict "
                      f"{'good fit' if s['ok'] else 'NOT a good fit'}  {s['status']}")
                continue
            lr = f" lr {s['lr']:g}" if s["kind"] != "lbfgs" else ""
            cont = f" continuity {s['continuity']:g}" if s["segments"] > 1 else ""
            print(f"  {s['kind']:<6} segments {s['segments']:<3}{lr:<10}{cont:<16}"
                  f"{s['iters']:>5} iterations {s['seconds']:7.2f} s  loss: last "
                  f"{s['final_loss']:.4g}, best {s['best_loss']:.4g}  {s['status']}")
        print(f"  single-shooting loss of the result {fl['loss_single_shooting']:.4g} "
              f"(the noise alone gives ~{p['noise_floor']:.4g})")
        print(f"  learned INa along the true trajectory: RMS error {fl['ina_rms_rel'] * 100:.2f} "
              f"% of its range ({fl['ina_range']:.1f} uA/cm^2)  (aim < 5 %)")
        for key, label in (("spikes_train", "training stimulus"),
                           ("spikes_test", f"test stimulus {p['test_stim'][2]:g} uA/cm^2 on "
                                           f"[{p['test_stim'][0]:g}, {p['test_stim'][1]:g})")):
            s = fl[key]
            d = s["max_diff"]
            print(f"  spikes, {label}: true " + ", ".join(f"{t:.3f}" for t in s["true"])
                  + "; learned " + (", ".join(f"{t:.3f}" for t in s["learned"])
                                     if s["learned"] is not None else "failed")
                  + f"; max diff {('%.3f ms' % d) if d is not None else 'different count'}"
                  + " (aim < 0.2 ms)")

    print()
    print("aims of issue 5:")
    if th:
        r = th["sec_per_iter_mean"] / ad["per_iter"]
        print(f"  PyTorch / neurodyn per Adam iteration {r:.1f}x (aim >= 10x: "
              f"{'met' if r >= 10 else 'NOT met'})")
    print(f"  gradient / forward {tm['ratio']:.2f}x (aim <= 3x: "
          f"{'met' if tm['ratio'] <= 3 else 'NOT met'})")
    if fl:
        print(f"  flagship wall time {fl['seconds']:.1f} s (aim < 30 s: "
              f"{'met' if fl['seconds'] < 30 else 'NOT met'}), INa RMS "
              f"{fl['ina_rms_rel'] * 100:.2f} % (aim < 5 %), spike times "
              + ", ".join(f"{fl[k]['max_diff']:.3f} ms" if fl[k]["max_diff"] is not None
                          else "different count" for k in ("spikes_train", "spikes_test"))
              + " (aim < 0.2 ms)")
    print()
    tv = f", torch {th['torch']}" if th else ""
    print(f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores (1 used)"
          f"{tv}, Python {platform.python_version()}; total "
          f"{time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
