/* Stimulus protocols as a list of components, each evaluated on its own and summed. */
#include "stim.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/rng.h"
#include "../base/strbuf.h"

typedef enum { STEP, PULSES, RAMP, OU, SAMPLES } kind;

typedef struct {
    kind kind;
    double p[5];            /* the add function's numbers, in its order */
    unsigned long seed;     /* OU */
    int count;              /* PULSES */
    double *t, *u;          /* SAMPLES: the data; OU: u = grid values (t unused) */
    size_t n;               /* SAMPLES: points; OU: grid points generated */
} part;

struct nd_stim {
    part *parts;
    size_t n, cap;
};

nd_stim *nd_stim_create(void) { return calloc(1, sizeof(nd_stim)); }

void nd_stim_free(nd_stim *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free(s->parts[i].t), free(s->parts[i].u);
    free(s->parts);
    free(s);
}

static double *dup_array(const double *a, size_t n)
{
    if (!a || !n) return NULL;
    double *d = malloc(n * sizeof(double));
    if (d) memcpy(d, a, n * sizeof(double));
    return d;
}

nd_stim *nd_stim_copy(const nd_stim *s)
{
    nd_stim *c = nd_stim_create();
    if (!c || !s || !s->n) return c;
    c->parts = calloc(s->n, sizeof(part));
    if (!c->parts) return nd_stim_free(c), NULL;
    c->cap = s->n;
    for (size_t i = 0; i < s->n; i++) {
        part q = s->parts[i];
        q.t = dup_array(s->parts[i].t, q.kind == SAMPLES ? q.n : 0);
        q.u = dup_array(s->parts[i].u, q.n);
        c->parts[c->n++] = q;
        if ((s->parts[i].t && !q.t) || (s->parts[i].u && !q.u)) return nd_stim_free(c), NULL;
    }
    return c;
}

static int add(nd_stim *s, part q)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4;
        part *np = realloc(s->parts, cap * sizeof(part));
        if (!np) return ND_ENOMEM;
        s->parts = np, s->cap = cap;
    }
    s->parts[s->n++] = q;
    return ND_OK;
}

int nd_stim_add_step(nd_stim *s, double at, double dur, double amp)
{
    if (!s || !isfinite(at) || !(dur > 0) || !isfinite(amp)) return ND_EVALUE;
    return add(s, (part){.kind = STEP, .p = {at, dur, amp}});
}

int nd_stim_add_pulses(nd_stim *s, double start, double width, double period, int count,
                       double amp)
{
    if (!s || !isfinite(start) || !(width > 0) || !isfinite(period) || width > period ||
        count < 1 || !isfinite(amp))
        return ND_EVALUE;
    return add(s, (part){.kind = PULSES, .p = {start, width, period, 0, amp}, .count = count});
}

int nd_stim_add_ramp(nd_stim *s, double t0, double t1, double a0, double a1)
{
    if (!s || !isfinite(t0) || !isfinite(t1) || !(t0 < t1) || !isfinite(a0) || !isfinite(a1))
        return ND_EVALUE;
    return add(s, (part){.kind = RAMP, .p = {t0, t1, a0, a1}});
}

int nd_stim_add_ou(nd_stim *s, double mean, double sigma, double tau, unsigned long seed,
                   double dt)
{
    if (!s || !isfinite(mean) || !(sigma >= 0) || !isfinite(sigma) || !(tau > 0) ||
        !isfinite(tau) || !(dt > 0) || !isfinite(dt))
        return ND_EVALUE;
    return add(s, (part){.kind = OU, .p = {mean, sigma, tau, dt}, .seed = seed});
}

int nd_stim_add_samples(nd_stim *s, const double *t, const double *u, size_t n)
{
    if (!s || !t || !u || n == 0) return ND_EVALUE;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(t[i]) || !isfinite(u[i]) || (i && t[i] < t[i - 1])) return ND_EVALUE;
    part q = {.kind = SAMPLES, .t = dup_array(t, n), .u = dup_array(u, n), .n = n};
    if (!q.t || !q.u || add(s, q)) {
        free(q.t), free(q.u);
        return ND_ENOMEM;
    }
    return ND_OK;
}

