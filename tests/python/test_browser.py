"""The notebook in a real browser: the classic Notebook server (Debian jupyter-notebook 6.4)
with the neurodyn kernel, driven by headless Chromium through Debian's python3-selenium
and /usr/bin/chromedriver.

- test_run_all_renders_figures: opens a temporary copy of notebooks/00_start_here.ipynb,
  runs all cells through the Notebook's own JavaScript, and checks that every figure the
  notebook stores shows as an inline SVG, that error outputs appear only in cells tagged
  raises-exception, and that the kernel shown is neurodyn. A full-page screenshot is kept
  in build/test-artifacts/browser_00_start_here.png.
- test_untrusted_notebook_shows_png: opens a copy of the committed notebook without running
  it (a fresh server whose signature database is empty, so the notebook is untrusted): the
  Notebook sanitises untrusted outputs; every figure must still draw (its <img> of the SVG
  survives the sanitiser; the PNG is the fallback).
  Screenshot: build/test-artifacts/browser_00_start_here_untrusted.png.

Nothing is written outside temporary directories and build/test-artifacts/: the server works
on copies, keeps notebook signatures in memory, NEURODYN_HISTORY points at a temporary file,
and the server, its kernels, chromedriver and Chromium are stopped by process id in every
case. The tests are skipped only when chromium, chromedriver or selenium are missing."""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from conftest import installed_spec, record, tmp_path_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOK = os.path.join(ROOT, "notebooks", "00_start_here.ipynb")
ARTIFACTS = os.path.join(ROOT, "build", "test-artifacts")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

SERVER_START_TIMEOUT = 20.0
PAGE_TIMEOUT = 20.0
RUN_TIMEOUT = 30.0

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.common.exceptions import JavascriptException, WebDriverException
    _SELENIUM = None
except ImportError as e:  # pragma: no cover - depends on the machine
    _SELENIUM = str(e)

_missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
if _SELENIUM:
    _missing.append(f"python3-selenium ({_SELENIUM})")
pytestmark = pytest.mark.skipif(
    bool(_missing),
    reason="browser test needs Debian's chromium, chromium-driver and python3-selenium "
           "(`make deps` installs them); missing: " + ", ".join(_missing))


# --- processes ---------------------------------------------------------------------------

def _children():
    """pid -> list of child pids, read from /proc."""
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def _descendants(pid):
    kids, out, todo = _children(), [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _kill_pids(pids, timeout=5.0):
    """SIGTERM, then SIGKILL after timeout, to each of pids that still runs."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            if _alive(pid):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not any(_alive(p) for p in pids):
            return


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NotebookServer:
    """`jupyter notebook` on 127.0.0.1 serving notebook_dir, with a random token."""

    def __init__(self, notebook_dir):
        self.dir = notebook_dir
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(tmp_path_for("nbserver-log"), "server.log")
        self.proc = None
        self.pids = []   # every process seen below the server (kernels run in own sessions)

    def start(self):
        env = os.environ.copy()
        env["NEURODYN_HISTORY"] = os.path.join(tmp_path_for("history"), "history.jsonl")
        env["JUPYTER_RUNTIME_DIR"] = tmp_path_for("nbserver-runtime")
        env.pop("BROWSER", None)
        argv = [sys.executable, "-m", "notebook", "--no-browser", "--allow-root",
                "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
                f"--notebook-dir={self.dir}", f"--NotebookApp.token={self.token}",
                "--NotebookApp.password=", "--NotebookNotary.db_file=:memory:",
                "--NotebookApp.open_browser=False",
                "--MappingKernelManager.default_kernel_name=neurodyn"]
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, env=env, cwd=self.dir,
                                     start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyter notebook exited with {self.proc.returncode}:\n"
                                     + self.log())
            try:
                with self.api("GET", "/api/status", timeout=1.0) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"jupyter notebook did not answer on {self.url} within "
                                     f"{SERVER_START_TIMEOUT}s:\n" + self.log())
            time.sleep(0.1)

    def api(self, method, path, timeout=5.0):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        return urllib.request.urlopen(req, timeout=timeout)

    def page(self, path):
        return f"{self.url}{path}?token={self.token}"

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def note_processes(self):
        if self.proc is not None:
            self.pids = sorted(set(self.pids) | set(_descendants(self.proc.pid)))

    def stop(self):
        if self.proc is None:
            return
        try:
            self.note_processes()
            if self.proc.poll() is None:
                try:   # shut the kernels down through the server first
                    with self.api("GET", "/api/kernels", timeout=2.0) as r:
                        kernels = json.load(r)
                    for k in kernels:
                        self.api("DELETE", f"/api/kernels/{k['id']}", timeout=5.0).close()
                except (urllib.error.URLError, OSError, ValueError):
                    pass
                self.note_processes()
                self.proc.send_signal(signal.SIGINT)   # twice: the Notebook asks to confirm
                time.sleep(0.2)
                if self.proc.poll() is None:
                    self.proc.send_signal(signal.SIGINT)
                try:
                    self.proc.wait(timeout=5.0)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5.0)
        finally:
            _kill_pids([p for p in self.pids if p != self.proc.pid])
            self._log.close()
            self.proc = None


# --- browser -----------------------------------------------------------------------------

def start_browser(width=1280, height=1000):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_for("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-crash-reporter", "--disable-breakpad",
                 f"--user-data-dir={profile}",
                 f"--window-size={width},{height}"):
        opts.add_argument(flag)
    service = Service(executable_path=CHROMEDRIVER,
                      log_path=os.path.join(tmp_path_for("chromedriver-log"), "driver.log"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    driver.set_script_timeout(PAGE_TIMEOUT)
    return driver


def stop_browser(driver):
    """Quits the browser; kills chromedriver and its Chromium by pid if quitting fails."""
    if driver is None:
        return
    proc = getattr(driver.service, "process", None)
    pids = _descendants(proc.pid) + [proc.pid] if proc is not None else []
    try:
        driver.quit()
    except Exception:
        pass
    _kill_pids(pids)


def wait_for(driver, script, timeout, what):
    """Polls a JavaScript expression until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = driver.execute_script("return " + script)
            if value:
                return value
        except JavascriptException as e:
            last_error = e
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} ({script})"
                         + (f"; last error: {last_error.msg}" if last_error else ""))


