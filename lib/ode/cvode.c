/* The CVODE driver (SUNDIALS 6): BDF or Adams with Newton iterations on a dense linear
   solver (the model's Jacobian when it has one), one step per call so that interrupts,
   outputs (CVodeGetDky) and the step budget are handled between steps, CVODE's own root
   finding for events (upward crossings only), and tstop at every breakpoint followed by
   a re-initialisation, since f is discontinuous there. CVODE prints nothing: its error
   handler is silenced and its failures become SolverErrors naming the flag. */
#include "drivers.h"

#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

typedef struct {
    nd_ode_run *r;
    double *Jrow;           /* the model's row-major Jacobian before transposing */
    long bad;               /* a variable whose derivative came out non-finite, or -1 */
    double bad_t, bad_v;
    int rhs_failed;
    void *mem;
    N_Vector tmp;           /* for dense output */
} cv_ctx;

static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *ud)
{
    cv_ctx *c = ud;
    const nd_ode_problem *p = c->r->p;
    double *f = N_VGetArrayPointer(ydot);
    if (p->rhs(p->ctx, t, N_VGetArrayPointer(y), f) != 0) {
        c->rhs_failed = 1;
        return -1;          /* unrecoverable: the model said it cannot go on */
    }
    long bad = nd_ode_nonfinite(f, c->r->n);
    if (bad >= 0) {
        /* Recoverable: CVODE retries with a smaller step. Remember it for the message. */
        c->bad = bad, c->bad_t = t, c->bad_v = f[bad];
        return 1;
    }
    return 0;
}

static int cv_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *ud,
                  N_Vector t1, N_Vector t2, N_Vector t3)
{
    (void)fy, (void)t1, (void)t2, (void)t3;
    cv_ctx *c = ud;
    const nd_ode_problem *p = c->r->p;
    size_t n = c->r->n;
    if (p->jac(p->ctx, t, N_VGetArrayPointer(y), c->Jrow) != 0) return -1;
    for (size_t j = 0; j < n; j++) {
        double *col = SUNDenseMatrix_Column(J, (sunindextype)j);
        for (size_t i = 0; i < n; i++) col[i] = c->Jrow[i * n + j];
    }
    return 0;
}

static int cv_root(sunrealtype t, N_Vector y, sunrealtype *g, void *ud)
{
    cv_ctx *c = ud;
    const nd_ode_problem *p = c->r->p;
    return p->events(p->ctx, t, N_VGetArrayPointer(y), g) != 0 ? -1 : 0;
}

static void cv_silent(int code, const char *module, const char *fn, char *msg, void *ud)
{
    (void)code, (void)module, (void)fn, (void)msg, (void)ud;
}

static void cv_interp(const void *ctx, double t, double *y)
{
    const cv_ctx *c = ctx;
    if (CVodeGetDky(c->mem, t, 0, c->tmp) == CV_SUCCESS)
        memcpy(y, N_VGetArrayPointer(c->tmp), c->r->n * sizeof(double));
    else
        for (size_t i = 0; i < c->r->n; i++) y[i] = NAN;
}

/* CVODE's counters restart at each re-initialisation: fold them into the totals first. */
static void cv_collect(cv_ctx *c, nd_ode_stats *total)
{
    long nst = 0, nfe = 0, nfels = 0, nje = 0, netf = 0, ncf = 0;
    CVodeGetNumSteps(c->mem, &nst);
    CVodeGetNumRhsEvals(c->mem, &nfe);
    CVodeGetNumLinRhsEvals(c->mem, &nfels);
    CVodeGetNumJacEvals(c->mem, &nje);
    CVodeGetNumErrTestFails(c->mem, &netf);
    CVodeGetNumNonlinSolvConvFails(c->mem, &ncf);
    total->accepted += nst;
    total->rejected += netf + ncf;
    total->rhs_evals += nfe + nfels;
    total->jac_evals += nje;
}

