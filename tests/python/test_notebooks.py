"""Every committed notebook re-executes to the outputs stored in it.

The comparison covers every output except the images' bytes: stream text, error names,
and for rich outputs every text-like MIME type (text/plain, text/html, text/latex,
text/markdown, JSON). Figures are checked by their text/plain description and JSON
payload, which are derived from the same data."""
import copy
import glob
import json
import os

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
TEXT_MIME = ("text/plain", "text/html", "text/latex", "text/markdown")


def comparable(output):
    kind = output["output_type"]
    if kind == "stream":
        return (kind, output["name"], output["text"])
    if kind == "error":
        return (kind, output["ename"], output["evalue"])
    data = output.get("data", {})
    kept = {m: data[m] for m in sorted(data) if m in TEXT_MIME or m.endswith("json")}
    return (kind, json.dumps(kept, sort_keys=True))


def merged(outputs):
    """Consecutive stream outputs of the same stream as one, as nbconvert stores them; an
    empty display (a finished progress line, whose appearance depends on how long the work
    took) left out."""
    out = []
    for o in outputs:
        if o["output_type"] == "display_data" and not o.get("data"):
            continue
        if (o["output_type"] == "stream" and out and out[-1]["output_type"] == "stream"
                and out[-1]["name"] == o["name"]):
            out[-1] = dict(out[-1], text=out[-1]["text"] + o["text"])
        else:
            out.append(o)
    return out


def test_there_is_a_notebook():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_reproduces_its_outputs(path):
    stored = nbformat.read(path, as_version=4)
    assert stored.metadata.get("kernelspec", {}).get("name") == "neurodyn"
    fresh = copy.deepcopy(stored)
    NotebookClient(fresh, kernel_name="neurodyn", timeout=600, allow_errors=False,
                   resources={"metadata": {"path": os.path.dirname(path)}}).execute()
    code_cells = [(a, b) for a, b in zip(stored.cells, fresh.cells) if a.cell_type == "code"]
    assert code_cells
    for index, (old, new) in enumerate(code_cells):
        assert old.outputs, f"code cell {index} of {os.path.basename(path)} has no stored output"
        assert [comparable(o) for o in merged(new.outputs)] == \
            [comparable(o) for o in merged(old.outputs)], \
            f"code cell {index} of {os.path.basename(path)} no longer gives its stored outputs:\n{old.source}"
