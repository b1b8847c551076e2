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
    return eval(code, {"sin": np.sin, "__builtins__": {}}, cols)


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
