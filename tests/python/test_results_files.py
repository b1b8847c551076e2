"""Results you can use outside the notebook, through a real client and a batch run:
figures saved as SVG/PNG and written by `neurodyn run --figures DIR` (parsed as XML, PNG
signature, units on the axes), CSV files whose times are the decimal grid values (read
back with Python's csv module and numpy), and stim's option names."""

import csv
import os
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal

import numpy
import pytest

from conftest import installed_spec, start_kernel, tmp_path_for

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def kernel():
    k = start_kernel()
    yield k
    k.stop()


def svg_texts(path):
    """The root of the SVG file at path and every text it draws."""
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    return root, texts


def check_png(path, width=None, height=None):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == PNG_SIGNATURE and len(data) > 100
    # IHDR: width and height, big-endian, after the signature and the chunk header
    if width is not None:
        assert int.from_bytes(data[16:20], "big") == width
        assert int.from_bytes(data[20:24], "big") == height


def figure_json(reply):
    for m in reply.of_type("display_data"):
        data = m["content"]["data"]
        if "image/png" in data:   # a figure: its SVG travels as text/html, with a PNG
            return data["application/vnd.neurodyn+json"]
    return None


# ---------------------------------------------------------------- figures

def test_saved_figure_is_svg_and_png_with_units(kernel):
    d = tmp_path_for("figs")
    svg, png = os.path.join(d, "i.svg"), os.path.join(d, "i.png")
    kernel.ok("use hh\nset I = 10\nsim = simulate t=30 terms=true")
    r = kernel.ok("fig = plot sim INa IK IL")
    j = figure_json(r)
    assert j["title"] == "hh: INa, IK, IL against time, I = 10"
    assert [p["ylabel"] for p in j["panels"]] == ["INa [uA/cm^2]", "IK [uA/cm^2]",
                                                  "IL [uA/cm^2]"]
    assert j["panels"][-1]["xlabel"] == "t [ms]"
    r = kernel.ok(f'save fig "{svg}"\nsave fig "{png}"')
    assert r.stream("stdout") == f"saved {svg}\nsaved {png}\n"
    root, texts = svg_texts(svg)
    assert root.tag == SVG + "svg"
    assert (root.get("width"), root.get("height")) == ("720", str(420 + 2 * 170))
    for label in ("INa [uA/cm^2]", "IK [uA/cm^2]", "IL [uA/cm^2]", "t [ms]",
                  "hh: INa, IK, IL against time, I = 10"):
        assert label in texts, (label, texts)
    check_png(png, 720, 760)
    # the figure value: its fields, shown by name as the same figure
    r = kernel.ok("fig")
    data = r.result
    assert 'src="data:image/svg+xml;base64,' in data["text/html"] and "image/png" in data
    fields = data["application/vnd.neurodyn+json"]
    assert fields["title"] == "hh: INa, IK, IL against time, I = 10"
    r = kernel.execute(f'save fig "{os.path.join(d, "i.jpg")}"')
    assert r.status == "error" and r.content["ename"] == "ValueError"
    assert "a figure is saved as .svg or .png, not '.jpg'" in r.content["evalue"]
    assert not os.path.exists(os.path.join(d, "i.jpg"))


def neurodyn_binary():
    return os.environ.get("NEURODYN_TEST_BINARY") or installed_spec().argv[0]


