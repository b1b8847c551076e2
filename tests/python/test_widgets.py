"""interact's sliders over the comm protocol (messaging spec 5.3, "Custom Messages"), with a
real client playing the ipywidgets 6 front end (jupyter-js-widgets 2.1): the kernel opens
the widget models, a slider's new value (comm_msg "backbone") re-runs the block and
replaces its displays in place (update_display_data on the same display ids), comm_info
lists the comms, comm_close forgets them, and bad comm messages crash nothing.

The expected widget states come from the installed ipywidgets 6.0.0 itself (its
FloatSlider's synced traits and __frontend_version__); the expected figures' values from
an independent solve of the FitzHugh–Nagumo equilibrium (numpy's cubic roots).
"""

import json
import os
import statistics
import time

import numpy as np
import pytest

from conftest import record
from jupyter_kernel_test.msgspec_v5 import validate_message

COMM_KEYS = {"comm_open": {"comm_id", "target_name", "data"},
             "comm_msg": {"comm_id", "data"}, "comm_close": {"comm_id", "data"}}


def ipywidgets_slider_state(**kw):
    """The state ipywidgets 6.0.0 itself syncs for FloatSlider(**kw), without a kernel
    (opening its comm is skipped; `layout` is a reference and left out)."""
    import ipywidgets
    from ipywidgets.widgets.widget import Widget
    opened = Widget.open
    Widget.open = lambda self: None
    try:
        s = ipywidgets.FloatSlider(**kw)
        # one key at a time: get_state(list) trips over collections.Iterable on Python 3.12
        state = {k: v for key in s.keys if key != "layout" for k, v in s.get_state(key=key).items()}
        return json.loads(json.dumps(state))   # as it travels: tuples become lists
    finally:
        Widget.open = opened


def frontend_version():
    from ipywidgets._version import __frontend_version__
    return __frontend_version__


def fhn_equilibrium_v(I, a=0.7, b=0.8):
    """v of the FitzHugh–Nagumo equilibrium: v - v^3/3 - (v + a)/b + I = 0 (one real root)."""
    roots = np.roots([-1 / 3, 0, 1 - 1 / b, I - a / b])
    real = roots[np.abs(roots.imag) < 1e-9].real
    assert len(real) == 1
    return float(real[0])


def check(msgs):
    """Validates each message: the spec's schemas, and the comm messages' content keys."""
    for m in msgs:
        if m["msg_type"] in COMM_KEYS:
            assert set(m["content"]) == COMM_KEYS[m["msg_type"]], m
            assert isinstance(m["content"]["comm_id"], str) and isinstance(m["content"]["data"], dict)
        else:
            validate_message(m)


def nd_json(msg):
    return msg["content"]["data"]["application/vnd.neurodyn+json"]


class Interact:
    """An interact cell's comms and displays, as the front end sees them."""

    def __init__(self, kernel, code):
        msg_id = kernel.send_execute(code)
        r = kernel.finish(msg_id, validate=False)
        assert r.status == "ok", r.content
        check(r.iopub)
        self.reply = r
        self.opens = {m["content"]["comm_id"]: m["content"] for m in r.of_type("comm_open")}
        for c in self.opens.values():
            # the state travels flat (ipywidgets 6) and under "state" with "buffer_paths"
            # (what nbclient reads when it executes a notebook): both, equal
            data = dict(c["data"])
            state, paths = data.pop("state"), data.pop("buffer_paths")
            assert state == data and paths == []
            c["data"] = data
        models = {cid: c["data"]["_model_name"] for cid, c in self.opens.items()}
        self.sliders = [cid for cid, name in models.items() if name == "FloatSliderModel"]
        self.boxes = [cid for cid, name in models.items() if name == "VBoxModel"]
        self.displays = [m for m in r.of_type("display_data") if "transient" in m["content"]]
        self.ids = [m["content"]["transient"]["display_id"] for m in self.displays]

    def move(self, kernel, value, slider=0):
        """Sends a slider's new value as jupyter-js-widgets 2.1 does; returns its iopub."""
        msg_id = kernel.send("comm_msg", {"comm_id": self.sliders[slider],
                                          "data": {"method": "backbone",
                                                   "sync_data": {"value": value}}})
        iopub = kernel.wait_idle(msg_id)
        check(iopub)
        return msg_id, iopub


