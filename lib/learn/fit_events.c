/* A fit's grid step across the model's `when` events. The step from t is cut at the
   earliest crossing: the event time θ is the root of g_k(Φ(θ)), where Φ(θ) is the
   Runge–Kutta step of length θ from the step's start — the scheme's own solution, not an
   interpolant — so θ, the state at the event and every residual after it are smooth
   functions of the parameters as long as the events stay the same. At the event the
   reset is applied and the sensitivities jump by the saltation matrix (saltation.h); the
   rest of the step is taken from there, and may cross further events. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_impl.h"
#include "lift.h"

/* More events than this inside one grid step: a reset that re-triggers its event. */
enum { MAX_EVENTS_PER_STEP = 64 };

nd_status fit_events_alloc(nd_fit *f)
{
    size_t n = f->n, ms = f->m_sens, nw = f->nw;
    f->y0 = malloc(n * sizeof *f->y0);
    f->Sy0 = malloc(n * ms * sizeof *f->Sy0);
    f->Sw = malloc(n * ms * sizeof *f->Sw);
    f->ga = malloc(nw * sizeof *f->ga);
    f->gb = malloc(nw * sizeof *f->gb);
    f->fm = malloc(n * sizeof *f->fm);
    f->fp = malloc(n * sizeof *f->fp);
    f->col = malloc(ms * sizeof *f->col);
    if (!f->y0 || !f->Sy0 || !f->Sw || !f->ga || !f->gb || !f->fm || !f->fp || !f->col ||
        nd_salt_init(&f->salt, f->m))
        return ND_ENOMEM;
    for (size_t c = 0; c < ms; c++) f->col[c] = c < f->np ? f->pidx[c] : -1;
    return ND_OK;
}

void fit_events_free(nd_fit *f)
{
    free(f->y0), free(f->Sy0), free(f->Sw), free(f->ga), free(f->gb), free(f->fm), free(f->fp);
    free(f->col), free(f->nm), free(f->jump), free(f->djump);
    nd_salt_free(&f->salt);
}

/* The event functions at (t, y), with the parameters at t. */
static int events_at(nd_fit *f, const fit_exp *e, double t, const double *y, double *g)
{
    fit_pars_at(f, e, t);
    return nd_model_events(f->m, t, y, f->p, g);
}

typedef struct probe {
    nd_fit *f;
    const fit_exp *e;
    double t;
} probe;

/* g_k at the end of the step of length s from the saved start (no sensitivities). */
static double g_after(void *ctx, size_t k, double s)
{
    probe *pr = ctx;
    nd_fit *f = pr->f;
    memcpy(f->y, f->y0, f->n * sizeof *f->y);
    if (fit_step(f, pr->e, pr->t, s, 0) || events_at(f, pr->e, pr->t + s, f->y, f->gb))
        return NAN;
    return f->gb[k];
}

/* Keeps the jump y⁻ − y⁺ of the observed variables at the event just fired (f->y0 before,
   f->y after) when it moved one; with sens, also its derivative: the state on either side
   taken at the moving event time, S⁻ − S⁺ + (f⁻ − f⁺) ∂t*, with S⁻ in f->Sw. */
static int keep_jump(nd_fit *f, int sens)
{
    size_t no = f->nobsv, ms = f->m_sens, n = f->n;
    int moved = 0;
    for (size_t q = 0; q < no; q++) moved |= f->y0[f->obs[q]] != f->y[f->obs[q]];
    if (!moved) return 0;
    if (f->njump == f->capjump) {
        size_t cap = f->capjump ? 2 * f->capjump : 16;
        double *jp = realloc(f->jump, cap * no * sizeof *jp);
        if (jp) f->jump = jp;
        double *dj = realloc(f->djump, cap * no * ms * sizeof *dj);
        if (dj) f->djump = dj;
        if (!jp || !dj) return -1;
        f->capjump = cap;
    }
    double *jk = f->jump + f->njump * no, *dk = f->djump + f->njump * no * ms;
    for (size_t q = 0; q < no; q++) {
        size_t i = (size_t)f->obs[q];
        jk[q] = f->y0[i] - f->y[i];
        for (size_t c = 0; sens && c < ms; c++) {
            double tau = f->col[c] >= 0 ? f->salt.tp[f->col[c]] : 0;
            for (size_t j = 0; j < n; j++) tau += f->salt.ty[j] * f->Sw[j * ms + c];
            dk[q * ms + c] = f->Sw[i * ms + c] - f->Sy[i * ms + c] + (f->fm[i] - f->fp[i]) * tau;
        }
    }
    f->njump++;
    return 0;
}