static nd_status prepare_ou(part *q, double t_end, nd_error *err)
{
    double mean = q->p[0], sigma = q->p[1], tau = q->p[2], dt = q->p[3];
    double npts = floor(fmax(t_end, 0) / dt) + 2;   /* the grid covers t_end */
    if (!(npts <= ND_STIM_MAX_GRID))
        return nd_error_fail(err, ND_ENOMEM,
                             "noise with dt = %g up to t = %g needs %.0f grid points, more "
                             "than %d: use a larger dt or a shorter time", dt, t_end, npts,
                             ND_STIM_MAX_GRID);
    size_t n = (size_t)npts;
    if (q->u && q->n >= n) return ND_OK;      /* already long enough: same numbers */
    double *u = realloc(q->u, n * sizeof(double));
    if (!u) return nd_error_fail(err, ND_ENOMEM, "out of memory for %zu noise points", n);
    q->u = u;
    q->n = n;
    nd_rng rng;
    nd_rng_seed(&rng, (uint64_t)q->seed);
    double decay = exp(-dt / tau), kick = sigma * sqrt(-expm1(-2 * dt / tau));
    u[0] = mean + sigma * nd_rng_normal(&rng);
    for (size_t k = 1; k < n; k++) u[k] = mean + (u[k - 1] - mean) * decay + kick * nd_rng_normal(&rng);
    return ND_OK;
}

nd_status nd_stim_prepare(nd_stim *s, double t_end, nd_error *err)
{
    if (!s) return ND_OK;
    if (isnan(t_end)) return nd_error_fail(err, ND_EVALUE, "the stimulus end time is not a number");
    for (size_t i = 0; i < s->n; i++) {
        if (s->parts[i].kind != OU) continue;
        nd_status st = prepare_ou(&s->parts[i], t_end, err);
        if (st) return st;
    }
    return ND_OK;
}

/* Linear interpolation in sorted t (right-continuous at repeated times), held outside. */
static double interp_samples(const double *t, const double *u, size_t n, double x)
{
    if (x < t[0]) return u[0];
    if (x >= t[n - 1]) return u[n - 1];
    size_t lo = 0, hi = n - 1;      /* t[lo] <= x < t[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] <= x) lo = mid;
        else hi = mid;
    }
    double w = (x - t[lo]) / (t[hi] - t[lo]);
    return u[lo] + w * (u[hi] - u[lo]);
}

static double eval_part(const part *q, double t)
{
    switch (q->kind) {
    case STEP:
        return t >= q->p[0] && t < q->p[0] + q->p[1] ? q->p[2] : 0;
    case PULSES: {
        double start = q->p[0], width = q->p[1], period = q->p[2];
        if (t < start) return 0;
        double k = floor((t - start) / period);
        /* Rounding in the division must not move t across a pulse edge. */
        if (k > 0 && t < start + k * period) k--;
        if (t >= start + (k + 1) * period) k++;
        if (k >= q->count) return 0;
        return t < start + k * period + width ? q->p[4] : 0;
    }
    case RAMP:
        if (t < q->p[0] || t >= q->p[1]) return 0;
        return q->p[2] + (q->p[3] - q->p[2]) * (t - q->p[0]) / (q->p[1] - q->p[0]);
    case OU: {
        if (!q->u) return q->p[0];
        double x = t / q->p[3];
        if (!(x > 0)) return q->u[0];
        if (x >= (double)(q->n - 1)) return q->u[q->n - 1];
        size_t k = (size_t)x;
        double w = x - (double)k;
        return q->u[k] + w * (q->u[k + 1] - q->u[k]);
    }
    case SAMPLES:
        return interp_samples(q->t, q->u, q->n, t);
    }
    return 0;
}

double nd_stim_eval(const nd_stim *s, double t)
{
    double u = 0;
    for (size_t i = 0; s && i < s->n; i++) u += eval_part(&s->parts[i], t);
    return u;
}

size_t nd_stim_count(const nd_stim *s) { return s ? s->n : 0; }

typedef struct {
    double *v;
    size_t n, cap;
    double t0, t1;
    int oom;
} tlist;