def full_page_screenshot(driver, path):
    """The Notebook scrolls inside #site, so the window is made as tall as the notebook."""
    height = driver.execute_script(
        "var h = document.getElementById('header');"
        "var nb = document.getElementById('notebook');"
        "return (h ? h.offsetHeight : 0) + (nb ? nb.scrollHeight : 0) + 40;")
    driver.set_window_size(1280, max(800, min(int(height), 16000)))
    driver.execute_script("var s = document.getElementById('site'); if (s) s.scrollTop = 0;"
                          "window.scrollTo(0, 0);")
    time.sleep(0.3)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    assert driver.save_screenshot(path), f"could not write the screenshot {path}"


# What the page shows for each code cell, in order.
CELLS_JS = """
return Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; })
  .map(function (c) {
    var el = c.element[0];
    function visible(nodes) {
      return Array.prototype.filter.call(nodes, function (n) {
        var r = n.getBoundingClientRect(); return r.width > 10 && r.height > 10; }).length;
    }
    // A figure is an <img> of its SVG (text/html); decoded means it really draws.
    var svgs = el.querySelectorAll('.output_area .output_html img.nd-figure[src^="data:image/svg+xml"]');
    var inline = el.querySelectorAll('.output_area .output_svg svg');
    return {
      tags: (c.metadata && c.metadata.tags) || [],
      prompt: (el.querySelector('.input_prompt') || {}).textContent || '',
      errors: el.querySelectorAll('.output_area .output_error').length,
      error_text: Array.prototype.map.call(el.querySelectorAll('.output_error'),
                                           function (n) { return n.textContent; }).join('\\n'),
      svgs: svgs.length + inline.length,
      visible_svgs: visible(svgs) + visible(inline),
      svg_decoded: Array.prototype.filter.call(svgs, function (i) {
        return i.complete && i.naturalWidth > 0 && i.naturalHeight > 0; }).length,
      highlighted: el.querySelectorAll('.input_area .cm-keyword').length,
      pngs: el.querySelectorAll('.output_area .output_png img[src^="data:image/png"]').length,
      visible_pngs: visible(el.querySelectorAll(
        '.output_area .output_png img[src^="data:image/png"]')),
      outputs: el.querySelectorAll('.output_area').length,
      trusted: c.output_area ? c.output_area.trusted : null
    };
  });
"""


def stored_code_cells():
    with open(NOTEBOOK) as f:
        nb = json.load(f)
    assert nb["metadata"]["kernelspec"]["name"] == "neurodyn"
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def figure_count(cell):
    return sum(1 for o in cell.get("outputs", [])
               if "image/png" in o.get("data", {}))


def copy_notebook():
    d = tmp_path_for("notebook-dir")
    shutil.copy(NOTEBOOK, d)
    return d, os.path.basename(NOTEBOOK)


def open_notebook(server, name):
    driver = start_browser()
    try:
        driver.get(server.page(f"/notebooks/{name}"))
        wait_for(driver, "window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded",
                 PAGE_TIMEOUT, "the notebook to load")
        # No autosave during the test: the copy is temporary anyway, but keep it quiet.
        driver.execute_script("Jupyter.notebook.set_autosave_interval(0);")
        return driver
    except Exception:
        stop_browser(driver)
        raise


