/* A parameter sweep: the grid and its checks, the run on the pool, and the table (one
   point's measurement: psweep_point.c). */
#include "psweep.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/fi_view.h"
#include "../base/grid.h"
#include "../base/numfmt.h"
#include "pool.h"
#include "pool_dist.h"
#include "psweep_impl.h"

enum { NMEASURES = 6 };

static const char *const measure_names[NMEASURES] = {"rate", "spikes", "fixed", "max", "min",
                                                     "features"};

const char *nd_psweep_measure_name(nd_psweep_measure m)
{
    return (unsigned)m < NMEASURES ? measure_names[m] : "?";
}

int nd_psweep_measure_parse(const char *name, nd_psweep_measure *out)
{
    for (size_t k = 0; k < NMEASURES; k++)
        if (strcmp(name, measure_names[k]) == 0) {
            *out = (nd_psweep_measure)k;
            return 0;
        }
    return -1;
}

void nd_psweep_options_default(nd_psweep_options *o, const nd_psweep_axis *axes, size_t naxes,
                               int var)
{
    *o = (nd_psweep_options){.axes = axes, .naxes = naxes, .measure = ND_PSWEEP_RATE,
                             .var = var, .t = 1000, .transient = 200, .rtol = 1e-6,
                             .bound = 1e6};
}

nd_status nd_psweep_range(double a, double b, double step, size_t n, double **values,
                          size_t *count, nd_error *err)
{
    *values = NULL;
    *count = 0;
    if (!isfinite(a) || !isfinite(b) || b < a || (a == b && isnan(step) && n > 1))
        return nd_error_fail(err, ND_EVALUE, "the range %g..%g is empty: it needs a <= b "
                             "(and a < b for more than one value)", a, b);
    double cnt;
    if (!isnan(step)) {
        if (!(step > 0) || !isfinite(step))
            return nd_error_fail(err, ND_EVALUE, "step must be positive and finite");
        /* b itself counts when it lies within rounding noise of a grid point */
        cnt = floor((b - a) / step * (1 + 1e-12) + 1e-9) + 1;
    } else {
        if (n == 0) return nd_error_fail(err, ND_EVALUE, "n must be at least 1");
        cnt = (double)n;
    }
    if (cnt > ND_PSWEEP_MAX_POINTS)
        return nd_error_fail(err, ND_EVALUE, "too many values: %.0f (at most %d)", cnt,
                             ND_PSWEEP_MAX_POINTS);
    size_t k = (size_t)cnt;
    double *v = malloc(k * sizeof *v);
    if (!v) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double h = isnan(step) ? (k > 1 ? (b - a) / (double)(k - 1) : 0) : step;
    nd_grid g = nd_grid_of(a, h > 0 ? h : 1);
    for (size_t i = 0; i < k; i++) v[i] = nd_grid_snap(&g, a + (double)i * h);
    if (isnan(step) && k > 1) v[k - 1] = b;
    *values = v;
    *count = k;
    return ND_OK;
}

/* Where axis k writes: a parameter index (>= 0), or -1 - the state's index. */
int nd_psweep_axis_slot(const nd_model *m, const char *name)
{
    int p = nd_model_index(m, ND_MODEL_PAR, name);
    if (p >= 0) return p;
    int s = nd_model_index(m, ND_MODEL_STATE, name);
    return s >= 0 ? -1 - s : INT_MIN;
}

nd_status nd_psweep_check(const nd_model *m, const nd_psweep_options *o, nd_error *err)
{
    if (o->naxes == 0 || o->naxes > ND_PSWEEP_MAX_AXES)
        return nd_error_fail(err, ND_EVALUE, "a sweep needs 1 to %d swept names, not %zu",
                             ND_PSWEEP_MAX_AXES, o->naxes);
    double points = 1;
    for (size_t k = 0; k < o->naxes; k++) {
        const nd_psweep_axis *a = &o->axes[k];
        if (nd_psweep_axis_slot(m, a->name) == INT_MIN)
            return nd_error_fail(err, ND_ENAME, "model %s has no parameter or state '%s'",
                                 nd_model_name(m), a->name);
        for (size_t j = 0; j < k; j++)
            if (strcmp(o->axes[j].name, a->name) == 0)
                return nd_error_fail(err, ND_EVALUE, "'%s' is swept twice", a->name);
        if (a->n == 0) return nd_error_fail(err, ND_EVALUE, "'%s' has no values", a->name);
        points *= (double)a->n;
    }
    if (points > ND_PSWEEP_MAX_POINTS)
        return nd_error_fail(err, ND_EVALUE, "too many points: %.0f (at most %d); use fewer "
                             "values per parameter", points, ND_PSWEEP_MAX_POINTS);
    if (o->var < 0 || (size_t)o->var >= nd_model_count(m, ND_MODEL_STATE))
        return nd_error_fail(err, ND_EVALUE, "the measured state is not one of the model's");
    if (!(o->t > 0) || !isfinite(o->t) || !(o->transient >= 0) || !isfinite(o->transient))
        return nd_error_fail(err, ND_EVALUE, "t must be positive and transient >= 0 (finite)");
    if (!(o->rtol > 0)) return nd_error_fail(err, ND_EVALUE, "rtol must be positive");
    if (!(o->bound >= 0))
        return nd_error_fail(err, ND_EVALUE, "bound must not be negative (0: none)");
    if ((unsigned)o->measure >= NMEASURES)
        return nd_error_fail(err, ND_EVALUE, "unknown measure");
    return ND_OK;
}

