"""nd_nwb_load (lib/data/nwb.h) on NWB files written here with h5py after the NWB 2 schema
and the Allen Cell Types NWB 1 layout (tests/python/nwb_fixture.py). The expected samples
are computed in this file from the stored raw values and attributes, as the schema defines
them: value in the base unit = data × conversion + offset, then volts → mV and amperes → pA;
times from starting_time and its rate, or from the timestamps."""
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

from nwb_fixture import allen_sweep, library, load, series_spec, write_allen, write_nwb2

ND_EVALUE, ND_EIO = 3, 5

LIB = library()


def f32(x):
    """An attribute written as float32, as the schema types conversion, offset and rate."""
    return float(np.float32(x))


def expect(raw, conversion=1.0, offset=0.0, to_unit=1e3):
    return (raw.astype(np.float64) * f32(conversion) + f32(offset)) * to_unit


def assert_values(got, want):
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


# ---- NWB 2, current clamp, paired by the icephys table ----

RNG = np.random.default_rng(14)
RAW = {
    "ccs_b": RNG.integers(-3000, 3000, 400).astype(np.int16),       # counts, 10 µV each
    "ccs_a": (-0.07 + 0.01 * RNG.standard_normal(300)).astype(np.float32),   # volts
    "ccs_c": (-65 + 5 * RNG.standard_normal(500)).astype(np.float64),        # mV
    "izero_d": (-0.068 + 0.001 * RNG.standard_normal(200)).astype(np.float32),
    "stim_b": RNG.integers(-200, 200, 400).astype(np.int32),          # pA
    "stim_a": np.where(np.arange(300) > 100, 1.5e-10, 0.0),          # amperes
    "stim_c": np.where(np.arange(500) > 50, -40.0, 0.0).astype(np.float32),   # pA
}


@pytest.fixture(scope="module")
def table_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("nwb") / "table.nwb"
    responses = {
        "ccs_b": series_spec("CurrentClampSeries", 7, RAW["ccs_b"], conversion=1e-5,
                             offset=-0.065, resolution=1e-5, desc="Ramp_DA_0"),
        "ccs_a": series_spec("CurrentClampSeries", 3, RAW["ccs_a"], rate=10000.0, start=1.5,
                             desc="LongSquare_DA_0"),
        "ccs_c": series_spec("CurrentClampSeries", 5, RAW["ccs_c"], conversion=1e-3, start=3.0),
        "izero_d": series_spec("IZeroClampSeries", 9, RAW["izero_d"], start=9.0, desc="N/A"),
    }
    # the stimuli's sweep numbers are swapped on purpose: only the table pairs them right
    stimuli = {
        "stim_b": series_spec("CurrentClampStimulusSeries", 3, RAW["stim_b"],
                              conversion=1e-12),
        "stim_a": series_spec("CurrentClampStimulusSeries", 7, RAW["stim_a"], rate=10000.0,
                              start=1.5),
        "stim_c": series_spec("CurrentClampStimulusSeries", 5, RAW["stim_c"],
                              conversion=1e-12, start=3.0),
    }
    table = [("ccs_b", (0, 400), "stim_b", (0, 400)), ("ccs_a", (0, 300), "stim_a", (0, 300)),
             ("ccs_c", (10, 480), "stim_c", (10, 480)), ("izero_d", (0, 200), None, None)]
    write_nwb2(path, responses, stimuli, version="2.5.0", table=table)
    return path


