"""Electrophysiology features (lib/analysis/ephys.h, docs/features.md) of a real recording,
a fast-spiking interneuron's current steps (data/recordings/2019_07_24_0055_fsi.abf), from
the C library through ctypes against an independent NumPy implementation of the same
definitions (ipfx's, Gouwens et al. 2019), with SciPy's curve_fit for the time constant.

The file is read by neo (not by neurodyn) and the stimulus comes from neo's reading of the
protocol's epoch table: 17 sweeps of 3 s at 20 kHz; the step of interest is epoch B,
samples 2937..12937 (146.85..646.85 ms), at -100 + 25 k pA in sweep k.

Tolerances: spikes are samples (threshold, peak, trough are the values at sample indices
both sides choose by the same rule), so they agree to rounding (1e-9); the half-width is
a difference of two linear interpolations (1e-9 ms); Rin, sag, rate and the F-I slope are
means and least-squares lines of the same samples (1e-9 relative); tau comes from two
different least-squares methods (a grid, Brent's method and a parabola on log tau in C,
Levenberg-Marquardt in curve_fit, stopping at relative changes of 1.5e-8), so 1e-4
relative."""
import ctypes as C
import math
import os

import numpy as np
import pytest
from scipy.optimize import curve_fit

neo = pytest.importorskip("neo")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SO = os.path.join(ROOT, "build", "libneurodyn.so")
ABF = os.path.join(ROOT, "data", "recordings", "2019_07_24_0055_fsi.abf")

D, P = C.c_double, C.POINTER(C.c_double)


def doubles(names):
    return [(n, D) for n in names.split()]


class Options(C.Structure):
    _fields_ = doubles("dv_cutoff thresh_frac min_height min_peak max_interval clip_tol "
                       "baseline_ms steady_ms peak_ms tau_frac")


class Trace(C.Structure):
    _fields_ = [("t", P), ("v", P), ("i", P), ("n_t", C.c_size_t), ("n_v", C.c_size_t),
                ("n_i", C.c_size_t)] + doubles("start end amplitude")


class Spike(C.Structure):
    _fields_ = doubles("threshold_t threshold_v peak_t peak_v upstroke amplitude half_width "
                       "trough_t trough_v ahp_depth") + [("clipped", C.c_int),
                                                           ("threshold_lost", C.c_int)]


class Sweep(C.Structure):
    _fields_ = doubles("start end amplitude") + [
        ("n_spikes", C.c_size_t), ("spikes", C.POINTER(Spike))] + doubles(
        "rate latency isi_mean isi_cv adaptation baseline v_min t_min steady sag tau")


class Cell(C.Structure):
    _fields_ = [("n", C.c_size_t), ("amplitude", P), ("rate", P)] + doubles(
        "rheobase fi_slope input_resistance tau sag sag_amplitude") + [
        ("n_hyper", C.c_size_t), ("notes", C.c_char * 512)]


class Error(C.Structure):
    _fields_ = [("code", C.c_int), ("line", C.c_int), ("col", C.c_int), ("span", C.c_int),
                ("msg", C.c_char * 512)]


DT = 0.05                     # ms, 20 kHz
START, END = 2937 * DT, 12937 * DT


@pytest.fixture(scope="module")
def lib():
    so = C.CDLL(SO)
    so.nd_ephys_sweep_analyze.argtypes = [C.POINTER(Trace), C.POINTER(Options),
                                          C.POINTER(Sweep), C.POINTER(Error)]
    so.nd_ephys_cell_analyze.argtypes = [C.POINTER(Sweep), C.c_size_t, C.POINTER(Cell),
                                         C.POINTER(Error)]
    so.nd_ephys_sweep_clear.argtypes = [C.POINTER(Sweep)]
    so.nd_ephys_cell_clear.argtypes = [C.POINTER(Cell)]
    so.nd_ephys_stimulus.argtypes = [P, P, C.c_size_t, C.POINTER(D * 4), C.POINTER(Error)]
    return so


@pytest.fixture(scope="module")
def fsi():
    """(t, v, i) of each sweep: t in ms, v in mV, i in pA, as neo reads them."""
    io = neo.io.AxonIO(ABF)
    block = io.read_block()
    command = io.read_raw_protocol()[0]
    sweeps = []
    for k, seg in enumerate(block.segments):
        v = np.ascontiguousarray(np.asarray(seg.analogsignals[0], dtype=float).ravel())
        i = np.ascontiguousarray(np.asarray(command[k][0], dtype=float).ravel())
        t = np.arange(v.size) * DT
        sweeps.append((t, v, i))
    return sweeps