/* ---- the table ---- */

static size_t measure_columns(const nd_model *m, const nd_psweep_options *o,
                              const char **names, const char **units, char *buf, size_t cap)
{
    const nd_model_item *v = nd_model_item_at(m, ND_MODEL_STATE, (size_t)o->var);
    const char *ru = nd_fi_rate_unit(m), *tu = nd_model_time_unit(m);
    switch (o->measure) {
    case ND_PSWEEP_RATE:
        names[0] = "rate", units[0] = ru;
        return 1;
    case ND_PSWEEP_SPIKES: {
        static const char *const n[] = {"spikes", "rate", "isi_mean", "isi_cv", "peak_mean"};
        const char *u[] = {"", ru, tu, "", v->unit};
        for (size_t k = 0; k < 5; k++) names[k] = n[k], units[k] = u[k];
        return 5;
    }
    case ND_PSWEEP_FEATURES: {
        static const char *const n[] = {"spikes", "rate", "latency", "isi_mean", "isi_cv",
                                        "adaptation", "threshold", "peak", "half_width",
                                        "ahp_depth"};
        const char *u[] = {"", "Hz", tu, tu, "", "", v->unit, v->unit, tu, v->unit};
        for (size_t k = 0; k < ND_PSWEEP_MAX_COLS; k++) names[k] = n[k], units[k] = u[k];
        return ND_PSWEEP_MAX_COLS;
    }
    case ND_PSWEEP_FIXED:
        snprintf(buf, cap, "%s_stable", v->name);
        names[0] = "equilibria", names[1] = "stable", names[2] = buf;
        units[0] = units[1] = "", units[2] = v->unit;
        return 3;
    default:
        snprintf(buf, cap, "%s_%s", v->name, nd_psweep_measure_name(o->measure));
        names[0] = buf, units[0] = v->unit;
        return 1;
    }
}

static void put_meta_number(nd_dataset *ds, const char *key, double x)
{
    char b[ND_NUMFMT_CAP];
    nd_ds_set_meta(ds, key, nd_numfmt(x, b));
}

static nd_dataset *make_table(const nd_psweep_job *j, const double *vals, size_t npoints, size_t done)
{
    const nd_psweep_options *o = j->o;
    const nd_model *m = j->m;
    const char *names[ND_PSWEEP_MAX_AXES + ND_PSWEEP_MAX_COLS], *units[ND_PSWEEP_MAX_AXES + ND_PSWEEP_MAX_COLS];
    char buf[160];
    for (size_t k = 0; k < o->naxes; k++) {
        names[k] = o->axes[k].name;
        const nd_model_item *it = nd_model_find(m, o->axes[k].name, NULL);
        units[k] = it ? it->unit : "";
    }
    size_t nc = measure_columns(m, o, names + o->naxes, units + o->naxes, buf, sizeof buf);
    nd_dataset *ds = nd_ds_create(o->naxes + nc, names, units);
    if (!ds || nd_ds_reserve(ds, npoints) != 0) {
        nd_ds_free(ds);
        return NULL;
    }
    double row[ND_PSWEEP_MAX_AXES + ND_PSWEEP_MAX_COLS];
    for (size_t i = 0; i < npoints; i++) {
        size_t rest = i;
        for (size_t k = 0; k < o->naxes; k++) {
            row[k] = o->axes[k].values[rest % o->axes[k].n];
            rest /= o->axes[k].n;
        }
        memcpy(row + o->naxes, vals + i * nc, nc * sizeof *row);
        nd_ds_append(ds, row);
    }
    nd_ds_set_meta(ds, "model", nd_model_name(m));
    nd_ds_set_meta(ds, "measure", nd_psweep_measure_name(o->measure));
    nd_ds_set_meta(ds, "var", nd_model_item_at(m, ND_MODEL_STATE, (size_t)o->var)->name);
    if (o->measure != ND_PSWEEP_FIXED) {
        put_meta_number(ds, "t", o->t);
        put_meta_number(ds, "transient", o->transient);
    }
    put_meta_number(ds, "axes", (double)o->naxes);
    put_meta_number(ds, "points", (double)npoints);
    put_meta_number(ds, "done", (double)done);
    if (o->naxes == 2) {
        snprintf(buf, sizeof buf, "%zu %zu", o->axes[0].n, o->axes[1].n);
        nd_ds_set_meta(ds, "grid_shape", buf);
    }
    return ds;
}

