#!/usr/bin/python3
"""Builds the neurodyn report: one HTML page per notebook plus index.html.

    build.py [--execute] OUTDIR NOTEBOOK...

Each page comes from Debian's `jupyter nbconvert --to html` with the template in
docs/report/neurodyn/ (figures as base64 <img>, MathJax from a local copy); build.py then
gives every page a table of contents (its headings) and previous/index/next links, and
writes an index that lists each page with its summary (the first paragraph under the
notebook's title). With
--execute the notebooks are run on the neurodyn kernel first; the committed notebooks are
never written to. MathJax (a subset: TeX input, CommonHTML output, its woff fonts) is
copied from Debian's libjs-mathjax into OUTDIR/mathjax/, so the report needs no network
and can be moved as a whole. Used by `make report` and tests/python/test_report.py.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys

from nbconvert.filters.markdown import markdown2html

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


def _markdown_cells(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            yield "".join(src) if isinstance(src, list) else src


def first_heading(path):
    for src in _markdown_cells(path):
        for line in src.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return os.path.splitext(os.path.basename(path))[0]


def summary(path):
    """The first paragraph after the notebook's title, as HTML (the page's objective)."""
    for src in _markdown_cells(path):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", src) if p.strip()]
        for p in paragraphs:
            if not p.startswith("#"):
                return markdown2html(p)
    return ""


def page_name(path):
    return os.path.splitext(os.path.basename(path))[0] + ".html"


HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def navigation(pages, i):
    """The previous / index / next links of page i."""
    links = []
    if i > 0:
        links.append(f'<a rel="prev" href="{html.escape(pages[i - 1][0])}">← '
                     f'{html.escape(pages[i - 1][1])}</a>')
    links.append('<a href="index.html">index</a>')
    if i + 1 < len(pages):
        links.append(f'<a rel="next" href="{html.escape(pages[i + 1][0])}">'
                     f'{html.escape(pages[i + 1][1])} →</a>')
    return '<nav class="nd-pages">' + " · ".join(links) + "</nav>"


def contents(page):
    """The page's table of contents from its headings (h2 and h3, the h1 is the title)."""
    items = [(int(level), anchor, re.sub(r"<[^>]+>", "", text).strip())
             for level, anchor, text in HEADING.findall(page) if level != "1"]
    if not items:
        return ""
    rows = "".join(f'<li class="nd-toc-h{level}"><a href="#{anchor}">{html.escape(html.unescape(text))}'
                   f"</a></li>" for level, anchor, text in items)
    return f'<nav class="nd-toc"><strong>Contents</strong><ul>{rows}</ul></nav>'


def decorate(outdir, notebooks):
    """Adds the navigation and the table of contents to every page nbconvert wrote."""
    pages = [(page_name(nb), first_heading(nb)) for nb in notebooks]
    for i, (name, _) in enumerate(pages):
        path = os.path.join(outdir, name)
        with open(path, encoding="utf-8") as f:
            page = f.read()
        nav = navigation(pages, i)
        toc = contents(page)
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, page, count=1)
        page = re.sub(r"(</h1>)", lambda m: m.group(1) + "\n" + toc, page, count=1)
        page = page.replace("</body>", nav + "\n</body>", 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(page)


def write_index(outdir, notebooks):
    items = []
    for nb in notebooks:
        items.append(f'  <li><a href="{html.escape(page_name(nb))}">{html.escape(first_heading(nb))}'
                     f'</a>\n    <div class="nd-summary">{summary(nb)}</div></li>')
    text = "\n".join([
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>neurodyn — the report</title>',
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.6}"
        "li{margin-bottom:1em}.nd-summary p{margin:.2em 0;color:#333}</style>",
        "</head><body>",
        "<h1>neurodyn — the report</h1>",
        "<p>The expedition notebooks in order, one page each, with what each sets out to do.</p>",
        "<ol>", *items, "</ol>",
        "</body></html>", ""])
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    execute = "--execute" in argv
    args = [a for a in argv if a != "--execute"]
    if len(args) < 2:
        sys.exit(__doc__)
    outdir, notebooks = args[0], sorted(args[1:], key=os.path.basename)
    os.makedirs(outdir, exist_ok=True)
    subprocess.run(nbconvert_command(outdir, notebooks, execute), check=True)
    copy_mathjax(outdir)
    decorate(outdir, notebooks)
    write_index(outdir, notebooks)
    print(f"report: {os.path.join(outdir, 'index.html')}")


if __name__ == "__main__":
    main(sys.argv[1:])
