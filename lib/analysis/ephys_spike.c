/* Action potentials the way ipfx finds them (spike_detector.py): a putative spike where
   dV/dt rises through dv_cutoff, its peak the highest sample before the next, events
   without a dV/dt reversal between them merged, low or short ones dropped, then the
   threshold placed where dV/dt last rose through a fraction of the mean upstroke, and
   threshold-peak pairs that overlap or lie too far apart repaired or dropped. All on the
   samples and the unfiltered forward difference of v (ipfx's optional 10 kHz Bessel filter
   is not applied: ipfx itself refuses it at 20 kHz), so that each feature is a sample an
   independent reader can find again; only the half-width crossings are interpolated. */
#include "ephys_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec2.h"

#define NONE ((size_t)-1)

/* The index lists of the candidate spikes: threshold (or putative start), peak, upstroke,
   and whether the threshold criterion was met at all (lost: dV/dt stayed above it back to
   the stimulus onset or the previous upstroke). */
typedef struct cands {
    size_t *thr, *peak, *up;
    unsigned char *lost;
    size_t n;
} cands;

static void cands_free(cands *c)
{
    free(c->thr);
    free(c->peak);
    free(c->up);
    free(c->lost);
    *c = (cands){0};
}

static int cands_alloc(cands *c, size_t cap)
{
    size_t k = cap ? cap : 1;
    /* up and lost are moved before they are computed: zeroed, they move defined values. */
    *c = (cands){malloc(k * sizeof(size_t)), malloc(k * sizeof(size_t)),
                 calloc(k, sizeof(size_t)), calloc(k, 1), 0};
    if (c->thr && c->peak && c->up && c->lost) return 0;
    cands_free(c);
    return -1;
}

static size_t argmax(const double *x, size_t a, size_t b)
{
    size_t m = a;
    for (size_t k = a + 1; k < b; k++)
        if (x[k] > x[m]) m = k;
    return m;
}

static size_t argmin(const double *x, size_t a, size_t b)
{
    size_t m = a;
    for (size_t k = a + 1; k < b; k++)
        if (x[k] < x[m]) m = k;
    return m;
}

static int any_negative(const double *x, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        if (x[k] < 0) return 1;
    return 0;
}

/* The latest k in (lo, from] with d[k] <= target, scanning down from from; NONE if none. */
static size_t last_below(const double *d, size_t from, size_t lo, double target)
{
    for (size_t k = from; k > lo; k--)
        if (d[k] <= target) return k;
    return NONE;
}

static double mean_upstroke(const double *d, const cands *c)
{
    double s = 0;
    for (size_t j = 0; j < c->n; j++) s += d[c->up[j]];
    return s / (double)c->n;
}

/* Putative starts: dV/dt rising through the cutoff inside [s0, s1], a later one only after
   dV/dt went negative since the previous crossing; each paired with its highest sample. */
static void putative(const ephys_grid *g, const double *d, size_t s0, size_t s1,
                     double cutoff, cands *c)
{
    size_t prev = NONE;
    for (size_t k = s0; k + 1 < s1; k++) {
        if (!(d[k] < cutoff && d[k + 1] >= cutoff)) continue;
        if (prev == NONE || any_negative(d, prev, k)) c->thr[c->n++] = k;
        prev = k;
    }
    for (size_t j = 0; j < c->n; j++) {
        size_t next = j + 1 < c->n ? c->thr[j + 1] : s1;
        c->peak[j] = argmax(g->v, c->thr[j], next > c->thr[j] ? next : c->thr[j] + 1);
    }
}

/* Joins candidate j with j + 1 (j's start with j + 1's peak and upstroke) wherever
   joined(c, j, d) holds. In place: each list is written no faster than it is read, so
   joined always sees the original j and j + 1. */
static void join(cands *c, int (*joined)(const cands *, size_t, const double *),
                 const double *d)
{
    size_t mt = 1, mp = 0;
    for (size_t j = 0; j < c->n; j++) {
        int last = j + 1 == c->n;
        if (!last && joined(c, j, d)) continue;
        c->peak[mp] = c->peak[j];
        c->lost[mp] = c->lost[j];
        c->up[mp++] = c->up[j];
        if (!last) c->thr[mt++] = c->thr[j + 1];
    }
    c->n = mp;
}