def test_nwb2_table_pairs_sorts_and_converts(table_file):
    rec, err = load(LIB, table_file)
    assert err is None, err
    assert rec["format"] == "nwb 2.5.0"
    assert rec["channels"] == [("V", "mV", "recorded"), ("I", "pA", "command")]
    assert [len(s["data"][0]) for s in rec["sweeps"]] == [300, 480, 400, 200]
    s3, s5, s7, s9 = rec["sweeps"]
    # sweep 3: float32 volts, 10 kHz from 1.5 s
    assert s3["t0"] == pytest.approx(1500.0) and s3["dt"] == pytest.approx(0.1)
    assert_values(s3["data"][0], expect(RAW["ccs_a"]))
    assert_values(s3["data"][1], RAW["stim_a"] * 1e12)
    # sweep 5: mV stored with conversion 1e-3, the table's window [10, 490)
    assert s5["t0"] == pytest.approx(3000.0 + 10 * 0.05) and s5["dt"] == pytest.approx(0.05)
    assert_values(s5["data"][0], expect(RAW["ccs_c"][10:490], 1e-3))
    assert_values(s5["data"][1], expect(RAW["stim_c"][10:490], 1e-12, 0.0, 1e12))
    # sweep 7: int16 counts × 1e-5 V − 65 mV offset
    assert_values(s7["data"][0], expect(RAW["ccs_b"], 1e-5, -0.065))
    assert s7["data"][0].min() > -95 and s7["data"][0].max() < -35    # −65 ± 30 mV
    assert_values(s7["data"][1], expect(RAW["stim_b"], 1e-12, 0.0, 1e12))
    # sweep 9: I = 0 mode, no stimulus reaches the cell
    assert s9["t0"] == pytest.approx(9000.0)
    assert_values(s9["data"][0], expect(RAW["izero_d"]))
    assert not s9["data"][1].any()


def test_nwb2_metadata(table_file):
    meta = load(LIB, table_file)[0]["meta"]
    assert meta["format"] == "nwb 2.5.0"
    assert meta["clamp"] == "current"
    assert meta["sweep_numbers"] == "3 5 7 9"
    assert "skipped_sweeps" not in meta
    assert meta["session_start_time"] == "2024-03-05T10:20:30+01:00"
    assert meta["identifier"] == "nd-test-table.nwb"
    assert meta["stimulus_description"] == "LongSquare_DA_0"     # sweep 3's, the first
    assert meta["file"] == "table.nwb"      # without folders, as for ABF files
    assert "V_resolution" not in meta                            # sweep 3 says −1: unknown


# ---- NWB 2, voltage clamp, paired by sweep_number ----

VC = {
    "vcs_0": RNG.integers(-20000, 20000, 256).astype(np.int16),     # counts of 0.5 pA
    "vcs_1": RNG.integers(-10 ** 6, 10 ** 6, 128).astype(np.int32),  # counts of 0.1 pA
    "izero": np.full(64, -0.07, np.float32),
    "vstim_0": np.where(np.arange(256) > 30, -0.04, -0.07).astype(np.float32),   # volts
    "vstim_1": np.linspace(-0.1, 0.05, 128),                                      # volts
}
T1 = 0.25 + np.arange(128) / 50000.0


@pytest.fixture(scope="module")
def numbered_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("nwb") / "numbered.nwb"
    write_nwb2(path, {
        "vcs_0": series_spec("VoltageClampSeries", 2, VC["vcs_0"], conversion=5e-13,
                             offset=1e-11, rate=25000.0, start=4.0, desc="SealTest"),
        "vcs_1": series_spec("VoltageClampSeries", 1, VC["vcs_1"], conversion=1e-13,
                             timestamps=T1, desc="Ramp"),
        "izero": series_spec("IZeroClampSeries", 4, VC["izero"]),
    }, {
        "vstim_0": series_spec("VoltageClampStimulusSeries", 2, VC["vstim_0"], rate=25000.0,
                               start=4.0),
        "vstim_1": series_spec("VoltageClampStimulusSeries", 1, VC["vstim_1"],
                               timestamps=T1),
    }, version="2.4.0")
    return path


def test_nwb2_voltage_clamp_by_sweep_number(numbered_file):
    rec, err = load(LIB, numbered_file)
    assert err is None, err
    assert rec["channels"] == [("V", "mV", "command"), ("I", "pA", "recorded")]
    meta = rec["meta"]
    assert (meta["clamp"], meta["sweep_numbers"], meta["skipped_sweeps"]) == \
        ("voltage", "1 2", "4")            # the lone I = 0 sweep is of the other clamp
    assert meta["format"] == "nwb 2.4.0"
    assert meta["stimulus_description"] == "Ramp"
    s1, s2 = rec["sweeps"]
    # sweep 1: equally spaced timestamps give t0 and dt
    assert s1["t0"] == pytest.approx(250.0) and s1["dt"] == pytest.approx(0.02)
    assert_values(s1["data"][1], expect(VC["vcs_1"], 1e-13, 0.0, 1e12))
    assert_values(s1["data"][0], VC["vstim_1"] * 1e3)
    # sweep 2: int16 × 0.5 pA + 10 pA
    assert s2["t0"] == pytest.approx(4000.0) and s2["dt"] == pytest.approx(0.04)
    assert_values(s2["data"][1], expect(VC["vcs_0"], 5e-13, 1e-11, 1e12))
    assert_values(s2["data"][0], expect(VC["vstim_0"]))


