/* One point of a parameter sweep: its parameters and initial state set from the grid,
   then one measurement. Each worker owns a copy of the model (nd_model_copy: the
   definition and its compiled code shared read-only — nd_code keeps no mutable state, and
   native code is compiled when the model is made, never here — the values its own), a
   parameter vector and an initial state. Nothing here draws: gnuplot runs on the calling
   thread, after. */
#include "psweep_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/ephys.h"
#include "../analysis/equilibria.h"
#include "../analysis/spikes.h"
#include "simulate.h"

/* A worker's own model (a copy: its compiled code shared, its values its own) and the
   parameter vector and initial state of the point it runs. */
typedef struct worker {
    const nd_psweep_job *j;
    nd_model *m;
    double *p, *y0;
} worker;

void *nd_psweep_worker_new(void *ctx, nd_error *err)
{
    const nd_psweep_job *j = ctx;
    worker *w = calloc(1, sizeof *w);
    if (w) {
        w->j = j;
        w->m = nd_model_copy(j->m);
        w->p = malloc((j->np ? j->np : 1) * sizeof *w->p);
        w->y0 = malloc(j->ns * sizeof *w->y0);
    }
    if (!w || !w->m || !w->p || !w->y0) {
        nd_psweep_worker_free(w);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    return w;
}

void nd_psweep_worker_free(void *ptr)
{
    worker *w = ptr;
    if (!w) return;
    nd_model_free(w->m);
    free(w->p);
    free(w->y0);
    free(w);
}

/* The measured columns of a spike train (rate: rate; spikes: spikes, rate, isi_mean,
   isi_cv, peak_mean) from the spikes after the transient. The rate is steady: from the
   mean interval, 0 below two spikes or when the train stopped (the last spike more than
   two intervals before the end, as nd_fi_sweep decides). */
static void spike_columns(const nd_spikes *s, const nd_psweep_job *j, double t_end, double *out)
{
    size_t first = 0;
    while (first < s->n && s->times[first] < j->o->transient) first++;
    nd_spikes w = *s;
    w.n = s->n - first;
    w.times += first;
    w.peaks += first;
    w.peak_times += first;
    double isi = nd_spikes_isi_mean(&w);
    int steady = w.n >= 2 && isi > 0 && t_end - w.times[w.n - 1] <= 2 * isi;
    double rate = steady ? j->scale / isi : 0;
    if (j->o->measure == ND_PSWEEP_RATE) {
        out[0] = rate;
        return;
    }
    double peak = 0;
    for (size_t k = 0; k < w.n; k++) peak += w.peaks[k];
    out[0] = (double)w.n;
    out[1] = rate;
    out[2] = isi;
    out[3] = nd_spikes_isi_cv(&w);
    out[4] = w.n ? peak / (double)w.n : NAN;
}

/* Samples fine enough for dV/dt (ipfx's definitions): a twentieth of simulate's default
   interval, 0.01 to 0.025 ms for the default 1200 ms of HH. */
#define FEATURE_OVERSAMPLING 20

/* The features of the window [transient, t_end] of v(t) (ipfx's definitions, with the
   window as the stimulus: its rate is the count over the window, its latency from the
   window's start); the first spike's shape. ND_EVALUE from the analysis leaves nan. */
static nd_status feature_columns(const nd_dataset *ds, const nd_psweep_job *j, double t_end,
                                 double *out, nd_error *err)
{
    nd_ephys_trace tr = {nd_ds_col(ds, 0), nd_ds_col(ds, (size_t)j->o->var + 1), NULL,
                         nd_ds_rows(ds), nd_ds_rows(ds), 0, j->o->transient, t_end, NAN};
    nd_ephys_sweep sw = {0};
    nd_status st = nd_ephys_sweep_analyze(&tr, NULL, &sw, err);
    if (st == ND_OK) {
        const nd_ephys_spike *f = sw.n_spikes ? &sw.spikes[0] : NULL;
        double v[ND_PSWEEP_MAX_COLS] = {(double)sw.n_spikes, sw.rate, sw.latency, sw.isi_mean, sw.isi_cv,
                              sw.adaptation, f ? f->threshold_v : NAN, f ? f->peak_v : NAN,
                              f ? f->half_width : NAN, f ? f->ahp_depth : NAN};
        memcpy(out, v, sizeof v);
    }
    nd_ephys_sweep_clear(&sw);
    return st;
}

static nd_status simulate_point(const worker *w, double *out, nd_error *err)
{
    const nd_psweep_job *j = w->j;
    const nd_psweep_options *o = j->o;
    double t_end = o->transient + o->t;
    size_t n;
    double dt = nd_sim_default_sample(t_end);
    if (o->measure == ND_PSWEEP_FEATURES) dt /= FEATURE_OVERSAMPLING;
    double *times = nd_sim_times(t_end, dt, &n);
    if (!times) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_sim_options so;
    nd_sim_options_default(&so);
    so.ode.rtol = so.ode.atol = o->rtol;
    so.ode.interrupt = o->interrupt;
    so.ode.bound = o->bound;
    so.pars = w->p;
    so.y0 = w->y0;
    so.dense = o->measure == ND_PSWEEP_RATE || o->measure == ND_PSWEEP_SPIKES;
    nd_dataset *ds = NULL;
    nd_status st = nd_sim_model(w->m, times, n, t_end, &so, &ds, NULL, err);
    free(times);
    if (st == ND_OK && so.dense) {
        nd_spikes s = {0};
        st = nd_spikes_dataset(ds, (size_t)o->var + 1, NULL, &s, NULL, err);
        if (st == ND_OK) spike_columns(&s, j, t_end, out);
        nd_spikes_clear(&s);
    } else if (st == ND_OK && o->measure == ND_PSWEEP_FEATURES) {
        st = feature_columns(ds, j, t_end, out, err);
    } else if (st == ND_OK) {
        const double *t = nd_ds_col(ds, 0), *v = nd_ds_col(ds, (size_t)o->var + 1);
        double x = o->measure == ND_PSWEEP_MAX ? -INFINITY : INFINITY;
        for (size_t i = 0; i < nd_ds_rows(ds); i++)
            if (t[i] >= o->transient)
                x = o->measure == ND_PSWEEP_MAX ? fmax(x, v[i]) : fmin(x, v[i]);
        out[0] = isfinite(x) ? x : NAN;
    }
    nd_ds_free(ds);
    /* A point where the solver fails (a blow-up in a corner of the grid) is a hole in the
       table, not the end of the sweep. */
    return !j->strict && (st == ND_ESOLVER || st == ND_EVALUE) ? ND_OK : st;
}

static nd_status fixed_point(const worker *w, double *out, nd_error *err)
{
    const nd_psweep_job *j = w->j;
    double lo[j->ns], hi[j->ns];
    nd_eq_seeds seeds = {lo, hi, 0, w->y0, 1};
    nd_eq_list l;
    nd_eq_list_init(&l, j->ns);
    nd_status st = nd_eq_default_box(w->m, w->p, w->y0, lo, hi);
    if (st != ND_OK) return nd_error_fail(err, st, "out of memory");
    st = nd_eq_find_all(w->m, w->p, &seeds, &l, err);
    if (st == ND_OK) {
        size_t stable = 0;
        size_t v = (size_t)j->o->var;
        double x = NAN;
        for (size_t i = 0; i < l.count; i++) {
            if (!nd_eq_kind_stable(l.kind[i])) continue;
            double xi = l.x[i * j->ns + v];
            if (stable++ == 0 || xi < x) x = xi;
        }
        out[0] = (double)l.count;
        out[1] = (double)stable;
        out[2] = x;
    }
    nd_eq_list_free(&l);
    return !j->strict && st == ND_ESOLVER ? ND_OK : st;
}

nd_status nd_psweep_eval_point(void *ptr, size_t i, double *out, nd_error *err)
{
    worker *w = ptr;
    const nd_psweep_job *j = w->j;
    const nd_psweep_options *o = j->o;
    memcpy(w->p, nd_model_pars(w->m), j->np * sizeof *w->p);
    memcpy(w->y0, nd_model_inits(w->m), j->ns * sizeof *w->y0);
    size_t rest = i;
    for (size_t k = 0; k < o->naxes; k++) {
        double v = o->axes[k].values[rest % o->axes[k].n];
        rest /= o->axes[k].n;
        if (j->slot[k] >= 0) w->p[j->slot[k]] = v;
        else w->y0[-1 - j->slot[k]] = v;
    }
    return o->measure == ND_PSWEEP_FIXED ? fixed_point(w, out, err)
                                         : simulate_point(w, out, err);
}

