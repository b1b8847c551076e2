/* Construction, seeded initialisation, parameters and scaling of dense networks. */
#include "mlp_impl.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/blas.h"
#include "../base/rng.h"

/* Caps that keep every size product far from overflow and reject typos like hidden=1e9. */
#define MAX_WIDTH ((size_t)1 << 20)
#define MAX_PARAMS ((size_t)1 << 27)

void nd_mlp_free(nd_mlp *m)
{
    if (!m) return;
    free(m->width);
    free(m->off);
    free(m->params);
    free(m->in_mean);
    free(m->in_std);
    free(m->out_mean);
    free(m->out_std);
    free(m);
}

static double *filled(size_t n, double v)
{
    double *a = malloc(n * sizeof *a);
    if (a)
        for (size_t i = 0; i < n; i++) a[i] = v;
    return a;
}

/* Allocates m with its layout for the given widths; parameters zero, scaling identity. */
static nd_mlp *alloc_layout(const size_t *width, size_t nlayers, nd_act act, uint64_t seed)
{
    nd_mlp *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->nlayers = nlayers;
    m->act = act;
    m->seed = seed;
    m->width = malloc((nlayers + 1) * sizeof *m->width);
    m->off = malloc(nlayers * sizeof *m->off);
    if (!m->width || !m->off) goto fail;
    memcpy(m->width, width, (nlayers + 1) * sizeof *width);
    for (size_t l = 0; l < nlayers; l++) {
        m->off[l] = m->nparams;
        m->nparams += width[l + 1] * (width[l] + 1);
    }
    size_t nin = width[0], nout = width[nlayers];
    m->params = calloc(m->nparams, sizeof *m->params);
    m->in_mean = filled(nin, 0.0);
    m->in_std = filled(nin, 1.0);
    m->out_mean = filled(nout, 0.0);
    m->out_std = filled(nout, 1.0);
    if (!m->params || !m->in_mean || !m->in_std || !m->out_mean || !m->out_std) goto fail;
    return m;
fail:
    nd_mlp_free(m);
    return NULL;
}

/* Glorot keeps the variance of tanh-like layers near 1 in both directions; He doubles it
   for relu, which zeroes half of its inputs. Uniform draws need no transcendental
   functions, so the bits cannot depend on the C library's log/sqrt. */
static void init_weights(nd_mlp *m)
{
    nd_rng r;
    nd_rng_seed(&r, m->seed);
    for (size_t l = 0; l < m->nlayers; l++) {
        size_t fin = m->width[l], fout = m->width[l + 1];
        int he = m->act == ND_ACT_RELU && l + 1 < m->nlayers;
        double a = he ? sqrt(6.0 / (double)fin) : sqrt(6.0 / (double)(fin + fout));
        double *w = m->params + m->off[l];
        for (size_t i = 0; i < fout * fin; i++) w[i] = a * (2.0 * nd_rng_uniform(&r) - 1.0);
    }
}

/* Checks the widths and activation shared by creation and JSON loading. */
static nd_status check_shape(const size_t *width, size_t nlayers, nd_act act, nd_error *err)
{
    if ((unsigned)act >= ND_ACT_IDENTITY)
        return nd_error_fail(err, ND_EVALUE, "unknown activation; use one of: %s",
                             nd_act_names());
    size_t total = 0;
    for (size_t l = 0; l <= nlayers; l++) {
        const char *what = l == 0 ? "inputs" : l == nlayers ? "outputs" : "hidden layer width";
        if (width[l] == 0)
            return nd_error_fail(err, ND_EVALUE, "a network needs at least 1 %s (got 0)",
                                 l == 0 ? "input" : l == nlayers ? "output" : "unit per hidden layer");
        if (width[l] > MAX_WIDTH)
            return nd_error_fail(err, ND_EVALUE, "%s %zu is too large (at most %zu)", what,
                                 width[l], MAX_WIDTH);
        if (l > 0) total += width[l] * (width[l - 1] + 1);
        if (total > MAX_PARAMS)
            return nd_error_fail(err, ND_EVALUE, "network too large: more than %zu parameters",
                                 MAX_PARAMS);
    }
    return ND_OK;
}

nd_mlp *nd_mlp_alloc_checked(const size_t *width, size_t nlayers, nd_act act,
                             uint64_t seed, nd_error *err)
{
    if (check_shape(width, nlayers, act, err) != ND_OK) return NULL;
    nd_mlp *m = alloc_layout(width, nlayers, act, seed);
    if (!m) nd_error_fail(err, ND_ENOMEM, "out of memory for a network");
    /* Once is enough, but it is cheap; see the header on why one thread. */
    nd_blas_threads(1);
    return m;
}