# ---- NWB 1, the Allen Cell Types layout ----

def allen_sweeps():
    rng = np.random.default_rng(7)
    v9 = (-0.07 + 0.002 * rng.standard_normal(1000)).astype(np.float32)     # volts
    v10 = (-70 + 2 * rng.standard_normal(800)).astype(np.float32)           # mV, conv 1e-3
    v100 = (-0.075 + 0.002 * rng.standard_normal(1200)).astype(np.float32)
    i9 = np.where(np.arange(1000) > 200, 1.1e-10, 0.0)                      # amperes
    i10 = np.where(np.arange(800) > 100, -30.0, 0.0)                        # pA, conv 1e-12
    i100 = np.where(np.arange(1200) > 300, 2.5e-10, 0.0)
    # written in the order 10, 100, 9: the reader sorts by number
    return [allen_sweep(10, v10, i10, 1e-3, 1e-12, start=20.0, name=b"Short Square"),
            allen_sweep(100, v100, i100, start=300.0, rate=50000.0, name=b"Ramp"),
            allen_sweep(9, v9, i9, start=10.0)]


def test_allen_nwb1_layout(tmp_path):
    path = tmp_path / "ephys.nwb"
    sweeps = allen_sweeps()
    write_allen(path, sweeps, pipeline_version="1.1")
    rec, err = load(LIB, path)
    assert err is None, err
    assert rec["format"] == "nwb 1 (allen)"
    assert rec["channels"] == [("V", "mV", "recorded"), ("I", "pA", "command")]
    meta = rec["meta"]
    assert meta["sweep_numbers"] == "9 10 100"
    assert meta["clamp"] == "current"
    assert meta["stimulus_description"] == "Long Square_DA_0"
    assert meta["allen_pipeline_version"] == "1.1"
    assert meta["identifier"] == "Allen Institute ephys 474626524"
    assert meta["session_start_time"] == "Thu Jan 21 12:58:14 2016"
    by = {s["number"]: s for s in sweeps}
    for got, n in zip(rec["sweeps"], (9, 10, 100)):
        s = by[n]
        assert got["t0"] == pytest.approx(s["start"] * 1e3)
        assert got["dt"] == pytest.approx(1e3 / s["rate"])
        assert_values(got["data"][0], expect(s["voltage"], s["v_conversion"]))
        assert_values(got["data"][1], expect(s["current"], s["i_conversion"], 0.0, 1e12))
    assert rec["sweeps"][1]["data"][0].mean() == pytest.approx(-70, abs=0.5)   # mV, not kV


def test_allen_before_pipeline_1_1_ignores_conversion(tmp_path):
    """Files of the Allen pipeline before 1.1 hold SI values and a wrong conversion."""
    path = tmp_path / "old.nwb"
    v = np.full(50, -0.07, np.float32)
    write_allen(path, [allen_sweep(3, v, np.full(50, 1e-10), v_conversion=1e-3,
                                   i_conversion=1e-3)], pipeline_version=None)
    rec, err = load(LIB, path)
    assert err is None, err
    assert "allen_pipeline_version" not in rec["meta"]
    assert_values(rec["sweeps"][0]["data"][0], v.astype(np.float64) * 1e3)   # ≈ −70 mV
    assert_values(rec["sweeps"][0]["data"][1], np.full(50, 100.0))           # 100 pA


# ---- errors ----

def load_error(path):
    rec, err = load(LIB, path)
    assert rec is None, "loaded a bad file"
    return err


def mutated(src, dst, change):
    dst.write_bytes(src.read_bytes())
    with h5py.File(dst, "r+") as f:
        change(f)
    return dst


def test_missing_and_non_hdf5_files(tmp_path):
    assert "cannot open" in load_error(tmp_path / "absent.nwb")
    text = tmp_path / "notes.nwb"
    text.write_text("not hdf5\n" * 100)
    assert "not an HDF5 file" in load_error(text)


