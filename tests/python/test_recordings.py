"""Recordings through a real kernel: `load` of every ABF file in data/recordings, `sweep`
and `REC.sweeps[N]` against neo (Debian's python3-neo, an independent reader), an NWB file
written here with h5py, CSV/TSV tables with units converted, `features` of the
fast-spiking interneuron against values computed here with NumPy from neo's samples, and
bad files: clear errors, the workspace kept."""
import os
import warnings

import numpy as np
import pytest

from conftest import start_kernel
from nwb_fixture import allen_sweep, write_allen

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import neo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REC = os.path.join(ROOT, "data", "recordings")
FSI = os.path.join(REC, "2019_07_24_0055_fsi.abf")
FILES = ["2019_07_24_0055_fsi.abf", "17o05027_ic_ramp.abf", "18425108_abf1.abf",
         "2020_06_16_0000.abf"]


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    yield kernel
    kernel.stop()


def ok(k, code):
    r = k.execute(code)
    assert r.status == "ok", r.content
    return r


def fails(k, code):
    r = k.execute(code)
    assert r.status == "error", r.content
    return r.content["evalue"]


def neo_block(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return neo.io.AxonIO(os.path.join(REC, name)).read_block(signal_group_mode="split-all")


def assert_neo_equal(ours, signal):
    """neo's signals are float32 (it rounds raw × gain + offset to float32); ours are the
    same arithmetic in double, so they may differ by one float32 spacing (test_abf.py
    checks the bit-for-bit equality against neo's raw samples and gains)."""
    theirs = np.asarray(signal, dtype=np.float32).ravel()
    ulp = np.spacing(np.abs(theirs)).astype(np.float64)
    assert np.all(np.abs(ours - theirs.astype(np.float64)) <= ulp)


def saved_sweep(k, tmp_path, code):
    """Runs code binding s, saves s as CSV and reads it back: (names, array)."""
    path = tmp_path / "s.csv"
    ok(k, f'{code}\nsave s "{path}"')
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("#")]
    names = [c.split(" [")[0] for c in lines[0].split(",")]
    return names, np.loadtxt(lines[1:], delimiter=",", ndmin=2)


@pytest.mark.parametrize("name", FILES)
def test_every_recording_loads_as_neo_reads_it(k, tmp_path, name):
    block = neo_block(name)
    r = ok(k, f'rec = load "{os.path.join(REC, name)}"\nrec')
    j = r.neurodyn("recording")
    assert j["sweeps"] == len(block.segments)
    recorded = [c for c in j["channels"] if c["kind"] == "recorded"]
    signals = block.segments[0].analogsignals
    assert [c["unit"] for c in recorded] == [str(a.units.dimensionality) for a in signals]
    # the last sweep, every recorded channel, sample for sample
    last = len(block.segments)
    names, a = saved_sweep(k, tmp_path, f"s = sweep rec {last}")
    seg = block.segments[-1]
    dt = 1000.0 / float(seg.analogsignals[0].sampling_rate)
    np.testing.assert_allclose(a[:, 0], np.arange(a.shape[0]) * dt, rtol=1e-12, atol=1e-9)
    for c, sig in zip(recorded, seg.analogsignals):
        col = names.index(c["column"])
        assert_neo_equal(a[:, col], sig)


def test_sweeps_are_counted_from_one_and_the_list_agrees(k, tmp_path):
    ok(k, f'rec = load "{FSI}"')
    _, by_command = saved_sweep(k, tmp_path, "s = sweep rec 13")
    _, by_index = saved_sweep(k, tmp_path, "s = rec.sweeps[13]")
    np.testing.assert_array_equal(by_command, by_index)
    assert_neo_equal(by_command[:, 1], neo_block(os.path.basename(FSI)).segments[12]
                     .analogsignals[0])
    assert "sweeps 1 … 17" in fails(k, "sweep rec 0")
    assert "sweeps 1 … 17" in fails(k, "sweep rec 18")


def test_a_sweep_in_model_units(k, tmp_path):
    """100 pF at 1 µF/cm² is 1e-4 cm²: I pA → I·1e-6 µA / 1e-4 cm² = I/100 µA/cm²."""
    ok(k, f'rec = load "{FSI}"')
    names, a = saved_sweep(k, tmp_path, "s = sweep rec 17 capacitance=100")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = neo.io.AxonIO(FSI)
        protocol = raw.read_raw_protocol()
    command = np.asarray(protocol[0][16][0], dtype=np.float64).ravel()
    np.testing.assert_allclose(a[:, names.index("I")], command / 100.0, rtol=1e-12, atol=1e-12)
    assert 300 / 100.0 == pytest.approx(a[:, names.index("I")].max())