def ptr(a):
    return a.ctypes.data_as(P)


def c_sweep(lib, t, v, i, start=math.nan, end=math.nan):
    out, err = Sweep(), Error()
    tr = Trace(ptr(t), ptr(v), ptr(i), t.size, v.size, i.size, start, end, math.nan)
    assert lib.nd_ephys_sweep_analyze(C.byref(tr), None, C.byref(out), C.byref(err)) == 0, \
        err.msg
    return out


@pytest.fixture(scope="module")
def c_results(lib, fsi):
    sweeps = (Sweep * len(fsi))()
    for k, (t, v, i) in enumerate(fsi):
        sweeps[k] = c_sweep(lib, t, v, i, START, END)
    cell, err = Cell(), Error()
    assert lib.nd_ephys_cell_analyze(sweeps, len(fsi), C.byref(cell), C.byref(err)) == 0
    yield sweeps, cell
    for s in sweeps:
        lib.nd_ephys_sweep_clear(C.byref(s))
    lib.nd_ephys_cell_clear(C.byref(cell))


# ---- the reference: ipfx's definitions written again in NumPy ----

def at(t, x):
    """The sample nearest to time x (ipfx's find_time_index)."""
    return int(np.argmin(np.abs(t - x)))


def ref_spikes(t, v, start, end, cutoff=20.0, frac=0.05, min_height=2.0, min_peak=-30.0,
               max_interval=5.0, tol=1.0):
    """[threshold, peak, trough, lost] indexes of each spike (trough None when clipped;
    lost when dV/dt never fell to the criterion between the stimulus onset, or the previous
    upstroke, and the upstroke: the threshold index is then the upstroke's)."""
    dvdt = np.diff(v) / np.diff(t)
    a, b = at(t, start), at(t, end)
    window = dvdt[a:b] >= cutoff
    ups = list(np.flatnonzero(~window[:-1] & window[1:]) + a)
    # a later crossing counts only if dV/dt went negative after the one before it
    starts = ups[:1] + [u for p, u in zip(ups[:-1], ups[1:]) if np.any(dvdt[p:u] < 0)]
    bounds = starts[1:] + [b]
    peaks = [s + int(np.argmax(v[s:e])) for s, e in zip(starts, bounds)]
    # one spike with two surges: merge where dV/dt never reversed between peak and start
    reversed_ = [bool(np.any(dvdt[p:s] < 0)) for p, s in zip(peaks[:-1], starts[1:])]
    starts = [s for s, r in zip(starts, [True] + reversed_) if r]
    peaks = [p for p, r in zip(peaks, reversed_ + [True]) if r]
    ok = [v[p] >= min_peak and v[p] - v[s] >= min_height for s, p in zip(starts, peaks)]
    starts = [s for s, o in zip(starts, ok) if o]
    peaks = [p for p, o in zip(peaks, ok) if o]
    if not starts:
        return []
    upstrokes = [s + int(np.argmax(dvdt[s:p])) for s, p in zip(starts, peaks)]
    target = frac * np.mean(dvdt[upstrokes])
    thresholds, lost = [], []
    for j, u in enumerate(upstrokes):
        lo = upstrokes[j - 1] if j else a
        below = np.flatnonzero(dvdt[lo + 1:u + 1] <= target)
        thresholds.append(lo + 1 + int(below[-1]) if below.size else u)
        lost.append(not below.size)
    # overlapping pairs: the first threshold goes with the second peak
    over = [thresholds[j + 1] <= peaks[j] + 1 for j in range(len(peaks) - 1)]
    thresholds = [x for x, o in zip(thresholds, [False] + over) if not o]
    lost = [x for x, o in zip(lost, [False] + over) if not o]
    peaks = [x for x, o in zip(peaks, over + [False]) if not o]
    upstrokes = [x for x, o in zip(upstrokes, over + [False]) if not o]
    target = frac * np.mean(dvdt[upstrokes])
    spikes = []
    for j, (th, pk, u, gone) in enumerate(zip(thresholds, peaks, upstrokes, lost)):
        if t[pk] - t[th] >= max_interval:
            t0 = at(t, t[pk] - max_interval)
            below = np.flatnonzero(dvdt[t0 + 1:u + 1] <= target)
            if below.size:
                th = t0 + 1 + int(below[-1])
                gone = False
            else:
                t1 = at(t, t[th] + 2 * max_interval)
                pk2 = th + int(np.argmax(v[th:t1]))
                nxt = thresholds[j + 1] if j + 1 < len(thresholds) else None
                if t[pk2] - t[th] < max_interval and (nxt is None or t[pk2] < t[nxt]):
                    pk = pk2
                else:
                    continue
        spikes.append([th, pk, gone])
    for j, (th, pk, _) in enumerate(spikes):
        last = j + 1 == len(spikes)
        if last and not np.any(v[pk:b + 1] <= v[th] + tol):
            spikes[j].insert(2, None)      # clipped by the end of the window
        else:
            e = b if last else spikes[j + 1][0]
            spikes[j].insert(2, pk + int(np.argmin(v[pk:e])))
    return spikes