/* dV/dt never went negative between a peak and the next start: one spike with two
   upward surges. */
static int no_reversal(const cands *c, size_t j, const double *d)
{
    return !any_negative(d, c->peak[j], c->thr[j + 1]);
}

/* A threshold at or just after the previous peak: one spike seen as two. */
static int overlapping(const cands *c, size_t j, const double *d)
{
    (void)d;
    return c->thr[j + 1] <= c->peak[j] + 1;
}

/* Drops peaks below min_peak and spikes lower than min_height from their start. */
static void drop_small(const ephys_grid *g, const nd_ephys_options *o, cands *c)
{
    size_t m = 0;
    for (size_t j = 0; j < c->n; j++) {
        double vp = g->v[c->peak[j]];
        if (vp >= o->min_peak && vp - g->v[c->thr[j]] >= o->min_height) {
            c->thr[m] = c->thr[j];
            c->peak[m] = c->peak[j];
            m++;
        }
    }
    c->n = m;
}

static void find_upstrokes(const double *d, cands *c)
{
    for (size_t j = 0; j < c->n; j++)
        c->up[j] = c->peak[j] > c->thr[j] ? argmax(d, c->thr[j], c->peak[j]) : c->thr[j];
}

/* Thresholds: scanning back from each upstroke (not past the previous one, nor, for the
   first, past the stimulus onset s0) to where dV/dt is at most thresh_frac of the mean
   upstroke. When it never is, ipfx takes the place the scan stopped; that would make the
   sample before a strong step's onset (where the membrane charges faster than the
   criterion all the way to the spike) a "threshold" 20 mV too low, so the threshold is
   marked lost instead, and the spike is timed at its upstroke. */
static void refine_thresholds(const double *d, const nd_ephys_options *o, size_t s0, cands *c)
{
    double target = o->thresh_frac * mean_upstroke(d, c);
    for (size_t j = 0; j < c->n; j++) {
        size_t lo = j ? c->up[j - 1] : s0;
        size_t k = last_below(d, c->up[j], lo, target);
        c->lost[j] = k == NONE;
        c->thr[j] = k == NONE ? c->up[j] : k;
    }
}

/* A peak more than max_interval after its threshold: first the threshold is looked for
   again within max_interval before the peak, then the peak within twice that after the
   threshold; a pair that neither repairs is dropped. */
static void repair_long(const ephys_grid *g, const double *d, const nd_ephys_options *o,
                        cands *c)
{
    const double *t = g->t;
    double target = c->n ? o->thresh_frac * mean_upstroke(d, c) : 0;
    size_t m = 0;
    for (size_t j = 0; j < c->n; j++) {
        size_t thr = c->thr[j], pk = c->peak[j];
        int keep = 1;
        if (t[pk] - t[thr] >= o->max_interval) {
            size_t t0 = ephys_index(g, t[pk] - o->max_interval);
            size_t k = c->up[j] > t0 ? last_below(d, c->up[j], t0, target) : NONE;
            if (k != NONE) {
                thr = k;
            } else {
                size_t t1 = ephys_index(g, t[thr] + 2 * o->max_interval);
                size_t np = t1 > thr ? argmax(g->v, thr, t1) : thr;
                int before_next = j + 1 == c->n || t[np] < t[c->thr[j + 1]];
                if (t[np] - t[thr] < o->max_interval && before_next) pk = np;
                else keep = 0;
            }
        }
        if (keep) {
            c->thr[m] = thr;
            c->peak[m] = pk;
            c->up[m] = c->up[j];
            c->lost[m] = c->lost[j] && thr == c->thr[j];
            m++;
        }
    }
    c->n = m;
}

/* The crossing of level by v between samples k and k + 1, linearly. */
static double crossing(const ephys_grid *g, size_t k, double level)
{
    double dv = g->v[k + 1] - g->v[k];
    return g->t[k] + (dv != 0 ? (level - g->v[k]) / dv : 0) * g->dt;
}

