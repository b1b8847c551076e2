/* Training a UDE through `when` resets. The fixed grid's step is cut at each event it
   crosses, exactly as the parameter fit does (fit_events.c): the event time is the root of
   g_k on the step's own Runge–Kutta solution, the reset is applied there and the rest of
   the step taken from the new state. The solve's record (ude_entry) therefore has as many
   steps as the events make, and the reverse pass walks it backwards: a step by the
   discrete adjoint (ude_fit.c), an event by the transpose of the saltation matrix the
   forward sensitivities use (saltation.c). The residuals are lifted over the resets
   (lift.h), so a spike that moves past a sample changes the loss continuously; the
   jumps' derivatives enter the reverse pass at their events. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lift.h"
#include "ude_fit_impl.h"

/* More events than this inside one grid step: a reset that re-triggers its event. */
enum { MAX_EVENTS_PER_STEP = 64 };

/* Whether a when of m reads the network's outputs (its event or its reset): the jump would
   depend on the network in a way the adjoint does not follow. Returns the output or -1. */
static int when_reads_output(const nd_ude_fit *f, double *D)
{
    const nd_model *m = f->u->open;
    size_t n = f->n, np = f->ev.npar, w = 1 + n + np;
    for (size_t k = 0; k < f->nw; k++) {
        if (nd_model_event_grad(m, k, 0, nd_model_inits(m), nd_model_pars(m), D) ||
            nd_model_reset_jac(m, k, 0, nd_model_inits(m), nd_model_pars(m), D + w))
            continue;
        for (size_t o = 0; o < f->nout; o++)
            for (size_t r = 0; r <= n; r++)
                if (D[r * w + 1 + n + f->u->rep_par[o]] != 0) return (int)o;
    }
    return -1;
}

nd_status ude_events_setup(nd_ude_fit *f, nd_error *err)
{
    const nd_model *m = f->u->open;
    size_t n = f->n, R = f->rows, nw = nd_model_nwhens(m);
    f->nw = nw;
    f->capent = 16;
    for (size_t j = 0; j + 1 < R; j++) f->capent += f->sub[j];
    f->ent = malloc(f->capent * sizeof *f->ent);
    f->first = malloc(R * sizeof *f->first);
    f->nm = calloc(R, sizeof *f->nm);
    f->segev = calloc(f->S + 1, sizeof *f->segev);
    f->res = malloc(R * n * sizeof *f->res);
    f->lifted = calloc(n, sizeof *f->lifted);
    f->y0 = malloc(n * sizeof *f->y0);
    f->ym = malloc(n * sizeof *f->ym);
    f->ga = malloc((nw + 1) * sizeof *f->ga);
    f->gb = malloc((nw + 1) * sizeof *f->gb);
    f->mu = malloc((f->ev.npar + 1) * sizeof *f->mu);
    f->dK = malloc((size_t)f->rk->s * n * sizeof *f->dK);
    f->dphi = malloc(n * sizeof *f->dphi);
    f->v = malloc(n * sizeof *f->v);
    double *D = malloc((n + 1) * (1 + n + f->ev.npar) * sizeof *D);
    int *obs = malloc((n + 1) * sizeof *obs), *lift = malloc((n + 1) * sizeof *lift);
    nd_status st = ND_OK;
    if (!f->ent || !f->first || !f->nm || !f->segev || !f->res || !f->lifted || !f->y0 ||
        !f->ym || !f->ga || !f->gb || !f->mu || !f->dK || !f->dphi || !f->v || !D || !obs ||
        !lift) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        goto done;
    }
    if (!nw) goto done;
    int o;
    if (!nd_model_has_event_derivs(m)) {
        st = nd_error_fail(err, ND_EVALUE, "'%s' has a `when` whose condition or reset cannot "
                           "be differentiated, so training cannot go through its resets",
                           nd_model_name(m));
    } else if ((o = when_reads_output(f, D)) >= 0) {
        st = nd_error_fail(err, ND_EVALUE, "a `when` of '%s' reads '%s', which the network "
                           "replaces: training through resets needs conditions and resets "
                           "that do not depend on the network", nd_model_name(m),
                           nd_ude_replace(f->u, (size_t)o));
    } else {
        size_t no = 0;
        for (size_t i = 0; i < n; i++)
            if (f->observed[i]) obs[no++] = (int)i;
        int any = nd_lift_columns(m, obs, no, lift);
        if (any < 0) {
            st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
        } else if (any) {
            for (size_t q = 0; q < no; q++) f->lifted[obs[q]] = lift[q];
            if (!(f->dev = malloc(R * sizeof *f->dev)))
                st = nd_error_fail(err, ND_ENOMEM, "out of memory for the fit");
            else
                nd_lift_count(f->d, R, n, n, f->lifted, f->dev);
        }
    }
