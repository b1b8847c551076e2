"""Spike detection through a real kernel against independent SciPy solves (solve_ivp,
LSODA/DOP853 at rtol 1e-10 with event location): the count, the first crossing of -20 mV
and the peaks of HH at I = 10 whatever `sample=`, a silent HH, and FitzHugh–Nagumo's
spikes and rest. The expected values come from the equations written out here, not from
neurodyn's output."""


import numpy as np
import pytest
from scipy.integrate import solve_ivp

from conftest import start_kernel
from ref_models import HH_INIT, WB_INIT, hh, wb

def hh_reference(I, t_end):
    """Upward crossings of -20 mV, and the maxima of V above 0 mV (dV/dt = 0 falling)."""
    up = lambda t, y, I: y[0] + 20
    up.direction = 1
    top = lambda t, y, I: hh(t, y, I)[0]
    top.direction = -1
    sol = solve_ivp(hh, (0, t_end), HH_INIT, args=(I,), method="DOP853", rtol=1e-10,
                    atol=1e-12, events=[up, top])
    crossings = sol.t_events[0]
    peaks = [y[0] for y in sol.y_events[1] if y[0] > 0]
    return crossings, peaks


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


def spikes_of(k, code):
    r = k.execute(code)
    assert r.status == "ok", r.content
    return r.neurodyn("spikes")


def test_hh_at_rest_is_silent(k):
    s = spikes_of(k, "use hh\nset I = 0\nsim = simulate t=100\nspikes sim")
    assert s["count"] == 0
    assert s["rule"]["kind"] == "voltage"


@pytest.mark.parametrize("sample", [0.2, 1])
def test_hh_train_matches_scipy_whatever_the_sampling(k, sample):
    crossings, peaks = hh_reference(10, 100)
    s = spikes_of(k, f"use hh\nset I = 10\nsim = simulate t=100 sample={sample}\nspikes sim")
    # A spike crossing -20 mV up before 100 ms that has not come back down is not complete.
    assert s["count"] == len(peaks) == 7
    assert s["source"] == "dense"
    assert abs(s["times"][0] - crossings[0]) < 1e-3
    assert abs(s["peaks"][0] - peaks[0]) < 0.01
    # regression pin of the reference itself: SciPy's first peak, 40.264 mV (docs/science.md
    # §3.7), so that the reference cannot drift unnoticed.
    assert abs(peaks[0] - 40.26) < 0.01
    for got, want in zip(s["times"], crossings):
        assert abs(got - want) < 5e-3
    for got, want in zip(s["peaks"], peaks):
        assert abs(got - want) < 0.01


def test_hh_periodic_peaks_are_constant(k):
    _, peaks = hh_reference(10, 500)
    s = spikes_of(k, "use hh\nset I = 10\nsim = simulate t=500 sample=0.2\nspikes sim")
    tail = s["peaks"][5:]
    assert max(tail) - min(tail) < 0.01
    assert abs(tail[-1] - peaks[-1]) < 0.01
    # The rate is 1000 / mean ISI, the count rate is beside it.
    isi = np.diff(s["times"])
    assert abs(s["rate_hz"] - 1000 / isi.mean()) < 1e-9
    assert abs(s["count_rate_hz"] - 1000 * s["count"] / 500) < 1e-9


def fhn(t, y, I):
    v, w = y
    return [v - v**3 / 3 - w + I, 0.08 * (v + 0.7 - 0.8 * w)]


def test_fhn_spikes_and_rest(k):
    # Reference: complete spikes = upward crossings of v = 0 followed by a fall below -1.
    up = lambda t, y, I: y[0]
    up.direction = 1
    down = lambda t, y, I: y[0] + 1
    down.direction = -1
    sol = solve_ivp(fhn, (0, 300), [-1.1994, -0.6243], args=(0.5,), method="DOP853",
                    rtol=1e-10, atol=1e-12, events=[up, down])
    ups, downs = sol.t_events
    complete = [t for t in ups if any(d > t for d in downs)]
    s = spikes_of(k, "use fhn\nset I = 0.5\nf = simulate t=300\nspikes f")
    assert s["rule"]["kind"] == "scaled"
    assert s["count"] == len(complete)
    assert len(complete) >= 7
    rest = spikes_of(k, "set I = 0\nr = simulate t=300\nspikes r")
    assert rest["count"] == 0


def test_compare_gamma_by_the_formula(k):
    """Γ of hh at I = 10 against I = 10.5 recomputed here from the two spike trains:
    greedy nearest matching within Δ = 2 ms, then Jolivet et al. (2008)."""
    a = spikes_of(k, "use hh\nset I = 10\na = simulate t=200\nspikes a")
    b = spikes_of(k, "set I = 10.5\nb = simulate t=200\nspikes b")
    r = k.execute("c = compare a b")
    assert r.status == "ok", r.content
    c = r.neurodyn("compare")
    ta, tb, delta, T = a["times"], b["times"], 2.0, 200.0
    taken, dts = set(), []
    for t in ta:
        cands = [(abs(u - t), j) for j, u in enumerate(tb) if j not in taken and abs(u - t) <= delta]
        if cands:
            _, j = min(cands)
            taken.add(j)
            dts.append(tb[j] - t)
    na, nb, nc = len(ta), len(tb), len(dts)
    nu = nb / T
    gamma = (nc - 2 * nu * delta * na) / (0.5 * (na + nb) * (1 - 2 * nu * delta))
    assert (c["count_a"], c["count_b"], c["matched"]) == (na, nb, nc)
    assert c["missing"] == na - nc and c["extra"] == nb - nc
    assert abs(c["gamma"] - gamma) < 1e-12
    assert np.allclose(c["dt"], dts, atol=1e-12)
    assert 0 < c["rms"] < 60


def test_wang_buzsaki_fires_as_scipy_says(k):
    """The fast-spiking interneuron model at I = 1 uA/cm^2: spike times (upward -20 mV
    crossings) against an independent DOP853 solve from the same rest state."""
    up = lambda t, y, I: y[0] + 20
    up.direction = 1
    sol = solve_ivp(wb, (0, 200), WB_INIT, args=(1.0,),
                    method="DOP853", rtol=1e-10, atol=1e-12, events=[up])
    want = sol.t_events[0]
    s = spikes_of(k, "use wb\nset I = 1\nw = simulate t=200\nspikes w")
    assert s["count"] == len(want) == 12
    np.testing.assert_allclose(s["times"], want, atol=2e-3)
    assert s["rate_hz"] == pytest.approx(1000 / np.diff(want).mean(), rel=1e-4)
