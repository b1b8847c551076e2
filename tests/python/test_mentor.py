"""The mentor of issue 19 through a real kernel: after the rk4 failure of phase 2, `stuck`
asks about the fastest time constant of HH at rest and rk4's stability limit, with numbers
checked here against HH written out (ref_models.hh) and linearised by SciPy; `hint` climbs
to a command that runs; `guess`/`reveal` of the Hopf current give a value at which the
rest state's eigenvalues, computed here, cross the imaginary axis."""

import re

import numpy as np
import pytest
from scipy.optimize import fsolve

from conftest import start_kernel
from ref_models import HH_INIT, hh

RK4_LIMIT = 2.785   # |λ| dt on the negative real axis (Hairer & Wanner, Solving ODEs II, §IV.2)


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


def eigenvalues_at_rest(I):
    """Eigenvalues of HH's Jacobian (central differences) at its equilibrium for current I."""
    f = lambda y: np.array(hh(0, y, I))
    x = fsolve(f, HH_INIT, xtol=1e-13)
    J = np.empty((4, 4))
    for j in range(4):
        h = 1e-6 * max(1.0, abs(x[j]))
        e = np.zeros(4)
        e[j] = h
        J[:, j] = (f(x + e) - f(x - e)) / (2 * h)
    return np.linalg.eigvals(J)


def test_stuck_after_the_rk4_blowup_quotes_the_time_constant_and_ends_at_a_working_command(k):
    assert k.execute("use hh\nset I = 10").status == "ok"
    assert k.execute("bad = simulate t=100 method=rk4 dt=0.1").status == "error"
    r = k.execute("stuck")
    assert r.status == "ok", r.content
    m = r.neurodyn("mentor")
    assert m["situation"] == "solver-blowup" and m["category"] == "math"
    assert m["level"] == 1 and "command" not in m and "hint" not in m
    text = " ".join(m["questions"])
    lam = eigenvalues_at_rest(10.0)
    tau = float(re.search(r"at rest \(([0-9.e+-]+) ms\)", text).group(1))
    assert tau == pytest.approx(1 / np.max(np.abs(lam.real)), rel=1e-3)
    limit = float(re.search(r"up to dt = ([0-9.e+-]+) ms", text).group(1))
    assert limit == pytest.approx(RK4_LIMIT / np.max(np.abs(lam)), rel=1e-3)
    assert "dt = 0.1" in text and "t = 2.6" in text
    for level in range(2, m["levels"] + 1):
        m = k.execute("hint").neurodyn("mentor")
        assert m["level"] == level
    assert m["command"]
    run = k.execute(m["command"])
    assert run.status == "ok", run.content


def test_guess_then_reveal_the_hopf_current(k):
    m = k.execute("guess hh_hopf_current = 5").neurodyn("mentor")
    assert "below" in m["lead"] and "value" not in m
    m = k.execute("reveal hh_hopf_current").neurodyn("mentor")
    value = float(m["value"].split()[0])
    # the rest state is stable just below the revealed value and unstable just above it
    assert np.max(eigenvalues_at_rest(value - 0.02).real) < 0
    assert np.max(eigenvalues_at_rest(value + 0.02).real) > 0