def test_hdf5_that_is_not_nwb(tmp_path):
    path = tmp_path / "plain.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("x", data=np.arange(10))
    assert "not NWB" in load_error(path)


def test_series_without_data_or_rate(numbered_file, tmp_path):
    def no_data(f):
        del f["acquisition/vcs_0/data"]
    assert "series acquisition/vcs_0 has no data" in \
        load_error(mutated(numbered_file, tmp_path / "a.nwb", no_data))

    def no_rate(f):
        del f["acquisition/vcs_0/starting_time"].attrs["rate"]
    assert "acquisition/vcs_0: starting_time has no rate" in \
        load_error(mutated(numbered_file, tmp_path / "b.nwb", no_rate))

    def no_times(f):
        del f["acquisition/vcs_0/starting_time"]
    assert "series acquisition/vcs_0 has no rate" in \
        load_error(mutated(numbered_file, tmp_path / "c.nwb", no_times))


def test_stimulus_length_differs(numbered_file, tmp_path):
    def shorten(f):
        del f["stimulus/presentation/vstim_0/data"]
        d = f["stimulus/presentation/vstim_0"].create_dataset("data", data=VC["vstim_0"][:-1])
        d.attrs["unit"] = "volts"
    msg = load_error(mutated(numbered_file, tmp_path / "d.nwb", shorten))
    assert "stimulus/presentation/vstim_0 has 255 samples" in msg
    assert "acquisition/vcs_0 256" in msg


def test_unequal_timestamps_are_refused(numbered_file, tmp_path):
    def jitter(f):
        t = f["acquisition/vcs_1/timestamps"]
        t[5] = t[5] + 0.3 / 50000.0
    assert "not equally spaced" in load_error(mutated(numbered_file, tmp_path / "e.nwb", jitter))


def test_no_sweep_number_and_no_table(tmp_path):
    path = tmp_path / "f.nwb"
    write_nwb2(path, {"ccs": series_spec("CurrentClampSeries", 0, RAW["ccs_a"])},
               {"stim": series_spec("CurrentClampStimulusSeries", 0, RAW["stim_a"])},
               numbered=False)
    assert "has no sweep_number" in load_error(path)


def test_wrong_unit_and_empty_files(numbered_file, tmp_path):
    def furlongs(f):
        f["acquisition/vcs_0/data"].attrs["unit"] = "furlongs"
    assert "unit 'furlongs' is neither a potential" in \
        load_error(mutated(numbered_file, tmp_path / "g.nwb", furlongs))
    empty = tmp_path / "empty.nwb"
    write_nwb2(empty, {}, {})
    assert "no patch-clamp sweep" in load_error(empty)


def test_nwb1_without_the_allen_layout(tmp_path):
    path = tmp_path / "other1.nwb"
    with h5py.File(path, "w") as f:
        f.create_dataset("nwb_version", data=np.bytes_("NWB-1.0.5"))
        f.create_group("acquisition/timeseries/trace_1")
    assert "Allen Cell Types layout" in load_error(path)


def test_hdf5_prints_nothing_and_codes_are_right(tmp_path, numbered_file):
    """HDF5's own error printing is off while loading: a failed load prints nothing."""
    bad = tmp_path / "h.nwb"
    bad.write_bytes(numbered_file.read_bytes()[:3000])
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from nwb_fixture import library, load, NdError\n"
            "import ctypes\n"
            "lib = library()\n"
            "for p in sys.argv[1:]:\n"
            "    e = NdError()\n"
            "    assert not lib.nd_nwb_load(p.encode(), ctypes.byref(e))\n"
            "    print(e.code)\n") % os.path.dirname(os.path.abspath(__file__))
    text = tmp_path / "t.nwb"
    text.write_text("plain text")
    r = subprocess.run([sys.executable, "-c", code, str(bad), str(text)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.split() == [str(ND_EIO), str(ND_EIO)]


def test_two_dimensional_data_is_refused(numbered_file, tmp_path):
    def two_channels(f):
        g = f["acquisition/vcs_0"]
        unit = g["data"].attrs["unit"]
        del g["data"]
        g.create_dataset("data", data=np.zeros((256, 2), np.int16)).attrs["unit"] = unit
    assert "acquisition/vcs_0/data is not a non-empty vector" in \
        load_error(mutated(numbered_file, tmp_path / "i.nwb", two_channels))