def test_run_all_renders_figures():
    installed_spec()
    stored = stored_code_cells()
    expected_figures = [figure_count(c) for c in stored]
    assert sum(expected_figures) >= 1, "00_start_here.ipynb stores no figure"
    notebook_dir, name = copy_notebook()
    server = NotebookServer(notebook_dir)
    driver = None
    t0 = time.monotonic()
    try:
        server.start()
        t_server = time.monotonic()
        driver = open_notebook(server, name)
        wait_for(driver, "Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
                 " && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status === 'ok'",
                 PAGE_TIMEOUT, "the kernel to connect")
        t_ready = time.monotonic()
        server.note_processes()
        driver.execute_script("Jupyter.notebook.clear_all_output();"
                              "Jupyter.notebook.execute_all_cells();")
        n_code = len(stored)
        wait_for(driver,
                 "(function () {"
                 "  var cells = Jupyter.notebook.get_cells().filter(function (c) {"
                 "    return c.cell_type === 'code'; });"
                 f"  if (cells.length !== {n_code} || Jupyter.notebook.kernel_busy) return false;"
                 "  return cells.every(function (c) {"
                 "    return /In\\s*\\[\\d+\\]/.test(c.element.find('.input_prompt').text()); });"
                 "})()", RUN_TIMEOUT, "every cell to finish (In [n] on each, kernel idle)")
        t_run = time.monotonic()
        # highlighting arrives with kernel.js, asynchronously: wait for the mode to be on
        wait_for(driver, "Jupyter.notebook.codemirror_mode === 'neurodyn' && "
                         "document.querySelectorAll('.input_area .cm-keyword').length > 0",
                 PAGE_TIMEOUT, "the neurodyn CodeMirror mode to highlight the cells")
        cells = driver.execute_script(CELLS_JS)
        kernel = driver.execute_script(
            "return [Jupyter.notebook.kernel.name,"
            " $('#kernel_indicator .kernel_indicator_name').text(),"
            " $('.kernel_indicator_name').text()];")
        full_page_screenshot(driver, os.path.join(ARTIFACTS, "browser_00_start_here.png"))
        links = driver.execute_script("return Jupyter.notebook.kernel.info_reply.help_links;")
        served = {}
        for link in links + [{"url": "/kernelspecs/neurodyn/logo-svg.svg"}]:
            with server.api("GET", link["url"]) as r:
                served[link["url"]] = (r.status, r.read().decode("utf-8", "replace"))

        assert len(links) >= 2, links
        for url, (status, body) in served.items():   # the Help menu's pages exist, offline
            assert status == 200 and ("<title>" in body or "<svg" in body), url
        assert kernel[0] == "neurodyn", f"the notebook runs kernel {kernel[0]!r}"
        assert "neurodyn" in kernel[1], f"the kernel indicator shows {kernel[1]!r}"
        assert len(cells) == len(stored)
        for i, (cell, want) in enumerate(zip(cells, expected_figures)):
            source = stored[i]["source"]
            source = source if isinstance(source, str) else "".join(source)
            where = f"code cell {i} ({source[:50]!r})"
            if "raises-exception" in cell["tags"]:
                assert cell["errors"] >= 1, f"{where} is tagged raises-exception but shows no error"
            else:
                assert cell["errors"] == 0, f"{where} shows an error:\n{cell['error_text']}"
                assert cell["outputs"] >= 1, f"{where} shows no output"
            assert cell["svgs"] >= want, \
                f"{where}: {cell['svgs']} inline SVG figures, the notebook stores {want}"
            assert cell["visible_svgs"] >= want, f"{where}: an SVG figure has no size on the page"
            assert cell["svg_decoded"] >= want, f"{where}: the SVG figure does not decode"
            if source.lstrip().split(None, 1)[0] in ("use", "help", "spikes", "let", "vars"):
                assert cell["highlighted"] > 0, f"{where}: no command highlighted (kernel.js mode)"
        total = sum(c["svgs"] for c in cells)
        assert total >= sum(expected_figures)
        mode = driver.execute_script("return Jupyter.notebook.codemirror_mode;")
        assert mode == "neurodyn", f"the notebook's CodeMirror mode is {mode!r}"
        record("browser: server start (jupyter notebook answers)", t_server - t0)
        record("browser: notebook open + kernel connected", t_ready - t_server)
        record("browser: Run All of 00_start_here.ipynb", t_run - t_ready)
    finally:
        stop_browser(driver)
        server.stop()
    assert not [p for p in server.pids if _alive(p)], "server processes left running"


