"""`mpirun -np 2 neurodyn run` (docs/mpi.md): the sweeps of a script spread over two
ranks give what a serial run gives, byte for byte (standard output, saved tables and
figure files; only the wall-clock times the run reports, which differ between any two
runs, are masked); the other rank prints nothing; an error in the script is reported
once and every rank stops, and one met by a single rank is reported by rank 0 instead
of leaving it waiting; ensembles of fits and of trained networks and the candidates of a
CMA-ES fit, spread over the ranks the same way, give the serial run's estimates and saved
networks to the last bit; so do the islands of a symbolic regression (island i on rank
i mod 2, halls of fame exchanged at every migration), whose front is the serial one; a rank killed while computing ends the run at once with a
message naming the grid point it was on, which must be one of that rank's share (the
points of odd index: point i goes to rank i mod 2)."""

import json
import os
import re
import shutil
import signal
import subprocess
import time

import numpy as np
import pytest

from conftest import installed_spec

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MPIRUN = shutil.which("mpirun")
pytestmark = pytest.mark.skipif(MPIRUN is None, reason="mpirun is not installed (Debian "
                                "openmpi-bin): the MPI runs cannot be tested here")
TIMEOUT = 120


def binary():
    return os.environ.get("NEURODYN_TEST_BINARY") or installed_spec().argv[0]


def env():
    e = dict(os.environ)
    # an ASan binary lives elsewhere: the plugin of this checkout's build then
    if not os.path.exists(os.path.join(os.path.dirname(binary()), "libneurodyn_mpi.so")):
        e["NEURODYN_MPI_PLUGIN"] = os.path.join(ROOT, "build", "libneurodyn_mpi.so")
    return e


def mpi(n, *args):
    return [MPIRUN, "--allow-run-as-root", "--oversubscribe", "--mca", "pml", "ob1", "-np", str(n),
            binary(), *args]


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=TIMEOUT)


# The only part of a serial run's output that changes from run to run: the progress lines
# of a sweep or a fit (shown when it takes longer than half a second, then every so often).
TIMES = re.compile(r"^(sweep: (\d+ of \d+ points|stopped after)|fitting: iteration|"
                   r"CMA-ES: generation|training the ensemble: \d+ of \d+ members|"
                   r"symreg: generation \d+ of).*\n", re.M)


def masked(text):
    return TIMES.sub("", text)


SCRIPT = """use hh
a = sweep I=0..20 n=7 gK=30..45 n=3 t=300
save a "rate.csv"
b = sweep I=4..16 step=4 measure=spikes t=200
save b "spikes.csv"
plot b
"""


def test_two_ranks_write_what_a_serial_run_writes(tmp_path):
    outs = {}
    for name, cmd in (("serial", [binary(), "run"]), ("mpi", mpi(2, "run"))):
        d = tmp_path / name
        d.mkdir()
        (d / "study.nd").write_text(SCRIPT)
        r = run(cmd + ["study.nd", "--figures", "figs"], d)
        assert r.returncode == 0, r.stdout + r.stderr
        outs[name] = (d, r.stdout)
    (ds, serial), (dm, parallel) = outs["serial"], outs["mpi"]
    # the other rank printed nothing: each result once
    assert parallel.count("sweep of hh") == 2 and parallel.count("saved ") == 2
    assert masked(parallel) == masked(serial)
    files = sorted(p.relative_to(ds).as_posix() for p in ds.rglob("*") if p.is_file())
    assert "rate.csv" in files and "figs/fig-001.svg" in files and "figs/fig-003.png" in files
    for f in files:
        assert (dm / f).read_bytes() == (ds / f).read_bytes(), f
    assert sorted(p.relative_to(dm).as_posix() for p in dm.rglob("*") if p.is_file()) == files
    # a grid with both kinds of point, so that the comparison covers spiking and rest
    rate = np.loadtxt([l for l in (ds / "rate.csv").read_text().splitlines()
                       if not l.startswith("#")][1:], delimiter=",")
    assert rate.shape == (21, 3) and (rate[:, 2] == 0).any() and (rate[:, 2] > 0).any()


FITS = """use hh
set gNa=100 gK=30
stim step at=2 dur=20 amp=8
s1 = simulate t=30 sample=0.1 observe=V noise=0.01 seed=1
s2 = simulate t=30 sample=0.1 observe=V noise=0.01 seed=2
set gNa=120 gK=36
stim none
a = fit hh s1 params=[gNa, gK] method=lm ensemble=5 bootstrap=true
print a.ensemble_values
b = fit hh s1 s2 params=[gNa, gK] method=lm ensemble=3 bootstrap=true threads=1
t = table gNa_gK=b.ensemble_values
save t "members.csv"
c = fit hh s1 params=[gNa, gK] method=cmaes seed=3 evals=120
print c.estimates
use hh_rinzel
stim step at=1 dur=20 amp=10
d1 = simulate t=8 sample=0.1 observe=V noise=0.05 seed=1
stim step at=1 dur=20 amp=14
d2 = simulate t=8 sample=0.1 observe=V noise=0.05 seed=2
net = ude replace=INa inputs=V,n hidden=5,4 seed=3
ens = train net d1 d2 observe=V ensemble=3 bootstrap=true lbfgs iters=15
print ens.losses
m2 = ens.members[2]
save m2 "m2.json"
"""