def unparented_updates(kernel):
    """update_display_data messages published without a parent (the settling full runs)."""
    return [m for m in kernel.iopub[None] if m["msg_type"] == "update_display_data"]


@pytest.fixture(scope="module")
def fhn(kernel):
    kernel.ok("use fhn")
    return Interact(kernel, "interact I=0..2 step=0.01 { fixed }")


def test_the_models_are_those_of_ipywidgets_6(fhn):
    assert len(fhn.opens) == 4 and len(fhn.sliders) == 1 and len(fhn.boxes) == 1
    for c in fhn.opens.values():
        assert c["target_name"] == "jupyter.widget"
        assert c["data"]["_model_module"] == "jupyter-js-widgets"
        assert c["data"]["_model_module_version"] == frontend_version()
    slider = dict(fhn.opens[fhn.sliders[0]]["data"])
    layout = slider.pop("layout")
    assert slider == ipywidgets_slider_state(value=0, min=0, max=2, step=0.01, description="I")
    assert layout.startswith("IPY_MODEL_")
    assert fhn.opens[layout[len("IPY_MODEL_"):]]["data"]["_model_name"] == "LayoutModel"
    box = fhn.opens[fhn.boxes[0]]["data"]
    assert box["_view_name"] == "VBoxView"
    assert box["children"] == ["IPY_MODEL_" + fhn.sliders[0]]


def test_the_box_is_displayed_in_the_cell(fhn):
    execute_id = fhn.reply.msg["parent_header"]["msg_id"]
    shows = [m for m in fhn.reply.of_type("comm_msg") if m["content"]["data"] == {"method": "display"}]
    assert [m["content"]["comm_id"] for m in shows] == fhn.boxes
    assert shows[0]["parent_header"]["msg_id"] == execute_id
    # the outputs are ordinary displays (they stay in a saved notebook), not widgets
    assert len(fhn.displays) == 2 and len(set(fhn.ids)) == 2
    head, table = (nd_json(m) for m in fhn.displays)
    assert head["type"] == "interact" and head["sliders"][0]["value"] == 0
    assert table["points"][0]["state"]["v"] == pytest.approx(fhn_equilibrium_v(0), abs=1e-6)


def test_moving_the_slider_updates_the_displays_in_place(kernel, fhn):
    settled = len(unparented_updates(kernel))
    msg_id, iopub = fhn.move(kernel, 1.0)
    states = [m["content"]["execution_state"] for m in iopub if m["msg_type"] == "status"]
    assert states == ["busy", "idle"]
    assert all(m["parent_header"]["msg_id"] == msg_id for m in iopub)
    updates = [m for m in iopub if m["msg_type"] == "update_display_data"]
    assert [m["content"]["transient"]["display_id"] for m in updates] == fhn.ids
    assert not [m for m in iopub if m["msg_type"] in ("display_data", "stream", "error")]
    head, table = (m["content"]["data"] for m in updates)
    assert head["text/plain"] != fhn.displays[0]["content"]["data"]["text/plain"]
    assert "I = 1.00" in head["text/plain"]
    t = table["application/vnd.neurodyn+json"]
    assert t["parameters"]["I"] == 1.0
    assert t["points"][0]["state"]["v"] == pytest.approx(fhn_equilibrium_v(1.0), abs=1e-6)
    # the value was in range: nothing is sent back to the slider
    assert not [m for m in iopub if m["msg_type"] == "comm_msg"]
    # the parameter itself is untouched outside the interact's runs
    r = kernel.ok("fixed")
    v = [m for m in r.of_type("display_data")][-1]["content"]["data"]
    assert v["application/vnd.neurodyn+json"]["parameters"]["I"] == 0
    # the full run owed to the moved slider came first, before the cell, without a parent
    head, table = unparented_updates(kernel)[settled:]
    assert [m["content"]["transient"]["display_id"] for m in (head, table)] == fhn.ids
    assert nd_json(head)["sliders"][0]["value"] == 1.0
    assert kernel.seen.index(table) < kernel.seen.index(r.iopub[0])


