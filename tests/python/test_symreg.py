"""`symreg` through a real kernel: Feynman I.12.11, F = q (Ef + B v sin θ) (Udrescu &
Tegmark 2020), 200 samples written by NumPy in the database's ranges (every input
uniform in [1, 5]). What must hold: the chosen equation, read back from the JSON text and
evaluated by NumPy on fresh points, equals the formula to 1e-6 relative; it has at most
12 nodes (the formula, expanded, has 12); the front decreases in error as size grows;
the bound fit's fields agree with the JSON."""

import os

import numpy as np

from conftest import start_kernel, tmp_path_for


def formula(q, Ef, B, v, theta):
    return q * (Ef + B * v * np.sin(theta))


def evaluate(text, cols):
    """The equation's text as NumPy code (x^2 is written with ^; sin is NumPy's)."""
    code = text.replace("^", "**")
    return eval(code, {"sin": np.sin, "__builtins__": {}}, cols)  # noqa: S307 (our own text)


def test_symreg_recovers_feynman_i_12_11():
    rng = np.random.default_rng(3)
    names = ["q", "Ef", "B", "v", "theta"]
    X = rng.uniform(1, 5, size=(200, 5))
    F = formula(*X.T)
    path = os.path.join(tmp_path_for("symreg"), "feynman.csv")
    np.savetxt(path, np.c_[X, F], delimiter=",", header=",".join(names + ["F"]), comments="")
    k = start_kernel()
    try:
        r = k.execute(f'data = load "{path}"\n'
                      'eq = symreg data F q Ef B v theta ops=["+", "-", "*", "/", sin] '
                      'iters=100 seed=1', timeout=120)
        assert r.status == "ok", r.content
        j = r.neurodyn("symreg")
        assert j["source"] == "dataset" and j["inputs"] == names and j["rows"] == 200
        front = j["front"]
        sizes = [e["size"] for e in front]
        errors = [e["nrmse"] for e in front]
        assert sizes == sorted(sizes) and errors == sorted(errors, reverse=True), front
        chosen = front[j["pick"]]
        assert chosen["expression"] == j["equation"]
        assert chosen["size"] <= 12, chosen
        fresh = rng.uniform(1, 5, size=(500, 5))
        truth = formula(*fresh.T)
        got = evaluate(j["equation"], dict(zip(names, fresh.T)))
        rel = np.sqrt(np.mean((got - truth) ** 2)) / np.std(truth)
        assert rel < 1e-6, (j["equation"], rel)
        r = k.execute("eq.equation\neq.size")
        assert r.status == "ok", r.content
        texts = [m["content"]["data"]["text/plain"] for m in r.outputs
                 if m["msg_type"] in ("execute_result", "display_data")]
        assert any(j["equation"] in t for t in texts), texts
        assert any(t.strip() == str(chosen["size"]) for t in texts), texts
    finally:
        k.stop()


def m_inf(V):
    """Hodgkin & Huxley's m∞ (modern convention), written here independently."""
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    bm = 4 * np.exp(-(V + 65) / 18)
    return am / (am + bm)


def test_symreg_recovers_rinzel_sodium_and_the_model_spikes_again():
    """hh_rinzel's true INa along a spiking run (the dataset's `terms=true` column), mInf
    as a primitive: the chosen equation, evaluated by NumPy with its own m∞, equals
    gNa·m∞³·(0.89 − 1.1 n)·(V − ENa) (gNa 120, ENa 50) on a grid of (V, n) off the
    trajectory; the bound model (INa replaced) fires the same 5 spikes as the truth."""
    k = start_kernel()
    try:
        r = k.execute("use hh_rinzel\nstim step at=5 dur=50 amp=10\n"
                      "stim step at=30 dur=25 amp=5 add=true\n"
                      "ina = simulate t=60 sample=0.1 terms=true\n"
                      'ctrl = symreg ina INa V n functions=[mInf] ops=["+", "-", "*", pow3]',
                      timeout=120)
        assert r.status == "ok", r.content
        j = r.neurodyn("symreg")
        assert j["model"] == "ctrl" and j["inputs"] == ["V", "n"], j
        V, n = np.meshgrid(np.linspace(-79, 31, 23), np.linspace(0.3, 0.7, 9))
        truth = 120 * m_inf(V) ** 3 * (0.89 - 1.1 * n) * (V - 50)
        got = evaluate(j["equation"], {"V": V, "n": n, "mInf": m_inf})
        assert np.max(np.abs(got - truth)) < 1e-6 * np.max(np.abs(truth)), j["equation"]
        r = k.execute("back = simulate ctrl t=60 sample=0.1\nspikes back threshold=0")
        assert r.status == "ok", r.content
        back = r.neurodyn("spikes")["times"]
        r = k.execute("spikes ina threshold=0")
        true_t = r.neurodyn("spikes")["times"]
        assert len(true_t) == 5 and len(back) == 5, (true_t, back)
        assert max(abs(a - b) for a, b in zip(true_t, back)) < 1e-3, (true_t, back)
    finally:
        k.stop()