done:
    free(D), free(obs), free(lift);
    return st;
}

void ude_events_free(nd_ude_fit *f)
{
    for (size_t k = 0; k < f->capev; k++) nd_salt_free(&f->salt[k]);
    free(f->salt), free(f->evd), free(f->ent), free(f->first), free(f->nm), free(f->segev);
    free(f->dev), free(f->lifted), free(f->res);
    free(f->y0), free(f->ym), free(f->ga), free(f->gb), free(f->mu);
    free(f->dK), free(f->dphi), free(f->v);
}

static int push_entry(nd_ude_fit *f, ude_entry_kind kind, double h, size_t q, size_t ev)
{
    if (f->nent == f->capent) {
        size_t cap = 2 * f->capent;
        ude_entry *e = realloc(f->ent, cap * sizeof *e);
        if (!e) return -1;
        f->ent = e, f->capent = cap;
    }
    f->ent[f->nent++] = (ude_entry){kind, h, q, ev};
    return 0;
}

/* Room for one more event's record. */
static int event_room(nd_ude_fit *f)
{
    if (f->nev < f->capev) return 0;
    size_t cap = f->capev ? 2 * f->capev : 16, n = f->n;
    nd_salt *s = realloc(f->salt, cap * sizeof *s);
    if (!s) return -1;
    f->salt = s;
    double *d = realloc(f->evd, cap * 2 * n * sizeof *d);
    if (!d) return -1;
    f->evd = d;
    for (; f->capev < cap; f->capev++)
        if (nd_salt_init(&f->salt[f->capev], f->u->open)) return -1;
    return 0;
}

/* One Runge–Kutta step, taped when recording and there is room. */
static int tape_step(nd_ude_fit *f, ude_entry_kind kind, size_t j, double t, double h,
                     double *y, int record, size_t *q)
{
    size_t s = (size_t)f->rk->s;
    int rec = record && *q + s <= f->cap;
    if (record && !rec) f->short_tape = 1;
    if (ude_rk_step(f, j, t, h, y, rec, *q, 0) || push_entry(f, kind, h, *q, 0)) return -1;
    *q += s;
    return 0;
}

/* The event functions at (t, y). */
static int events_at(nd_ude_fit *f, double t, const double *y, double *g)
{
    ude_eval_point(&f->ev, t, y);
    return nd_model_events(f->u->open, t, y, f->ev.p, g);
}

typedef struct probe {
    nd_ude_fit *f;
    size_t j;
    double t;
} probe;

/* g_k at the end of the step of length s from the saved start f->y0 (no tape). */
static double g_after(void *ctx, size_t k, double s)
{
    probe *pr = ctx;
    nd_ude_fit *f = pr->f;
    memcpy(f->ym, f->y0, f->n * sizeof *f->ym);
    if (ude_rk_step(f, pr->j, pr->t, s, f->ym, 0, 0, 0) ||
        events_at(f, pr->t + s, f->ym, f->gb))
        return NAN;
    return f->gb[k];
}

/* Applies event k at ts to y (the state just before it), keeping its jump and, when
   recording, the derivatives of its condition and reset. */
