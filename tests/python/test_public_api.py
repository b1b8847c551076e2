"""The shared library exports the nd_ API and nothing else (lib/neurodyn.map), and a C
program links against it and computes with it, without the command language: the HH rest
state (V ≈ −65 mV, docs/science.md) from the built-in model's right-hand side."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SO = os.path.join(ROOT, "build", "libneurodyn.so")

PROGRAM = r"""
#include <math.h>
#include <stdio.h>
#include "lib/models/model.h"

int main(void)
{
    nd_error err;
    nd_model *m = nd_model_builtin("hh", &err);
    if (!m) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double dy[4];
    nd_model_rhs(m, 0, nd_model_inits(m), nd_model_pars(m), dy);
    printf("%s %.4f %.3g\n", nd_model_name(m), nd_model_inits(m)[0], fabs(dy[0]));
    nd_model_free(m);
    return 0;
}
"""


def test_only_the_nd_api_is_exported():
    out = subprocess.run(["nm", "-D", "--defined-only", SO], capture_output=True, text=True,
                         check=True).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.strip()]
    assert len(names) > 300, len(names)
    assert [n for n in names if not n.startswith("nd_")] == []


def test_a_c_program_uses_the_shared_library(tmp_path):
    src, exe = tmp_path / "use.c", tmp_path / "use"
    src.write_text(PROGRAM)
    subprocess.run(["cc", "-std=c11", "-I", ROOT, "-o", str(exe), str(src),
                    "-L", os.path.dirname(SO), "-lneurodyn", "-lm"], check=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True, check=True,
                       env=dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(SO)))
    name, v, rate = r.stdout.split()
    assert name == "hh"
    assert abs(float(v) + 65.0) < 0.01          # the model starts at its rest state …
    assert float(rate) < 1e-3                   # … where dV/dt vanishes
