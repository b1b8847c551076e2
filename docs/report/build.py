#!/usr/bin/python3
"""Builds the neurodyn report: one HTML page per notebook plus index.html.

    build.py [--execute] OUTDIR NOTEBOOK...

Each page comes from Debian's `jupyter nbconvert --to html` with the template in
docs/report/neurodyn/ (figures as base64 <img>, MathJax from a local copy). With
--execute the notebooks are run on the neurodyn kernel first; the committed notebooks are
never written to. MathJax (a subset: TeX input, CommonHTML output, its woff fonts) is
copied from Debian's libjs-mathjax into OUTDIR/mathjax/, so the report needs no network
and can be moved as a whole. Used by `make report` and tests/python/test_report.py.
"""

import html
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "jupyter_nbconvert_config.py")
MATHJAX_SRC = "/usr/share/javascript/mathjax"  # Debian libjs-mathjax (python3-notebook needs it)
MATHJAX_PARTS = [
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/CommonHTML",
    "fonts/HTML-CSS/TeX/woff",
]


def nbconvert_command(outdir, notebooks, execute):
    cmd = ["jupyter", "nbconvert", "--config", CONFIG, "--to", "html", "--output-dir", outdir]
    if execute:
        cmd += ["--execute", "--ExecutePreprocessor.kernel_name=neurodyn",
                "--ExecutePreprocessor.timeout=600"]
    return cmd + list(notebooks)


def copy_mathjax(outdir):
    """Copies the MathJax subset next to the pages; returns False when it is not installed
    (the pages then show each equation's LaTeX source as readable preformatted text)."""
    if not os.path.exists(os.path.join(MATHJAX_SRC, "MathJax.js")):
        print(f"warning: {MATHJAX_SRC} not found (apt-get install libjs-mathjax); "
              "equations will show as LaTeX source", file=sys.stderr)
        return False
    dest = os.path.join(outdir, "mathjax")
    shutil.rmtree(dest, ignore_errors=True)
    for part in MATHJAX_PARTS:
        src, dst = os.path.join(MATHJAX_SRC, part), os.path.join(dest, part)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dst, symlinks=False)
        else:
            shutil.copy(src, dst)  # follows Debian's symlinks
    return True


def first_heading(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            src = "".join(src) if isinstance(src, list) else src
            for line in src.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return os.path.splitext(os.path.basename(path))[0]


def write_index(outdir, notebooks):
    items = []
    for nb in sorted(notebooks, key=os.path.basename):
        page = os.path.splitext(os.path.basename(nb))[0] + ".html"
        items.append(f'  <li><a href="{html.escape(page)}">{html.escape(first_heading(nb))}</a></li>')
    text = "\n".join([
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>neurodyn — the report</title>',
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.6}</style>",
        "</head><body>",
        "<h1>neurodyn — the report</h1>",
        "<p>The expedition notebooks in order, one page each.</p>",
        "<ol>", *items, "</ol>",
        "</body></html>", ""])
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    execute = "--execute" in argv
    args = [a for a in argv if a != "--execute"]
    if len(args) < 2:
        sys.exit(__doc__)
    outdir, notebooks = args[0], args[1:]
    os.makedirs(outdir, exist_ok=True)
    subprocess.run(nbconvert_command(outdir, notebooks, execute), check=True)
    copy_mathjax(outdir)
    write_index(outdir, notebooks)
    print(f"report: {os.path.join(outdir, 'index.html')}")


if __name__ == "__main__":
    main(sys.argv[1:])
