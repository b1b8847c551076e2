"""interact's sliders in a real browser: the classic Notebook (Debian jupyter-notebook 6.4) with
Debian's jupyter-js-widgets 2.1 nbextension (ipywidgets 6), driven by headless Chromium
through python3-selenium, as in test_browser.py (whose server and browser helpers this uses).

test_dragging_a_slider_redraws_the_figure: a notebook with one cell
`interact I=0..20 gK=20..40 { phase V n }` on hh_rinzel is run; the two sliders must show
(jQuery UI sliders in the cell's widget area, labelled I and gK, at the parameters'
values); the I slider's handle is dragged with the mouse, and the figure must be replaced
in place by another one (a different image) whose heading gives the new value of I, in
the same output (no new outputs appended). Screenshots: build/test-artifacts/
browser_interact_before.png and browser_interact_after.png.

The widgets nbextension is enabled in a private Jupyter config directory given to the test
server only (JUPYTER_CONFIG_DIR), so the test does not depend on, nor touch, the user's or
the system's notebook configuration."""
import json
import os
import re
import subprocess
import time

import pytest

from conftest import installed_spec, record, tmp_path_for
from test_browser import (ARTIFACTS, PAGE_TIMEOUT, NotebookServer, _alive, full_page_screenshot,
                          open_notebook, pytestmark, stop_browser, wait_for)  # noqa: F401

WIDGETS_JS = "/usr/share/jupyter/nbextensions/jupyter-js-widgets/extension.js"
CELL = "use hh_rinzel\ninteract I=0..20 gK=20..40 {\n  phase V n\n}"

try:
    from selenium.webdriver.common.action_chains import ActionChains
except ImportError:  # pragma: no cover - pytestmark skips the module then
    ActionChains = None

# What the cell shows: its sliders, the heading line of the interact and its figure.
STATE_JS = """
var el = Jupyter.notebook.get_cell(0).element[0];
var imgs = el.querySelectorAll('.output_area .output_html img.nd-figure');
var head = el.querySelector('.output_area .nd-interact');
return {
  sliders: Array.prototype.map.call(el.querySelectorAll('.widget-area .widget-hslider'),
    function (s) { var l = s.querySelector('.widget-label');
                   var r = s.querySelector('.widget-readout');
                   return [l ? l.textContent : '', r ? r.textContent : '']; }),
  handles: el.querySelectorAll('.widget-area .ui-slider-handle').length,
  figures: imgs.length,
  src: imgs.length ? imgs[0].getAttribute('src') : '',
  decoded: imgs.length ? (imgs[0].complete && imgs[0].naturalWidth > 0) : false,
  heading: head ? head.textContent : '',
  outputs: el.querySelectorAll('.output_area').length,
  errors: el.querySelectorAll('.output_error').length,
  busy: Jupyter.notebook.kernel_busy
};
"""


def when(cond):
    """A JavaScript expression: cond (over s, the cell's state) when it holds, else null."""
    return "(function () { var s = (function () {%s})(); return (%s) ? s : null; })()" % (
        STATE_JS, cond)


def joined(output, mime):
    """An output's text for mime (nbformat may store it as a list of lines)."""
    text = output.get("data", {}).get(mime, "")
    return "".join(text) if isinstance(text, list) else text


def stock_html(directory, name):
    """The notebook as Debian's stock `jupyter nbconvert --to html` writes it."""
    r = subprocess.run(["jupyter", "nbconvert", "--to", "html", "--stdout", name], cwd=directory,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def write_notebook(directory):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                     "outputs": [], "source": CELL}],
          "metadata": {"kernelspec": {"name": "neurodyn", "display_name": "neurodyn",
                                      "language": "neurodyn"}},
          "nbformat": 4, "nbformat_minor": 5}
    with open(os.path.join(directory, "interact.ipynb"), "w") as f:
        json.dump(nb, f)
    return "interact.ipynb"


def widgets_config_dir():
    """A Jupyter config dir that enables the widgets nbextension for the Notebook."""
    d = tmp_path_for("jupyter-config")
    os.makedirs(os.path.join(d, "nbconfig"))
    with open(os.path.join(d, "nbconfig", "notebook.json"), "w") as f:
        json.dump({"load_extensions": {"jupyter-js-widgets/extension": True}}, f)
    return d


def start_server(notebook_dir):
    server = NotebookServer(notebook_dir)
    saved = os.environ.get("JUPYTER_CONFIG_DIR")
    os.environ["JUPYTER_CONFIG_DIR"] = widgets_config_dir()   # read by the server at start
    try:
        server.start()
    finally:
        if saved is None:
            del os.environ["JUPYTER_CONFIG_DIR"]
        else:
            os.environ["JUPYTER_CONFIG_DIR"] = saved
    return server


