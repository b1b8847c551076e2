"""The layering of the C code (docs/architecture.md): base < expr < ode < models <
data, plot < analysis, learn < language < commands < kernel. No file includes a module above its own, and
lib/ never includes kernel/. A violation names the file, the line and both modules."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RANK = {"base": 0, "expr": 1, "ode": 2, "models": 3, "data": 4, "plot": 4,
        "analysis": 5, "learn": 5, "language": 6, "commands": 7,
        "kernel": 8}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module_of(path):
    """lib/ode/run.c -> ode; kernel/wire.c -> kernel; anything else -> None."""
    parts = os.path.relpath(path, ROOT).split(os.sep)
    if parts[0] == "kernel":
        return "kernel"
    if parts[0] == "lib" and len(parts) > 2:
        return parts[1]
    return None


def upward_includes():
    found = []
    for top in ("lib", "kernel"):
        for folder, _, files in os.walk(os.path.join(ROOT, top)):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(folder, name)
                own = module_of(path)
                if own not in RANK:
                    continue
                with open(path, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = module_of(os.path.normpath(os.path.join(folder, m.group(1))))
                        if target in RANK and RANK[target] > RANK[own]:
                            found.append(f"{os.path.relpath(path, ROOT)}:{n}: {own} includes "
                                         f"{m.group(1)} ({target}, a layer above)")
    return found


def test_every_module_is_known():
    modules = {d for d in os.listdir(os.path.join(ROOT, "lib"))
               if os.path.isdir(os.path.join(ROOT, "lib", d))}
    assert modules <= set(RANK), f"modules without a layer: {modules - set(RANK)}"


def test_no_module_includes_one_above_it():
    assert upward_includes() == []


def test_the_check_sees_a_violation(tmp_path, monkeypatch):
    """The checker itself: an upward include in a scratch tree is reported with its line."""
    fake = tmp_path
    (fake / "lib" / "base").mkdir(parents=True)
    (fake / "lib" / "base" / "x.c").write_text('#include <stdio.h>\n#include "../language/y.h"\n')
    (fake / "kernel").mkdir()
    monkeypatch.setattr(__import__(__name__), "ROOT", str(fake))
    assert upward_includes() == ["lib/base/x.c:2: base includes ../language/y.h (language, a layer above)"]
