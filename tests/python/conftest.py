"""Shared set-up for the real-client (jupyter_client) tests of the neurodyn kernel.

Isolation: before any kernel starts, NEURODYN_HISTORY points at a file in a private
temporary directory (the kernel must never touch the user's history), and connection
files go to a private JUPYTER_RUNTIME_DIR. The kernelspec itself is the one `make install`
put in the user's Jupyter data dir, so that is left alone.

Helpers: `start_kernel` starts a kernel with jupyter_client's KernelManager and returns a
`Kernel`, which sends requests on real sockets and sorts what comes back by parent msg_id,
so a test can collect every iopub message of one request until its `status: idle`.
"""

import atexit
import collections
import json
import os
import queue
import shutil
import tempfile
import time

import numpy as np
import pytest

# --- isolation: must run before any kernel is started (conftest is imported first) ---

_TMP = tempfile.mkdtemp(prefix="neurodyn-pytest-")
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
HISTORY_FILE = os.path.join(_TMP, "history.jsonl")
os.environ["NEURODYN_HISTORY"] = HISTORY_FILE
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(_TMP, "runtime")
os.makedirs(os.environ["JUPYTER_RUNTIME_DIR"], exist_ok=True)

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # noqa: E402


def _use_test_binary():
    """NEURODYN_TEST_BINARY=/path/to/neurodyn runs every test against that binary (e.g. an
    ASan build) through a copy of the installed kernelspec put first on JUPYTER_PATH."""
    binary = os.environ.get("NEURODYN_TEST_BINARY")
    if not binary:
        return
    spec = KernelSpecManager().get_kernel_spec("neurodyn")
    root = os.path.join(_TMP, "jupyter-path")
    d = os.path.join(root, "kernels", "neurodyn")
    # the whole kernelspec (kernel.js, logos, the docs its help_links point at), then argv
    shutil.copytree(spec.resource_dir, d)
    data = spec.to_dict()
    data["argv"] = [os.path.abspath(binary)] + data["argv"][1:]
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(data, f)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [root] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])


_use_test_binary()
from jupyter_client.manager import KernelManager  # noqa: E402
from jupyter_kernel_test.msgspec_v5 import validate_message  # noqa: E402

KERNEL_NAME = "neurodyn"
TIMEOUT = 10.0

# Timings measured by the tests, printed in the terminal summary (also with -q).
MEASUREMENTS = []


def record(name, seconds, unit="ms"):
    """Keeps a measured value (seconds, or a fraction with unit "%") for the summary."""
    MEASUREMENTS.append((name, seconds, unit))


def pytest_terminal_summary(terminalreporter):
    if not MEASUREMENTS:
        return
    terminalreporter.section("neurodyn measured latencies")
    for name, value, unit in MEASUREMENTS:
        shown = value * 1000 if unit == "ms" else value * 100
        terminalreporter.write_line(f"{name:<58} {shown:8.1f} {unit}")


def tmp_path_for(name):
    """A fresh path inside the private temporary directory."""
    d = tempfile.mkdtemp(prefix=name + "-", dir=_TMP)
    return d


def saved_table(kernel, name, where):
    """The bound dataset or table NAME, saved as CSV by the kernel (under tmp_path_for(where))
    and read back: its column names (units dropped) and its rows."""
    path = os.path.join(tmp_path_for(where), f"{name}.csv")
    kernel.ok(f'save {name} "{path}"')
    with open(path) as f:
        lines = [line for line in f if not line.startswith("#")]
    names = [c.split(" [")[0].split(" ")[0] for c in lines[0].strip().split(",")]
    return names, np.loadtxt(lines[1:], delimiter=",", ndmin=2)


def installed_spec():
    """The installed neurodyn kernelspec; fails the test clearly when it is missing."""
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        pytest.fail("kernelspec 'neurodyn' is not installed: run `make all install`")
    if not os.access(spec.argv[0], os.X_OK):
        pytest.fail(f"kernel binary {spec.argv[0]} is missing: run `make all install`")
    return spec


