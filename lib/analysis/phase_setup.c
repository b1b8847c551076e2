/* A copy of the model's numbers, so that values given for one analysis never change the
   model in the workspace. */
#include "phase_setup.h"

#include <stdlib.h>
#include <string.h>

#include "equilibria.h"

void nd_phase_setup_free(nd_phase_setup *s)
{
    free(s->p);
    free(s->x0);
    free(s->lo);
    free(s->hi);
    free(s->ranged);
    free(s->given);
    memset(s, 0, sizeof *s);
}

nd_status nd_phase_setup_init(nd_phase_setup *s, const nd_model *m, nd_error *err)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->n = nd_model_count(m, ND_MODEL_STATE);
    s->npar = nd_model_count(m, ND_MODEL_PAR);
    size_t n = s->n ? s->n : 1;
    s->p = malloc((s->npar ? s->npar : 1) * sizeof *s->p);
    s->x0 = malloc(n * sizeof *s->x0);
    s->lo = malloc(n * sizeof *s->lo);
    s->hi = malloc(n * sizeof *s->hi);
    s->ranged = calloc(n, 1);
    s->given = calloc(n, 1);
    if (!s->p || !s->x0 || !s->lo || !s->hi || !s->ranged || !s->given) {
        nd_phase_setup_free(s);
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    if (s->npar) memcpy(s->p, nd_model_pars(m), s->npar * sizeof *s->p);
    if (s->n) memcpy(s->x0, nd_model_inits(m), s->n * sizeof *s->x0);
    return ND_OK;
}

nd_status nd_phase_setup_frame(nd_phase_setup *s, const nd_model *m)
{
    size_t n = s->n ? s->n : 1;
    double *lo = malloc(2 * n * sizeof *lo);
    if (!lo) return ND_ENOMEM;
    nd_status st = nd_eq_default_box(m, s->p, s->x0, lo, lo + n);
    for (size_t i = 0; st == ND_OK && i < s->n; i++)
        if (!s->ranged[i]) s->lo[i] = lo[i], s->hi[i] = lo[n + i];
    free(lo);
    return st;
}