def test_ensembles_and_cmaes_on_two_ranks_give_the_serial_results(tmp_path):
    outs = {}
    for name, cmd in (("serial", [binary(), "run"]), ("mpi", mpi(2, "run"))):
        d = tmp_path / name
        d.mkdir()
        (d / "fits.nd").write_text(FITS)
        r = run(cmd + ["fits.nd"], d)
        assert r.returncode == 0, r.stdout + r.stderr
        outs[name] = (d, r.stdout)
    (ds, serial), (dm, parallel) = outs["serial"], outs["mpi"]
    assert parallel.count("ensemble of 5 fits") == 1 and parallel.count("saved ") == 2
    assert masked(parallel) == masked(serial)
    for f in ("members.csv", "m2.json"):
        assert (dm / f).read_bytes() == (ds / f).read_bytes(), f
    # a trained member (rank 0 trains members 1 and 3, rank 1 member 2): its loss history
    # travelled with it, and its losses differ from the other members'
    m2 = json.loads((ds / "m2.json").read_text())
    assert len(m2["history"]) > 10
    line = [l for l in serial.splitlines() if l.startswith("[")][-1]
    losses = [float(x) for x in line.strip("[]").split(",")]
    assert len(set(losses)) == 3 and losses[1] == m2["history"][-1]
    # members that differ (each its own start and resample) near the truth (gNa 100,
    # gK 30) the data were made with: the comparison is of real, distinct fits
    line = [l for l in serial.splitlines() if l.startswith("[")][0]
    v = np.array([float(x) for x in line.strip("[]").split(",")]).reshape(5, 2)
    assert len(set(v[:, 0])) == 5
    assert np.all(abs(v[:, 0] - 100) < 5) and np.all(abs(v[:, 1] - 30) < 2)
    assert "20 generations of 6" in serial


SYMREG = """use hh_rinzel
stim step at=5 dur=50 amp=10
truth = simulate t=30 sample=0.1 terms=true
eq = symreg truth INa V n functions=[mInf] ops=[add, sub, mul, pow3] iters=40 islands=4 seed=2
print eq.front
print eq.error
"""


def test_symreg_islands_on_two_ranks_give_the_serial_front(tmp_path):
    outs = {}
    for name, cmd in (("serial", [binary(), "run"]), ("mpi", mpi(2, "run"))):
        d = tmp_path / name
        d.mkdir()
        (d / "sr.nd").write_text(SYMREG)
        r = run(cmd + ["sr.nd"], d)
        assert r.returncode == 0, r.stdout + r.stderr
        outs[name] = r.stdout
    serial, parallel = outs["serial"], outs["mpi"]
    assert parallel.count("Pareto front of INa") == 2   # the table and the figure, once
    assert masked(parallel) == masked(serial)
    # a real search: 4 islands of 48 over 40 generations, a front of several sizes whose
    # errors fall (islands 2 and 4 evolved on rank 1 and reached rank 0 through the
    # exchange: a front built without them would differ from the serial one)
    assert "40 generations on 4 islands of 48" in serial
    lines = serial.splitlines()
    front = [l for l in lines if l.startswith("[")][-1].count('", "') + 1
    assert front >= 5 and float(lines[-1]) < 0.2, serial


def test_an_error_in_the_script_is_reported_once_and_every_rank_stops(tmp_path):
    (tmp_path / "bad.nd").write_text("use hh\na = sweep I=0..10 n=4 t=100\nplot nosuch\n")
    serial = run([binary(), "run", "bad.nd"], tmp_path)
    r = run(mpi(2, "run", "bad.nd"), tmp_path)
    assert serial.returncode == 1 and r.returncode != 0
    assert r.stderr.count("NameError") == 1, r.stderr
    assert serial.stderr.strip().splitlines()[-1] in r.stderr
    assert masked(r.stdout) == masked(serial.stdout)


def test_a_failing_ensemble_member_is_named_once_as_serially(tmp_path):
    # member 4 (counted from 1, as ens.members[4]) diverges in these 15 iterations: it is
    # rank 1's (index 3), and rank 0 reports it with the serial run's message
    script = "\n".join(FITS.splitlines()[-10:-3]).replace("ensemble=3", "ensemble=6") + "\n"
    (tmp_path / "ens.nd").write_text(script)
    serial = run([binary(), "run", "ens.nd"], tmp_path)
    r = run(mpi(2, "run", "ens.nd"), tmp_path)
    assert serial.returncode == 1 and r.returncode != 0
    last = serial.stderr.strip().splitlines()[-1]
    assert last.startswith("SolverError: ensemble member 4: "), serial.stderr
    assert r.stderr.count("SolverError") == 1 and last in r.stderr, r.stderr


