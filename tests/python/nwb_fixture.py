"""NWB test files written with h5py after the published layouts, and nd_nwb_load through
ctypes on build/libneurodyn.so. Shared by test_nwb.py and test_nwb_corrupt.py.

NWB 2: the core schema's groups and attributes (neurodata_type, namespace, object_id on
every typed object; data with unit/conversion/offset/resolution; starting_time with rate
or timestamps; the icephys tables with (idx_start, count, object reference) columns).
NWB 1: the layout of the Allen Cell Types database's ephys.nwb files (nwb_version dataset,
/acquisition/timeseries/Sweep_N, /stimulus/presentation/Sweep_N, /epochs/Sweep_N with
stimulus/response index ranges, /general/generated_by)."""
import ctypes
import os
import uuid

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SO = os.path.join(ROOT, "build", "libneurodyn.so")

STR = h5py.string_dtype()          # variable-length UTF-8, what pynwb writes
REF = h5py.ref_dtype
TSREF = np.dtype([("idx_start", "<i4"), ("count", "<i4"), ("timeseries", REF)])


# ---- NWB 2 ----

def _typed(obj, neurodata_type, namespace="core"):
    obj.attrs["neurodata_type"] = neurodata_type
    obj.attrs["namespace"] = namespace
    obj.attrs["object_id"] = str(uuid.uuid4())


def series_spec(kind, number, data, conversion=1.0, offset=None, resolution=-1.0,
                rate=20000.0, start=0.0, timestamps=None, desc="no description"):
    """One PatchClampSeries: kind is the neurodata_type, data a numpy array (its dtype is
    the one written)."""
    return dict(kind=kind, number=number, data=data, conversion=conversion, offset=offset,
                resolution=resolution, rate=rate, start=start, timestamps=timestamps,
                desc=desc)


UNIT = {"CurrentClampSeries": "volts", "IZeroClampSeries": "volts",
        "VoltageClampSeries": "amperes", "CurrentClampStimulusSeries": "amperes",
        "VoltageClampStimulusSeries": "volts"}


def _write_series(parent, name, spec, electrode, with_number=True):
    g = parent.create_group(name)
    _typed(g, spec["kind"])
    g.attrs["description"] = "no description"
    g.attrs["comments"] = "no comments"
    g.attrs["stimulus_description"] = spec["desc"]
    if with_number:
        g.attrs["sweep_number"] = np.uint32(spec["number"])
    d = g.create_dataset("data", data=spec["data"])
    d.attrs["unit"] = UNIT[spec["kind"]]
    d.attrs["conversion"] = np.float32(spec["conversion"])
    d.attrs["resolution"] = np.float32(spec["resolution"])
    if spec["offset"] is not None:
        d.attrs["offset"] = np.float32(spec["offset"])
    if spec["timestamps"] is not None:
        t = g.create_dataset("timestamps", data=np.asarray(spec["timestamps"], "<f8"))
        t.attrs["interval"] = np.int32(1)
        t.attrs["unit"] = "seconds"
    else:
        t = g.create_dataset("starting_time", data=np.float64(spec["start"]))
        t.attrs["rate"] = np.float32(spec["rate"])
        t.attrs["unit"] = "seconds"
    g["electrode"] = h5py.SoftLink(electrode.name)   # a link, as pynwb writes it
    if spec["kind"] == "CurrentClampSeries":
        g.create_dataset("bias_current", data=np.float32(0.0))
        g.create_dataset("bridge_balance", data=np.float32(1e7))
        g.create_dataset("capacitance_compensation", data=np.float32(0.0))
    return g


def _dynamic_table(g, neurodata_type, colnames, description, nrows):
    _typed(g, neurodata_type)
    g.attrs.create("colnames", colnames, dtype=STR)
    g.attrs["description"] = description
    ids = g.create_dataset("id", data=np.arange(nrows, dtype="<i8"))
    _typed(ids, "ElementIdentifiers", "hdmf-common")