def spec_manager_with(interrupt_mode, name="neurodyn-message"):
    """A KernelSpecManager that only knows a copy of the installed spec with another
    interrupt_mode (jupyter_client 7.4.9 looks specs up through kernel_dirs)."""
    spec = installed_spec()
    root = tmp_path_for("kernels")
    d = os.path.join(root, name)
    os.makedirs(d)
    data = spec.to_dict()
    data["interrupt_mode"] = interrupt_mode
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(data, f)
    return KernelSpecManager(kernel_dirs=[root]), name


class Reply:
    """A finished request: its reply message and the iopub messages with it as parent."""

    def __init__(self, reply, iopub):
        self.msg = reply
        self.iopub = iopub

    @property
    def content(self):
        return self.msg["content"]

    @property
    def status(self):
        return self.content["status"]

    @property
    def outputs(self):
        """iopub messages other than status and execute_input, in order."""
        return [m for m in self.iopub if m["msg_type"] not in ("status", "execute_input")]

    def neurodyn(self, kind):
        """The last application/vnd.neurodyn+json result of type KIND among the outputs."""
        found = []
        for m in self.outputs:
            j = m["content"].get("data", {}).get("application/vnd.neurodyn+json")
            if j is not None:
                j = j if isinstance(j, dict) else json.loads(j)
                if j.get("type") == kind:
                    found.append(j)
        assert found, f"no {kind} result"
        return found[-1]

    def of_type(self, msg_type):
        return [m for m in self.iopub if m["msg_type"] == msg_type]

    def stream(self, name):
        return "".join(m["content"]["text"] for m in self.of_type("stream")
                       if m["content"]["name"] == name)

    @property
    def result(self):
        """The data dict of the single execute_result (None when there is none)."""
        results = self.of_type("execute_result")
        assert len(results) <= 1, f"more than one execute_result: {results}"
        return results[0]["content"]["data"] if results else None

    @property
    def text(self):
        r = self.result
        return None if r is None else r["text/plain"]