static int fire(nd_ude_fit *f, size_t k, double ts, double *y, int record)
{
    size_t n = f->n;
    if (event_room(f)) return -1;
    double *jump = f->evd + f->nev * 2 * n, *cb = jump + n;
    memcpy(f->ym, y, n * sizeof *f->ym);
    double *fm = f->dphi, *fp = f->v;   /* free during the forward pass */
    if ((record && ude_eval_rhs(&f->ev, ts, y, fm)) ||
        nd_model_apply_reset(f->u->open, k, ts, y, f->ev.p))
        return -1;
    for (size_t i = 0; i < n; i++) jump[i] = f->ym[i] - y[i], cb[i] = 0;
    /* The matrices are not used (the reverse pass takes the step's own derivatives), but
       computing them loads the derivatives and refuses an event only grazed. */
    if (record) {
        if (ude_eval_rhs(&f->ev, ts, y, fp)) return -1;
        ude_eval_point(&f->ev, ts, f->ym);
        if (nd_salt_compute(&f->salt[f->nev], f->u->open, k, ts, f->ev.p, f->ym, fm, fp))
            return -1;
    }
    if (push_entry(f, UDE_EVENT, 0, 0, f->nev)) return -1;
    f->nev++;
    return 0;
}

int ude_step(nd_ude_fit *f, size_t j, double t, double h, double *y, int record, size_t *q)
{
    if (!f->nw) return tape_step(f, UDE_STEP, j, t, h, y, record, q);
    size_t n = f->n, nw = f->nw;
    const double tend = t + h;
    for (int fired = 0; fired <= MAX_EVENTS_PER_STEP; fired++) {
        double len = tend - t;
        if (!(len > 0)) return 0;
        size_t q0 = *q, e0 = f->nent;
        memcpy(f->y0, y, n * sizeof *f->y0);
        if (events_at(f, t, y, f->ga) ||
            tape_step(f, fired ? UDE_REST : UDE_STEP, j, t, len, y, record, q) ||
            events_at(f, tend, y, f->gb))
            return -1;
        double best;
        size_t kbest = 0;
        probe pr = {f, j, t};
        int found = nd_salt_first_crossing(nw, f->ga, f->gb, len, g_after, &pr, &best, &kbest);
        if (found <= 0) return found;
        /* Back to the start: the step to the event, taped in place of the whole one. */
        *q = q0, f->nent = e0;
        memcpy(y, f->y0, n * sizeof *y);
        if (tape_step(f, UDE_TO_EVENT, j, t, best, y, record, q) ||
            fire(f, kbest, t + best, y, record))
            return -1;
        t += best;
    }
    return -1;
}

double ude_lift(nd_ude_fit *f, size_t j, size_t k, size_t i, double w)
{
    if (!f->dev || !f->lifted[i]) return 0;
    size_t n = f->n, e0 = f->segev[k], ne = f->segev[k + 1] - e0, k0, k1;
    if (!ne) return 0;
    double sign = nd_lift_range(f->nm[j], f->dev[j] - f->dev[f->seg[k]], &k0, &k1), sum = 0;
    for (size_t kk = k0; kk < k1; kk++) {
        double *jump = f->evd + (e0 + nd_lift_jump(kk, ne)) * 2 * n;
        sum += sign * jump[i];
        if (w != 0) jump[n + i] += w * sign;
    }
    return sum;
}

/* out = J v with J the hybrid's Jacobian at taped stage `at` (the model's, and the
   network's through its state inputs). */
static void stage_jv(const nd_ude_fit *f, size_t at, const double *v, double *out)
{
    size_t n = f->n, nout = f->nout, nin = f->nin;
    const double *J = f->Jm + at * n * n, *Fz = f->Fz + at * n * nout;
    const double *D = f->dzdx + at * nout * nin;
    for (size_t i = 0; i < n; i++) {
        double acc = 0;
        for (size_t r = 0; r < n; r++) acc += J[i * n + r] * v[r];
        out[i] = acc;
    }
    for (size_t k = 0; k < nout; k++) {
        double dz = 0;
        for (size_t m = 0; m < nin; m++)
            if (f->u->in_kind[m] == UDE_IN_STATE) dz += D[k * nin + m] * v[f->u->in_index[m]];
        if (dz != 0)
            for (size_t i = 0; i < n; i++) out[i] += Fz[i * nout + k] * dz;
    }
}

