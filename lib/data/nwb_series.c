/* One NWB TimeSeries group read into mV or pA: "data" with its unit, conversion, offset and
   resolution attributes, and its times from "starting_time" (its "rate") or "timestamps". */
#include "nwb_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int nwb_unit_parse(const char *unit, double *scale)
{
    static const struct { const char *name; nwb_quantity q; double scale; } units[] = {
        {"volts", NWB_POTENTIAL, 1e3}, {"volt", NWB_POTENTIAL, 1e3}, {"v", NWB_POTENTIAL, 1e3},
        {"millivolts", NWB_POTENTIAL, 1}, {"millivolt", NWB_POTENTIAL, 1}, {"mv", NWB_POTENTIAL, 1},
        {"microvolts", NWB_POTENTIAL, 1e-3}, {"uv", NWB_POTENTIAL, 1e-3},
        {"amperes", NWB_CURRENT, 1e12}, {"ampere", NWB_CURRENT, 1e12}, {"amps", NWB_CURRENT, 1e12},
        {"amp", NWB_CURRENT, 1e12}, {"a", NWB_CURRENT, 1e12},
        {"milliamperes", NWB_CURRENT, 1e9}, {"ma", NWB_CURRENT, 1e9},
        {"microamperes", NWB_CURRENT, 1e6}, {"ua", NWB_CURRENT, 1e6},
        {"nanoamperes", NWB_CURRENT, 1e3}, {"na", NWB_CURRENT, 1e3},
        {"picoamperes", NWB_CURRENT, 1}, {"pa", NWB_CURRENT, 1},
    };
    for (size_t k = 0; unit && k < sizeof units / sizeof units[0]; k++)
        if (strcasecmp(unit, units[k].name) == 0) {
            *scale = units[k].scale;
            return (int)units[k].q;
        }
    return -1;
}

void nwb_series_free(nwb_series *s)
{
    free(s->values);
    memset(s, 0, sizeof *s);
}

/* Reads the optional finite attribute name of obj into *out (left as is when absent); -1
   with err when present but not a finite number. */
static int optional_attr(hid_t obj, const char *name, double *out, const char *path,
                         nd_error *err)
{
    if (H5Aexists(obj, name) <= 0) return 0;
    double v;
    if (nwb_h5_attr_num(obj, name, &v) != 0 || !isfinite(v)) {
        nd_error_fail(err, ND_EVALUE, "%s: attribute %s is not a finite number", path, name);
        return -1;
    }
    *out = v;
    return 0;
}

/* Fills t0 and dt (ms) from starting_time and rate, or from equally spaced timestamps of
   n samples. */
static int read_times(hid_t file, const char *path, size_t n, nwb_series *s, nd_error *err)
{
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/starting_time", path);
    if (nwb_h5_exists(file, sub)) {
        double t0, rate;
        hid_t d = H5Dopen2(file, sub, H5P_DEFAULT);
        int ok = d >= 0 && nwb_h5_attr_num(d, "rate", &rate) == 0;
        if (d >= 0) H5Dclose(d);
        if (!ok) {
            nd_error_fail(err, ND_EVALUE, "series %s: starting_time has no rate attribute", path);
            return -1;
        }
        if (!(rate > 0) || !isfinite(rate)) {
            nd_error_fail(err, ND_EVALUE, "series %s: rate %g Hz is not a positive number",
                          path, rate);
            return -1;
        }
        if (nwb_h5_dset_num(file, sub, &t0) != 0 || !isfinite(t0)) {
            nd_error_fail(err, ND_EVALUE, "series %s: starting_time is not a number", path);
            return -1;
        }
        s->t0 = 1e3 * t0;
        s->dt = 1e3 / rate;
        return 0;
    }
    snprintf(sub, sizeof sub, "%s/timestamps", path);
    if (!nwb_h5_exists(file, sub)) {
        nd_error_fail(err, ND_EVALUE, "series %s has no rate: neither starting_time (with "
                      "its rate) nor timestamps", path);
        return -1;
    }
    size_t m = 0;
    double *t = nwb_h5_dset_vector(file, sub, &m, err);
    if (!t) return -1;
    int rc = -1;
    double step = m > 1 ? (t[m - 1] - t[0]) / (double)(m - 1) : 0;
    if (m != n) {
        nd_error_fail(err, ND_EVALUE, "series %s: %zu timestamps for %zu samples", path, m, n);
    } else if (!(step > 0) || !isfinite(step) || !isfinite(t[0])) {
        nd_error_fail(err, ND_EVALUE, "series %s: its timestamps do not give a sampling "
                      "interval (one sample, or not increasing)", path);
    } else {
        size_t bad = m;
        for (size_t k = 0; k < m && bad == m; k++)
            if (!(fabs(t[k] - (t[0] + (double)k * step)) <= 1e-3 * step)) bad = k;
        if (bad < m)
            nd_error_fail(err, ND_EVALUE, "series %s: timestamps are not equally spaced (sample "
                          "%zu at %.9g s, %.9g s expected); unequal sampling is not supported",
                          path, bad, t[bad], t[0] + (double)bad * step);
        else {
            s->t0 = 1e3 * t[0];
            s->dt = 1e3 * step;
            rc = 0;
        }
    }
    free(t);
    return rc;
}

