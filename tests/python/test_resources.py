"""Resource use of a long-running kernel (issue 8): resident memory stays flat over 10,000
executed cells, and 1,000 cells with figures, saves and errors leave the number of open
file descriptors and of threads where it was.

The cells are real execute_requests, pipelined in windows (the next window is sent as
soon as the previous one's replies are in), so that 10,000 of them take seconds; iopub is
drained and dropped. The numbers are printed (pytest -s) and kept in the summary."""

import os
import statistics
import time

from conftest import record, start_kernel, tmp_path_for

WINDOW = 50
# The history keeps every stored cell in memory by design (up to 100,000 entries, about
# 100 bytes each: ~0.9 MB over these 10,000 cells), which would hide a leak of that size;
# so the cells are not stored. Measured under valgrind's massif (before replay
# protection), the heap stays at 702 kB from cell 1,000 to cell 20,000 of `let x = x + 1`.
STORE = False


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def fds(pid):
    return sorted(os.listdir(f"/proc/{pid}/fd"), key=int)


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def run_pipelined(k, cells, on_window=None):
    """Sends every (code, expect_ok) in windows of WINDOW and checks each reply; calls
    on_window(cells_done) after each window. Returns the replies' statuses counted."""
    kc = k.kc
    counts = {}
    for start in range(0, len(cells), WINDOW):
        batch = cells[start:start + WINDOW]
        sent = {}
        for code, expect_ok in batch:
            msg = kc.session.msg("execute_request", dict(
                code=code, silent=False, store_history=STORE, user_expressions={},
                allow_stdin=False, stop_on_error=False))
            kc.shell_channel.send(msg)
            sent[msg["header"]["msg_id"]] = (code, expect_ok)
        while sent:
            reply = kc.get_shell_msg(timeout=30)
            code, expect_ok = sent.pop(reply["parent_header"]["msg_id"])
            status = reply["content"]["status"]
            counts[status] = counts.get(status, 0) + 1
            assert (status == "ok") == expect_ok, f"{code!r}: {reply['content']}"
        while True:   # iopub: drained, not kept
            try:
                kc.get_iopub_msg(timeout=0)
            except Exception:
                break
        if on_window:
            on_window(start + len(batch))
    return counts


def mixed_cells(n, save_dir=None, plots=False):
    """n cells: mostly `let x = x + 1`, with strings, lists, errors, a small simulation
    every 100 cells, and (when asked) a figure and a save every 50."""
    cells = []
    for i in range(n):
        if i % 100 == 99:
            cells.append((f"d = simulate t=5 sample=0.1\nlet s = {i}", True))
        elif plots and i % 50 == 10:
            cells.append(("plot d V", True))
        elif save_dir and i % 50 == 20:
            cells.append((f'save d "{save_dir}/d{i % 3}.csv"\nback = load "{save_dir}/d{i % 3}.csv"',
                          True))
        elif i % 50 == 30:
            cells.append(("no_such_name + 1", False))
        elif i % 50 == 40:
            cells.append((f'let t = "cell {i}"\nprint t', True))
        elif i % 25 == 5:
            cells.append(("let v = [x, x + 1, x * 2]\nv", True))
        else:
            cells.append(("let x = x + 1", True))
    return cells


def test_memory_flat_over_10000_cells():
    k = start_kernel()
    try:
        pid = k.process.pid
        k.ok("let x = 0\nuse hh\nd = simulate t=5 sample=0.1")
        samples = []   # (cells done, RSS kB)
        t0 = time.perf_counter()
        counts = run_pipelined(k, mixed_cells(10000),
                               lambda done: samples.append((done, rss_kb(pid))))
        secs = time.perf_counter() - t0
        assert counts == {"ok": 9800, "error": 200}
        assert int(k.ok("x").text) > 8000
        first = statistics.median(r for done, r in samples if 1000 < done <= 2000)
        last = statistics.median(r for done, r in samples if done > 9000)
        peak = max(r for _, r in samples)
        print(f"\n10,000 cells in {secs:.1f} s ({secs / 10000 * 1e3:.2f} ms/cell), {counts}; "
              f"RSS at start {samples[0][1]} kB, median over cells 1000-2000 {first:.0f} kB, "
              f"over 9000-10000 {last:.0f} kB, peak {peak} kB")
        record("10,000 cells, pipelined: time per cell", secs / 10000)
        # Two things grow by design: glibc's arenas settle slowly (+50 .. +580 kB measured
        # on a kernel without replay protection, whose heap stays flat under massif), and
        # the replay memory (kernel/replay.c) touches one more ~70-byte slot per message
        # until its 65,536 are full (~4.5 MB, allocated at start): ~0.6 MB over these 8000
        # cells. A leak of 200 bytes a cell still fails.
        # regression pin: a budget (the measured growth above plus margin), not a truth.
        assert last - first < 1536, f"RSS grew by {last - first:.0f} kB over 8000 cells"
        assert k.exit_status() is None
    finally:
        k.stop()


def test_no_fd_or_thread_leaks_over_1000_cells():
    d = tmp_path_for("fdleak")
    k = start_kernel()
    try:
        pid = k.process.pid
        k.ok("let x = 0\nuse hh\nd = simulate t=5 sample=0.1\nplot d V\n"
             f'save d "{d}/warm.csv"')
        k.execute("no_such_name")
        fds0, th0 = fds(pid), threads(pid)
        t0 = time.perf_counter()
        counts = run_pipelined(k, mixed_cells(1000, save_dir=d, plots=True))
        # interrupts, completions and inspections too
        k.request("complete_request", {"code": "sim", "cursor_pos": 3})
        k.request("inspect_request", {"code": "simulate", "cursor_pos": 3, "detail_level": 0})
        k.km.interrupt_kernel()
        time.sleep(0.1)
        k.ok("1")
        secs = time.perf_counter() - t0
        fds1, th1 = fds(pid), threads(pid)
        print(f"\n1000 cells with 20 figures and 20 saves in {secs:.1f} s, {counts}; "
              f"fds {len(fds0)} -> {len(fds1)}, threads {th0} -> {th1}")
        assert fds1 == fds0, (f"file descriptors leaked: {fds0} -> {fds1}: "
                              + str({fd: os.readlink(f'/proc/{pid}/fd/{fd}')
                                     for fd in set(fds1) - set(fds0)}))
        assert th1 == th0
        assert not any(".tmp-" in n for n in os.listdir(d))
    finally:
        k.stop()