@pytest.mark.skipif(not os.path.exists(WIDGETS_JS),
                    reason="needs Debian's jupyter-nbextension-jupyter-js-widgets")
def test_dragging_a_slider_redraws_the_figure():
    installed_spec()
    notebook_dir = tmp_path_for("interact-notebook")
    name = write_notebook(notebook_dir)
    server = start_server(notebook_dir)
    driver = None
    try:
        driver = open_notebook(server, name)
        wait_for(driver, "Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
                 " && !!Jupyter.notebook.kernel.widget_manager", PAGE_TIMEOUT,
                 "the kernel to connect with the widget manager (jupyter-js-widgets)")
        server.note_processes()
        driver.execute_script("Jupyter.notebook.get_cell(0).execute();")
        wait_for(driver, when("s.handles === 2 && s.decoded && !s.busy"), PAGE_TIMEOUT,
                 "the sliders and the figure")
        before = driver.execute_script(STATE_JS)
        full_page_screenshot(driver, os.path.join(ARTIFACTS, "browser_interact_before.png"))
        assert [s[0] for s in before["sliders"]] == ["I", "gK"]
        # The sliders start at hh_rinzel's parameters (I = 0 µA/cm², gK = 36 mS/cm²).
        assert [float(s[1]) for s in before["sliders"]] == [0.0, 36.0]
        assert before["figures"] == 1 and before["errors"] == 0
        assert "I = 0.0 (0 \u2026 20)" in before["heading"]

        # Drag the I slider's handle a third of the way along its track.
        handle = driver.find_elements("css selector", ".widget-area .ui-slider-handle")[0]
        track = handle.find_element("xpath", "..")
        width = track.size["width"]
        t0 = time.monotonic()
        ActionChains(driver).click_and_hold(handle).move_by_offset(width // 6, 0) \
            .move_by_offset(width // 6, 0).release().perform()
        after = wait_for(driver, when("!s.busy && s.decoded && s.src !== %s && "
                                      "s.heading.indexOf('I = 0.0 ') < 0" % json.dumps(before["src"])),
                         PAGE_TIMEOUT, "the figure to change after the drag")
        t_redraw = time.monotonic() - t0
        full_page_screenshot(driver, os.path.join(ARTIFACTS, "browser_interact_after.png"))

        readout = float(after["sliders"][0][1])
        assert 3.0 <= readout <= 17.0, f"the I slider reads {readout} after the drag"
        m = re.search(r"I = ([0-9.]+) \(0 \u2026 20\)", after["heading"])
        assert m, after["heading"]
        # the figure shows the value the slider shows (after the last update of the drag)
        wait_for(driver, when("!s.busy && s.heading.indexOf('I = ' + s.sliders[0][1] + ' ') >= 0"),
                 PAGE_TIMEOUT, "the heading to give the slider's value")
        assert after["figures"] == 1 and after["outputs"] == before["outputs"]
        assert after["errors"] == 0
        record("browser: slider drag to redrawn figure", t_redraw)

        # At rest the figure is completed (PNG again); saved, the notebook keeps the last
        # values' line and figure as ordinary outputs, which stock nbconvert draws.
        wait_for(driver, "Jupyter.notebook.get_cell(0).output_area.outputs.some(function (o) {"
                 " return o.data && o.data['image/png']; })", PAGE_TIMEOUT,
                 "the completed figure (with its PNG) after the slider rested")
        value = driver.execute_script(STATE_JS)["sliders"][0][1]
        driver.execute_script("Jupyter.notebook.save_notebook();")
        path = os.path.join(notebook_dir, name)
        deadline = time.monotonic() + PAGE_TIMEOUT
        while True:
            try:
                with open(path) as f:
                    saved = json.load(f)
            except ValueError:   # caught while the server writes it
                assert time.monotonic() < deadline, f"{path} is not valid JSON"
                time.sleep(0.2)
                continue
            texts = [joined(o, "text/plain") for o in saved["cells"][0]["outputs"]]
            if any(f"I = {value} " in t for t in texts) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        outputs = saved["cells"][0]["outputs"]
        assert any(t.startswith(f"interact: I = {value} (0 \u2026 20)") for t in texts), texts
        figures = [o for o in outputs if "image/png" in o.get("data", {})]
        assert [o["output_type"] for o in outputs] == ["stream", "display_data", "display_data"]
        assert len(figures) == 1
        assert "data:image/svg+xml;base64," in joined(figures[0], "text/html")
        html = stock_html(notebook_dir, name)
        assert f"I = {value} (0 \u2026 20)" in html and 'img class="nd-figure"' in html
    finally:
        stop_browser(driver)
        server.stop()
    assert not [p for p in server.pids if _alive(p)], "server processes left running"
