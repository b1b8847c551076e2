"""The flagship case of issue 5, through a real kernel: hh_rinzel spiking under a step
stimulus, V observed every 0.1 ms over 60 ms with 5 % noise, n hidden; INa replaced by a
network of (V, n) and trained with the default recipe (`train net data`).

What must hold: the learned INa along the true trajectory within 5 % of its range (RMS),
the predicted spike times within 0.2 ms of the true ones, and under a different stimulus
the same spikes, each within 0.2 ms too (measured: 0.05 and 0.06 ms)."""

import os

import numpy as np
import pytest

from conftest import start_kernel, tmp_path_for

SETUP = """use hh_rinzel
stim step at=5 dur=50 amp=10
stim step at=30 dur=25 amp=5 add=true
truth = simulate t=60 sample=0.1
data = simulate t=60 sample=0.1 observe=V noise=0.05 seed=42
net = ude replace=INa inputs=V,n hidden=16,16 act=tanh seed=1"""



def spike_times(k, dataset):
    r = k.execute(f"spikes {dataset} threshold=0")
    assert r.status == "ok", r.content
    return r.neurodyn("spikes")["times"]


@pytest.fixture(scope="module")
def trained():
    k = start_kernel()
    try:
        r = k.execute(SETUP)
        assert r.status == "ok", r.content
        r = k.execute("train net data observe=V", timeout=120)
        assert r.status == "ok", r.content
        yield k, r.neurodyn("training")
    finally:
        k.stop()


def test_training_is_judged_a_good_fit(trained):
    k, summary = trained
    verdict = summary["verdict"]
    assert verdict["ok"], verdict
    assert summary["recipe"]["ok"], summary["recipe"]
    v = verdict["variables"][0]
    # The noise estimated from the data against the noise put in: 5 % of the noise-free
    # V's range (122.5 mV in this setup): 6.13 mV.
    assert 5.5 < v["noise"] < 6.7, v
    # A good fit leaves the noise: a residual near 1 noise SD, and the 5 spikes in place.
    assert v["rms_over_noise"] < 1.5, v
    # 5: the truth's spikes (test_notebook_facts.py checks them against SciPy).
    assert v["data_spikes"] == 5 and v["model_spikes"] == 5, v
    assert max(abs(e) for e in v["spike_time_errors"]) < 0.2, v
    # The fit sits near the noise: 5 % noise of a ~115 mV range is ~0.04 of V's spread².
    # regression pin: a measured optimizer loss (0.02 .. 0.1 brackets that estimate).
    assert 0.02 < summary["recipe"]["loss"] < 0.1, summary["recipe"]
    assert summary["stages"][0]["colloc"] is True


def test_learned_sodium_current_matches_the_truth(trained):
    k, _ = trained
    r = k.execute("plot net.INa vs INa truth")
    assert r.status == "ok", r.content
    term = r.neurodyn("figure")["term"]
    assert term["rms_over_range"] < 0.05, term


def test_predicted_spike_times_match(trained):
    k, _ = trained
    r = k.execute("pred = simulate net t=60 sample=0.1")
    assert r.status == "ok", r.content
    true_t, pred_t = spike_times(k, "truth"), spike_times(k, "pred")
    assert len(true_t) == 5 and len(pred_t) == len(true_t), (true_t, pred_t)
    assert max(abs(a - b) for a, b in zip(true_t, pred_t)) < 0.2, (true_t, pred_t)


def test_a_new_stimulus_still_spikes_at_the_right_times(trained):
    k, _ = trained
    r = k.execute("stim step at=10 dur=60 amp=12\n"
                  "truth2 = simulate t=80 sample=0.1\n"
                  "stim net step at=10 dur=60 amp=12\n"
                  "gen = simulate net t=80 sample=0.1")
    assert r.status == "ok", r.content
    true_t, gen_t = spike_times(k, "truth2"), spike_times(k, "gen")
    assert len(true_t) >= 5 and len(gen_t) == len(true_t), (true_t, gen_t)
    assert max(abs(a - b) for a, b in zip(true_t, gen_t)) < 0.2, (true_t, gen_t)


def m_inf(V):
    """Steady-state sodium activation from Hodgkin & Huxley's (1952) rates, as hh_rinzel."""
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    bm = 4 * np.exp(-(V + 65) / 18)
    return am / (am + bm)


def rinzel_sodium_column(V, n):
    """The library column mInf(V)^3*(0.89-1.1*n)*(V-ENa), ENa = 50 mV."""
    return m_inf(V) ** 3 * (0.89 - 1.1 * n) * (V - 50.0)


def least_squares_coefficient(column, target):
    """The one-column, no-intercept least-squares coefficient (normalising column and target
    by their RMS, as SINDy does, does not change it)."""
    return float(np.dot(column, target) / np.dot(column, column))


def read_csv_columns(path):
    with open(path) as f:
        rows = [ln for ln in f if not ln.startswith("#")]
    names = [c.split(" [")[0].strip() for c in rows[0].strip().split(",")]
    data = np.loadtxt(rows[1:], delimiter=",", ndmin=2)
    return {name: data[:, i] for i, name in enumerate(names)}


def test_sindy_on_the_trained_network(trained):
    """The full chain: SINDy with the true sodium form on the trained network. gNa comes
    out low (measured 104.8 against 120): a known bias, the network's sodium peak is lower
    and wider than the true one, which 0.1-ms samples cannot resolve. So the test checks
    what must hold independently: SINDy's coefficient is the least-squares fit (numpy) of
    the network's INa onto the library column, the same fit of the true INa gives 120 (the
    column is right), and the network's gNa is below 120 by less than 15 %."""
    k, _ = trained
    r = k.execute("eq = sindy net.INa truth library=[mInf(V)^3*(0.89-1.1*n)*(V-ENa)]")
    assert r.status == "ok", r.content
    gna = r.neurodyn("sindy")["equations"][0]["coefficients"][0]

    d = tmp_path_for("flagship")
    truth_csv, learned_csv = os.path.join(d, "truth.csv"), os.path.join(d, "ina.csv")
    r = k.execute(f'both = eval net.INa vs INa truth\nsave both "{learned_csv}"\n'
                  f'save truth "{truth_csv}"')
    assert r.status == "ok", r.content
    truth, learned = read_csv_columns(truth_csv), read_csv_columns(learned_csv)
    assert np.array_equal(truth["t"], learned["t"])
    V, n = truth["V"], truth["n"]
    column = rinzel_sodium_column(V, n)

    # The true INa fitted onto the column gives gNa = 120 (the column is right): both
    # INa = gNa m^3 h (V - ENa) written here and the kernel's own true INa along the truth.
    g_na, e_na, h = 120.0, 50.0, 0.89 - 1.1 * n  # Rinzel (1985): h slaved to n
    true_ina = g_na * m_inf(V) ** 3 * h * (V - e_na)
    assert abs(least_squares_coefficient(column, true_ina) - 120.0) < 1e-6
    assert abs(least_squares_coefficient(column, learned["true INa"]) - 120.0) < 1e-6

    # An independent regression of the network's INa gives SINDy's coefficient: its ridge
    # weight lambda = 1e-6 (the default) on RMS-normalised columns divides the one-column
    # least-squares coefficient by 1 + lambda.
    fitted = least_squares_coefficient(column, learned["INa"]) / (1 + 1e-6)
    assert abs(gna - fitted) < 1e-9 * 120, (gna, fitted)
    # The known bias: low, but within 15 % of the physics (gNa = 120, Hodgkin & Huxley 1952).
    assert 120 * 0.85 < gna < 120, gna
