"""The ABF reader (lib/data/abf*.c) against neo (Debian's python3-neo, neo.io.AxonIO), an
independent reader of the same format, on every recording in data/recordings: samples of
every sweep and channel, channel names and units, sampling interval, sweep start times,
and the command waveform rebuilt from the epoch table. Called through ctypes on
build/libneurodyn.so (its nd_ API), no kernel involved."""
import ctypes
import glob
import os
import struct
import warnings

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SO = os.path.join(ROOT, "build", "libneurodyn.so")
FILES = sorted(glob.glob(os.path.join(ROOT, "data", "recordings", "*.abf")))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import neo
    from neo.rawio.axonrawio import AxonRawIO


class NdError(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("line", ctypes.c_int), ("col", ctypes.c_int),
                ("span", ctypes.c_int), ("msg", ctypes.c_char * 512)]


def _library():
    lib = ctypes.CDLL(SO)
    P, S, D, STR = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_double, ctypes.c_char_p
    signatures = {
        "nd_abf_load": (P, [STR, ctypes.POINTER(NdError)]),
        "nd_abf_read": (P, [ctypes.c_char_p, S, STR, ctypes.POINTER(NdError)]),
        "nd_rec_free": (None, [P]),
        "nd_rec_format": (STR, [P]),
        "nd_rec_channels": (S, [P]),
        "nd_rec_sweeps": (S, [P]),
        "nd_rec_channel_name": (STR, [P, S]),
        "nd_rec_channel_unit": (STR, [P, S]),
        "nd_rec_channel_kind": (ctypes.c_int, [P, S]),
        "nd_rec_sweep_len": (S, [P, S]),
        "nd_rec_sweep_t0": (D, [P, S]),
        "nd_rec_sweep_dt": (D, [P, S]),
        "nd_rec_data": (ctypes.POINTER(D), [P, S, S]),
        "nd_rec_meta": (STR, [P, STR]),
    }
    for name, (res, args) in signatures.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


LIB = _library()
RECORDED, COMMAND = 0, 1


class Recording:
    """The C recording of one file, read into Python values."""

    def __init__(self, path):
        err = NdError()
        rec = LIB.nd_abf_load(path.encode(), ctypes.byref(err))
        assert rec, err.msg.decode()
        try:
            nc = LIB.nd_rec_channels(rec)
            self.format = LIB.nd_rec_format(rec).decode()
            self.names = [LIB.nd_rec_channel_name(rec, c).decode() for c in range(nc)]
            self.units = [(LIB.nd_rec_channel_unit(rec, c) or b"").decode() for c in range(nc)]
            self.kinds = [LIB.nd_rec_channel_kind(rec, c) for c in range(nc)]
            self.t0, self.dt, self.data = [], [], []
            for s in range(LIB.nd_rec_sweeps(rec)):
                n = LIB.nd_rec_sweep_len(rec, s)
                self.t0.append(LIB.nd_rec_sweep_t0(rec, s))
                self.dt.append(LIB.nd_rec_sweep_dt(rec, s))
                self.data.append([np.ctypeslib.as_array(LIB.nd_rec_data(rec, s, c), (n,)).copy()
                                  for c in range(nc)])
            self.meta = {k: (LIB.nd_rec_meta(rec, k.encode()) or b"").decode() or None
                         for k in ("format", "file", "protocol", "clamp", "date", "mode",
                                   "command_omitted")}
        finally:
            LIB.nd_rec_free(rec)

    def channels(self, kind):
        return [c for c, k in enumerate(self.kinds) if k == kind]


