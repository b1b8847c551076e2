/* The features of every sweep of a recording: the bridge from lib/data's container to
   the plain arrays of ephys_sweep.c, in the units the definitions are written in. */
#include "ephys.h"

#include "../data/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The factor from channel c's unit to q's model unit (lib/data/units.h: mV, pA); a
   channel without a unit is taken as already there (a model's or a text file's data). */
static nd_status channel_scale(const nd_recording *rec, size_t c, nd_quantity q,
                               const char *what, double *scale, nd_error *err)
{
    if (c >= nd_rec_channels(rec))
        return nd_error_fail(err, ND_EVALUE, "the recording has no channel %zu (it has %zu)",
                             c, nd_rec_channels(rec));
    const char *unit = nd_rec_channel_unit(rec, c);
    if (unit && *unit && nd_unit_quantity(unit, scale) != q)
        return nd_error_fail(err, ND_EVALUE, "channel '%s' is in %s, not a %s",
                             nd_rec_channel_name(rec, c), unit, what);
    if (!unit || !*unit) *scale = 1;
    return ND_OK;
}

void nd_ephys_sweeps_free(nd_ephys_sweep *s, size_t n)
{
    if (!s) return;
    for (size_t k = 0; k < n; k++) nd_ephys_sweep_clear(&s[k]);
    free(s);
}

/* Sweep s of rec as a trace: scaled copies in buf (3 blocks of the sweep's length). */
static nd_ephys_trace sweep_trace(const nd_recording *rec, size_t s, size_t vc, int ic,
                                  double vscale, double iscale, double *buf)
{
    size_t n = nd_rec_sweep_len(rec, s);
    double *t = buf, *v = buf + n, *i = ic >= 0 ? buf + 2 * n : NULL;
    const double *rv = nd_rec_data(rec, s, vc), *ri = i ? nd_rec_data(rec, s, (size_t)ic) : NULL;
    for (size_t k = 0; k < n; k++) {
        t[k] = (double)k * nd_rec_sweep_dt(rec, s);
        v[k] = vscale * rv[k];
        if (i) i[k] = iscale * ri[k];
    }
    return (nd_ephys_trace){t, v, i, n, n, i ? n : 0, NAN, NAN, NAN};
}

nd_status nd_ephys_recording(const nd_recording *rec, size_t v_chan, int i_chan, double start,
                             double end, const nd_ephys_options *o, nd_ephys_sweep **out,
                             nd_error *err)
{
    *out = NULL;
    double vscale, iscale = 1;
    nd_status st = channel_scale(rec, v_chan, ND_Q_POTENTIAL, "voltage", &vscale, err);
    if (st == ND_OK && i_chan >= 0)
        st = channel_scale(rec, (size_t)i_chan, ND_Q_CURRENT, "current", &iscale, err);
    if (st != ND_OK) return st;
    size_t n = nd_rec_sweeps(rec), longest = 1;
    for (size_t s = 0; s < n; s++)
        if (nd_rec_sweep_len(rec, s) > longest) longest = nd_rec_sweep_len(rec, s);
    nd_ephys_sweep *res = calloc(n ? n : 1, sizeof *res);
    double *buf = malloc(3 * longest * sizeof *buf);
    if (!res || !buf) {
        free(res);
        free(buf);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the sweeps' features");
    }
    for (size_t s = 0; s < n && st == ND_OK; s++) {
        nd_ephys_trace tr = sweep_trace(rec, s, v_chan, i_chan, vscale, iscale, buf);
        tr.start = start;
        tr.end = end;
        nd_error e;
        st = nd_ephys_sweep_analyze(&tr, o, &res[s], &e);
        if (st != ND_OK) nd_error_fail(err, st, "sweep %zu: %s", s, e.msg);
    }
    free(buf);
    if (st != ND_OK) {
        nd_ephys_sweeps_free(res, n);
        return st;
    }
    *out = res;
    return ND_OK;
}

nd_status nd_ephys_protocol_window(const nd_recording *rec, size_t i_chan, double *start,
                                   double *end, nd_error *err)
{
    double best = -1;
    for (size_t s = 0; s < nd_rec_sweeps(rec); s++) {
        size_t n = nd_rec_sweep_len(rec, s);
        double *t = malloc(n * sizeof *t);
        if (!t) return nd_error_fail(err, ND_ENOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) t[k] = (double)k * nd_rec_sweep_dt(rec, s);
        nd_ephys_window w;
        /* a sweep without a step (0 pA) is no evidence: skip it */
        if (nd_ephys_stimulus(t, nd_rec_data(rec, s, i_chan), n, &w, NULL) == ND_OK &&
            fabs(w.amplitude) > best) {
            best = fabs(w.amplitude);
            *start = w.start;
            *end = w.end;
        }
        free(t);
    }
    if (best < 0)
        return nd_error_fail(err, ND_EVALUE, "no stimulus step found in any sweep of channel "
                             "'%s'; give the window (window=START..END in ms)",
                             nd_rec_channel_name(rec, i_chan));
    return ND_OK;
}
