"""The HTML report (`make report`): every figure and equation of every notebook shows,
offline. Runs the same conversion as `make report` (docs/report/build.py, Debian's
`jupyter nbconvert` with the template in docs/report/neurodyn/) on the committed notebooks,
without re-executing them, into a temporary directory."""

import base64
import glob
import html
import json
import os
import re
import subprocess
import urllib.parse

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "docs", "report", "build.py")
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
PYTHON = "/usr/bin/python3"


def _text(v):
    return "".join(v) if isinstance(v, list) else v


def _outputs(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return nb, [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("report"))
    before = {p: open(p, "rb").read() for p in NOTEBOOKS}
    r = subprocess.run([PYTHON, BUILD, out] + NOTEBOOKS, capture_output=True, text=True,
                       cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert before == {p: open(p, "rb").read() for p in NOTEBOOKS}, "notebooks modified"
    return out


def _page(report, nb_path):
    name = os.path.splitext(os.path.basename(nb_path))[0] + ".html"
    with open(os.path.join(report, name), encoding="utf-8") as f:
        return f.read()


def test_notebooks_exist():
    assert len(NOTEBOOKS) >= 2


FIGURE_IMG = r'<img class="nd-figure" alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">'


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=os.path.basename)
def test_every_figure_is_an_img(report, nb_path):
    """A figure is stored as an <img> of its SVG (text/html) with a PNG beside it; the page
    shows the same <img>, never a raw inline <svg> that nbconvert may drop."""
    _, outputs = _outputs(nb_path)
    figures = [o["data"] for o in outputs if "image/png" in o.get("data", {})]
    assert all("image/svg+xml" not in d for d in figures), "inline SVG stored in the notebook"
    stored = [re.fullmatch(FIGURE_IMG, _text(d.get("text/html", ""))) for d in figures]
    assert all(stored), "a figure without its <img> of the SVG"
    page = _page(report, nb_path)
    shown = re.findall(FIGURE_IMG, page)
    assert shown == [m.group(1) for m in stored], \
        f"{len(figures)} figure outputs, {len(shown)} figure <img> in the page"
    assert "<svg" not in page.lower(), "raw inline <svg> in the page (nbconvert may drop it)"
    for b64 in shown:
        svg = base64.b64decode(b64).decode("utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=os.path.basename)
def test_equations_render_offline(report, nb_path):
    _, outputs = _outputs(nb_path)
    page = _page(report, nb_path)
    latex = [_text(o["data"]["text/latex"]) for o in outputs
             if "text/latex" in o.get("data", {}) and "text/html" not in o["data"]]
    blocks = re.findall(r'<div class="jp-RenderedLatex[^>]*>\n?(.*?)\n?</div>', page, re.S)
    assert [html.unescape(b) for b in blocks] == latex  # the source stays in the page
    # MathJax is loaded from the copy next to the page, and that copy is complete enough.
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]*)"', page)
    mathjax = [s for s in scripts if "MathJax.js" in s]
    assert mathjax == ["mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"], scripts
    for part in ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js",
                 "jax/output/CommonHTML/jax.js", "jax/input/TeX/config.js",
                 "fonts/HTML-CSS/TeX/woff/MathJax_Main-Regular.woff"]:
        assert os.path.isfile(os.path.join(report, "mathjax", part)), part


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=os.path.basename)
def test_no_external_resources(report, nb_path):
    page = _page(report, nb_path)
    refs = re.findall(r'<(?:script|img|link|iframe|source)\b[^>]*?\s(?:src|href)="([^"]*)"', page)
    refs += re.findall(r'url\(\s*[\'"]?([^\'")]*)', page)
    refs += re.findall(r'@import\s+[\'"]([^\'"]*)', page)
    for ref in refs:
        if ref.startswith(("data:", "#")):
            continue
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^/", ref, re.I), f"non-local reference {ref!r}"
        target = urllib.parse.unquote(ref.split("?")[0].split("#")[0])
        assert os.path.exists(os.path.join(report, target)), f"missing {ref!r}"


def test_index_lists_every_page_in_order(report):
    with open(os.path.join(report, "index.html"), encoding="utf-8") as f:
        index = f.read()
    links = re.findall(r'<li><a href="([^"]+)">([^<]*)</a>', index)
    assert [h for h, _ in links] == [os.path.splitext(os.path.basename(p))[0] + ".html"
                                     for p in NOTEBOOKS]
    for (href, title), p in zip(links, NOTEBOOKS):
        nb, _ = _outputs(p)
        heading = next(line.lstrip("#").strip() for c in nb["cells"] if c["cell_type"] == "markdown"
                       for line in _text(c["source"]).splitlines() if line.startswith("#"))
        assert html.unescape(title) == heading
        assert os.path.isfile(os.path.join(report, href))


def test_index_summarises_every_page(report):
    """Each entry carries the first paragraph under the notebook's title (its objective)."""
    with open(os.path.join(report, "index.html"), encoding="utf-8") as f:
        index = f.read()
    summaries = re.findall(r'<div class="nd-summary">(.*?)</div></li>', index, re.S)
    assert len(summaries) == len(NOTEBOOKS)
    for text, p in zip(summaries, NOTEBOOKS):
        nb, _ = _outputs(p)
        first = next(par for c in nb["cells"] if c["cell_type"] == "markdown"
                     for par in re.split(r"\n\s*\n", _text(c["source"]))
                     if par.strip() and not par.lstrip().startswith("#"))
        words = re.sub(r"[*`_]", "", first).split()[:6]
        plain = html.unescape(re.sub(r"<[^>]+>", "", text))
        assert " ".join(words) in " ".join(plain.split()), (words, plain[:120])


@pytest.mark.parametrize("i", range(len(NOTEBOOKS)))
def test_pages_link_in_order_with_contents(report, i):
    pages = [os.path.splitext(os.path.basename(p))[0] + ".html" for p in NOTEBOOKS]
    page = _page(report, NOTEBOOKS[i])
    nav = re.findall(r'<nav class="nd-pages">(.*?)</nav>', page, re.S)
    assert len(nav) == 2 and nav[0] == nav[1], "navigation at the top and the bottom"
    prev = re.findall(r'rel="prev" href="([^"]+)"', nav[0])
    nxt = re.findall(r'rel="next" href="([^"]+)"', nav[0])
    assert prev == pages[i - 1:i] if i else prev == []
    assert nxt == pages[i + 1:i + 2]
    assert 'href="index.html"' in nav[0]
    # the contents list every section heading of the page, in order, and link to it
    anchors = re.findall(r'<h2 id="([^"]+)">', page)
    toc = re.findall(r'<li class="nd-toc-h2"><a href="#([^"]+)">', page)
    assert anchors and toc == anchors