def ref_half_width(t, v, th, pk, tr):
    """Between the crossings of (threshold + peak) / 2, each interpolated on its segment."""
    level = 0.5 * (v[th] + v[pk])
    rise = th + int(np.flatnonzero(v[th:pk + 1] <= level)[-1])
    fall = pk + int(np.flatnonzero(v[pk:tr + 1] <= level)[0])
    t_rise = np.interp(level, v[rise:rise + 2], t[rise:rise + 2])
    t_fall = np.interp(level, v[fall - 1:fall + 1][::-1], t[fall - 1:fall + 1][::-1])
    return t_fall - t_rise


def ref_subthreshold(t, v, start, end):
    """(baseline, steady, sag, tau by curve_fit) of a hyperpolarising sweep."""
    a, b = at(t, start), at(t, end)
    baseline = v[at(t, start - 100):a].mean()
    base30 = v[at(t, start - 30):a].mean()
    steady = v[at(t, end - 30):b].mean()
    k_min = a + int(np.argmin(v[a:b]))
    trough = v[at(t, t[k_min] - 2.5):at(t, t[k_min] + 2.5)].mean()
    sag = (trough - steady) / (trough - base30)
    level = baseline + 0.1 * (v[k_min] - baseline)
    k0 = a + int(np.flatnonzero(v[a:] <= level)[0])
    x, y = t[k0:k_min] - t[k0], v[k0:k_min]
    popt, _ = curve_fit(lambda x, y0, amp, inv_tau: y0 + amp * np.exp(-inv_tau * x), x, y,
                        p0=(y[-1], y[0] - y[-1], 1 / 20.0))
    return baseline, steady, sag, 1 / popt[2]


def ref_sweep(t, v, i):
    amp = i[at(t, START):at(t, END)].mean() - i[0]
    spikes = ref_spikes(t, v, START, END)
    thr_t = np.array([t[s[0]] for s in spikes])
    isis = np.diff(thr_t)
    rate = 1000 * np.count_nonzero((thr_t >= START) & (thr_t <= END)) / (END - START)
    return amp, spikes, thr_t, isis, rate


# ---- the tests ----

def test_the_stimulus_window_is_the_protocols_step(lib, fsi):
    """The longest non-holding step found from the command alone: epoch B in sweep 16; in
    sweep 0, where epochs D and E are both -100 pA, the 1 s run they make."""
    for k, a, b, amp in ((16, 2937, 12937, 300), (0, 22937, 42937, -100)):
        t, _, i = fsi[k]
        w, err = (D * 4)(), Error()
        assert lib.nd_ephys_stimulus(ptr(t), ptr(i), t.size, C.byref(w), C.byref(err)) == 0
        assert w[0] == pytest.approx(t[a], abs=1e-9)
        assert w[1] == pytest.approx(t[b], abs=1e-9)
        assert w[2] == pytest.approx(amp, abs=1e-9)