/* Names point i by its swept values, for errors and crash notes ("sweep point I=3, gK=36"). */
static void point_label(void *ctx, size_t i, char *buf, size_t cap)
{
    const nd_psweep_options *o = ((const nd_psweep_job *)ctx)->o;
    size_t rest = i, len = (size_t)snprintf(buf, cap, "sweep point ");
    for (size_t k = 0; k < o->naxes && len < cap; k++) {
        char v[ND_NUMFMT_CAP];
        len += (size_t)snprintf(buf + len, cap - len, "%s%s=%s", k ? ", " : "", o->axes[k].name,
                                nd_numfmt(o->axes[k].values[rest % o->axes[k].n], v));
        rest /= o->axes[k].n;
    }
}

/* Marks the points that failed (a finished point whose first measured column is NAN: every
   measure writes a number there when it succeeds) in the table's metadata, with the first
   one's error, got by measuring it again strictly: the message is the same whichever
   thread or rank met it first. */
static nd_status note_failures(nd_psweep_job *j, nd_dataset *ds, nd_error *err)
{
    size_t rows = nd_ds_rows(ds), first = rows, failed = 0;
    const double *c = nd_ds_col(ds, j->o->naxes);
    for (size_t i = 0; i < rows; i++)
        if (isnan(c[i]) && failed++ == 0) first = i;
    if (failed == 0) return ND_OK;
    put_meta_number(ds, "failed", (double)failed);
    nd_error why;
    nd_error_clear(&why);
    double out[ND_PSWEEP_MAX_COLS];
    j->strict = 1;
    void *w = nd_psweep_worker_new(j, err);
    if (!w) return err->code;
    nd_status st = nd_psweep_eval_point(w, first, out, &why);
    nd_psweep_worker_free(w);
    j->strict = 0;
    char label[160], msg[sizeof why.msg + sizeof label + 4];
    point_label(j, first, label, sizeof label);
    snprintf(msg, sizeof msg, "%s: %s", label, st == ND_OK ? "no value" : why.msg);
    nd_ds_set_meta(ds, "failure", msg);
    return st == ND_EINTERRUPT ? nd_error_fail(err, st, "%s", why.msg) : ND_OK;
}

nd_status nd_psweep_run(const nd_model *m, const nd_psweep_options *o, nd_dataset **out,
                        size_t *ndone, nd_error *err)
{
    *out = NULL;
    if (ndone) *ndone = 0;
    nd_status st = nd_psweep_check(m, o, err);
    if (st != ND_OK) return st;
    nd_psweep_job j = {.m = m, .o = o, .np = nd_model_count(m, ND_MODEL_PAR),
                       .ns = nd_model_count(m, ND_MODEL_STATE),
                       .scale = strcmp(nd_model_time_unit(m), "ms") == 0 ? 1000 : 1};
    for (size_t k = 0; k < o->naxes; k++) j.slot[k] = nd_psweep_axis_slot(m, o->axes[k].name);
    const char *names[ND_PSWEEP_MAX_COLS], *units[ND_PSWEEP_MAX_COLS];
    char buf[160];
    j.ncols = measure_columns(m, o, names, units, buf, sizeof buf);
    size_t npoints = 1;
    for (size_t k = 0; k < o->naxes; k++) npoints *= o->axes[k].n;
    double *vals = malloc(npoints * j.ncols * sizeof *vals);
    if (!vals) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    unsigned threads = o->threads ? o->threads : nd_pool_cores();
    if (threads > npoints) threads = (unsigned)npoints;
    nd_pool_job pj = {.npoints = npoints, .nout = j.ncols, .threads = threads,
                      .worker_new = nd_psweep_worker_new, .worker_free = nd_psweep_worker_free,
                      .eval = nd_psweep_eval_point, .ctx = &j, .interrupt = o->interrupt,
                      .progress = o->progress, .progress_ctx = o->progress_ctx};
    size_t done = 0;
    /* over the ranks of a distributed run, when the script runs under mpirun */
    st = nd_pool_run_dist(&pj, nd_dist_current(), point_label, &j, vals, NULL, &done, err);
    if (ndone) *ndone = done;
    if (st == ND_OK || st == ND_EINTERRUPT) {
        *out = make_table(&j, vals, npoints, done);
        if (!*out) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else if (st == ND_OK) st = note_failures(&j, *out, err);
    }
    free(vals);
    return st;
}
