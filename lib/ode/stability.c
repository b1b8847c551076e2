/* The fixed-step stability warning: an explicit method with step dt is stable on
   y' = λy only while λ·dt stays inside its stability region, which on the negative real
   axis ends at 2 (Euler) or 2.785 (RK4). Comparing the Jacobian's spectral radius times
   dt with that limit catches the classic "RK4 at dt = 0.1 on HH" trap before it blows
   up, at the price of a small eigenvalue problem every so many steps. */
#include "drivers.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>

nd_status nd_ode_stability_check(nd_ode_run *r, double t, const double *y, const double *f0,
                                 double dt, double limit, double *work)
{
    size_t n = r->n;
    if (n > ND_ODE_STAB_MAXN || r->st->stability_warning) return ND_OK;
    double *J = work, *wr = J + n * n, *wi = wr + n, *scratch = wi + n;
    nd_status s = nd_ode_run_jacobian(r, t, y, f0, J, scratch);
    if (s) return s;
    if (nd_ode_nonfinite(J, n * n) >= 0) return ND_OK;   /* the blow-up check will speak */
    lapack_int info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)n, J,
                                    (lapack_int)n, wr, wi, NULL, 1, NULL, 1);
    if (info != 0) return ND_OK;   /* no estimate this time; the check is advisory */
    double rho = 0;
    for (size_t i = 0; i < n; i++) rho = fmax(rho, hypot(wr[i], wi[i]));
    double z = rho * dt;
    if (z > limit) {
        r->st->stability_warning = 1;
        snprintf(r->st->warning, sizeof r->st->warning,
                 "dt = %g is beyond %s's stability limit for this model near t = %.3g "
                 "(|\u03bb|\u00b7dt \u2248 %.2g > %.3g)", dt, r->method, t, z, limit);
    }
    return ND_OK;
}
