"""Two-parameter continuation (`continue hopf|fold P1=a..b P2=c..d`) through a real kernel
against independent computations: the Hopf curves of HH in (I, gK) — at points along them
the equilibrium is found here by brentq on the steady-state current (gates at their
steady state) and the Jacobian of the model written out from the paper (ref_models.hh,
central differences) has a pair of eigenvalues on the imaginary axis at the reported ω;
the Bautin point of HH — the one-parameter `continue I` just below and just above its gK
finds the nearby Hopf point with first Lyapunov coefficients of opposite signs; and the
cusp and Bogdanov-Takens normal forms at their closed-form locations. No expected value
is read from neurodyn's output."""

import numpy as np
import pytest
from scipy.optimize import brentq

from conftest import start_kernel
from ref_models import hh


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


def run(k, code, kind):
    r = k.execute(code, timeout=120)
    assert r.status == "ok", r.content
    return r.neurodyn(kind)


def _rates(V):
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    bm = 4 * np.exp(-(V + 65) / 18)
    ah = 0.07 * np.exp(-(V + 65) / 20)
    bh = 1 / (1 + np.exp(-(V + 35) / 10))
    an = 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))
    bn = 0.125 * np.exp(-(V + 65) / 80)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def hh_rest(I, gK, V_guess):
    """The equilibrium near V_guess: dV/dt with every gate at its steady state is 0."""
    def g(V):
        return hh(0, [V, *_rates(V)], I, gK)[0]
    V = brentq(g, V_guess - 2, V_guess + 2, xtol=1e-13)
    return np.array([V, *_rates(V)])


def jacobian(I, gK, y):
    J = np.zeros((4, 4))
    for j in range(4):
        h = 1e-6 * max(1, abs(y[j]))
        yp, ym = y.copy(), y.copy()
        yp[j] += h
        ym[j] -= h
        J[:, j] = (np.array(hh(0, yp, I, gK)) - np.array(hh(0, ym, I, gK))) / (2 * h)
    return J


@pytest.fixture(scope="module")
def hh_curves(k):
    return run(k, "c = continue hopf I=0..200 gK=5..50 hh plot=false", "bifurcation2")


def test_hh_hopf_curve_points_have_a_pair_on_the_imaginary_axis(hh_curves):
    c = hh_curves
    assert c["parameters"] == ["I", "gK"]
    hopf = [cv for cv in c["curves"] if cv["kind"] == "hopf"]
    assert hopf
    checked = 0
    gks = []
    for cv in hopf:
        for i in range(0, len(cv["p1"]), 3):
            I, gK, om = cv["p1"][i], cv["p2"][i], cv["omega"][i]
            y = hh_rest(I, gK, cv["state"]["V"][i])
            assert y[0] == pytest.approx(cv["state"]["V"][i], abs=1e-6)
            lam = np.linalg.eigvals(jacobian(I, gK, y))
            pair = lam[np.argmin(np.abs(lam - 1j * om))]
            assert abs(pair.real) < 1e-5 * max(1, np.abs(lam).max())
            assert pair.imag == pytest.approx(om, rel=1e-5)
            checked += 1
            gks.append(gK)
    assert checked >= 20
    # the curves run across the box in gK, not only near the starting value 36
    assert min(gks) < 15 and max(gks) > 45
    # the one-parameter Hopf points of the built-in HH (docs/science.md) lie on them
    near = [min(abs(np.array(cv["p1"]) - 9.7754).min() for cv in hopf)]
    assert min(near) < 1.0


def test_hh_bautin_point_separates_sub_and_supercritical_onsets(k, hh_curves):
    gh = [p for p in hh_curves["points"] if p["kind"] == "Bautin"]
    assert len(gh) >= 1
    p = gh[0]
    assert p["l1_before"] * p["l1_after"] < 0
    I0, gK0 = p["p1"], p["p2"]
    signs = []
    st = p["state"]
    init = ", ".join(f"{v} = {st[v]!r}" for v in ("V", "m", "h", "n"))
    for gK in (gK0 - 0.5, gK0 + 0.5):
        # from the Bautin point's state: Newton from the default rest fails at this gK
        b = run(k, f"use hh\nset gK={gK!r}\ninit {init}\n"
                f"b = continue I={I0 - 20!r}..{I0 + 20!r} cycles=false\nset gK=36",
                "bifurcation")
        hopfs = [q for q in b["points"] if q["kind"] == "hopf"]
        q = min(hopfs, key=lambda q: abs(q["param"] - I0))
        assert abs(q["param"] - I0) < 10
        signs.append(np.sign(q["l1"]))
    assert signs[0] * signs[1] < 0


CUSP = """model cusp {
dx/dt = b1 + b2*x - x^3
dy/dt = -y
par b1 = 0, b2 = 1
init x = 1, y = 0
}
"""

BT = """model btnf {
dx/dt = y
dy/dt = b1 + b2*x + x^2 - x*y
par b1 = 0, b2 = -1
init x = 0, y = 0
}
"""


def test_cusp_normal_form_through_the_kernel(k):
    c = run(k, CUSP + "c = continue fold b1=-1..1 b2=-0.5..2 cusp plot=false", "bifurcation2")
    cps = [p for p in c["points"] if p["kind"] == "cusp"]
    assert len(cps) == 1
    assert cps[0]["p1"] == pytest.approx(0, abs=1e-8)
    assert cps[0]["p2"] == pytest.approx(0, abs=1e-7)
    (cv,) = c["curves"]
    b1, b2 = np.array(cv["p1"]), np.array(cv["p2"])
    assert np.abs(np.abs(b1) - 2 * (np.clip(b2, 0, None) / 3) ** 1.5).max() < 1e-8


def test_bogdanov_takens_normal_form_through_the_kernel(k):
    c = run(k, BT + "c = continue hopf fold b1=-0.5..0.5 b2=-1.5..1 btnf plot=false",
            "bifurcation2")
    bts = [p for p in c["points"] if p["kind"] == "Bogdanov-Takens"]
    assert len(bts) == 1
    assert bts[0]["p1"] == pytest.approx(0, abs=1e-7)
    assert bts[0]["p2"] == pytest.approx(0, abs=1e-7)
    for cv in c["curves"]:
        b1, b2 = np.array(cv["p1"]), np.array(cv["p2"])
        if cv["kind"] == "fold":
            assert np.abs(b1 - b2 ** 2 / 4).max() < 1e-8
        else:
            assert np.abs(b1).max() < 1e-8 and b2.max() < 1e-7


def test_continue_starts_where_the_model_oscillates(k):
    """At gK = 8.22 HH fires at I = 0 (its rest is unstable), so neither Newton from the
    default initial values nor a simulation to rest finds the equilibrium: the search
    around the initial values must, and the branch must start at the one brentq finds."""
    b = run(k, "use hh\nset gK=8.22\nb = continue I=0..60 cycles=false\nset gK=36",
            "bifurcation")
    br = b["branches"][0]
    assert br["param"][0] == 0
    y = hh_rest(0.0, 8.22, br["state"]["V"][0])
    assert abs(br["state"]["V"][0] - y[0]) < 1e-6
    assert max(np.linalg.eigvals(jacobian(0.0, 8.22, y)).real) > 0