def test_an_out_of_range_value_is_clamped_and_sent_back(kernel, fhn):
    _, iopub = fhn.move(kernel, 7.5)
    back = [m["content"] for m in iopub if m["msg_type"] == "comm_msg"]
    assert back == [{"comm_id": fhn.sliders[0],
                     "data": {"method": "update", "state": {"value": 2.0}, "buffers": []}}]
    table = [m for m in iopub if m["msg_type"] == "update_display_data"][1]
    assert nd_json(table)["points"][0]["state"]["v"] == pytest.approx(fhn_equilibrium_v(2.0), abs=1e-6)


def test_request_state_answers_the_full_state(kernel, fhn):
    msg_id = kernel.send("comm_msg", {"comm_id": fhn.sliders[0], "data": {"method": "request_state"}})
    iopub = kernel.wait_idle(msg_id)
    check(iopub)
    (back,) = [m["content"]["data"] for m in iopub if m["msg_type"] == "comm_msg"]
    assert back["method"] == "update" and back["buffers"] == []
    expected = dict(fhn.opens[fhn.sliders[0]]["data"], value=2.0)   # the last value used
    assert back["state"] == expected


def test_comm_info_lists_the_comms(kernel, fhn):
    r = kernel.request("comm_info_request", {})
    assert r.status == "ok"
    for cid in fhn.opens:
        assert r.content["comms"][cid] == {"target_name": "jupyter.widget"}
    r = kernel.request("comm_info_request", {"target_name": "jupyter.widget"})
    assert set(fhn.opens) <= set(r.content["comms"])
    r = kernel.request("comm_info_request", {"target_name": "no.such.target"})
    assert r.content["comms"] == {}
    r = kernel.request("comm_info_request", {}, channel="control")
    assert set(fhn.opens) <= set(r.content["comms"])


def test_the_version_check_is_answered(kernel):
    msg_id = kernel.send("comm_open", {"comm_id": "v-check", "target_name": "jupyter.widget.version",
                                       "data": {}})
    iopub = kernel.wait_idle(msg_id)
    check(iopub)
    (m,) = [m for m in iopub if m["msg_type"] == "comm_msg"]
    assert m["content"] == {"comm_id": "v-check", "data": {"version": frontend_version()}}
    # the front end's answer is taken quietly
    msg_id = kernel.send("comm_msg", {"comm_id": "v-check",
                                      "data": {"validated": True, "frontend_version": "2.1.4"}})
    assert [m["msg_type"] for m in kernel.wait_idle(msg_id)] == ["status", "status"]


def test_a_reloaded_page_takes_its_comms_back(kernel, fhn):
    # jupyter-js-widgets opens a comm with the id of each comm_info entry, then asks its state
    msg_id = kernel.send("comm_open", {"comm_id": fhn.sliders[0], "target_name": "jupyter.widget",
                                       "data": {}})
    assert not [m for m in kernel.wait_idle(msg_id) if m["msg_type"] == "comm_close"]


def test_rerun_errors_show_in_place_and_the_kernel_carries_on(kernel):
    it = Interact(kernel, 'interact n=0..4 step=0.5 {\n  repeat n { print "x" }\n}')
    assert it.displays[1]["content"]["data"]["text/plain"] == "x\nx\n"
    _, iopub = it.move(kernel, 2.5)
    updates = [m for m in iopub if m["msg_type"] == "update_display_data"]
    assert [m["content"]["transient"]["display_id"] for m in updates] == it.ids
    assert "ValueError: repeat expects a whole number" in updates[1]["content"]["data"]["text/plain"]
    assert nd_json(updates[1])["ename"] == "ValueError"
    _, iopub = it.move(kernel, 3)
    updates = [m for m in iopub if m["msg_type"] == "update_display_data"]
    assert updates[1]["content"]["data"]["text/plain"] == "x\nx\nx\n"