def test_an_error_met_by_one_rank_alone_is_reported_by_rank_0(tmp_path):
    # what a file present on one machine but not another does: here rank 1 (mpirun's
    # second program) cannot open it; rank 0 must not wait for it at the sweep
    (tmp_path / "zero.nd").write_text('use hh\nd = 1\na = sweep I=0..10 n=4 t=100\n')
    (tmp_path / "one.nd").write_text('use hh\nd = load "missing.csv"\n'
                                     'a = sweep I=0..10 n=4 t=100\n')
    cmd = mpi(1, "run", "zero.nd") + [":", "-np", "1", binary(), "run", "one.nd"]
    r = run(cmd, tmp_path)
    assert r.returncode != 0
    assert r.stderr.count("IOError: on rank 1 of 2: cannot open 'missing.csv'") == 1, r.stderr
    assert r.stderr.count("IOError") == 1
    assert "sweep of" not in r.stdout


def rank_pid(rank, launcher, script):
    """The pid of the given rank among the launcher's descendants, or None."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if (f"OMPI_COMM_WORLD_RANK={rank}".encode() in environ and script.encode() in cmdline
                and f"MPIRUN_TAG={launcher}".encode() in environ):
            return int(pid)
    return None


def signal_rank_1_inside_the_sweep(tmp_path, name, script, sig):
    """Writes script to the file name, runs it on 2 ranks and sends sig to rank 1 alone once
    rank 0's first progress line shows both ranks inside the sweep; (status, out, err)."""
    (tmp_path / name).write_text(script)
    tag = str(os.getpid())
    e = env()
    e["MPIRUN_TAG"] = tag
    p = subprocess.Popen(mpi(2, "run", name), cwd=tmp_path, env=e,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in p.stdout:
            if line.startswith("sweep: "):
                break
        pid = rank_pid(1, tag, name)
        assert pid, "rank 1 not found"
        start = time.monotonic()
        os.kill(pid, sig)
        out, err = p.communicate(timeout=TIMEOUT)
        print(f"the run ended {time.monotonic() - start:.1f} s after the signal")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, out, err


def test_a_rank_killed_while_computing_names_its_point(tmp_path):
    # a 40 x 40 grid on one thread per rank: seconds of work, of which half a second runs
    # before rank 0's first progress line shows that both ranks are inside the sweep
    status, out, err = signal_rank_1_inside_the_sweep(
        tmp_path, "crash.nd",
        "use hh\nm = sweep I=0..20 n=40 gK=20..50 n=40 threads=1\nsave m \"m.csv\"\n",
        signal.SIGSEGV)
    assert status != 0
    m = re.search(r"neurodyn: rank 1 of 2 died of signal 11 \(SIGSEGV[^)]*\) while computing "
                  r"sweep point I=([-0-9.e]+), gK=([-0-9.e]+)\n", err)
    assert m, err
    I, gK = float(m.group(1)), float(m.group(2))
    iI = int(np.argmin(abs(np.linspace(0, 20, 40) - I)))
    igK = int(np.argmin(abs(np.linspace(20, 50, 40) - gK)))
    assert np.linspace(0, 20, 40)[iI] == pytest.approx(I, abs=1e-12)
    assert np.linspace(20, 50, 40)[igK] == pytest.approx(gK, abs=1e-12)
    assert (iI + 40 * igK) % 2 == 1     # rank 1's share
    assert not (tmp_path / "m.csv").exists()


def test_an_interrupt_sent_to_one_rank_stops_every_rank_where_a_serial_run_stops(tmp_path):
    """SIGINT to rank 1 alone (not through mpirun): the sweep keeps the points finished on
    both ranks and every rank stops at the next statement, as a serial run interrupted in
    the sweep does; one error, not "on rank 1 of 2" (rank 0 was told at the exchange)."""
    status, out, err = signal_rank_1_inside_the_sweep(
        tmp_path, "stop.nd",
        "use hh\nm = sweep I=0..20 n=40 gK=20..50 n=40 threads=1\n"
        "save m \"m.csv\"\nprint \"went on\"\n", signal.SIGINT)
    assert status != 0
    m = re.search(r"^1600 points; interrupted: (\d+) finished, the rest nan$", out, re.M)
    assert m, out
    assert 0 < int(m.group(1)) < 1600
    text = out + err
    assert text.count("Interrupted: interrupted by the user") == 1, text
    assert "line 3, column 1" in text and "on rank" not in text, text
    assert "went on" not in out
    assert not (tmp_path / "m.csv").exists()