def _icephys_table(f, rows, electrode):
    """rows: (response group, (idx_start, count), stimulus group or None, (idx_start, count))."""
    ice = f["general/intracellular_ephys"]
    t = ice.create_group("intracellular_recordings")
    _typed(t, "IntracellularRecordingsTable")
    t.attrs.create("categories", ["electrodes", "stimuli", "responses"], dtype=STR)
    t.attrs.create("colnames", np.array([], dtype=STR), dtype=STR)
    t.attrs["description"] = ("A table to group together a stimulus and response from a "
                              "single electrode and a single simultaneous recording and for "
                              "storing metadata about the intracellular recording.")
    ids = t.create_dataset("id", data=np.arange(len(rows), dtype="<i8"))
    _typed(ids, "ElementIdentifiers", "hdmf-common")
    el = t.create_group("electrodes")
    _dynamic_table(el, "IntracellularElectrodesTable", ["electrode"],
                   "Table for storing intracellular electrode related metadata.", len(rows))
    col = el.create_dataset("electrode", data=np.array([electrode.ref] * len(rows), dtype=REF))
    _typed(col, "VectorData", "hdmf-common")
    col.attrs["description"] = "Column for storing the reference to the intracellular electrode."
    for sub, tname, cname, pick in (("stimuli", "IntracellularStimuliTable", "stimulus", 2),
                                    ("responses", "IntracellularResponsesTable", "response", 0)):
        g = t.create_group(sub)
        _dynamic_table(g, tname, [cname], f"Table for storing intracellular {cname} "
                       "related metadata.", len(rows))
        values = []
        for row in rows:
            target, window = row[pick], row[pick + 1]
            if target is None:   # no stimulus: the schema points at the response, count -1
                values.append((-1, -1, row[0].ref))
            else:
                values.append((window[0], window[1], target.ref))
        col = g.create_dataset(cname, data=np.array(values, dtype=TSREF))
        _typed(col, "TimeSeriesReferenceVectorData")
        col.attrs["description"] = f"Column storing the reference to the recorded {cname}."


def write_nwb2(path, responses, stimuli, version="2.5.0", table=None, numbered=True):
    """responses/stimuli: {name: series_spec}; table: list of (response name, window,
    stimulus name or None, window) rows, or None for sweep_number pairing only."""
    with h5py.File(path, "w") as f:
        f.attrs["namespace"] = "core"
        f.attrs["neurodata_type"] = "NWBFile"
        f.attrs["nwb_version"] = version
        f.attrs["object_id"] = str(uuid.uuid4())
        f.create_dataset("identifier", data="nd-test-" + os.path.basename(path), dtype=STR)
        f.create_dataset("session_description", data="synthetic patch clamp", dtype=STR)
        f.create_dataset("session_start_time", data="2024-03-05T10:20:30+01:00", dtype=STR)
        f.create_dataset("timestamps_reference_time", data="2024-03-05T10:20:30+01:00",
                         dtype=STR)
        f.create_dataset("file_create_date", data=["2024-03-06T09:00:00+01:00"], dtype=STR)
        for g in ("acquisition", "analysis", "processing", "stimulus/presentation",
                  "stimulus/templates", "general/devices", "general/intracellular_ephys"):
            f.require_group(g)
        amp = f["general/devices"].create_group("amplifier")
        _typed(amp, "Device")
        el = f["general/intracellular_ephys"].create_group("electrode0")
        _typed(el, "IntracellularElectrode")
        el.create_dataset("description", data="whole-cell", dtype=STR)
        el["device"] = h5py.SoftLink(amp.name)
        groups = {}
        for name, spec in responses.items():
            groups[name] = _write_series(f["acquisition"], name, spec, el, numbered)
        for name, spec in stimuli.items():
            groups[name] = _write_series(f["stimulus/presentation"], name, spec, el, numbered)
        if table is not None:
            _icephys_table(f, [(groups[r], rw, groups[s] if s else None, sw)
                               for r, rw, s, sw in table], el)


