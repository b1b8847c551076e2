"""Measurement noise on synthetic data through a real kernel: noise= is a fraction of each
variable's range, so a resting trace gets next to none and the kernel says so; noise_sd=
is in the variables' own units. The expected standard deviations are the numbers asked
for (the noise is the difference from the same simulation without it), and the resting
potential is SciPy's."""
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from conftest import saved_table, start_kernel
from ref_models import HH_INIT, hh


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    kernel.ok("use hh\nset I = 0\nclean = simulate t=50 sample=0.01 observe=V,n")
    yield kernel
    kernel.stop()


def columns(k, name):
    """The dataset's columns by name, saved as CSV and read back."""
    names, data = saved_table(k, name, "noise")
    return dict(zip(names, data.T))


def test_the_clean_trace_is_at_rest(k):
    ref = solve_ivp(hh, (0, 50), HH_INIT, args=(0,), method="LSODA", rtol=1e-10, atol=1e-12)
    V = columns(k, "clean")["V"]
    assert abs(V[-1] - ref.y[0, -1]) < 1e-3
    assert np.ptp(V) < 0.01      # a resting trace: what relative noise cannot reach


def test_relative_noise_on_a_resting_trace_is_named_in_a_warning(k):
    r = k.execute("quiet = simulate t=50 sample=0.01 observe=V,n noise=0.01 seed=3")
    assert r.status == "ok"
    assert r.stream("stderr") == (
        "warning: noise=0.01 is a fraction of each variable's range, and V and n barely "
        "changed over the run (by less than 0.01 %): they have almost no noise; noise_sd= "
        "gives it in the variables' units\n")
    clean, quiet = columns(k, "clean"), columns(k, "quiet")
    assert np.std(quiet["V"] - clean["V"]) < 1e-4


def test_noise_sd_is_in_the_variables_units(k):
    r = k.execute("noisy = simulate t=50 sample=0.01 observe=V,n noise_sd=[0.5, 0.01] seed=3")
    assert r.status == "ok" and r.stream("stderr") == ""
    clean, noisy = columns(k, "clean"), columns(k, "noisy")
    dV, dn = noisy["V"] - clean["V"], noisy["n"] - clean["n"]
    # 5001 samples: the sample SD is within 2 % of sigma with a margin of 2 standard errors
    assert abs(np.std(dV) / 0.5 - 1) < 0.02
    assert abs(np.std(dn) / 0.01 - 1) < 0.02
    assert abs(np.mean(dV)) < 4 * 0.5 / np.sqrt(len(dV))
    assert abs(np.corrcoef(dV, dn)[0, 1]) < 0.05    # each column its own draws
    one = k.ok("one = simulate t=50 sample=0.01 observe=V noise_sd=0.5 seed=3")
    assert one.stream("stderr") == ""
    assert np.array_equal(columns(k, "one")["V"], noisy["V"])   # same seed, same draws for V


def test_bad_noise_options_are_refused_and_nothing_is_lost(k):
    k.ok("keep = 7")
    cases = [
        ("x = simulate t=5 noise=0.1 noise_sd=1", "ValueError",
         "noise= (a fraction of each variable's range) and noise_sd= (in the variables' units) "
         "cannot both be given"),
        ("x = simulate t=5 observe=V,n noise_sd=[1, 2, 3]", "ValueError",
         "noise_sd gives 3 values for 2 noisy columns (V and n): give one for all, or one each "
         "in that order"),
        ('x = simulate t=5 noise_sd="a"', "TypeError",
         "option 'noise_sd' expects a number or a list of numbers, not a string"),
        ("x = simulate t=5 noise_sd=-1", "ValueError",
         "noise_sd must be a finite number >= 0, not -1"),
    ]
    for code, ename, evalue in cases:
        r = k.execute(code)
        assert r.status == "error" and r.content["ename"] == ename, (code, r.content)
        assert r.content["evalue"].startswith(evalue + " (line 1, column "), code
    assert k.execute("x").content["ename"] == "NameError"
    assert k.ok("keep").text == "7"
