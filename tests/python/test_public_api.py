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


# The public headers: every header of lib/ but the ones a module keeps to itself, which are
# named *_impl.h or listed here (docs/architecture.md, "The public API").
INTERNAL = {"lib/data/abf_bytes.h", "lib/data/abf_info.h", "lib/data/meta.h", "lib/expr/native.h",
            "lib/expr/vm.h"}


def headers():
    found = []
    for folder, _, files in os.walk(os.path.join(ROOT, "lib")):
        for name in sorted(files):
            if name.endswith(".h"):
                found.append(os.path.relpath(os.path.join(folder, name), ROOT))
    return sorted(found)


def is_internal(h):
    return h.endswith("_impl.h") or h in INTERNAL


def test_every_public_header_stands_alone(tmp_path):
    """Each public header compiles on its own (it includes what it uses), so a program can
    include just the one it needs."""
    public = [h for h in headers() if not is_internal(h)]
    assert len(public) > 60, len(public)
    failed = []
    for h in public:
        src = tmp_path / "one.c"
        src.write_text(f'#include "{h}"\nint nd_header_check;\n')
        r = subprocess.run(["cc", "-std=c11", "-D_DEFAULT_SOURCE", "-fsyntax-only", "-Wall",
                            "-Werror", "-I", ROOT, str(src)], capture_output=True, text=True)
        if r.returncode:
            failed.append(f"{h}: {r.stderr.strip().splitlines()[0]}")
    assert failed == []


def test_programs_outside_lib_use_only_public_headers():
    """bench/ and the embedding header reach the library through public headers only."""
    users = [os.path.join(ROOT, "lib", "neurodyn.h")] + [
        os.path.join(ROOT, "bench", f) for f in sorted(os.listdir(os.path.join(ROOT, "bench")))
        if f.endswith(".c")]
    bad = []
    for path in users:
        for line in open(path, encoding="utf-8"):
            if line.startswith("#include \""):
                inc = os.path.normpath(os.path.join(os.path.dirname(path), line.split('"')[1]))
                rel = os.path.relpath(inc, ROOT)
                if rel.startswith("lib/") and is_internal(rel):
                    bad.append(f"{os.path.relpath(path, ROOT)} includes {rel}")
    assert bad == []
