"""Parameter sweeps through a real kernel: one and two threads give the same table to the
last bit; HH's firing rate at three (I, gK) points against an independent SciPy solve
(solve_ivp DOP853 at rtol 1e-10 with event location, the spike rule written out here:
upward crossings of -20 mV after the 200 ms transient, rate = 1000 / mean interval); HH
silent below its fold of cycles (6.26) and firing above its Hopf point (9.78,
docs/science.md); the heatmap figure of a two-parameter grid; an interrupt that keeps
the points finished; clear errors; and `sweep REC N` still a recording's sweep."""

import time

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from conftest import saved_table, start_kernel
from ref_models import HH_INIT, hh

def scipy_rate(I, gK, transient=200.0, t=1000.0):
    up = lambda t_, y, I, gK: y[0] + 20
    up.direction = 1
    sol = solve_ivp(hh, (0, transient + t), HH_INIT, args=(I, gK), method="DOP853",
                    rtol=1e-10, atol=1e-12, events=[up])
    times = sol.t_events[0]
    times = times[times >= transient]
    if len(times) < 2:
        return 0.0
    return 1000.0 / np.mean(np.diff(times))


@pytest.fixture(scope="module")
def k():
    kernel = start_kernel()
    kernel.ok("use hh")
    yield kernel
    kernel.stop()


def table(k, name):
    """The bound table, saved as CSV by the kernel and read back: names, rows."""
    return saved_table(k, name, "sweeps")


def fails(k, code):
    r = k.execute(code)
    assert r.status == "error", r.content
    return r.content["ename"], r.content["evalue"]


def test_one_and_two_threads_give_the_same_table(k):
    grid = "I=0..20 n=9 gK=30..45 n=4 t=300"
    k.ok(f"a = sweep {grid} threads=1 plot=false")
    r = k.ok(f"b = sweep {grid} threads=2 plot=false")
    # the view is the same on any machine: neither threads nor time are in it
    assert "threads" not in r.neurodyn("sweep") and "seconds" not in r.neurodyn("sweep")
    na, a = table(k, "a")
    nb, b = table(k, "b")
    assert na == nb == ["I", "gK", "rate"]
    assert a.shape == (36, 3)
    assert a.tobytes() == b.tobytes()
    assert (a[:, 2] == 0).any() and (a[:, 2] > 0).any()   # both kinds of point


@pytest.mark.parametrize("I,gK", [(10, 36), (15, 30), (20, 45)])
def test_hh_rate_at_grid_points_matches_scipy(k, I, gK):
    r = k.ok(f"p = sweep I={I} gK={gK} plot=false")
    _, t = table(k, "p")
    want = scipy_rate(I, gK)
    assert want > 40
    assert abs(t[0, 2] - want) <= 0.002 * want, (t[0, 2], want)
    assert r.neurodyn("sweep")["columns"][0]["unit"] == "Hz"


def test_hh_silent_below_the_fold_and_firing_above_the_hopf_point(k):
    r = k.ok("f = sweep I=0..20 step=0.5")
    names, t = table(k, "f")
    I, rate = t[:, 0], t[:, 1]
    assert len(I) == 41 and I[13] == 6.5
    assert (rate[I <= 6.0] == 0).all()
    assert (rate[I >= 10.0] > 40).all()
    fig = r.neurodyn("figure")
    assert "heatmap" not in fig["panels"][0]
    assert fig["panels"][0]["series"][0]["n"] == 41


def test_two_parameters_draw_a_heatmap(k):
    r = k.ok("m = sweep I=0..20 n=5 gK=30..40 n=3 t=200")
    s = r.neurodyn("sweep")
    assert s["grid_shape"] == [5, 3]
    assert [a["name"] for a in s["axes"]] == ["I", "gK"]
    for fig in (r.neurodyn("figure"), k.ok("plot m rate").neurodyn("figure")):
        h = fig["panels"][0]["heatmap"]
        assert (h["nx"], h["ny"]) == (5, 3)
        assert (h["xmin"], h["xmax"], h["ymin"], h["ymax"]) == (0, 20, 30, 40)
        assert h["zmin"] == 0 and h["zmax"] > 40
        assert h["zlabel"] == "rate [Hz]"


def test_interrupt_keeps_the_finished_points(k):
    msg_id = k.send_execute("long = sweep I=0..20 n=400 gK=30..40 n=5 t=2000 threads=2 "
                            "plot=false")
    k.wait_iopub(msg_id, "execute_input")
    time.sleep(1.0)
    k.km.interrupt_kernel()
    k.finish(msg_id, timeout=20)
    r = k.ok("long")
    meta = r.neurodyn("dataset")["meta"]
    done, points = int(meta["done"]), int(meta["points"])
    assert points == 2000 and 0 < done < points
    _, t = table(k, "long")
    finite = np.isfinite(t[:, 2])
    assert finite.sum() == done
    assert t.shape == (2000, 3) and np.isfinite(t[:, :2]).all()


@pytest.mark.parametrize("code,ename,text", [
    ("sweep Ix=0..3", "NameError", "model hh has no parameter or state 'Ix'"),
    ("sweep I=5..1", "ValueError", "is empty"),
    ("sweep I=0..400 step=1 gK=0..400 step=1", "ValueError", "too many points: 160801"),
    ("sweep I=0..2 measure=foo", "ValueError", "measure must be rate, spikes"),
    ("sweep I=0..2 n=0", "ValueError", "n must be a whole number"),
    ("sweep n=3", "SyntaxError", "goes right after the range"),
    ("sweep I=0..2 t=100 gK=30..40 t=200", "SyntaxError", "option 't' is given twice"),
    ("sweep I=0..2 gK=30 I=3", "SyntaxError", "option 'I' is given twice"),
])
def test_bad_sweeps_are_refused_clearly(k, code, ename, text):
    got_name, got_text = fails(k, code)
    assert got_name == ename and text in got_text, got_text


def test_sweep_of_a_recording_still_works(k):
    k.ok('rec = load "data/recordings/2019_07_24_0055_fsi.abf"')
    k.ok("s = sweep rec 13")
    ds = k.ok("s").neurodyn("dataset")
    assert ds["meta"]["sweep"] == "13" and ds["columns"][0]["name"] == "t"
    assert fails(k, "sweep rec 13 step=2")[0] == "NameError"
