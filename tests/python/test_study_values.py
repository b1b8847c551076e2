"""A study in one cell through a real kernel: a for loop collects results (fields of
`fixed`'s record) into a table with `row`, then `plot` and `save` take the table and the
cell's value (a list of its columns) comes back as JSON. The equilibria are checked
against an independent computation: the FitzHugh–Nagumo equilibrium solves the cubic
v − v³/3 − (v + a)/b + I = 0 (numpy.roots) and its leading eigenvalue comes from the
Jacobian there (numpy.linalg.eigvals)."""

import csv
import json
import os

import numpy as np
import pytest

from conftest import start_kernel, tmp_path_for

A, B, EPS = 0.7, 0.8, 0.08
CURRENTS = [0.2, 0.5, 1.0, 1.6]


def fhn_equilibrium(current):
    """The one real equilibrium of FitzHugh–Nagumo at I and its leading eigenvalue's real
    part, computed here without the kernel."""
    roots = np.roots([-1 / 3, 0, 1 - 1 / B, current - A / B])
    real = [r.real for r in roots if abs(r.imag) < 1e-9]
    assert len(real) == 1, roots
    v = real[0]
    jac = np.array([[1 - v * v, -1], [EPS, -EPS * B]])
    return v, max(np.linalg.eigvals(jac).real)


@pytest.fixture(scope="module")
def kernel():
    k = start_kernel()
    yield k
    k.stop()


def test_a_study_cell_with_a_for_loop_and_a_table(kernel):
    csv_path = os.path.join(tmp_path_for("study"), "study.csv")
    code = (
        "use fhn\n"
        f"for x in [{', '.join(str(c) for c in CURRENTS)}] {{\n"
        "  f = fixed I=x\n"
        "  row study I=x v=f.points[1].v re=f.points[1].re[1] count=f.count\n"
        "}\n"
        "plot study re\n"
        f"save study \"{csv_path}\"\n"
        "[study.I, study.v, study.re, study.count, mean(study.v), len(study.I)]"
    )
    r = kernel.execute(code, timeout=60)
    assert r.status == "ok", r.content
    value = json.loads(json.dumps(r.result["application/vnd.neurodyn+json"]))
    assert value["type"] == "list"
    cols = [item for item in value["items"]]
    assert [c["type"] for c in cols[:4]] == ["vector"] * 4
    got_i, got_v, got_re, got_count = (c["values"] for c in cols[:4])
    assert got_i == CURRENTS
    assert got_count == [1, 1, 1, 1]
    for current, v, re in zip(CURRENTS, got_v, got_re):
        want_v, want_re = fhn_equilibrium(current)
        assert abs(v - want_v) < 1e-8, (current, v, want_v)
        assert abs(re - want_re) < 1e-8, (current, re, want_re)
    # Stable outside the Hopf points 0.3313 … 1.4187, unstable between them.
    assert [re < 0 for re in got_re] == [True, False, False, True]
    assert cols[4] == {"type": "number", "value": pytest.approx(np.mean(got_v), abs=1e-12)}
    assert cols[5] == {"type": "number", "value": 4}

    # plot drew the table's column against its first column; save wrote it.
    figures = [m for m in r.of_type("display_data") if "image/svg+xml" in m["content"]["data"]
               or "image/png" in m["content"]["data"]]
    assert len(figures) == 1
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    assert rows[0] == ["I", "v", "re", "count"]
    assert [float(x[0]) for x in rows[1:]] == CURRENTS
    assert np.allclose([float(x[1]) for x in rows[1:]], got_v, rtol=0, atol=1e-12)
    os.unlink(csv_path)


def test_an_error_in_the_loop_keeps_the_rows_before_it(kernel):
    r = kernel.execute("del study\nfor n in [1, 2, 3] {\n  row study n=n x=[10, 20][n]\n}")
    assert r.status == "error"
    assert r.content["ename"] == "ValueError"
    assert "line 3" in "\n".join(r.content["traceback"])
    r = kernel.ok("study.x")
    assert r.result["application/vnd.neurodyn+json"] == {"type": "vector", "values": [10, 20]}
