"""`fit` through `when` resets, through a real kernel: lif and izh parameters recovered
from noisy synthetic recordings whose truth is an independent SciPy solve (solve_ivp with
terminal events, DOP853 at rtol 1e-10, the reset applied between the pieces), starting
from the built-in defaults — the threshold (lif's Vth) and the reset map (izh's c, d)
among the parameters."""

import os
import tempfile

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from conftest import start_kernel

DT = 0.1


def hybrid(f, y0, threshold, reset, T):
    """Samples every DT on [0, T] of state 0 of y' = f with the event y0 = threshold
    (upward) and the reset map applied there; returns t, y0 and the number of events."""
    t_out = np.arange(0, T + DT / 2, DT)
    out = np.empty_like(t_out)
    ev = lambda t, y: y[0] - threshold
    ev.terminal, ev.direction = True, 1
    y, t0, k, n = np.array(y0, float), 0.0, 0, 0
    while True:
        s = solve_ivp(f, (t0, T), y, events=ev, dense_output=True, rtol=1e-10, atol=1e-10,
                      method="DOP853")
        while k < len(t_out) and (t_out[k] < s.t[-1] or s.status != 1):
            out[k] = s.sol(t_out[k])[0]
            k += 1
        if s.status != 1:
            return t_out, out, n
        n, y, t0 = n + 1, reset(s.y[:, -1].copy()), s.t[-1]


def lif(tau, EL, Vth, T, Vreset=-65.0, R=10.0, I=2.0):
    return hybrid(lambda t, y: [(-(y[0] - EL) + R * I) / tau], [-65.0], Vth,
                  lambda y: np.array([Vreset]), T)


def izh(a, b, c, d, T, I=10.0):
    return hybrid(lambda t, y: [0.04 * y[0] ** 2 + 5 * y[0] + 140 - y[1] + I,
                                a * (b * y[0] - y[1])], [-70.0, -14.0], 30.0,
                  lambda y: np.array([c, y[1] + d]), T)


def write(name, col, t, v, noise, seed):
    v = v + np.random.default_rng(seed).normal(0, noise, v.size)
    path = os.path.join(tempfile.mkdtemp(prefix="nd-fitr-"), name)
    with open(path, "w") as f:
        f.write(f"t [ms],{col} [mV]\n")
        f.writelines(f"{a!r},{b!r}\n" for a, b in zip(t, v))
    return path


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


CASES = {
    # the defaults are tau 10, EL −65, Vth −50; a 0.02, b 0.2, c −65, d 8: each truth a few
    # per cent away, with the same number of spikes as the defaults give
    "lif": (dict(tau=10.3, EL=-64.5, Vth=-50.5), lambda p: lif(T=100, **p), "V", "I = 2"),
    "izh": (dict(a=0.021, b=0.19, c=-62.0, d=7.6), lambda p: izh(T=200, **p), "v", "I = 10"),
}


@pytest.mark.parametrize("model", ["lif", "izh"])
def test_fit_recovers_the_scipy_truth_through_resets(k, model):
    truth, solve, col, current = CASES[model]
    t, v, spikes = solve(truth)
    assert spikes >= 5
    path = write(model + ".csv", col, t, v, 0.05, 7)
    names = ", ".join(truth)
    r = k.execute(f'use {model}\nset {current}\nd = load "{path}"\n'
                  f"fitted = fit {model} d params=[{names}] method=lm")
    assert r.status == "ok", r.content
    j = r.neurodyn("fit")
    est = {p["name"]: p["estimate"] for p in j["parameters"]}
    se = {p["name"]: p["se"] for p in j["parameters"]}
    for name, value in truth.items():
        assert abs(est[name] - value) <= 0.02 * abs(value), (name, est[name], value)
        assert abs(est[name] - value) <= 4 * se[name], (name, est[name], value, se[name])
    # the spike count of the SciPy solve, in the fitted model and found in the data
    assert j["resets"] == {"model": spikes, "data": spikes}, j["resets"]
    # the residuals are the noise added: the trace, spikes included, is matched
    assert 0.04 < j["sigma"] < 0.07, j["sigma"]