# ---- NWB 1, the Allen Cell Types layout ----

def _nwb1_series(g, ancestry, data, unit, conversion, rate, start, extra, start_shape=()):
    g.attrs["ancestry"] = np.array([a.encode() for a in ancestry])
    g.attrs["neurodata_type"] = np.bytes_("TimeSeries")
    g.attrs["source"] = np.bytes_("Sweep data from the ephys pipeline")
    g.attrs["description"] = np.bytes_("")
    g.attrs["comments"] = np.bytes_("")
    g.attrs["help"] = np.bytes_("Voltage recorded from cell during current-clamp recording"
                                if unit == b"Volts" else "Stimulus current")
    d = g.create_dataset("data", data=data)
    d.attrs["conversion"] = np.float32(conversion)
    d.attrs["resolution"] = np.float32(np.nan)
    d.attrs["unit"] = np.bytes_(unit)
    t = g.create_dataset("starting_time", data=np.full(start_shape, start, np.float64))
    t.attrs["rate"] = np.float32(rate)
    t.attrs["unit"] = np.bytes_("Seconds")
    g.create_dataset("num_samples", data=np.int32(len(data)))
    for k, v in extra.items():
        g.create_dataset(k, data=v)


def allen_sweep(number, voltage, current, v_conversion=1.0, i_conversion=1.0,
                rate=200000.0, start=0.0, name=b"Long Square", amplitude=110.0):
    """One Allen sweep: voltage and current as stored (their dtypes written as given)."""
    return dict(number=number, voltage=voltage, current=current, v_conversion=v_conversion,
                i_conversion=i_conversion, rate=rate, start=start, name=name,
                amplitude=amplitude)


def write_allen(path, sweeps, pipeline_version="1.1"):
    with h5py.File(path, "w") as f:
        f.create_dataset("nwb_version", data=np.bytes_("NWB-1.0.5"))
        f.create_dataset("identifier", data=np.bytes_("Allen Institute ephys 474626524"))
        f.create_dataset("session_start_time", data=np.bytes_("Thu Jan 21 12:58:14 2016"))
        f.create_dataset("session_description", data=np.bytes_(""))
        f.create_dataset("file_create_date", data=np.array([b"2016-02-26T15:38:51"]))
        gen = f.create_group("general")
        if pipeline_version is not None:
            gen.create_dataset("generated_by", data=np.array(
                [b"program", b"ephys_pipeline", b"version", pipeline_version.encode()]))
        ice = gen.create_group("intracellular_ephys")
        ice.create_dataset("electrode_1", data=np.bytes_(""))
        for s in sweeps:
            sweep = "Sweep_%d" % s["number"]
            acq = f.require_group("acquisition/timeseries").create_group(sweep)
            _nwb1_series(acq, ["TimeSeries", "PatchClampSeries", "CurrentClampSeries"],
                         s["voltage"], b"Volts", s["v_conversion"], s["rate"], s["start"],
                         {"electrode_name": np.bytes_("electrode_1"),
                          "bias_current": np.float32(0), "bridge_balance": np.float32(1.2e7),
                          "capacitance_compensation": np.float32(0),
                          "gain": np.float32(100.0), "initial_access_resistance":
                          np.bytes_("12.1"), "seal": np.bytes_("1.2")},
                         start_shape=(1,))     # some Allen files hold it as [t0]
            stim = f.require_group("stimulus/presentation").create_group(sweep)
            _nwb1_series(stim, ["TimeSeries", "PatchClampSeries", "CurrentClampStimulusSeries"],
                         s["current"], b"Amps", s["i_conversion"], s["rate"], s["start"],
                         {"electrode_name": np.bytes_("electrode_1"),
                          "gain": np.float32(1.0),
                          "aibs_stimulus_amplitude_pa": np.float64(s["amplitude"]),
                          "aibs_stimulus_description": np.bytes_(s["name"] + b"_DA_0"),
                          "aibs_stimulus_interval": np.float64(0),
                          "aibs_stimulus_name": np.bytes_(s["name"])})
            ep = f.require_group("epochs").create_group(sweep)
            ep.attrs["ancestry"] = np.array([b"Epoch"])
            ep.attrs["neurodata_type"] = np.bytes_("Epoch")
            ep.attrs["links"] = np.array([b"'stimulus' is 'stimulus/presentation/%s'"
                                          % sweep.encode(),
                                          b"'response' is 'acquisition/timeseries/%s'"
                                          % sweep.encode()])
            n = len(s["voltage"])
            ep.create_dataset("start_time", data=np.float64(s["start"]))
            ep.create_dataset("stop_time", data=np.float64(s["start"] + n / s["rate"]))
            ep.create_dataset("description", data=np.bytes_(""))
            ep.create_dataset("tags", data=np.array([b""]))
            for role, target in (("stimulus", stim), ("response", acq)):
                r = ep.create_group(role)
                r.create_dataset("idx_start", data=np.int32(0))
                r.create_dataset("count", data=np.int32(n))
                r["timeseries"] = h5py.SoftLink(target.name)