int nwb_series_read(hid_t file, const char *path, int use_conversion, nwb_series *out,
                    nd_error *err)
{
    memset(out, 0, sizeof *out);
    char data[1024];
    snprintf(data, sizeof data, "%s/data", path);
    if (!nwb_h5_exists(file, data)) {
        nd_error_fail(err, ND_EVALUE, "series %s has no data", path);
        return -1;
    }
    hid_t d = H5Dopen2(file, data, H5P_DEFAULT);
    if (d < 0) {
        nd_error_fail(err, ND_EVALUE, "series %s: data is not a dataset", path);
        return -1;
    }
    char *unit = nwb_h5_attr_str(d, "unit");
    if (!unit) unit = nwb_h5_attr_str(d, "units");
    double scale = 1, conversion = 1, offset = 0, resolution = -1;
    int q = nwb_unit_parse(unit, &scale);
    int rc = -1;
    if (!unit)
        nd_error_fail(err, ND_EVALUE, "series %s: data has no unit attribute", path);
    else if (q < 0)
        nd_error_fail(err, ND_EVALUE, "series %s: unit '%s' is neither a potential (volts) "
                      "nor a current (amperes)", path, unit);
    else if (optional_attr(d, "conversion", &conversion, data, err) == 0 &&
             optional_attr(d, "offset", &offset, data, err) == 0)
        rc = 0;
    /* -1 or NaN (NWB 1 writers) both mean "unknown" */
    if (nwb_h5_attr_num(d, "resolution", &resolution) != 0 || !isfinite(resolution))
        resolution = -1;
    H5Dclose(d);
    free(unit);
    if (rc != 0) return -1;
    if (!use_conversion) conversion = 1;
    size_t n = 0;
    double *v = nwb_h5_dset_vector(file, data, &n, err);
    if (!v) return -1;
    for (size_t k = 0; k < n; k++) v[k] = (v[k] * conversion + offset) * scale;
    out->values = v;
    out->n = n;
    out->quantity = (nwb_quantity)q;
    out->resolution = resolution >= 0 ? resolution * scale : -1;
    if (read_times(file, path, n, out, err) != 0) {
        nwb_series_free(out);
        return -1;
    }
    return 0;
}

int nwb_series_window(nwb_series *s, long start, long count, const char *path, nd_error *err)
{
    if (start < 0 || count < 1 || (size_t)start > s->n || (size_t)count > s->n - (size_t)start) {
        nd_error_fail(err, ND_EVALUE, "series %s: the window of %ld samples from %ld does not "
                      "fit its %zu samples", path, count, start, s->n);
        return -1;
    }
    if (start > 0) memmove(s->values, s->values + start, (size_t)count * sizeof *s->values);
    s->n = (size_t)count;
    s->t0 += (double)start * s->dt;
    return 0;
}