nd_mlp *nd_mlp_create(size_t nin, const size_t *hidden, size_t nhidden, size_t nout,
                      nd_act act, uint64_t seed, nd_error *err)
{
    if (nhidden > 0 && !hidden) {
        nd_error_fail(err, ND_EVALUE, "hidden layer widths missing");
        return NULL;
    }
    if (nhidden > 64) {
        nd_error_fail(err, ND_EVALUE, "too many hidden layers (%zu; at most 64)", nhidden);
        return NULL;
    }
    size_t width[66];
    width[0] = nin;
    for (size_t i = 0; i < nhidden; i++) width[i + 1] = hidden[i];
    width[nhidden + 1] = nout;
    nd_mlp *m = nd_mlp_alloc_checked(width, nhidden + 1, act, seed, err);
    if (m) init_weights(m);
    return m;
}

void nd_mlp_reinit(nd_mlp *m, uint64_t seed)
{
    m->seed = seed;
    /* the biases too: a new network starts with them at 0 */
    memset(m->params, 0, m->nparams * sizeof *m->params);
    init_weights(m);
}

nd_mlp *nd_mlp_copy(const nd_mlp *m)
{
    nd_mlp *c = alloc_layout(m->width, m->nlayers, m->act, m->seed);
    if (!c) return NULL;
    memcpy(c->params, m->params, m->nparams * sizeof *m->params);
    nd_mlp_set_scaling(c, m->in_mean, m->in_std, m->out_mean, m->out_std, NULL);
    return c;
}

size_t nd_mlp_nin(const nd_mlp *m) { return m->width[0]; }
size_t nd_mlp_nout(const nd_mlp *m) { return m->width[m->nlayers]; }
size_t nd_mlp_nhidden(const nd_mlp *m) { return m->nlayers - 1; }
size_t nd_mlp_hidden(const nd_mlp *m, size_t i) { return i + 1 < m->nlayers ? m->width[i + 1] : 0; }
nd_act nd_mlp_act(const nd_mlp *m) { return m->act; }
uint64_t nd_mlp_seed(const nd_mlp *m) { return m->seed; }
size_t nd_mlp_nparams(const nd_mlp *m) { return m->nparams; }
double *nd_mlp_params(nd_mlp *m) { return m->params; }

void nd_mlp_set_params(nd_mlp *m, const double *p)
{
    memmove(m->params, p, m->nparams * sizeof *p);
}

static nd_status check_stats(const double *mean, const double *sd, size_t n, const char *side,
                             nd_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (mean && !isfinite(mean[i]))
            return nd_error_fail(err, ND_EVALUE, "%s mean %zu is not finite", side, i + 1);
        if (sd && !(isfinite(sd[i]) && sd[i] > 0))
            return nd_error_fail(err, ND_EVALUE,
                                 "%s standard deviation %zu must be finite and > 0 (got %g)",
                                 side, i + 1, sd[i]);
    }
    return ND_OK;
}

static void copy_or(double *dst, const double *src, size_t n, double dflt)
{
    for (size_t i = 0; i < n; i++) dst[i] = src ? src[i] : dflt;
}

nd_status nd_mlp_set_scaling(nd_mlp *m, const double *in_mean, const double *in_std,
                             const double *out_mean, const double *out_std, nd_error *err)
{
    size_t nin = nd_mlp_nin(m), nout = nd_mlp_nout(m);
    nd_status st = check_stats(in_mean, in_std, nin, "input", err);
    if (st == ND_OK) st = check_stats(out_mean, out_std, nout, "output", err);
    if (st != ND_OK) return st;
    copy_or(m->in_mean, in_mean, nin, 0.0);
    copy_or(m->in_std, in_std, nin, 1.0);
    copy_or(m->out_mean, out_mean, nout, 0.0);
    copy_or(m->out_std, out_std, nout, 1.0);
    return ND_OK;
}

int nd_mlp_has_scaling(const nd_mlp *m)
{
    for (size_t i = 0; i < nd_mlp_nin(m); i++)
        if (m->in_mean[i] != 0.0 || m->in_std[i] != 1.0) return 1;
    for (size_t i = 0; i < nd_mlp_nout(m); i++)
        if (m->out_mean[i] != 0.0 || m->out_std[i] != 1.0) return 1;
    return 0;
}

void nd_mlp_scaling(const nd_mlp *m, const double **in_mean, const double **in_std,
                    const double **out_mean, const double **out_std)
{
    if (in_mean) *in_mean = m->in_mean;
    if (in_std) *in_std = m->in_std;
    if (out_mean) *out_mean = m->out_mean;
    if (out_std) *out_std = m->out_std;
}
