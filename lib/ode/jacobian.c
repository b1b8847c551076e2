/* The Jacobian for the solvers that need one outside CVODE (expeuler's diagonal, the
   fixed-step stability check): the model's own when it has one, else forward
   differences with the usual sqrt(eps) relative increment. */
#include "drivers.h"

#include <float.h>
#include <math.h>
#include <string.h>

nd_status nd_ode_run_jacobian(nd_ode_run *r, double t, const double *y, const double *f0,
                              double *J, double *scratch)
{
    const nd_ode_problem *p = r->p;
    size_t n = r->n;
    r->st->jac_evals++;
    if (p->jac) {
        if (p->jac(p->ctx, t, y, J) != 0) {
            if (r->err && r->err->code != ND_OK) return r->err->code;
            return nd_error_fail(r->err, ND_ESOLVER,
                                 "the Jacobian could not be evaluated at t = %g", t);
        }
        return ND_OK;
    }
    /* One column at a time: perturb y_j, difference f. */
    double *yp = scratch, *fp = scratch + n;
    memcpy(yp, y, n * sizeof(double));
    for (size_t j = 0; j < n; j++) {
        double d = sqrt(DBL_EPSILON) * fmax(fabs(y[j]), 1e-3);
        yp[j] = y[j] + d;
        d = yp[j] - y[j];          /* the increment actually represented */
        nd_status s = nd_ode_run_rhs(r, t, yp, fp);
        yp[j] = y[j];
        if (s) return s;
        for (size_t i = 0; i < n; i++) J[i * n + j] = (fp[i] - f0[i]) / d;
    }
    return ND_OK;
}
