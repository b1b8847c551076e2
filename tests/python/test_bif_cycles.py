"""Cycle branches of `continue` through a real kernel against independent SciPy
computations: the HH branch started from a simulated orbit at I = 10 (periods of
solve_ivp runs), the stable spiking branch of hh_rinzel (simulations on both sides of its
fold of cycles), the first period doubling of the Rössler system (a = b = 0.2, c varied;
located here by SciPy shooting with the variational equations and brentq on the
multiplier + 1), the SNIC end of Morris-Lecar `snic` (the saddle-node of the I-V curve by
brentq), and the brute-force branch of the leaky integrate-and-fire model (its analytic
min/max). No expected value is read from neurodyn's output."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, fsolve

from conftest import start_kernel
from ref_models import hh


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


def bif(k, code):
    r = k.execute(code, timeout=300)
    assert r.status == "ok", r.content
    return r.neurodyn("bifurcation")


def rinzel(t, y, I):
    V, n = y
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    bm = 4 * np.exp(-(V + 65) / 18)
    an = 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))
    bn = 0.125 * np.exp(-(V + 65) / 80)
    m = am / (am + bm)
    h = 0.89 - 1.1 * n
    return [I - 120 * m**3 * h * (V - 50) - 36 * n**4 * (V + 77) - 0.3 * (V + 54.387),
            an * (1 - n) - bn * n]


def period(f, y0, p, t_trans, t_win):
    """Mean interval between the last upward crossings of V = -20 after a transient."""
    y = solve_ivp(f, (0, t_trans), y0, args=(p,), method="DOP853", rtol=1e-10,
                  atol=1e-12).y[:, -1]
    up = lambda t, y, p: y[0] + 20
    up.direction = 1
    s = solve_ivp(f, (0, t_win), y, args=(p,), method="DOP853", rtol=1e-11, atol=1e-12,
                  events=[up])
    tc = s.t_events[0]
    return (tc[-1] - tc[1]) / (len(tc) - 2) if len(tc) > 3 else None, s.y[:, -1]


def sim_branch(b):
    return [c for c in b["cycles"] if c["method"] == "shooting" and c["from_point"] == -1]


def test_hh_branch_from_a_simulated_orbit_has_the_periods_of_scipy(k):
    b = bif(k, "b = continue I 5..50 hh from=10")
    (c,) = [c for c in sim_branch(b) if c["param_start"] == 10]
    par, per, stab = map(np.array, (c["param"], c["period"], c["stable"]))
    assert par.min() < 10 < par.max()
    y0 = [-65, 0.05, 0.6, 0.32]
    checked = 0
    for target in (12, 25, 45):
        i = int(np.argmin(np.abs(par - target) + 1e9 * (stab == 0)))
        T, _ = period(hh, y0, par[i], 300, 400)
        assert T is not None
        assert abs(per[i] - T) / T < 1e-4, (par[i], per[i], T)
        checked += 1
    assert checked == 3


def test_hh_rinzel_has_its_stable_spiking_branch(k):
    b = bif(k, "b = continue I 0..40 hh_rinzel")
    stable = []
    for c in sim_branch(b):
        stable += [p for p, s in zip(c["param"], c["stable"]) if s]
    assert stable, "no stable cycles"
    lo, hi = min(stable), max(stable)
    assert hi == pytest.approx(40)
    # the lower end is a fold of cycles: SciPy keeps firing just above it, on the orbit
    # continued down from I = 10, and comes to rest just below it
    _, y = period(rinzel, [-65, 0.4], 10, 200, 100)
    T_above, y_above = period(rinzel, y, lo + 0.05, 300, 300)
    assert T_above is not None, "no firing just above the fold"
    T_below, _ = period(rinzel, y_above, lo - 0.05, 2000, 300)
    assert T_below is None, "still firing below the fold"
    folds = [p["param"] for p in b["points"] if p["kind"] == "cycle fold"]
    assert any(abs(f - lo) < 1e-3 for f in folds)


ROSSLER = """model ross {
  x' = -y - z
  y' = x + a*y
  z' = b + z*(x - c)
  par a = 0.2, b = 0.2, c = 2.5
  init x = 1, y = 1, z = 0
}
"""


def rossler_aug(t, u, c):
    x, y, z = u[:3]
    J = np.array([[0, -1, -1], [1, 0.2, 0], [z, 0, x - c]])
    X = u[3:].reshape(3, 3)
    return np.concatenate([[-y - z, x + 0.2 * y, 0.2 + z * (x - c)], (J @ X).ravel()])


def rossler_shoot(c, guess):
    """Period-1 orbit through y = 0 (x0, z0, T) and its monodromy matrix."""
    def F(v):
        x0, z0, T = v
        s = solve_ivp(rossler_aug, (0, T), np.r_[x0, 0, z0, np.eye(3).ravel()], args=(c,),
                      method="DOP853", rtol=1e-11, atol=1e-12)
        e = s.y[:3, -1]
        return [e[0] - x0, e[1], e[2] - z0]
    v = fsolve(F, guess, xtol=1e-12)
    s = solve_ivp(rossler_aug, (0, v[2]), np.r_[v[0], 0, v[1], np.eye(3).ravel()],
                  args=(c,), method="DOP853", rtol=1e-11, atol=1e-12)
    return v, s.y[3:, -1].reshape(3, 3)


def test_rossler_period_doubling_against_scipy_floquet(k):
    # a guess of the period-1 orbit at c = 2.5 from a transient
    s = solve_ivp(lambda t, u: rossler_aug(t, np.r_[u, np.eye(3).ravel()], 2.5)[:3],
                  (0, 300), [1, 1, 0], rtol=1e-10, atol=1e-12, dense_output=True)
    ts = np.linspace(250, 300, 50001)
    ys = s.sol(ts)
    i = np.where((ys[1][:-1] < 0) & (ys[1][1:] >= 0))[0]
    guess = [ys[0][i[-1]], ys[2][i[-1]], ts[i[-1]] - ts[i[-2]]]
    state = {"v": guess}

    def g(c):
        v, M = rossler_shoot(c, state["v"])
        state["v"] = v
        mu = np.linalg.eigvals(M)
        return min(mu.real[np.abs(mu.imag) < 1e-9]) + 1

    for c in np.arange(2.5, 2.76, 0.05):   # follow the orbit up to the bracket
        g(c)
    c_pd = brentq(g, 2.75, 2.95, xtol=1e-9)
    b = bif(k, ROSSLER + "r = continue c 2..4 from=2.5")
    pds = [p["param"] for p in b["points"] if p["kind"] == "period doubling"]
    assert pds, "no period doubling"
    assert min(pds, key=lambda p: abs(p - c_pd)) == pytest.approx(c_pd, rel=1e-4)


def test_morris_lecar_snic_end_at_the_saddle_node_of_the_iv_curve(k):
    gCa, gK, gL, VCa, VK, VL, V1, V2, V3, V4 = 4, 8, 2, 120, -84, -60, -1.2, 18, 12, 17.4
    minf = lambda V: 0.5 * (1 + np.tanh((V - V1) / V2))
    winf = lambda V: 0.5 * (1 + np.tanh((V - V3) / V4))
    Iss = lambda V: gCa * minf(V) * (V - VCa) + gK * winf(V) * (V - VK) + gL * (V - VL)
    dI = lambda V: (Iss(V + 1e-5) - Iss(V - 1e-5)) / 2e-5
    V_knee = brentq(dI, -40, -20)   # the local maximum of the steady-state I-V curve
    I_sn = Iss(V_knee)
    b = bif(k, "use ml\nset snic\nb = continue I 0..100")
    snic = [p for p in b["points"] if p["kind"] == "snic"]
    assert len(snic) == 1
    assert snic[0]["param"] == pytest.approx(I_sn, rel=1e-2)
    assert "SNIC" in b["notes"]


def test_lif_gets_the_brute_force_branch(k):
    b = bif(k, "b = continue I 0..3 lif")
    assert "not continued" in b["notes"]
    (c,) = b["cycles"]
    assert c["method"] == "simulation"
    # below the rheobase (Vth - EL)/R = 1.5 nA rest at EL + R I; above it V swings
    # between Vreset and Vth
    for I, vmin, vmax in zip(c["param"], c["min"]["V"], c["max"]["V"]):
        if I < 1.4:
            assert vmin == pytest.approx(-65 + 10 * I, abs=1e-3)
            assert vmax == pytest.approx(-65 + 10 * I, abs=1e-3)
        elif I > 1.6:
            assert vmin == pytest.approx(-65, abs=1e-6)
            assert vmax == pytest.approx(-50, abs=1e-6)