def test_every_sweep_matches_the_reference(fsi, c_results):
    sweeps, _ = c_results
    fired = 0
    for k, (t, v, i) in enumerate(fsi):
        s = sweeps[k]
        amp, spikes, thr_t, isis, rate = ref_sweep(t, v, i)
        assert s.amplitude == pytest.approx(amp, abs=1e-9)
        assert s.amplitude == pytest.approx(-100 + 25 * k, abs=1e-9)
        assert s.n_spikes == len(spikes), k
        assert s.rate == pytest.approx(rate, rel=1e-9, abs=1e-12)
        for j, (th, pk, tr, gone) in enumerate(spikes):
            c = s.spikes[j]
            assert bool(c.threshold_lost) == gone
            assert c.threshold_t == pytest.approx(t[th], abs=1e-9)
            assert (c.peak_t, c.peak_v) == pytest.approx((t[pk], v[pk]), abs=1e-9)
            assert bool(c.clipped) == (tr is None)
            if gone:
                assert math.isnan(c.threshold_v) and math.isnan(c.amplitude)
                assert math.isnan(c.half_width) and math.isnan(c.ahp_depth)
                continue
            assert c.threshold_v == pytest.approx(v[th], abs=1e-9)
            assert c.amplitude == pytest.approx(v[pk] - v[th], abs=1e-9)
            if tr is not None:
                assert c.trough_v == pytest.approx(v[tr], abs=1e-9)
                assert c.ahp_depth == pytest.approx(v[th] - v[tr], abs=1e-9)
                assert c.half_width == pytest.approx(ref_half_width(t, v, th, pk, tr), abs=1e-9)
        if spikes and spikes[0][3]:
            fired += 1
            assert math.isnan(s.latency)    # the first spike rides the step's onset
        elif spikes:
            fired += 1
            assert s.latency == pytest.approx(thr_t[0] - START, abs=1e-9)
        else:
            assert math.isnan(s.latency)
        if len(isis) >= 1:
            assert s.isi_mean == pytest.approx(isis.mean(), rel=1e-9)
        if len(isis) >= 2:
            assert s.isi_cv == pytest.approx(isis.std(ddof=1) / isis.mean(), rel=1e-9)
            adapt = np.mean((isis[1:] - isis[:-1]) / (isis[1:] + isis[:-1]))
            assert s.adaptation == pytest.approx(adapt, rel=1e-9, abs=1e-12)
    # the recording has both sides: silent hyperpolarising steps and trains of spikes
    assert fired >= 12
    # every threshold reported is a spike's (fast-spiking interneurons: about -40 mV), never
    # the sample before a strong step's onset (-57 to -64 mV here), which the strongest
    # steps would give if the scan were allowed past the onset
    firsts = [sweeps[k].spikes[0] for k in range(len(fsi)) if sweeps[k].n_spikes]
    assert all(f.threshold_lost or -50 < f.threshold_v < -35 for f in firsts)
    assert sum(f.threshold_lost for f in firsts) >= 1
    assert max(s.n_spikes for s in sweeps) > 50


def test_subthreshold_features_match_the_reference(fsi, c_results):
    sweeps, _ = c_results
    for k in range(4):                      # -100, -75, -50, -25 pA
        t, v, _ = fsi[k]
        baseline, steady, sag, tau = ref_subthreshold(t, v, START, END)
        s = sweeps[k]
        assert s.n_spikes == 0
        assert s.baseline == pytest.approx(baseline, rel=1e-9)
        assert s.steady == pytest.approx(steady, rel=1e-9)
        assert s.sag == pytest.approx(sag, rel=1e-9)
        assert s.tau == pytest.approx(tau, rel=1e-4)


def test_cell_features_match_the_reference(fsi, c_results):
    _, cell = c_results
    refs = [ref_sweep(t, v, i) for t, v, i in fsi]
    amps = np.array([r[0] for r in refs])
    rates = np.array([r[4] for r in refs])
    counts = np.array([len(r[1]) for r in refs])
    # rheobase: the smallest positive step with a spike (the cell also fires at 0 pA,
    # spontaneously, which is no response to a stimulus)
    rheobase = amps[(amps > 0) & (counts > 0)].min()
    assert counts[amps == 0][0] > 0
    assert cell.rheobase == rheobase
    supra = amps >= rheobase
    assert cell.fi_slope == pytest.approx(np.polyfit(amps[supra], rates[supra], 1)[0],
                                          rel=1e-9)
    assert [cell.amplitude[k] for k in range(cell.n)] == sorted(amps)
    hyper = [k for k in range(len(fsi)) if amps[k] < 0 and counts[k] == 0]
    assert cell.n_hyper == len(hyper) == 4
    sub = [ref_subthreshold(*fsi[k][:2], START, END) for k in hyper]
    rin = 1000 * np.polyfit(amps[hyper], [s[1] for s in sub], 1)[0]
    assert cell.input_resistance == pytest.approx(rin, rel=1e-9)
    assert cell.tau == pytest.approx(np.mean([s[3] for s in sub]), rel=1e-4)
    most = int(np.argmin(amps[hyper]))
    assert cell.sag == pytest.approx(sub[most][2], rel=1e-9)
    assert cell.sag_amplitude == -100
    assert cell.notes == b""
    # plausible for a fast-spiking interneuron: steep F-I, short spikes
    assert 100 < cell.input_resistance < 500
    assert 5 < cell.tau < 50
    assert 0.1 < cell.fi_slope < 1


def test_unequal_lengths_are_refused(lib, fsi):
    t, v, i = fsi[0]
    err, out = Error(), Sweep()
    tr = Trace(ptr(t), ptr(v), ptr(i), t.size, v.size - 1, i.size, START, END, math.nan)
    assert lib.nd_ephys_sweep_analyze(C.byref(tr), None, C.byref(out), C.byref(err)) != 0
    assert b"same length" in err.msg
