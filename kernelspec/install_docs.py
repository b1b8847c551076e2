"""Renders docs/*.md into HTML pages inside the installed kernelspec.

usage: install_docs.py DOCS_DIR KERNELSPEC_DIR

The Notebook and JupyterLab serve a kernelspec's files at /kernelspecs/neurodyn/…, so the
kernel's help_links (Help menu) point at pages that exist wherever the kernel is installed,
without network. Markdown is rendered by nbconvert's own renderer (the one that renders
notebooks' Markdown cells); links between the docs are rewritten from NAME.md to NAME.html.
"""
import html
import os
import re
import sys

from nbconvert.filters.markdown import markdown2html

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — neurodyn</title>
<style>
body {{ font: 16px/1.5 sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #222; }}
pre, code {{ font: 14px/1.4 monospace; background: #f5f5f5; }}
pre {{ padding: .6em; overflow-x: auto; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .2em .5em; }}
a.anchor-link {{ display: none; }} nav {{ font-size: 90%; }}
</style></head><body>
<nav><a href="index.html">neurodyn documentation</a></nav>
{body}
</body></html>
"""


def title_of(text, fallback):
    m = re.search(r"^#\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else fallback


def render(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    body = markdown2html(text)
    body = re.sub(r'href="([\w-]+)\.md(#[^"]*)?"', r'href="\1.html\2"', body)
    return title_of(text, os.path.basename(path)), body


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    docs, spec_dir = sys.argv[1:]
    out = os.path.join(spec_dir, "docs")
    os.makedirs(out, exist_ok=True)
    entries = []
    for name in sorted(os.listdir(docs)):
        if not name.endswith(".md"):
            continue
        title, body = render(os.path.join(docs, name))
        page = name[:-3] + ".html"
        with open(os.path.join(out, page), "w", encoding="utf-8") as f:
            f.write(PAGE.format(title=html.escape(title), body=body))
        entries.append((page, title))
    items = "\n".join(f'<li><a href="{p}">{html.escape(t)}</a></li>' for p, t in entries)
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as f:
        f.write(PAGE.format(title="Documentation",
                            body=f"<h1>neurodyn documentation</h1>\n<ul>\n{items}\n</ul>"))
    print(f"docs: {len(entries)} pages in {out}")


if __name__ == "__main__":
    main()
