"""The training verdict of issue 13, through a real kernel: `train` must judge a fit by
the data (the noise estimated from it, the spikes it shows), not by the run's own
earlier losses. The flagship (hh_rinzel, 601 samples of V with 5 % noise, INa replaced by
a 2-16-16-1 network of V and n) is judged good in test_ude_flagship.py; here, the same
recipe on 76 samples (0.8 ms grid) must be judged NOT good, and the test shows why with
numbers computed independently: hh_rinzel solved by SciPy, its sodium current written out
below, and the spikes of the trained network's simulation counted here.

A network of V alone (no n) is also run: on these data it fits within the noise, with
every spike in place, and its INa along the true trajectory is as close as the
flagship's — the verdict says good, and the independent numbers agree. (The issue's
"8 % V error" for it did not reproduce; see the test's docstring.)"""

import os
import tempfile

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from conftest import start_kernel

# --- hh_rinzel written out (Rinzel 1985; the HH rate functions, Hodgkin & Huxley 1952) ---
C, GNA, GK, GL, ENA, EK, EL = 1.0, 120.0, 36.0, 0.3, 50.0, -77.0, -54.387


def am(v): return 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10))
def bm(v): return 4 * np.exp(-(v + 65) / 18)
def an(v): return 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10))
def bn(v): return 0.125 * np.exp(-(v + 65) / 80)


def ina(v, n):
    m = am(v) / (am(v) + bm(v))
    return GNA * m**3 * (0.89 - 1.1 * n) * (v - ENA)


def stim(t):
    return (10.0 if 5 <= t < 55 else 0.0) + (5.0 if 30 <= t < 55 else 0.0)


def rhs(t, y):
    v, n = y
    i_k = GK * n**4 * (v - EK)
    return [(stim(t) - ina(v, n) - i_k - GL * (v - EL)) / C, an(v) * (1 - n) - bn(v) * n]


def true_trajectory(dt=0.1, t_end=60.0):
    """V, n every dt, solved piecewise between the stimulus edges (rtol 1e-10)."""
    t = np.round(np.arange(0, t_end + dt / 2, dt), 10)
    y, out = [-65.0944, 0.316232], []
    edges = [0, 5, 30, 55, t_end]
    for a, b in zip(edges[:-1], edges[1:]):
        ts = t[(t >= a) & (t <= b)]
        s = solve_ivp(rhs, (a, b), y, t_eval=ts, rtol=1e-10, atol=1e-10, method="LSODA",
                      first_step=1e-4, max_step=0.05)
        out.append(s.y.T if not out else s.y.T[1:] if ts[0] == a else s.y.T)
        y = s.y[:, -1]
    return t, np.vstack(out)


def spike_times(t, v, threshold=0.0):
    up = np.nonzero((v[:-1] < threshold) & (v[1:] >= threshold))[0]
    return t[up] + (threshold - v[up]) / (v[up + 1] - v[up]) * (t[up + 1] - t[up])


def read_csv(path):
    lines = [l for l in open(path) if not l.startswith("#")]
    names = [h.split(" [")[0] for h in lines[0].strip().split(",")]
    data = np.array([[float(x) for x in l.split(",")] for l in lines[1:]])
    return {n: data[:, i] for i, n in enumerate(names)}


STIM = """use hh_rinzel
stim step at=5 dur=50 amp=10
stim step at=30 dur=25 amp=5 add=true
"""


@pytest.fixture(scope="module")
def truth_csv():
    t, y = true_trajectory()
    d = tempfile.mkdtemp(prefix="nd-verdict-")
    path = os.path.join(d, "truth.csv")
    with open(path, "w") as f:
        f.write("t [ms],V [mV],n\n")
        for ti, (v, n) in zip(t, y):
            f.write(f"{ti!r},{v!r},{n!r}\n")
    return path, t, y


def train_case(truth_csv, sample, inputs):
    """Trains the flagship network on data sampled every `sample` ms; returns the summary
    JSON, the learned INa along the SciPy trajectory and the network's own spikes."""
    path, t, y = truth_csv
    out = os.path.join(os.path.dirname(path), f"case-{sample}-{inputs.replace(',', '')}")
    k = start_kernel()
    try:
        r = k.execute(STIM + f"data = simulate t=60 sample={sample} observe=V noise=0.05 seed=42\n"
                      f"net = ude replace=INa inputs={inputs} hidden=16,16 act=tanh seed=1")
        assert r.status == "ok", r.content
        r = k.execute("tr = train net data observe=V", timeout=180)
        assert r.status == "ok", r.content
        summary = r.neurodyn("training")
        r = k.execute(f'truthpy = load "{path}"\n'
                      "y = eval net.INa truthpy\n"
                      f'save y "{out}-ina.csv"\n'
                      "pred = simulate net t=60 sample=0.1\n"
                      f'save pred "{out}-pred.csv"')
        assert r.status == "ok", r.content
    finally:
        k.stop()
    learned = read_csv(out + "-ina.csv")["INa"]
    true = ina(y[:, 0], y[:, 1])
    rel = np.sqrt(np.mean((learned - true) ** 2)) / (true.max() - true.min())
    pred = read_csv(out + "-pred.csv")
    return summary, rel, spike_times(pred["t"], pred["V"]), spike_times(t, y[:, 0])


def test_76_samples_are_flagged_not_good(truth_csv):
    summary, ina_rel, pred_spikes, true_spikes = train_case(truth_csv, 0.8, "V,n")
    verdict = summary["verdict"]
    v = verdict["variables"][0]
    assert verdict["ok"] is False, verdict
    assert verdict["text"].startswith("NOT a good fit"), verdict["text"]
    # Why, independently: the truth spikes 5 times; the trained network never does.
    assert len(true_spikes) == 5
    assert len(pred_spikes) == 0, pred_spikes
    assert v["data_spikes"] == 5 and v["model_spikes"] == 0, v
    assert "misses 5 of the 5 spikes of V" in verdict["text"]
    # ... and its INa along the true trajectory is worse than the flagship's 5 % bound.
    assert ina_rel > 0.05, ina_rel
    # The residual is far above the noise (5 % of V's ~120 mV range: ~6 mV).
    assert v["rms_over_noise"] > 1.5, v


def test_v_only_network_fits_and_is_judged_so(truth_csv):
    """The issue reported a V-only network with 8 % V error judged "reached". On this
    setup it is not so: the network of V alone fits within the noise and spikes on time,
    and its INa along the SciPy trajectory is within the flagship's 5 % — so the verdict
    must say good, and does, for reasons the test checks on its own."""
    summary, ina_rel, pred_spikes, true_spikes = train_case(truth_csv, 0.1, "V")
    verdict = summary["verdict"]
    assert len(pred_spikes) == len(true_spikes) == 5
    assert np.max(np.abs(pred_spikes - true_spikes)) < 0.2, (pred_spikes, true_spikes)
    assert ina_rel < 0.05, ina_rel
    assert verdict["ok"] is True, verdict
    assert verdict["variables"][0]["rms_over_noise"] < 1.5
