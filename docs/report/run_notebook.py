#!/usr/bin/python3
"""Executes a notebook with other parameter values (the papermill convention, which Debian
does not package): run_notebook.py NOTEBOOK OUTPUT [NAME=VALUE ...]

The notebook's cell tagged `parameters` holds the defaults (NAME = VALUE lines). A new cell
tagged `injected-parameters` with the given NAME = VALUE lines is put right after it, so
the rest of the notebook sees the new values, and the whole notebook is executed on the
neurodyn kernel and written to OUTPUT (NOTEBOOK itself is not changed). VALUE is neurodyn
language (12, 1e-3, "text", [1, 2]). Used by `make run-notebook`.
"""
import re
import sys

import nbformat
from nbclient import NotebookClient

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def inject(nb, assignments):
    """Puts the injected-parameters cell after the parameters cell; returns its index."""
    tagged = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        sys.exit(f"run_notebook: the notebook needs one cell tagged 'parameters' "
                 f"({len(tagged)} found)")
    lines = []
    for a in assignments:
        name, eq, value = a.partition("=")
        if not eq or not NAME.match(name.strip()) or not value.strip():
            sys.exit(f"run_notebook: expected NAME=VALUE, not {a!r}")
        lines.append(f"{name.strip()} = {value.strip()}")
    cell = nbformat.v4.new_code_cell("# Injected parameters\n" + "\n".join(lines),
                                     metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(tagged[0] + 1, cell)
    return tagged[0] + 1


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__.strip().splitlines()[1])
    source, output, assignments = argv[0], argv[1], argv[2:]
    nb = nbformat.read(source, as_version=4)
    inject(nb, assignments)
    NotebookClient(nb, kernel_name="neurodyn", timeout=600, record_timing=False).execute()
    nbformat.write(nb, output)
    print(f"run_notebook: {output}")


if __name__ == "__main__":
    main(sys.argv[1:])