static const char *flag_hint(int flag)
{
    switch (flag) {
    case CV_TOO_MUCH_ACC: return "the tolerances are too tight for double precision";
    case CV_ERR_FAILURE:
        return "the error test failed repeatedly: the solution may blow up here or f "
               "jumps without a declared break";
    case CV_CONV_FAILURE:
        return "Newton iterations did not converge: the solution may blow up here or the "
               "Jacobian is wrong";
    case CV_LSETUP_FAIL: case CV_LSOLVE_FAIL:
        return "the linear solver failed (singular iteration matrix?)";
    case CV_RTFUNC_FAIL: return "the event conditions could not be evaluated";
    case CV_TOO_CLOSE: return "the interval is too short";
    default: return "see the CVODE documentation for this flag";
    }
}

static nd_status cv_fail(cv_ctx *c, int flag, double t)
{
    nd_ode_run *r = c->r;
    if (r->err && r->err->code != ND_OK) return r->err->code;   /* a callback's own */
    if (c->rhs_failed)
        return nd_error_fail(r->err, ND_ESOLVER,
                             "the right-hand side could not be evaluated near t = %g", t);
    if (c->bad >= 0) {
        return nd_ode_run_blowup(r, c->bad_t, c->bad_v, c->bad, 1, 0,
                                 "CVODE could not find a step on which the model stays "
                                 "finite; the solution blows up here or the model is "
                                 "undefined there");
    }
    char *name = CVodeGetReturnFlagName(flag);
    nd_status s = nd_error_fail(r->err, ND_ESOLVER, "CVODE (%s) failed at t = %g: %s: %s",
                                r->method, t, name ? name : "?", flag_hint(flag));
    free(name);
    return s;
}

