/* The trained hybrid's simulation on a grid: what `plot NET DATA` draws and what the
   training verdict compares with the data. */
#include <math.h>
#include <string.h>

#include "../ode/solve.h"
#include "ude_verdict.h"

typedef struct grid_rec {
    double *out;
    size_t n, rows, cap;
} grid_rec;

static int record(void *ctx, double t, const double *y, int event, size_t which)
{
    (void)t;
    (void)which;
    grid_rec *r = ctx;
    if (event || r->rows == r->cap) return 0;
    memcpy(r->out + r->rows * r->n, y, r->n * sizeof *y);
    r->rows++;
    return 0;
}

nd_status nd_ude_predict(const nd_ude *u, const double *t, size_t m, double *out,
                         const atomic_int *interrupt, nd_error *err)
{
    return nd_ude_predict_under(u, NULL, -1, t, m, out, interrupt, err);
}

nd_status nd_ude_predict_under(const nd_ude *u, const nd_stim *stim, int par, const double *t,
                               size_t m, double *out, const atomic_int *interrupt,
                               nd_error *err)
{
    const nd_model *mod = nd_ude_model(u);
    size_t n = nd_model_count(mod, ND_MODEL_STATE);
    if (m < 1) return ND_OK;
    nd_ude_ivp *ivp = nd_ude_ivp_create(u, stim, par, t[0], t[m - 1], err);
    if (!ivp) return err ? err->code : ND_ENOMEM;
    nd_ode_options o;
    nd_ode_options_default(&o);
    nd_ode_method_parse("dp5", &o.method);
    o.interrupt = interrupt;
    double y[n];
    memcpy(y, nd_model_inits(mod), n * sizeof *y);
    grid_rec r = {out, n, 0, m};
    nd_status st = nd_ode_solve(nd_ude_ivp_problem(ivp), t[0], t[m - 1], y, &o, t, m, record,
                                &r, NULL, err);
    for (size_t i = r.rows; i < m; i++)
        for (size_t j = 0; j < n; j++) out[i * n + j] = NAN;
    nd_ude_ivp_free(ivp);
    return st;
}
