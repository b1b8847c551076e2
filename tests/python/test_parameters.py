"""Parameters from outside: `neurodyn run FILE -D NAME=VALUE` and a notebook executed with
other values for its cell tagged `parameters` (docs/report/run_notebook.py, the papermill
convention). The effect is checked on the science: HH at I = 0 is silent, at I = 10 it
fires (7 spikes in 100 ms, docs/science.md §3)."""
import os
import subprocess

import nbformat

from conftest import installed_spec, tmp_path_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(ROOT, "docs", "report", "run_notebook.py")
PYTHON = "/usr/bin/python3"
STUDY = "use hh\nset I = I_stim\nsim = simulate t=100\ns = spikes sim\nprint \"spikes:\", s.count\n"


def binary():
    return os.environ.get("NEURODYN_TEST_BINARY") or installed_spec().argv[0]


def test_run_with_defines_overrides_the_scripts_values():
    d = tmp_path_for("defines")
    script = os.path.join(d, "study.nd")
    with open(script, "w") as f:
        f.write("I_stim = 0\n" + STUDY)
    plain = subprocess.run([binary(), "run", script], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.endswith("spikes: 0\n")
    r = subprocess.run([binary(), "run", script, "-D", "I_stim=10"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("spikes: 7\n")
    assert "I_stim is set from outside the program (-D); line 1 keeps that value" in r.stderr
    bad = subprocess.run([binary(), "run", script, "-D", "I_stim="], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1 and bad.stdout == ""
    assert "a value is missing after '='" in bad.stderr


def notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "neurodyn", "display_name": "neurodyn",
                                 "language": "neurodyn"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A parameterised study"),
                nbformat.v4.new_code_cell("I_stim = 0", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(STUDY)]
    nbformat.write(nb, path)


def run_notebook(src, out, *assignments):
    return subprocess.run([PYTHON, RUNNER, src, out, *assignments], capture_output=True,
                          text=True, timeout=120)


def printed(nb):
    """The study's last printed line (use prints which model it made current first)."""
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return text.splitlines()[-1] + "\n" if text else ""


def test_a_notebook_runs_with_other_parameter_values():
    d = tmp_path_for("param-notebook")
    src, out = os.path.join(d, "study.ipynb"), os.path.join(d, "out.ipynb")
    notebook(src)
    before = open(src).read()
    r = run_notebook(src, out, "I_stim=10")
    assert r.returncode == 0, r.stderr
    nb = nbformat.read(out, as_version=4)
    assert [c.metadata.get("tags", []) for c in nb.cells[1:3]] == [["parameters"],
                                                                    ["injected-parameters"]]
    assert nb.cells[2].source == "# Injected parameters\nI_stim = 10"
    assert printed(nb) == "spikes: 7\n"
    assert open(src).read() == before, "the source notebook was modified"
    r = run_notebook(src, out)
    assert r.returncode == 0, r.stderr
    assert printed(nbformat.read(out, as_version=4)) == "spikes: 0\n"


def test_the_runner_refuses_what_it_cannot_do():
    d = tmp_path_for("param-errors")
    src, out = os.path.join(d, "study.ipynb"), os.path.join(d, "out.ipynb")
    notebook(src)
    r = run_notebook(src, out, "I_stim")
    assert r.returncode != 0 and "expected NAME=VALUE, not 'I_stim'" in r.stderr
    nb = nbformat.read(src, as_version=4)
    nb.cells[1].metadata["tags"] = []
    nbformat.write(nb, src)
    r = run_notebook(src, out, "I_stim=1")
    assert r.returncode != 0 and "one cell tagged 'parameters' (0 found)" in r.stderr
    assert not os.path.exists(out)
