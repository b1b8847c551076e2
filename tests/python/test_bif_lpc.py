"""Curves of folds of cycles (`continue lpc P1=a..b P2=c..d`) of HH in (I, gK) through a
real kernel against independent SciPy simulations of the model written out from the paper
(ref_models.hh): at points of the curve, a simulation started on the fold's orbit keeps
firing 2 % above the fold's current and comes to rest 2 % below it; at gK = 36 the fold's
current equals the one found here by bisection on I of "keeps firing from a firing state";
and the curve started next to the Bautin point ends on it. No expected value is read
from neurodyn's output (the Bautin point is the same result's own, compared with where the
LPC curve ends)."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from conftest import start_kernel
from ref_models import hh


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


def run(k, code):
    r = k.execute(code, timeout=120)
    assert r.status == "ok", r.content
    return r.neurodyn("bifurcation2")


def spikes_late(I, gK, y0, t_end=300.0, window=100.0):
    """Upward crossings of V = -20 in the last `window` ms of a run from y0."""
    up = lambda t, y, I, gK: y[0] + 20
    up.direction = 1
    s = solve_ivp(hh, (0, t_end), y0, args=(I, gK), method="LSODA", rtol=1e-8, atol=1e-10,
                  events=[up])
    return int(np.sum(s.t_events[0] > t_end - window)), s.y[:, -1]


def state(curve, i):
    return [curve["state"][v][i] for v in ("V", "m", "h", "n")]


@pytest.fixture(scope="module")
def lpc(k):
    return run(k, "c = continue lpc I=0..20 gK=30..40 hh from=hopf plot=false")


def stable_curve(res):
    """The curve of the folds where the stable spiking orbit ends (no multiplier outside
    the unit circle but the two at 1)."""
    curves = [c for c in res["curves"] if c["kind"] == "lpc"]
    assert curves, "no LPC curve"
    stable = [c for c in curves if max(c["n_unstable"]) == 0]
    assert stable, "no LPC curve of stable cycles"
    return min(stable, key=lambda c: np.interp(36, c["p2"], c["p1"]))


def test_hh_lpc_curve_separates_firing_from_rest(lpc):
    c = stable_curve(lpc)
    assert len(c["p1"]) > 10
    assert "edge of the box" in c["end"]
    for gK_target in (31.0, 39.0):
        i = int(np.argmin(np.abs(np.array(c["p2"]) - gK_target)))
        I, gK, y0 = c["p1"][i], c["p2"][i], state(c, i)
        above, _ = spikes_late(I * 1.02, gK, y0)
        below, _ = spikes_late(I * 0.98, gK, y0)
        assert above >= 3, f"no repetitive firing just above the fold at gK = {gK}"
        assert below == 0, f"still firing just below the fold at gK = {gK}"


def test_hh_lpc_at_gk36_matches_scipy_bisection(lpc):
    c = stable_curve(lpc)
    I_lpc = float(np.interp(36.0, c["p2"], c["p1"]))
    # a firing state at I = 10 (above the Hopf point, where rest is unstable), carried down
    # in I: each run that keeps firing hands its end state, on the stable orbit, to the next
    _, y = spikes_late(10.0, 36.0, [-65.0, 0.05, 0.6, 0.32], t_end=200)
    n, y = spikes_late(6.6, 36.0, y, t_end=200)
    assert n > 0
    lo, hi = 6.0, 6.6
    assert spikes_late(lo, 36.0, y)[0] == 0
    while hi - lo > 5e-3:
        mid = 0.5 * (lo + hi)
        n, end = spikes_late(mid, 36.0, y)
        if n > 0:
            hi, y = mid, end
        else:
            lo = mid
    assert I_lpc == pytest.approx(0.5 * (lo + hi), abs=1e-2)


def test_hh_lpc_curve_ends_at_the_bautin_point(k):
    res = run(k, "c = continue hopf lpc I=30..60 gK=5..12 hh plot=false")
    gh = [p for p in res["points"] if p["tag"] == "GH"]
    assert len(gh) == 1
    ends = [c for c in res["curves"] if c["kind"] == "lpc" and "Bautin" in c["end"]]
    assert ends, "no LPC curve ends at the Bautin point"
    c = ends[0]
    # the end named Bautin is the curve's first or last point
    d = min(np.hypot((c["p1"][i] - gh[0]["p1"]) / 30, (c["p2"][i] - gh[0]["p2"]) / 7)
            for i in (0, -1))
    assert d < 5e-3
    # near the Bautin point the fold's cycle is small; far from it, a full spike
    amp = [c["state"]["V"][i] for i in (0, -1)]
    assert max(amp) > -40