static void measure(const ephys_grid *g, const double *d, const cands *c, size_t j,
                    size_t s1, int clipped, nd_ephys_spike *sp)
{
    const double *t = g->t, *v = g->v;
    size_t thr = c->thr[j], pk = c->peak[j];
    size_t up = pk > thr ? argmax(d, thr, pk) : thr;
    int lost = c->lost[j];
    *sp = (nd_ephys_spike){
        .threshold_t = t[thr], .threshold_v = lost ? NAN : v[thr], .peak_t = t[pk],
        .peak_v = v[pk], .upstroke = d[up], .amplitude = lost ? NAN : v[pk] - v[thr],
        .half_width = NAN, .trough_t = NAN, .trough_v = NAN, .ahp_depth = NAN,
        .clipped = clipped, .threshold_lost = lost,
    };
    size_t end = j + 1 < c->n ? c->thr[j + 1] : s1;
    if (clipped || end <= pk) return;
    size_t tr = argmin(v, pk, end);
    sp->trough_t = t[tr];
    sp->trough_v = v[tr];
    if (lost) return;
    sp->ahp_depth = v[thr] - v[tr];
    double level = 0.5 * (v[thr] + v[pk]);
    size_t a = pk, b = pk;
    while (a > thr && v[a] > level) a--;
    while (b < tr && v[b] > level) b++;
    if (v[a] <= level && v[b] <= level && a < pk && b > pk)
        sp->half_width = crossing(g, b - 1, level) - crossing(g, a, level);
}

/* The samples [*lo, *hi) whose dV/dt the search reads: the window, widened by
   max_interval before it (a threshold looked for again before a late peak) and twice that
   after (a peak looked for again after a threshold). A long sweep's stimulus is a small
   part of it, and the division per sample is the search's largest cost. */
static void derivative_span(const ephys_grid *g, size_t s0, size_t s1,
                            const nd_ephys_options *o, size_t *lo, size_t *hi)
{
    size_t a = ephys_index(g, g->t[s0] - o->max_interval);
    size_t b = ephys_index(g, g->t[s1] + 2 * o->max_interval);
    *lo = a < s0 ? a : s0;
    *hi = b > s1 ? b : s1;   /* <= n - 1, the last difference's index + 1 */
}

/* d[k] = (v[k+1] - v[k]) / dt for k in [lo, hi), a pair at a time: the divisions are
   the search's largest cost. */
static void derivative(const ephys_grid *g, size_t lo, size_t hi, double *d)
{
    const double *v = g->v;
    const nd_v2 dt = nd_v2_splat(g->dt);
    size_t k = lo;
    for (; k + 2 <= hi; k += 2) {
        nd_v2 y = (nd_v2_load(v + k + 1) - nd_v2_load(v + k)) / dt;
        memcpy(d + k, &y, sizeof y);
    }
    if (k < hi) d[k] = (v[k + 1] - v[k]) / g->dt;
}

nd_status ephys_spikes(const ephys_grid *g, size_t s0, size_t s1, const nd_ephys_options *o,
                       nd_ephys_spike **out, size_t *n, nd_error *err)
{
    *out = NULL;
    *n = 0;
    double *d = malloc((g->n - 1) * sizeof *d);
    cands c = {0};
    if (!d || cands_alloc(&c, s1 - s0 + 1) != 0) {
        free(d);
        return nd_error_fail(err, ND_ENOMEM, "out of memory while finding spikes");
    }
    size_t lo, hi;
    derivative_span(g, s0, s1, o, &lo, &hi);
    derivative(g, lo, hi, d);
    putative(g, d, s0, s1, o->dv_cutoff, &c);
    join(&c, no_reversal, d);
    drop_small(g, o, &c);
    if (c.n) {
        find_upstrokes(d, &c);
        refine_thresholds(d, o, s0, &c);
        join(&c, overlapping, d);
        repair_long(g, d, o, &c);
    }
    nd_status st = ND_OK;
    if (c.n) {
        /* The last spike is clipped when v never comes back near its threshold. */
        size_t last = c.n - 1;
        int clipped = 1;
        for (size_t k = c.peak[last]; k <= s1 && clipped; k++)
            clipped = !(g->v[k] <= g->v[c.thr[last]] + o->clip_tol);
        *out = malloc(c.n * sizeof **out);
        if (!*out) st = nd_error_fail(err, ND_ENOMEM, "out of memory while measuring spikes");
        for (size_t j = 0; st == ND_OK && j < c.n; j++)
            measure(g, d, &c, j, s1, j == last && clipped, &(*out)[j]);
        if (st == ND_OK) *n = c.n;
    }
    cands_free(&c);
    free(d);
    return st;
}