def test_untrusted_notebook_shows_png():
    installed_spec()
    stored = stored_code_cells()
    expected_figures = [figure_count(c) for c in stored]
    assert sum(expected_figures) >= 1, "00_start_here.ipynb stores no figure"
    notebook_dir, name = copy_notebook()
    server = NotebookServer(notebook_dir)
    driver = None
    try:
        server.start()
        driver = open_notebook(server, name)
        trusted = driver.execute_script("return Jupyter.notebook.trusted;")
        assert trusted is False, "a fresh server must not trust the committed notebook"
        # Let the kernel come up so that the server's processes can be stopped by pid.
        wait_for(driver, "Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                 PAGE_TIMEOUT, "the kernel to connect")
        server.note_processes()
        cells = driver.execute_script(CELLS_JS)
        full_page_screenshot(driver, os.path.join(ARTIFACTS,
                                                  "browser_00_start_here_untrusted.png"))
        assert len(cells) == len(stored)
        for i, (cell, want) in enumerate(zip(cells, expected_figures)):
            assert cell["prompt"].strip() != "In [*]:", f"code cell {i} was executed"
            # The Notebook sanitises untrusted HTML; an <img> of an SVG survives it (an SVG
            # shown as an image runs no script), and where it would not, the PNG is next.
            assert cell["svg_decoded"] + cell["visible_pngs"] >= want, \
                f"code cell {i}: {want} figures stored, fewer drawn untrusted"
            if "raises-exception" not in cell["tags"]:
                assert cell["errors"] == 0, f"code cell {i} shows an error:\n{cell['error_text']}"
    finally:
        stop_browser(driver)
        server.stop()
    assert not [p for p in server.pids if _alive(p)], "server processes left running"


# --- the standard exports, without the project's report template --------------------------

def _stock_html(tmp):
    """00_start_here.ipynb exported by Debian's stock `jupyter nbconvert --to html`."""
    shutil.copy(NOTEBOOK, tmp)
    r = subprocess.run(["jupyter", "nbconvert", "--to", "html", os.path.basename(NOTEBOOK)],
                       cwd=tmp, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return os.path.join(tmp, os.path.basename(NOTEBOOK).replace(".ipynb", ".html"))


def test_stock_nbconvert_html_draws_figures_and_highlights():
    """Stock nbconvert 6.5 drops inline SVG; the figures must still draw (an <img> of the SVG)
    and the cells be highlighted by the installed Pygments lexer 'neurodyn'."""
    stored = stored_code_cells()
    want = sum(figure_count(c) for c in stored)
    with open(NOTEBOOK) as f:
        lang = json.load(f)["metadata"]["language_info"]
    assert lang.get("pygments_lexer") == "neurodyn" and lang.get("codemirror_mode") == "neurodyn"
    page = _stock_html(tmp_path_for("stock-html"))
    driver = start_browser()
    try:
        driver.get("file://" + page)
        wait_for(driver, "document.readyState === 'complete'", PAGE_TIMEOUT, "the page to load")
        seen = driver.execute_script("""
          var imgs = document.querySelectorAll('img[src^="data:image/svg+xml"]');
          return {
            figures: imgs.length,
            drawn: Array.prototype.filter.call(imgs, function (i) {
              var r = i.getBoundingClientRect();
              return i.complete && i.naturalWidth > 100 && r.width > 100 && r.height > 100;
            }).length,
            blank_svg: document.querySelectorAll('.jp-RenderedSVG').length,
            keywords: document.querySelectorAll('.jp-InputArea .highlight .k').length,
            comments: document.querySelectorAll('.jp-InputArea .highlight .c1').length,
            options: document.querySelectorAll('.jp-InputArea .highlight .na').length
          };""")
        full_page_screenshot(driver, os.path.join(ARTIFACTS, "stock_nbconvert_00_start_here.png"))
    finally:
        stop_browser(driver)
    assert want >= 1
    assert seen["figures"] == want and seen["drawn"] == want, seen
    assert seen["blank_svg"] == 0, "an inline SVG output that stock nbconvert draws blank"
    assert seen["keywords"] > 0 and seen["comments"] > 0 and seen["options"] > 0, seen


def test_stock_nbconvert_latex_takes_the_png():
    """`--to latex` used to fail asking for inkscape (an image/svg+xml output); every figure
    must now be included from its PNG."""
    tmp = tmp_path_for("stock-latex")
    shutil.copy(NOTEBOOK, tmp)
    r = subprocess.run(["jupyter", "nbconvert", "--to", "latex", os.path.basename(NOTEBOOK)],
                       cwd=tmp, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    with open(os.path.join(tmp, os.path.basename(NOTEBOOK).replace(".ipynb", ".tex"))) as f:
        tex = f.read()
    figures = sum(figure_count(c) for c in stored_code_cells())
    pngs = re.findall(r"\\(?:includegraphics|adjustimage)\b[^\n]*?\{([^{}\n]+\.png)\}", tex)
    assert len(pngs) == figures, pngs
    for p in pngs:
        with open(os.path.join(tmp, p), "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