static void push(tlist *l, double x)
{
    if (!(x > l->t0 && x < l->t1) || l->oom) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        double *v = realloc(l->v, cap * sizeof(double));
        if (!v) {
            l->oom = 1;
            return;
        }
        l->v = v, l->cap = cap;
    }
    l->v[l->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void part_breaks(const part *q, tlist *l)
{
    switch (q->kind) {
    case STEP:
        push(l, q->p[0]);
        push(l, q->p[0] + q->p[1]);
        break;
    case PULSES: {
        double start = q->p[0], width = q->p[1], period = q->p[2];
        /* Only the pulses that can touch (t0, t1). */
        double kmin = fmax(0, floor((l->t0 - start) / period) - 1);
        double kmax = fmin(q->count - 1, ceil((l->t1 - start) / period) + 1);
        for (double k = kmin; k <= kmax; k++) {
            push(l, start + k * period);
            if (width < period || k == q->count - 1) push(l, start + k * period + width);
        }
        break;
    }
    case RAMP:
        push(l, q->p[0]);
        push(l, q->p[1]);
        break;
    case OU:
        break;      /* continuous; its grid corners would be far too many breaks */
    case SAMPLES:
        for (size_t i = 1; i < q->n; i++)
            if (q->t[i] == q->t[i - 1] && q->u[i] != q->u[i - 1]) push(l, q->t[i]);
        break;
    }
}

size_t nd_stim_breaks(const nd_stim *s, double t0, double t1, double *out, size_t cap)
{
    tlist l = {NULL, 0, 0, t0, t1, 0};
    for (size_t i = 0; s && i < s->n; i++) part_breaks(&s->parts[i], &l);
    if (l.oom) {
        free(l.v);
        return (size_t)-1;
    }
    if (l.n) qsort(l.v, l.n, sizeof(double), cmp_double);
    size_t m = 0;
    for (size_t i = 0; i < l.n; i++)
        if (m == 0 || l.v[i] != l.v[m - 1]) l.v[m++] = l.v[i];
    for (size_t i = 0; i < m && i < cap; i++) out[i] = l.v[i];
    free(l.v);
    return m;
}

static void describe_part(const part *q, nd_sb *sb)
{
    switch (q->kind) {
    case STEP:
        if (isinf(q->p[1])) nd_sb_printf(sb, "step %g from t = %g on", q->p[2], q->p[0]);
        else nd_sb_printf(sb, "step %g on [%g, %g)", q->p[2], q->p[0], q->p[0] + q->p[1]);
        break;
    case PULSES:
        nd_sb_printf(sb, "%d pulse%s of %g, width %g, every %g from t = %g", q->count,
                     q->count == 1 ? "" : "s", q->p[4], q->p[1], q->p[2], q->p[0]);
        break;
    case RAMP:
        nd_sb_printf(sb, "ramp from %g to %g on [%g, %g)", q->p[2], q->p[3], q->p[0], q->p[1]);
        break;
    case OU:
        nd_sb_printf(sb, "Ornstein-Uhlenbeck noise: mean %g, sigma %g, tau %g, dt %g, seed %lu",
                     q->p[0], q->p[1], q->p[2], q->p[3], q->seed);
        break;
    case SAMPLES: {
        double lo = q->u[0], hi = q->u[0];
        for (size_t i = 1; i < q->n; i++) lo = fmin(lo, q->u[i]), hi = fmax(hi, q->u[i]);
        nd_sb_printf(sb, "samples: %zu point%s on [%g, %g], values in [%g, %g]", q->n,
                     q->n == 1 ? "" : "s", q->t[0], q->t[q->n - 1], lo, hi);
        break;
    }
    }
}

char *nd_stim_describe(const nd_stim *s)
{
    nd_sb sb;
    nd_sb_init(&sb);
    if (!s || !s->n) nd_sb_puts(&sb, "none");
    for (size_t i = 0; s && i < s->n; i++) {
        if (i) nd_sb_puts(&sb, "; ");
        describe_part(&s->parts[i], &sb);
    }
    return nd_sb_take(&sb);
}

/* ---- the components by name ---- */

static const nd_stim_form forms[] = {
    {"step", {"at", "dur", "amp"}, 3},
    {"pulses", {"start", "width", "period", "count", "amp"}, 5},
    {"ramp", {"t0", "t1", "a0", "a1"}, 4},
    {"ou", {"mean", "sigma", "tau", "seed", "dt"}, 5},
};

const nd_stim_form *nd_stim_form_at(size_t i)
{
    return i < sizeof forms / sizeof forms[0] ? &forms[i] : NULL;
}

const nd_stim_form *nd_stim_form_find(const char *name)
{
    const nd_stim_form *f;
    for (size_t i = 0; (f = nd_stim_form_at(i)); i++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

int nd_stim_add_form(nd_stim *s, const nd_stim_form *f, const double *a)
{
    switch (f - forms) {
    case 0: return nd_stim_add_step(s, a[0], a[1], a[2]);
    case 1: return nd_stim_add_pulses(s, a[0], a[1], a[2], (int)a[3], a[4]);
    case 2: return nd_stim_add_ramp(s, a[0], a[1], a[2], a[3]);
    default: return nd_stim_add_ou(s, a[0], a[1], a[2], (unsigned long)a[3], a[4]);
    }
}

/* ---- JSON: one object per component, rebuilt through the add functions ---- */

static const char *const kind_names[] = {"step", "pulses", "ramp", "ou", "samples"};

json_t *nd_stim_to_json(const nd_stim *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && s && i < s->n; i++) {
        const part *q = &s->parts[i];
        json_t *o = json_pack("{s:s, s:o}", "kind", kind_names[q->kind], "p", nd_json_reals(q->p, 5));
        if (o && q->kind == PULSES) json_object_set_new(o, "count", json_integer(q->count));
        if (o && q->kind == OU) json_object_set_new(o, "seed", json_integer((json_int_t)q->seed));
        if (o && q->kind == SAMPLES) {
            json_object_set_new(o, "t", nd_json_reals(q->t, q->n));
            json_object_set_new(o, "u", nd_json_reals(q->u, q->n));
        }
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static int read_numbers(const json_t *a, double *out, size_t n)
{
    if (!json_is_array(a) || json_array_size(a) != n) return -1;
    for (size_t i = 0; i < n; i++) {
        /* an endless step lasts "inf" */
        if (nd_json_real_read(json_array_get(a, i), &out[i]) != 0) return -1;
    }
    return 0;
}

nd_stim *nd_stim_from_json(const json_t *j, nd_error *err)
{
    nd_stim *s = nd_stim_create();
    if (!s || !json_is_array(j)) {
        nd_stim_free(s);
        nd_error_fail(err, s ? ND_EVALUE : ND_ENOMEM, "a stimulus must be a list of components");
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(j); i++) {
        const json_t *o = json_array_get(j, i);
        const char *k = json_string_value(json_object_get(o, "kind"));
        double p[5];
        int rc = -1;
        if (k && !read_numbers(json_object_get(o, "p"), p, 5)) {
            json_int_t count = json_integer_value(json_object_get(o, "count"));
            json_int_t seed = json_integer_value(json_object_get(o, "seed"));
            const json_t *t = json_object_get(o, "t"), *u = json_object_get(o, "u");
            size_t n = json_array_size(t);
            if (strcmp(k, "step") == 0) rc = nd_stim_add_step(s, p[0], p[1], p[2]);
            else if (strcmp(k, "pulses") == 0)
                rc = nd_stim_add_pulses(s, p[0], p[1], p[2], (int)count, p[4]);
            else if (strcmp(k, "ramp") == 0) rc = nd_stim_add_ramp(s, p[0], p[1], p[2], p[3]);
            else if (strcmp(k, "ou") == 0)
                rc = nd_stim_add_ou(s, p[0], p[1], p[2], (unsigned long)seed, p[3]);
            else if (strcmp(k, "samples") == 0 && n && json_array_size(u) == n) {
                double *tv = malloc(n * sizeof *tv), *uv = malloc(n * sizeof *uv);
                if (tv && uv && !read_numbers(t, tv, n) && !read_numbers(u, uv, n))
                    rc = nd_stim_add_samples(s, tv, uv, n);
                free(tv), free(uv);
            }
        }
        if (rc) {
            nd_stim_free(s);
            nd_error_fail(err, ND_EVALUE, "stimulus component %zu is malformed", i + 1);
            return NULL;
        }
    }
    return s;
}