def _neo(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        io = neo.io.AxonIO(path)
        block = io.read_block(signal_group_mode="split-all")
    return io, block


@pytest.fixture(scope="module", params=FILES, ids=os.path.basename)
def pair(request):
    io, block = _neo(request.param)
    return request.param, Recording(request.param), io, block


def test_the_four_shared_recordings_are_there():
    assert len(FILES) == 4


def test_samples_equal_neos_scaling(pair):
    """neo scales raw int16 samples in two steps, raw.astype(float32) * gain then + offset,
    each product computed in float64 and rounded to float32 (rescale_signal_raw_to_float).
    The C reader computes raw * gain + offset in double with the same gain and offset. So
    (1) against neo's own raw samples and channel gain/offset evaluated in float64 the C
    values must be bit-for-bit equal, and (2) against neo's float32 signals they may differ
    only by neo's two float32 roundings, each at most half a float32 spacing: of raw * gain,
    then of the sum with the offset."""
    path, rec, io, block = pair
    chans = io.header["signal_channels"]
    recorded = rec.channels(RECORDED)
    assert len(block.segments) == len(rec.data)
    for s, seg in enumerate(block.segments):
        raw = io.get_analogsignal_chunk(0, s, None, None, 0, None)
        assert len(seg.analogsignals) == len(recorded)
        for k, c in enumerate(recorded):
            ours = rec.data[s][c]
            exact = raw[:, k].astype(np.float64) * chans["gain"][k] + chans["offset"][k]
            assert np.array_equal(ours, exact), (s, k)
            theirs = seg.analogsignals[k].magnitude[:, 0].astype(np.float64)
            product = raw[:, k].astype(np.float64) * chans["gain"][k]
            half = lambda x: np.spacing(np.abs(x).astype(np.float32)).astype(np.float64) / 2
            assert np.all(np.abs(ours - theirs) <= half(product) + half(theirs)), (s, k)


def test_names_units_interval_and_sweep_starts(pair):
    path, rec, io, block = pair
    recorded = rec.channels(RECORDED)
    for s, seg in enumerate(block.segments):
        for k, c in enumerate(recorded):
            sig = seg.analogsignals[k]
            assert rec.names[c] == sig.name
            assert rec.units[c] == sig.units.dimensionality.string
        # neo: seconds from 1/sampling_rate and synch-array starts; here ms
        assert rec.dt[s] == pytest.approx(1000.0 / float(seg.analogsignals[0].sampling_rate),
                                          rel=1e-12)
        assert rec.t0[s] == pytest.approx(1000.0 * float(seg.t_start), rel=1e-12, abs=1e-9)
        assert len(rec.data[s][0]) == seg.analogsignals[0].shape[0]


def test_step_commands_equal_neos_read_raw_protocol(pair):
    """neo rebuilds every epoch as a step (fEpochInitLevel + fEpochLevelInc * sweep over
    lEpochInitDuration + lEpochDurationInc * sweep samples after a first holding of 1/64 of
    the sweep) and always returns to the holding level. Where the protocol is only steps
    and the DAC does not keep its last level, the C command must equal neo's exactly."""
    path, rec, io, block = pair
    info = io._axon_info
    commands = rec.channels(COMMAND)
    if info["fFileVersionNumber"] < 2:
        return   # neo does not rebuild ABF1 protocols (the ABF1 file's command is omitted)
    sigs, names, units = io.read_raw_protocol()
    compared = 0
    for c in commands:
        d = names.index(rec.names[c])
        assert rec.units[c] == units[d]
        epochs = info["dictEpochInfoPerDAC"][d].values()
        steps_only = all(e["nEpochType"] == 1 for e in epochs)
        if not steps_only or info["listDACInfo"][d]["nInterEpisodeLevel"]:
            continue   # ramps and kept levels: test_ramp_command
        for s in range(len(rec.data)):
            assert np.array_equal(rec.data[s][c], sigs[s][d]), s
        compared += 1
    assert compared == (1 if "fsi" in os.path.basename(path) else 0)


def _expected_command(info, d, nsweeps, n):
    """The command waveform as pyABF's documentation describes Clampex's epochs (written
    here from that description, independently of the C code): a first holding of n // 64
    samples, Off epochs skipped, steps, ramps as numpy.linspace from the previous level to
    the epoch's level, and with nInterEpisodeLevel the last level held after the epochs and
    into the next sweep's first holding."""
    dac = info["listDACInfo"][d]
    epochs = [e for _, e in sorted(info["dictEpochInfoPerDAC"][d].items())
              if e["nEpochType"] != 0]
    carry, out = dac["fDACHoldingLevel"], []
    for s in range(nsweeps):
        y = np.full(n, np.nan)
        pre = n // 64
        y[:pre] = carry
        pos, before, last = pre, carry, dac["fDACHoldingLevel"]
        for e in epochs:
            dur = e["lEpochInitDuration"] + e["lEpochDurationInc"] * s
            level = e["fEpochInitLevel"] + e["fEpochLevelInc"] * s
            if e["nEpochType"] == 1:
                y[pos:pos + dur] = level
            else:
                assert e["nEpochType"] == 2
                y[pos:pos + dur] = np.linspace(before, level, dur)
            pos, before, last = pos + dur, level, level
        carry = last if dac["nInterEpisodeLevel"] else dac["fDACHoldingLevel"]
        y[pos:] = carry
        out.append(y)
    return out


def test_ramp_command():
    """The ramp file's epoch A is a ramp (type 2) of 19300 samples to 0 pA + 10 pA per sweep,
    and its DAC keeps the last level between sweeps. neo draws the ramp as a step, so the
    C command equals neo's only outside the ramp and its held tail; inside, it equals the
    linear ramp of pyABF's description."""
    path = os.path.join(ROOT, "data", "recordings", "17o05027_ic_ramp.abf")
    rec = Recording(path)
    io, _ = _neo(path)
    info = io._axon_info
    sigs, names, _ = io.read_raw_protocol()
    [c] = rec.channels(COMMAND)
    d = names.index(rec.names[c])
    n = len(rec.data[0][c])
    expected = _expected_command(info, d, len(rec.data), n)
    pre, dur = n // 64, 19300
    for s in range(len(rec.data)):
        cmd = rec.data[s][c]
        assert np.allclose(cmd, expected[s], rtol=0, atol=1e-12), s
        assert np.array_equal(cmd[:pre], sigs[s][d][:pre])
        # the facts: the ramp starts at the previous level (0) and ends at 10 * sweep pA
        assert cmd[pre] == 0.0 and cmd[pre + dur - 1] == 10.0 * s
        assert cmd[pre + dur // 2] == pytest.approx(10.0 * s * (dur // 2) / (dur - 1), abs=1e-9)
        assert np.all(cmd[pre + dur:] == 10.0 * s)   # the DAC keeps its last level


def test_fsi_facts():
    """The FSI recording (README): 17 sweeps of 3 s at 20 kHz, one channel in mV, the
    command steps from -100 to +300 pA by 25 pA in epoch B."""
    path = os.path.join(ROOT, "data", "recordings", "2019_07_24_0055_fsi.abf")
    rec = Recording(path)
    assert rec.format == "abf 2.6"
    assert len(rec.data) == 17 and all(len(sw[0]) == 60000 for sw in rec.data)
    assert rec.dt[0] == pytest.approx(0.05)            # 20 kHz
    assert rec.t0[:3] == pytest.approx([0, 3000, 6000])
    assert rec.names == ["IN0", "Cmd 0"] and rec.units == ["mV", "pA"]
    assert rec.kinds == [RECORDED, COMMAND]
    # epoch A (2000 samples at 0 pA) follows the first holding of 60000 / 64 samples
    b_start = 60000 // 64 + 2000
    levels = [rec.data[s][1][b_start + 5000] for s in range(17)]
    assert levels == list(np.arange(-100.0, 301.0, 25.0))
    assert rec.data[16][1][b_start - 1] == 0.0 and rec.data[16][1][b_start + 10000] == 0.0
    assert rec.meta["protocol"] == "0113 AP gain [-100 to 300]"
    assert rec.meta["clamp"] == "current"
    assert rec.meta["date"] == "2019-07-24T16:40:57.927"
    assert rec.meta["file"] == "2019_07_24_0055_fsi.abf"
    # the cell follows the command: hyperpolarised by -100 pA in sweep 0's epoch B, firing
    # many action potentials (upward crossings of 0 mV) at +300 pA in sweep 16's
    v0, v16 = rec.data[0][0], rec.data[16][0]
    assert v0[b_start:b_start + 10000].mean() < v0[b_start - 2000:b_start].mean() - 5
    b16 = v16[b_start:b_start + 10000]
    assert np.sum((b16[1:] >= 0) & (b16[:-1] < 0)) >= 10


def test_abf1_facts():
    """The ABF1 file: version 1.84, two channels Imemb (nA) and 10_Vm (mV) at 25 kHz for 10 s;
    the recording date from the header's lFileStartDate/lFileStartTime (read here with
    struct), and its DAC's pulse train, which ABF1 cannot describe, is reported as omitted."""
    path = os.path.join(ROOT, "data", "recordings", "18425108_abf1.abf")
    rec = Recording(path)
    raw = open(path, "rb").read()
    date, seconds = struct.unpack_from("<ii", raw, 20)
    ms = struct.unpack_from("<h", raw, 366)[0]
    assert rec.format == "abf 1.84"
    assert rec.names == ["Imemb", "10_Vm"] and rec.units == ["nA", "mV"]
    assert len(rec.data) == 1 and len(rec.data[0][0]) == 250000
    assert rec.dt[0] == pytest.approx(0.04)
    assert rec.meta["date"] == "%04d-%02d-%02dT%02d:%02d:%02d.%03d" % (
        date // 10000, date // 100 % 100, date % 100, seconds // 3600, seconds // 60 % 60,
        seconds % 60, ms)
    assert "pulse train" in rec.meta["command_omitted"]
    assert rec.channels(COMMAND) == []
    # about 20 action potentials: upward crossings of 0 mV
    v = rec.data[0][1]
    crossings = np.sum((v[1:] >= 0) & (v[:-1] < 0))
    assert 10 <= crossings <= 30, crossings


def test_voltage_clamp_facts():
    path = os.path.join(ROOT, "data", "recordings", "2020_06_16_0000.abf")
    rec = Recording(path)
    assert rec.format == "abf 2.3" and rec.meta["clamp"] == "voltage"
    assert rec.units == ["pA"] and len(rec.data) == 3 and rec.dt[0] == pytest.approx(0.1)


def test_truncated_and_foreign_files_give_errors():
    raw = open(os.path.join(ROOT, "data", "recordings", "2019_07_24_0055_fsi.abf"), "rb").read()
    err = NdError()
    for cut in (0, 3, 100, 5000, 100000, 2047000):
        assert not LIB.nd_abf_read(raw[:cut], cut, b"fsi.abf", ctypes.byref(err)), cut
        assert err.msg.startswith(b"fsi.abf: "), err.msg
        if cut >= 5000:
            assert b"runs past the end of the %d-byte file" % cut in err.msg, err.msg
    assert not LIB.nd_abf_read(b"PK\x03\x04" + raw[4:], len(raw), b"x", ctypes.byref(err))
    assert b"not an Axon Binary Format file" in err.msg
    assert not LIB.nd_abf_load(b"/nonexistent/x.abf", ctypes.byref(err))
    assert b"cannot open" in err.msg