# ---- loading through the shared library ----

class NdError(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("line", ctypes.c_int), ("col", ctypes.c_int),
                ("span", ctypes.c_int), ("msg", ctypes.c_char * 512)]


def library():
    lib = ctypes.CDLL(SO)
    P, S, D, C = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_double, ctypes.c_char_p
    sig = {"nd_nwb_load": (P, [C, ctypes.POINTER(NdError)]), "nd_rec_free": (None, [P]),
           "nd_rec_format": (C, [P]), "nd_rec_channels": (S, [P]), "nd_rec_sweeps": (S, [P]),
           "nd_rec_channel_name": (C, [P, S]), "nd_rec_channel_unit": (C, [P, S]),
           "nd_rec_channel_kind": (ctypes.c_int, [P, S]), "nd_rec_sweep_len": (S, [P, S]),
           "nd_rec_sweep_t0": (D, [P, S]), "nd_rec_sweep_dt": (D, [P, S]),
           "nd_rec_data": (ctypes.POINTER(D), [P, S, S]), "nd_rec_meta": (C, [P, C]),
           "nd_rec_meta_count": (S, [P]), "nd_rec_meta_key": (C, [P, S]),
           "nd_rec_meta_value": (C, [P, S])}
    for name, (res, args) in sig.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def load(lib, path):
    """Returns (recording as a dict, None) or (None, error message)."""
    err = NdError()
    rec = lib.nd_nwb_load(str(path).encode(), ctypes.byref(err))
    if not rec:
        return None, err.msg.decode(errors="replace")
    out = {"format": lib.nd_rec_format(rec).decode(), "channels": [], "sweeps": [],
           "meta": {}}
    for c in range(lib.nd_rec_channels(rec)):
        unit = lib.nd_rec_channel_unit(rec, c)
        out["channels"].append((lib.nd_rec_channel_name(rec, c).decode(),
                                unit.decode() if unit else None,
                                "recorded" if lib.nd_rec_channel_kind(rec, c) == 0 else "command"))
    for s in range(lib.nd_rec_sweeps(rec)):
        n = lib.nd_rec_sweep_len(rec, s)
        out["sweeps"].append({"t0": lib.nd_rec_sweep_t0(rec, s),
                              "dt": lib.nd_rec_sweep_dt(rec, s),
                              "data": [np.ctypeslib.as_array(lib.nd_rec_data(rec, s, c),
                                                             (n,)).copy()
                                       for c in range(lib.nd_rec_channels(rec))]})
    for i in range(lib.nd_rec_meta_count(rec)):
        out["meta"][lib.nd_rec_meta_key(rec, i).decode()] = \
            lib.nd_rec_meta_value(rec, i).decode(errors="replace")
    lib.nd_rec_free(rec)
    return out, None