/* Applies event k at t* to f->y (the state just before it) and carries f->Sy across. */
static int fire(nd_fit *f, const fit_exp *e, size_t k, double ts, int sens)
{
    fit_pars_at(f, e, ts);
    if (sens && nd_model_rhs(f->m, ts, f->y, f->p, f->fm)) return -1;
    memcpy(f->y0, f->y, f->n * sizeof *f->y0);
    if (nd_model_apply_reset(f->m, k, ts, f->y, f->p)) return -1;
    f->nevents++;
    if (sens) {
        if (nd_model_rhs(f->m, ts, f->y, f->p, f->fp) ||
            nd_salt_compute(&f->salt, f->m, k, ts, f->p, f->y0, f->fm, f->fp))
            return -1;
        nd_salt_forward(&f->salt, f->Sy, f->m_sens, f->col, f->Sw);
    }
    return e->dev ? keep_jump(f, sens) : 0;
}

int fit_step_events(nd_fit *f, const fit_exp *e, double t, double h, int sens)
{
    if (!f->nw) return fit_step(f, e, t, h, sens);
    size_t n = f->n, nw = f->nw, ms = f->m_sens;
    const double tend = t + h;
    for (int fired = 0; fired <= MAX_EVENTS_PER_STEP; fired++) {
        double len = tend - t;
        if (!(len > 0)) return 0;
        memcpy(f->y0, f->y, n * sizeof *f->y0);
        if (sens) memcpy(f->Sy0, f->Sy, n * ms * sizeof *f->Sy0);
        if (events_at(f, e, t, f->y, f->ga) || fit_step(f, e, t, len, sens) ||
            events_at(f, e, tend, f->y, f->gb))
            return -1;
        double best;
        size_t kbest = 0;
        probe pr = {f, e, t};
        int found = nd_salt_first_crossing(nw, f->ga, f->gb, len, g_after, &pr, &best, &kbest);
        if (found <= 0) return found;
        /* Back to the start, the step to the event with its sensitivities, the reset. */
        memcpy(f->y, f->y0, n * sizeof *f->y);
        if (sens) memcpy(f->Sy, f->Sy0, n * ms * sizeof *f->Sy);
        if (fit_step(f, e, t, best, sens) || fire(f, e, kbest, t + best, sens)) return -1;
        t += best;
    }
    return -1;
}

size_t nd_fit_events(nd_fit *f)
{
    size_t total = 0;
    for (size_t k = 0; k < f->ndata; k++) {
        double *r = malloc(fit_exp_nres(f, k, 1) * sizeof *r);
        int bad = !r || fit_solve(f, k, 1, r, NULL, 0);
        free(r);
        if (bad) return 0;
        total += f->nevents;
    }
    return total;
}

nd_status fit_data_events(nd_fit *f, fit_exp *e)
{
    size_t no = f->nobsv;
    int *lifted = calloc(no ? no : 1, sizeof *lifted);
    /* nm serves every dataset: as long as the longest. */
    size_t *nm = e->rows > f->nm_cap ? realloc(f->nm, e->rows * sizeof *nm) : f->nm;
    if (nm && e->rows > f->nm_cap) f->nm = nm, f->nm_cap = e->rows;
    e->dev = calloc(e->rows, sizeof *e->dev);
    int any = lifted ? nd_lift_columns(f->m, f->obs, no, lifted) : -1;
    int bad = any < 0 || !nm || !e->dev;
    if (!bad && any) nd_lift_count(e->d, e->rows, no, no, lifted, e->dev);
    free(lifted);
    if (!bad && !any) free(e->dev), e->dev = NULL;
    return bad ? ND_ENOMEM : ND_OK;
}

void fit_lift(nd_fit *f, const fit_exp *e, size_t j0, size_t j1, size_t seg, double *r,
              double *J, size_t ld)
{
    size_t no = f->nobsv, ms = f->m_sens;
    for (size_t j = j0 + 1; j <= j1 && f->njump; j++) {
        size_t a = f->nm[j], b = e->dev[j] - e->dev[j0];
        if (a == b) continue;
        /* The model reset a − b times more (or b − a times fewer) than the data by t_j: its
           jumps k ∈ [min, max) are added (subtracted); one the model has not made is taken
           to be like its last. */
        size_t k0, k1;
        double sign = nd_lift_range(a, b, &k0, &k1);
        for (size_t q = 0; q < no; q++) {
            size_t row = j * no + q;
            if (!isfinite(e->d[row])) continue;
            for (size_t k = k0; k < k1; k++) {
                size_t kk = nd_lift_jump(k, f->njump);
                r[row] += sign * f->jump[kk * no + q];
                if (J) fit_sens_row_add(f, e, seg, f->djump + (kk * no + q) * ms, sign, J + row * ld);
            }
        }
    }
}

long fit_data_resets(const nd_fit *f)
{
    long total = 0;
    for (size_t k = 0; k < f->ndata; k++) {
        const fit_exp *e = &f->ex[k];
        if (!e->dev) return -1;
        total += (long)e->dev[e->rows - 1];
    }
    return total;
}