def test_comm_close_forgets_and_bad_messages_crash_nothing(fresh_kernel):
    k = fresh_kernel
    k.ok("use fhn")
    it = Interact(k, "interact I=0..2 { fixed }")
    bad = [
        {"comm_id": "no-such-comm", "data": {"method": "backbone", "sync_data": {"value": 1}}},
        {"data": {"method": "backbone"}},
        {"comm_id": 42, "data": {}},
        {"comm_id": it.sliders[0], "data": "not an object"},
        {"comm_id": it.sliders[0], "data": {"method": "backbone", "sync_data": {"value": "big"}}},
        {"comm_id": it.sliders[0], "data": {"method": "backbone", "sync_data": [1, 2]}},
        {"comm_id": it.sliders[0], "data": {"method": "nonsense"}},
        {"comm_id": it.boxes[0], "data": {"method": "backbone", "sync_data": {"value": 1}}},
    ]
    for content in bad:
        msg_id = k.send("comm_msg", content)
        iopub = k.wait_idle(msg_id)
        assert not [m for m in iopub if m["msg_type"] == "update_display_data"], content
    for content in ({"comm_id": "no-such-comm", "data": {}}, {}):
        k.wait_idle(k.send("comm_close", content))
    k.wait_idle(k.send("comm_close", {"comm_id": it.sliders[0], "data": {}}))
    comms = k.request("comm_info_request", {}).content["comms"]
    assert it.sliders[0] not in comms and it.boxes[0] in comms
    msg_id = k.send("comm_msg", {"comm_id": it.sliders[0],
                                 "data": {"method": "backbone", "sync_data": {"value": 1}}})
    assert [m["msg_type"] for m in k.wait_idle(msg_id)] == ["status", "status"]
    assert k.ok("1 + 1").text == "2"
    assert k.exit_status() is None
    log = k.stderr_text()
    assert "ignored a comm_msg for an unknown comm (comm 'no-such-comm')" in log
    assert "ignored a comm_close for an unknown comm" in log


def cpu_seconds(pid):
    """CPU time of a process and its reaped children (gnuplot): utime + stime + cutime +
    cstime from /proc/PID/stat."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def test_hh_rinzel_phase_portrait_redraw_time(kernel):
    """Measures (no threshold) how long a slider move takes while dragging, from the client's
    send to the kernel's idle: the phase portrait of hh_rinzel, recomputed and redrawn as a
    draft (SVG only); then the slider rests and the full figure (with its PNG) follows."""
    kernel.ok("use hh_rinzel")
    it = Interact(kernel, "interact I=0..20 gK=20..40 { phase V n }")
    assert "image/png" in it.displays[1]["content"]["data"]
    settled = len(unparented_updates(kernel))
    times, kernel_times = [], []
    cpu0 = cpu_seconds(kernel.process.pid)
    for i in range(12):
        t0 = time.perf_counter()
        _, iopub = it.move(kernel, 2.0 + i, slider=0)
        times.append(time.perf_counter() - t0)
        # kernel time: from its busy to its idle, by the dates in their headers
        busy, idle = [m["header"]["date"] for m in iopub if m["msg_type"] == "status"]
        kernel_times.append((idle - busy).total_seconds())
        updates = [m for m in iopub if m["msg_type"] == "update_display_data"]
        assert len(updates) == 2
        figure = updates[1]["content"]["data"]
        assert "image/png" not in figure and "data:image/svg+xml;base64," in figure["text/html"]
    record("interact: hh_rinzel phase portrait, kernel CPU (with gnuplot) per move",
           (cpu_seconds(kernel.process.pid) - cpu0) / len(times))
    record("interact: hh_rinzel phase portrait, kernel busy→idle per move (median)",
           statistics.median(kernel_times))
    record("interact: hh_rinzel phase portrait, client send→idle per move (median)",
           statistics.median(times))
    # At rest, the last value's figure is completed in place, PNG included.
    deadline = time.monotonic() + 10
    while len(unparented_updates(kernel)) < settled + 2 and time.monotonic() < deadline:
        kernel._pump_iopub(0.1)
    head, figure = unparented_updates(kernel)[settled:settled + 2]
    assert [m["content"]["transient"]["display_id"] for m in (head, figure)] == it.ids
    assert "I = 13.0 " in head["content"]["data"]["text/plain"]
    assert "image/png" in figure["content"]["data"]