/* out = ∂y'/∂h of the taped step of length h whose stages start at q, by forward
   differentiation through its stages (the model has no explicit time dependence). */
static void step_dh(nd_ude_fit *f, double h, size_t q, double *out)
{
    size_t n = f->n;
    int S = f->rk->s;
    for (int s = 0; s < S; s++) {
        for (size_t i = 0; i < n; i++) f->v[i] = 0;
        for (int j = 0; j < s; j++) {
            double a = f->rk->a[s][j];
            if (a != 0)
                for (size_t i = 0; i < n; i++)
                    f->v[i] += a * (f->Kt[(q + (size_t)j) * n + i] + h * f->dK[(size_t)j * n + i]);
        }
        stage_jv(f, q + (size_t)s, f->v, f->dK + (size_t)s * n);
    }
    for (size_t i = 0; i < n; i++) {
        double acc = 0;
        for (int s = 0; s < S; s++)
            acc += f->rk->b[s] * (f->Kt[(q + (size_t)s) * n + i] + h * f->dK[(size_t)s * n + i]);
        out[i] = acc;
    }
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* The adjoint across event ev reached by the step `to`, with rbar the cotangent of the
   length of the rest of its grid step (which the event time shortens). */
static void event_adjoint(nd_ude_fit *f, size_t ev, const ude_entry *to, double rbar,
                          double *ybar)
{
    size_t n = f->n;
    const nd_salt *s = &f->salt[ev];
    double *mu = f->nphys ? f->mu : NULL;
    if (mu) memset(mu, 0, f->ev.npar * sizeof *mu);
    const double *c = f->dev ? f->evd + (ev * 2 + 1) * n : NULL;
    double tbar = nd_salt_reset_adjoint(s, ybar, c, f->Ybar, mu) - rbar;
    step_dh(f, to->h, to->q, f->dphi);
    /* A grazed event was refused in the forward pass (its time has no derivative). */
    nd_salt_time_adjoint(s, tbar, f->dphi, f->Ybar, mu);
    memcpy(ybar, f->Ybar, n * sizeof *ybar);
    for (size_t k = 0; mu && k < f->nphys; k++) f->gp[k] += mu[f->phys[k]];
}

void ude_interval_adjoint(nd_ude_fit *f, size_t j, double *ybar)
{
    double rbar = 0;
    for (size_t e = f->first[j + 1]; e-- > f->first[j];) {
        const ude_entry *en = &f->ent[e];
        switch (en->kind) {
        case UDE_EVENT:
            event_adjoint(f, en->ev, &f->ent[e - 1], rbar, ybar);
            break;
        case UDE_REST:
            step_dh(f, en->h, en->q, f->dphi);
            rbar = dot(ybar, f->dphi, f->n);
            ude_rk_adjoint(f, en->h, en->q, ybar);
            break;
        case UDE_STEP:
        case UDE_TO_EVENT:
            ude_rk_adjoint(f, en->h, en->q, ybar);
            if (e == f->first[j] || f->ent[e - 1].kind != UDE_EVENT) rbar = 0;   /* a grid step's start */
            break;
        }
    }
}

void ude_forced_reset(nd_ude_fit *f, size_t j, double t, double *y)
{
    if (!f->dev || j == 0 || f->dev[j] == f->dev[j - 1]) return;
    const nd_model *m = f->u->open;
    size_t n = f->n, w = 1 + n + f->ev.npar;
    double *D = malloc(n * w * sizeof *D);
    if (!D) return;
    for (size_t k = 0; k < f->nw; k++) {
        ude_eval_point(&f->ev, t, y);
        if (nd_model_reset_jac(m, k, t, y, f->ev.p, D)) continue;
        int assigns = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; f->lifted[i] && c < w; c++) assigns |= D[i * w + c] != (c == 1 + i);
        if (assigns) nd_model_apply_reset(m, k, t, y, f->ev.p);
    }
    for (size_t i = 0; i < n; i++)
        if (f->observed[i] && isfinite(f->d[j * n + i])) y[i] = f->d[j * n + i];
    free(D);
}