def test_batch_run_writes_every_figure(tmp_path):
    script = tmp_path / "many.nd"
    script.write_text(
        "use hh\nset I = 10\nsim = simulate t=30 terms=true\nplot sim V m h n\n"
        "plot sim INa IK IL\nrates V=-100..50\nfi I 0..20 step=5\n"
        "use fhn\nset I = 0.5\nphase v w v=-2.5..2.5 w=-1..2 nullclines\n"
        "bif = continue I 0..2\nplot bif\ndata = simulate t=100 sample=0.1\n"
        "deriv data v compare=true\neq = sindy data v w library=[poly(3)] sweep=true\n"
        "use hh\nd = simulate t=30 sample=0.1\nderiv d V compare=true\n")
    figs = tmp_path / "figs"
    run = subprocess.run([neurodyn_binary(), "run", str(script), "--figures", str(figs)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    names = sorted(os.listdir(figs))
    assert names == [f"fig-{k:03d}.{ext}" for k in range(1, 10) for ext in ("png", "svg")]
    labels = []
    for k in range(1, 10):
        svg, png = figs / f"fig-{k:03d}.svg", figs / f"fig-{k:03d}.png"
        assert f"figure {k}: {svg}, {png}\n" in run.stdout
        root, texts = svg_texts(svg)
        assert root.tag == SVG + "svg"
        w, h = int(root.get("width")), int(root.get("height"))
        assert w > 0 and h > 0
        check_png(png, w, h)
        labels += texts
    for label in ("V [mV]", "t [ms]", "INa [uA/cm^2]", "time constant tau_x [ms]",
                  "firing rate [Hz]", "I [uA/cm^2]", "dV/dt [mV/ms]"):
        assert label in labels, label


# ---------------------------------------------------------------- CSV

def grid(n, step):
    """The decimal grid values i * step, as Python reads their decimal text."""
    return [float(Decimal(i) * Decimal(step)) for i in range(n)]


def test_saved_csv_times_are_the_grid_values(kernel):
    d = tmp_path_for("csv")
    with_meta, plain = os.path.join(d, "sim.csv"), os.path.join(d, "plain.csv")
    kernel.ok("use hh\nset I = 0\nstim step at=2 dur=3 amp=10\nsim = simulate t=20 sample=0.1\n"
              f'save sim "{with_meta}"\nsave sim "{plain}" meta=false')
    want = grid(201, "0.1")
    # the csv module, after skipping the '#' metadata lines
    with open(with_meta, newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.reader(lines))
    assert rows[0][:2] == ["t [ms]", "V [mV]"]
    times = [float(r[0]) for r in rows[1:]]
    assert times == want
    assert "0.30000000000000004" not in open(with_meta).read().split("\n", 20)[-1]
    assert rows[4][0] == "0.3"
    # numpy, both ways of skipping comments
    a = numpy.loadtxt(with_meta, delimiter=",", comments="#", skiprows=0,
                      converters=None, ndmin=2, dtype=str)
    assert list(a[0][:2]) == ["t [ms]", "V [mV]"]
    assert [float(x) for x in a[1:, 0]] == want
    # (genfromtxt's names=True would take the first '#' line for the names: the header
    # row reads as a row of NaN instead)
    g = numpy.genfromtxt(with_meta, delimiter=",", comments="#")
    assert numpy.isnan(g[0]).all()
    assert g[1:, 0].tolist() == want
    # meta=false: the header row first, no '#' line anywhere
    text = open(plain).read()
    assert text.startswith("t [ms],V [mV],m [1],h [1],n [1],I [uA/cm^2]\n") and "#" not in text
    p = numpy.loadtxt(plain, delimiter=",", skiprows=1)
    assert p[:, 0].tolist() == want
    # the stimulus column: 10 on [2, 5), grid times compared exactly
    assert [t for t, i in zip(p[:, 0], p[:, 5]) if i == 10] == grid(201, "0.1")[20:50]


# ---------------------------------------------------------------- stim option names

def test_stim_ramp_names_and_suggestions(kernel):
    kernel.ok("use hh\nstim ramp t0=10 t1=30 a0=0 a1=20\nr = simulate t=40 sample=1")
    r = kernel.execute("stim ramp T0=0")
    assert r.content["ename"] == "NameError"
    assert "did you mean 't0'?" in r.content["evalue"]
    r = kernel.execute("stim ramp t2=0")
    assert "did you mean" not in r.content["evalue"]
    r = kernel.execute("stim ramp at=5")
    assert "at= is an option of stim step, not of stim ramp" in r.content["evalue"]