nd_status nd_ode_cvode_solve(nd_ode_run *r, double *y)
{
    const nd_ode_problem *p = r->p;
    const nd_ode_options *o = r->opt;
    const size_t n = r->n, ne = p->nevents;
    nd_ode_stats *st = r->st;
    cv_ctx c = {r, NULL, -1, 0, 0, 0, NULL, NULL};
    SUNContext sun = NULL;
    N_Vector yv = NULL;
    SUNMatrix A = NULL;
    SUNLinearSolver LS = NULL;
    int *rootsfound = NULL, *dirs = NULL;
    nd_status rc = ND_OK;
    int flag = 0;
    double t = r->t0;

    if (SUNContext_Create(NULL, &sun) != 0) {
        rc = nd_error_fail(r->err, ND_ENOMEM, "could not create the SUNDIALS context");
        goto done;
    }
    yv = N_VNew_Serial((sunindextype)n, sun);
    c.tmp = yv ? N_VClone(yv) : NULL;
    A = SUNDenseMatrix((sunindextype)n, (sunindextype)n, sun);
    c.mem = CVodeCreate(o->method == ND_ODE_ADAMS ? CV_ADAMS : CV_BDF, sun);
    if (p->jac) c.Jrow = malloc(n * n * sizeof(double));
    if (ne) {
        rootsfound = malloc(ne * sizeof(int));
        dirs = malloc(ne * sizeof(int));
    }
    if (!yv || !c.tmp || !A || !c.mem || (p->jac && !c.Jrow) ||
        (ne && (!rootsfound || !dirs))) {
        rc = nd_error_fail(r->err, ND_ENOMEM, "out of memory for CVODE");
        goto done;
    }
    memcpy(N_VGetArrayPointer(yv), y, n * sizeof(double));
    LS = SUNLinSol_Dense(yv, A, sun);
    CVodeSetErrHandlerFn(c.mem, cv_silent, NULL);
    if (!LS || (flag = CVodeInit(c.mem, cv_rhs, t, yv)) ||
        (flag = CVodeSStolerances(c.mem, o->rtol, o->atol)) ||
        (flag = CVodeSetUserData(c.mem, &c)) ||
        (flag = CVodeSetLinearSolver(c.mem, LS, A)) ||
        (p->jac && (flag = CVodeSetJacFn(c.mem, cv_jac))) ||
        (o->dt > 0 && (flag = CVodeSetInitStep(c.mem, o->dt))) ||
        (o->dt_max > 0 && (flag = CVodeSetMaxStep(c.mem, o->dt_max)))) {
        rc = cv_fail(&c, flag ? flag : CV_MEM_FAIL, t);
        goto done;
    }
    if (ne) {
        for (size_t k = 0; k < ne; k++) dirs[k] = 1;
        if ((flag = CVodeRootInit(c.mem, (int)ne, cv_root)) ||
            (flag = CVodeSetRootDirection(c.mem, dirs)) ||
            (flag = CVodeSetNoInactiveRootWarn(c.mem))) {
            rc = cv_fail(&c, flag, t);
            goto done;
        }
    }
    double tstop = nd_ode_run_next_stop(r, t);
    CVodeSetStopTime(c.mem, tstop);
    if ((rc = nd_ode_run_start(r, y))) goto done;

    long steps_before = 0;   /* CVODE's step count at the last re-initialisation */
    while (t < r->t1) {
        st->steps = steps_before;
        {
            long nst = 0;
            CVodeGetNumSteps(c.mem, &nst);
            st->steps += nst;
        }
        if ((rc = nd_ode_run_poll(r, t))) break;
        double tret, hlast = 0;
        c.bad = -1;
        flag = CVode(c.mem, r->t1, yv, &tret, CV_ONE_STEP);
        if (flag < 0) {
            rc = cv_fail(&c, flag, t);
            break;
        }
        /* A model that turns non-finite at some t makes CVODE creep toward it with ever
           smaller steps (each failure is recoverable): call that a blow-up. */
        CVodeGetLastStep(c.mem, &hlast);
        if (c.bad >= 0 && hlast < 1e-9 * fmax(1, fabs(tret))) {
            rc = cv_fail(&c, CV_ERR_FAILURE, tret);
            break;
        }
        t = tret;
        double *yd = N_VGetArrayPointer(yv);
        if ((rc = nd_ode_run_outputs(r, t, yd, cv_interp, &c))) break;
        int reinit = 0, stop = 0;
        if (flag == CV_ROOT_RETURN) {
            CVodeGetRootInfo(c.mem, rootsfound);
            memcpy(r->ye, yd, n * sizeof(double));
            for (size_t k = 0; k < ne && !stop; k++) {
                if (rootsfound[k] <= 0) continue;
                if ((rc = nd_ode_run_fire(r, k, t, yd, &stop))) break;
            }
            if (rc) break;
            if (stop) break;
            reinit = memcmp(r->ye, yd, n * sizeof(double)) != 0;
        } else if (flag == CV_TSTOP_RETURN && t < r->t1) {
            reinit = 1;
            tstop = nd_ode_run_next_stop(r, t);
        }
        if ((rc = nd_ode_run_every_step(r, t, yd, NULL))) break;
        if (reinit) {
            long nst = 0;
            CVodeGetNumSteps(c.mem, &nst);
            steps_before += nst;
            cv_collect(&c, st);
            if ((flag = CVodeReInit(c.mem, t, yv)) ||
                (flag = CVodeSetStopTime(c.mem, tstop))) {
                rc = cv_fail(&c, flag, t);
                break;
            }
        }
    }
    if (c.mem) cv_collect(&c, st);
    st->steps = st->accepted + st->rejected;
    if (!rc) {
        memcpy(y, N_VGetArrayPointer(yv), n * sizeof(double));
        st->t_end = t;
    }
done:
    if (c.mem) CVodeFree(&c.mem);
    if (LS) SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    if (c.tmp) N_VDestroy(c.tmp);
    if (yv) N_VDestroy(yv);
    if (sun) SUNContext_Free(&sun);
    free(c.Jrow);
    free(rootsfound);
    free(dirs);
    return rc;
}
