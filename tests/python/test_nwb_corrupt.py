"""Damaged NWB files: nd_nwb_load returns an error or a well-formed recording, never
crashes and never lets HDF5 print. HDF5 itself is not fuzz-clean, so there is no libFuzzer
target for NWB (docs/fuzzing.md); instead valid files written by nwb_fixture are truncated
at many lengths and have bytes flipped in their headers and elsewhere, and every variant
is loaded in a child process, so that a crash fails this test and names the variant."""
import os
import random
import subprocess
import sys

import numpy as np
import pytest

from nwb_fixture import allen_sweep, series_spec, write_allen, write_nwb2

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r"""
import ctypes, math, sys
sys.path.insert(0, sys.argv[1])
from nwb_fixture import library, NdError
lib = library()
ok = failed = 0
for path in sys.argv[2:]:
    print("LOAD", path, flush=True)
    err = NdError()
    rec = lib.nd_nwb_load(path.encode(), ctypes.byref(err))
    if not rec:
        assert err.code != 0 and err.msg, path          # an error always says what
        failed += 1
        continue
    assert lib.nd_rec_channels(rec) == 2, path
    for s in range(lib.nd_rec_sweeps(rec)):
        n = lib.nd_rec_sweep_len(rec, s)
        assert n >= 1 and lib.nd_rec_sweep_dt(rec, s) > 0, path
        for c in range(2):
            data = lib.nd_rec_data(rec, s, c)
            sum(data[i] for i in range(n))               # every sample is readable
    lib.nd_rec_free(rec)
    ok += 1
print("DONE", ok, failed, flush=True)
"""


def originals(folder):
    rng = np.random.default_rng(3)
    table = folder / "table.nwb"
    write_nwb2(table, {
        "ccs_1": series_spec("CurrentClampSeries", 1, rng.integers(-900, 900, 300)
                             .astype(np.int16), conversion=1e-4, offset=-0.07),
        "izero": series_spec("IZeroClampSeries", 2, np.full(100, -0.07, np.float32)),
    }, {
        "stim_1": series_spec("CurrentClampStimulusSeries", 1, np.linspace(0, 1e-10, 300)),
    }, table=[("ccs_1", (0, 300), "stim_1", (0, 300)), ("izero", (0, 100), None, None)])
    numbered = folder / "numbered.nwb"
    write_nwb2(numbered, {
        "vcs": series_spec("VoltageClampSeries", 4, rng.integers(-5, 5, 200).astype(np.int32),
                           conversion=1e-12, timestamps=np.arange(200) / 1e4),
    }, {
        "vstim": series_spec("VoltageClampStimulusSeries", 4, np.full(200, -0.06, np.float32),
                             timestamps=np.arange(200) / 1e4),
    }, version="2.2.5")
    allen = folder / "allen.nwb"
    write_allen(allen, [allen_sweep(n, np.full(150 + n, -0.07, np.float32),
                                    np.full(150 + n, 5e-11)) for n in (5, 6)])
    return [table, numbered, allen]


def variants(src, folder, rng):
    """Truncations at many lengths, single bytes flipped through the first 4 KiB (the
    superblock, the root group and the first object headers), and a few bytes flipped
    anywhere."""
    data = src.read_bytes()
    size = len(data)
    out = []

    def save(tag, blob):
        path = folder / f"{src.stem}-{tag}.nwb"
        path.write_bytes(blob)
        out.append(str(path))

    for cut in sorted({0, 8, 48, 96, 512, 1024, 2048, 4096, size // 4, size // 3, size // 2,
                       2 * size // 3, size - 512, size - 64, size - 1}):
        if 0 <= cut < size:
            save(f"cut{cut}", data[:cut])
    for pos in range(0, min(size, 4096), 11):
        blob = bytearray(data)
        blob[pos] ^= 0xFF
        save(f"flip{pos}", bytes(blob))
    for k in range(40):
        blob = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            blob[rng.randrange(size)] ^= 1 << rng.randrange(8)
        save(f"rand{k}", bytes(blob))
    return out


@pytest.mark.parametrize("which", [0, 1, 2], ids=["table", "numbered", "allen"])
def test_damaged_files_never_crash(tmp_path, which):
    src = originals(tmp_path)[which]
    paths = variants(src, tmp_path, random.Random(1400 + which))
    r = subprocess.run([sys.executable, "-c", CHILD, HERE] + paths, capture_output=True,
                       text=True, timeout=600)
    last = [line for line in r.stdout.splitlines() if line.startswith("LOAD")]
    assert r.returncode == 0, (f"crashed or failed (status {r.returncode}) on "
                               f"{last[-1] if last else '?'}:\n{r.stderr[-2000:]}")
    assert r.stderr == "", "something printed to stderr:\n" + r.stderr[-2000:]
    done = r.stdout.splitlines()[-1].split()
    ok, failed = int(done[1]), int(done[2])
    assert ok + failed == len(paths)
    assert failed > 0          # truncations at least are refused: the damage is real