class Kernel:
    """A running kernel with a blocking client; messages are sorted by parent msg_id."""

    def __init__(self, km, kc, stderr_path=None):
        self.km = km
        self.kc = kc
        self.stderr_path = stderr_path
        self.iopub = collections.defaultdict(list)   # parent msg_id -> messages
        self.replies = {}                              # parent msg_id -> reply
        self.seen = []                                 # every message received, in order

    # -- receiving --

    def _take(self, msg):
        self.seen.append(msg)
        return msg

    def _pump_iopub(self, timeout):
        try:
            msg = self.kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return False
        self._take(msg)
        self.iopub[msg["parent_header"].get("msg_id")].append(msg)
        return True

    def _pump_channel(self, channel, timeout):
        get = self.kc.get_shell_msg if channel == "shell" else self.kc.get_control_msg
        try:
            msg = get(timeout=timeout)
        except queue.Empty:
            return False
        self._take(msg)
        self.replies[msg["parent_header"].get("msg_id")] = msg
        return True

    def wait_idle(self, msg_id, timeout=TIMEOUT):
        """Returns the iopub messages of msg_id up to and including its status idle."""
        deadline = time.monotonic() + timeout
        while not any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                      for m in self.iopub[msg_id]):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"no status idle for {msg_id} within {timeout}s; got "
                    f"{[m['msg_type'] for m in self.iopub[msg_id]]}")
            if not self._pump_iopub(min(left, 0.25)):
                self._check_alive(msg_id)
        return list(self.iopub[msg_id])

    def wait_iopub(self, msg_id, msg_type, timeout=TIMEOUT):
        """Waits until an iopub message of msg_type with parent msg_id arrived."""
        deadline = time.monotonic() + timeout
        while not any(m["msg_type"] == msg_type for m in self.iopub[msg_id]):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {msg_type} for {msg_id} within {timeout}s")
            if not self._pump_iopub(min(left, 0.25)):
                self._check_alive(msg_id)
        return [m for m in self.iopub[msg_id] if m["msg_type"] == msg_type][0]

    def wait_reply(self, msg_id, channel="shell", timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while msg_id not in self.replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {channel} reply to {msg_id} within {timeout}s")
            if not self._pump_channel(channel, min(left, 0.25)):
                self._check_alive(msg_id)
        return self.replies[msg_id]

    def _check_alive(self, msg_id):
        status = self.exit_status()
        if status is not None:
            raise AssertionError(f"the kernel died (exit status {status}; -11 is SIGSEGV) "
                                 f"while a test waited for messages of {msg_id}")

    def exit_status(self):
        """None while the kernel process runs, else its exit status."""
        proc = self.km.provisioner.process if self.km.provisioner else None
        return proc.poll() if proc is not None else None

    # -- sending --

    def send(self, msg_type, content=None, channel="shell"):
        """Sends a request and returns its msg_id without waiting."""
        msg = self.kc.session.msg(msg_type, content or {})
        getattr(self.kc, channel + "_channel").send(msg)
        return msg["header"]["msg_id"]

    def send_execute(self, code, **kw):
        content = dict(code=code, silent=False, store_history=True, user_expressions={},
                       allow_stdin=False, stop_on_error=True)
        content.update(kw)
        return self.send("execute_request", content)

    def finish(self, msg_id, channel="shell", timeout=TIMEOUT, validate=True):
        """Waits for the reply and the idle of msg_id and returns them as a Reply."""
        reply = self.wait_reply(msg_id, channel, timeout)
        iopub = self.wait_idle(msg_id, timeout)
        if validate:
            validate_message(reply, None, msg_id)
            for m in iopub:
                validate_message(m)
        return Reply(reply, iopub)

    def request(self, msg_type, content=None, channel="shell", timeout=TIMEOUT):
        return self.finish(self.send(msg_type, content, channel), channel, timeout)

    def execute(self, code, timeout=TIMEOUT, **kw):
        return self.finish(self.send_execute(code, **kw), timeout=timeout)

    def ok(self, code, timeout=TIMEOUT, **kw):
        """Executes code and asserts that it succeeded."""
        r = self.execute(code, timeout=timeout, **kw)
        assert r.status == "ok", f"{code!r} failed: {r.content}"
        return r

    def history(self, **kw):
        content = dict(output=False, raw=True, hist_access_type="tail")
        content.update(kw)
        r = self.request("history_request", content)
        assert r.status == "ok", r.content
        return r.content["history"]

    def sync(self, timeout=TIMEOUT):
        """Makes sure iopub is subscribed: repeats kernel_info until its idle is seen."""
        deadline = time.monotonic() + timeout
        while True:
            msg_id = self.send("kernel_info_request")
            self.wait_reply(msg_id, timeout=max(0.1, deadline - time.monotonic()))
            try:
                self.wait_idle(msg_id, timeout=0.5)
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise

    # -- the process --

    @property
    def process(self):
        return self.km.provisioner.process

    def stderr_text(self):
        if not self.stderr_path:
            return ""
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def stop(self):
        try:
            self.kc.stop_channels()
        finally:
            try:
                if self.km.has_kernel:
                    self.km.shutdown_kernel(now=not self.km.is_alive())
            except Exception:
                try:
                    self.km.shutdown_kernel(now=True)
                except Exception:
                    pass
            if getattr(self, "_stderr_file", None):
                self._stderr_file.close()


def start_kernel(kernel_name=KERNEL_NAME, spec_manager=None, env=None, capture_stderr=False):
    """Starts a kernel and a blocking client, and waits until both are ready."""
    installed_spec()
    kw = {}
    if spec_manager is not None:
        kw["kernel_spec_manager"] = spec_manager
    km = KernelManager(kernel_name=kernel_name, **kw)
    start_kw = {}
    if env is not None:
        full = os.environ.copy()
        full.update(env)
        start_kw["env"] = full
    stderr_path = stderr_file = None
    if capture_stderr:
        stderr_path = os.path.join(tmp_path_for("stderr"), "kernel.stderr")
        stderr_file = open(stderr_path, "w")
        start_kw["stderr"] = stderr_file
    km.start_kernel(**start_kw)
    kc = km.client()
    kc.start_channels()
    k = Kernel(km, kc, stderr_path)
    k._stderr_file = stderr_file
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        k.sync()
    except Exception:
        k.stop()
        raise
    return k


@pytest.fixture(scope="module")
def kernel():
    """One kernel shared by the tests of a module."""
    k = start_kernel()
    yield k
    k.stop()


@pytest.fixture
def fresh_kernel():
    """A kernel of its own, for tests that interrupt, shut down or restart it."""
    k = start_kernel(capture_stderr=True)
    yield k
    k.stop()
