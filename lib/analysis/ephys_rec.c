/* The features of every sweep of a recording: the bridge from lib/data's container to
   the plain arrays of ephys_sweep.c, in the units the definitions are written in. */
#include "ephys_impl.h"

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

/* The times of a sweep, (double)k * dt, kept from one sweep to the next while the sample
   interval stays: the sweeps of a protocol share it. */
typedef struct time_axis {
    double *t, dt;
    size_t n;
} time_axis;

/* t of sweep s (len <= the buffer's): rebuilt only when its interval differs. */
static const double *sweep_times(time_axis *ax, const nd_recording *rec, size_t s)
{
    double dt = nd_rec_sweep_dt(rec, s);
    if (dt != ax->dt) {
        for (size_t k = 0; k < ax->n; k++) ax->t[k] = (double)k * dt;
        ax->dt = dt;
    }
    return ax->t;
}

/* Channel c of sweep s in the model unit: the recording's own samples when the scale is
   1 (most files are in mV and pA already), else scaled into buf. */
static const double *scaled(const nd_recording *rec, size_t s, size_t c, double scale,
                            double *buf)
{
    const double *x = nd_rec_data(rec, s, c);
    if (scale == 1) return x;
    for (size_t k = 0; k < nd_rec_sweep_len(rec, s); k++) buf[k] = scale * x[k];
    return buf;
}

/* The longest sweep's sample count (at least 1). */
static size_t longest_sweep(const nd_recording *rec)
{
    size_t longest = 1;
    for (size_t s = 0; s < nd_rec_sweeps(rec); s++)
        if (nd_rec_sweep_len(rec, s) > longest) longest = nd_rec_sweep_len(rec, s);
    return longest;
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
    size_t n = nd_rec_sweeps(rec), longest = longest_sweep(rec);
    nd_ephys_sweep *res = calloc(n ? n : 1, sizeof *res);
    double *buf = malloc(3 * longest * sizeof *buf);
    if (!res || !buf) {
        free(res);
        free(buf);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the sweeps' features");
    }
    time_axis ax = {buf, NAN, longest};
    for (size_t s = 0; s < n && st == ND_OK; s++) {
        size_t len = nd_rec_sweep_len(rec, s);
        const double *t = sweep_times(&ax, rec, s);
        const double *v = scaled(rec, s, v_chan, vscale, buf + longest);
        const double *i = i_chan >= 0 ? scaled(rec, s, (size_t)i_chan, iscale,
                                                buf + 2 * longest) : NULL;
        nd_ephys_trace tr = {t, v, i, len, len, i ? len : 0, start, end, NAN};
        nd_error e;
        st = ephys_sweep_analyze_uniform(&tr, o, &res[s], &e);
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
        size_t n = nd_rec_sweep_len(rec, s), a, b;
        const double *i = nd_rec_data(rec, s, i_chan);
        /* a sweep without a step (0 pA) is no evidence: skip it */
        if (ephys_step(i, n, &a, &b, NULL) != ND_OK) continue;
        double amplitude = fabs(ephys_mean(i, a, b) - i[0]);
        if (amplitude > best) {
            /* the times nd_ephys_stimulus gives on t[k] = k dt, to the last bit */
            double dt = nd_rec_sweep_dt(rec, s), last = (double)(n - 1) * dt;
            best = amplitude;
            *start = (double)a * dt;
            *end = b < n ? (double)b * dt : last + (last - 0.0) / (double)(n - 1);
        }
    }
    if (best < 0)
        return nd_error_fail(err, ND_EVALUE, "no stimulus step found in any sweep of channel "
                             "'%s'; give the window (window=START..END in ms)",
                             nd_rec_channel_name(rec, i_chan));
    return ND_OK;
}