def fsi_reference():
    """Per sweep: step amplitude, steady-state V at the end of the step, 0 mV crossings in
    the step. The step window (146.85 ms, 500 ms) and the amplitudes -100 + 25 k pA are the
    protocol's (neo's read_raw_protocol), found here from the command itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        io = neo.io.AxonIO(FSI)
        block = io.read_block()
        protocol = io.read_raw_protocol()
    command = np.asarray(protocol[0][16][0]).ravel()
    dt = 0.05
    on = np.flatnonzero(command == command.max())
    first_run = on[:np.argmax(np.diff(on) > 1) + 1] if np.any(np.diff(on) > 1) else on
    start, end = on[0] * dt, (first_run[-1] + 1) * dt
    rows = []
    for k, seg in enumerate(block.segments):
        v = np.asarray(seg.analogsignals[0], dtype=np.float64).ravel()
        a, b = int(round(start / dt)), int(round(end / dt))
        steady = v[b - int(30 / dt):b].mean()
        w = v[a:b]
        crossings = np.count_nonzero((w[:-1] < 0) & (w[1:] >= 0))
        rows.append((-100 + 25 * k, steady, crossings))
    return start, end, rows


def test_fsi_features_match_numpy(k):
    start, end, rows = fsi_reference()
    r = ok(k, f'rec = load "{FSI}"\nf = features rec')
    j = r.neurodyn("features")
    assert j["sweeps"][0]["start"] == pytest.approx(start, abs=1e-9)
    assert j["sweeps"][0]["end"] == pytest.approx(end, abs=1e-9)
    counts = [s["spike_count"] for s in j["sweeps"]]
    assert counts == [c for _, _, c in rows]
    assert [s["amplitude"] for s in j["sweeps"]] == pytest.approx([a for a, _, _ in rows])
    # rheobase: the smallest positive step with a spike
    assert j["cell"]["rheobase"] == min(a for a, _, c in rows if a > 0 and c > 0)
    # input resistance: least-squares slope of steady state against current over the
    # silent hyperpolarising steps (mV/pA = GΩ, × 1000 for MΩ)
    hyper = [(a, s) for a, s, c in rows if a < 0 and c == 0]
    slope = np.polyfit([a for a, _ in hyper], [s for _, s in hyper], 1)[0]
    # (neo's samples are float32: 1e-6 covers their rounding)
    assert j["cell"]["input_resistance"] == pytest.approx(1000 * slope, rel=1e-6)
    # the record's fields are the same numbers
    assert ok(k, "print f.rheobase").stream("stdout").strip() == "25"
    # the F-I curve is plotted
    assert any("image/png" in m["content"].get("data", {}) for m in r.outputs)


def test_nwb_loads_through_the_kernel(k, tmp_path):
    path = tmp_path / "allen.nwb"
    v = (np.linspace(-0.070, -0.060, 400)).astype(np.float32)      # volts
    i = np.where(np.arange(400) > 100, 100e-12, 0.0).astype(np.float32)   # amperes
    write_allen(str(path), [allen_sweep(5, v, i, rate=20000.0)])
    r = ok(k, f'nrec = load "{path}"\nnrec')
    j = r.neurodyn("recording")
    assert j["sweeps"] == 1
    names, a = saved_sweep(k, tmp_path, "s = sweep nrec 1")
    np.testing.assert_allclose(a[:, names.index("V")], v.astype(np.float64) * 1e3, rtol=1e-12)
    np.testing.assert_allclose(a[:, names.index("I")], i.astype(np.float64) * 1e12, rtol=1e-6)


def test_tables_with_units_and_chosen_columns(k, tmp_path):
    path = tmp_path / "lab.tsv"
    t = np.arange(5) * 1e-4                       # s
    vm = -0.065 + 0.001 * np.arange(5)            # V
    iinj = np.array([0, 0, 50, 50, 50.0])         # pA
    rows = "\n".join(f"{a!r}\t{b!r}\t{c!r}\t7" for a, b, c in zip(t, vm, iinj))
    path.write_text("time [s]\tVm [V]\tIinj [pA]\tjunk\n" + rows + "\n")
    r = ok(k, f'lab = load "{path}" columns=[time, "V=Vm", "I=Iinj"] capacitance=50\nlab')
    text = r.text
    assert "V, I" in text.splitlines()[0]
    names, a = saved_sweep(k, tmp_path, "s = lab")
    assert names == ["time", "V", "I"]
    np.testing.assert_allclose(a[:, 0], t * 1e3, rtol=1e-12)
    np.testing.assert_allclose(a[:, 1], vm * 1e3, rtol=1e-12)
    # 50 pF → 5e-5 cm²; 50 pA = 5e-5 µA → 1 µA/cm²
    np.testing.assert_allclose(a[:, 2], iinj / 50.0, rtol=1e-12)
    # time= states what the header does not
    plain = tmp_path / "plain.csv"
    plain.write_text("t,V\n0,1\n0.5,2\n")
    names, a = saved_sweep(k, tmp_path, f's = load "{plain}" time=s')
    assert list(a[:, 0]) == [0.0, 500.0]
    assert "no column 'Vmem'" in fails(k, f'load "{path}" columns=[time, Vmem]')


def test_bad_files_are_named_and_the_workspace_stays(k, tmp_path):
    ok(k, f'rec = load "{FSI}"')
    blob = tmp_path / "blob.csv"
    blob.write_bytes(bytes(range(256)) * 4)
    msg = fails(k, f'load "{blob}"')
    assert "binary file of unknown format" in msg and "ABF" in msg
    cut = tmp_path / "cut.abf"
    cut.write_bytes(open(FSI, "rb").read()[:3000])
    assert "ABF" in fails(k, f'x = load "{cut}"')
    import h5py
    with h5py.File(tmp_path / "plain.h5", "w") as f:
        f.create_dataset("x", data=np.arange(3))
    assert "NWB" in fails(k, f'load "{tmp_path / "plain.h5"}"')
    assert "converts a table" in fails(k, f'load "{FSI}" time=s')
    assert "expects a recording" in fails(k, "sweep 3 1")
    # nothing was lost
    assert ok(k, "print rec.sweeps[2].sweep").stream("stdout").strip() == "2"
