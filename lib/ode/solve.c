/* nd_ode_solve: checks the arguments once, then hands the problem to the driver of the
   chosen method. Also the method names and the default options. */
#include "drivers.h"

#include <math.h>
#include <string.h>
#include <strings.h>

static const char *const method_names[ND_ODE_NMETHODS] = {
    "euler", "rk4", "expeuler", "dp5", "tsit5", "bdf", "adams"};

const char *nd_ode_method_name(nd_ode_method m)
{
    return (unsigned)m < ND_ODE_NMETHODS ? method_names[m] : "?";
}

int nd_ode_method_parse(const char *name, nd_ode_method *out)
{
    for (int i = 0; name && i < ND_ODE_NMETHODS; i++)
        if (strcasecmp(name, method_names[i]) == 0) {
            *out = (nd_ode_method)i;
            return 0;
        }
    return -1;
}

int nd_ode_method_is_fixed(nd_ode_method m)
{
    return m == ND_ODE_EULER || m == ND_ODE_RK4 || m == ND_ODE_EXPEULER;
}

void nd_ode_options_default(nd_ode_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = ND_ODE_DP5;
    o->rtol = 1e-6;
    o->atol = 1e-6;
    o->max_steps = 10000000;
}

static nd_status check_args(const nd_ode_problem *p, double t0, double t1, const double *y,
                            const nd_ode_options *o, const double *tout, size_t ntout,
                            nd_error *err)
{
    if (!p || !p->rhs || p->n == 0 || !y || !o)
        return nd_error_fail(err, ND_EVALUE, "the problem has no equations");
    if (p->nevents && !p->events)
        return nd_error_fail(err, ND_EVALUE, "the problem declares events but no conditions");
    if ((unsigned)o->method >= ND_ODE_NMETHODS)
        return nd_error_fail(err, ND_EVALUE, "unknown solver method %d", (int)o->method);
    if (!isfinite(t0) || !isfinite(t1) || t1 < t0)
        return nd_error_fail(err, ND_EVALUE, "the time span [%g, %g] must be finite and "
                             "forward", t0, t1);
    const char *m = nd_ode_method_name(o->method);
    if (nd_ode_method_is_fixed(o->method)) {
        if (!(o->dt > 0) || !isfinite(o->dt))
            return nd_error_fail(err, ND_EVALUE, "%s is a fixed-step method: give a step "
                                 "dt > 0", m);
    } else if (!(o->rtol > 0) || !(o->atol > 0) || !isfinite(o->rtol) || !isfinite(o->atol)) {
        return nd_error_fail(err, ND_EVALUE, "%s needs tolerances rtol > 0 and atol > 0", m);
    } else if (o->dt < 0 || o->dt_max < 0 || isnan(o->dt) || isnan(o->dt_max)) {
        return nd_error_fail(err, ND_EVALUE, "dt and dt_max must not be negative");
    }
    if (o->max_steps <= 0)
        return nd_error_fail(err, ND_EVALUE, "max_steps must be positive");
    if (!(o->bound >= 0))
        return nd_error_fail(err, ND_EVALUE, "bound must not be negative (0: none)");
    /* A fixed step knows its step count in advance: refuse at once what would only fail
       after max_steps steps (plus one per breakpoint, which the grid also steps onto). */
    if (nd_ode_method_is_fixed(o->method) &&
        (t1 - t0) / o->dt > (double)o->max_steps + (double)p->nbreaks + 1)
        return nd_error_fail(err, ND_EVALUE, "%s with dt = %g needs %.3g steps for t from %g "
                             "to %g, more than max_steps = %ld: use a larger dt or a shorter "
                             "time", m, o->dt, (t1 - t0) / o->dt, t0, t1, o->max_steps);
    for (size_t i = 0; tout && i < ntout; i++) {
        if (!(tout[i] >= t0 && tout[i] <= t1))
            return nd_error_fail(err, ND_EVALUE, "output time %g is outside [%g, %g]",
                                 tout[i], t0, t1);
        if (i && tout[i] < tout[i - 1])
            return nd_error_fail(err, ND_EVALUE, "output times must be sorted");
    }
    for (size_t i = 0; i < p->nbreaks; i++)
        if (isnan(p->breaks[i]) || (i && p->breaks[i] < p->breaks[i - 1]))
            return nd_error_fail(err, ND_EVALUE, "breakpoints must be sorted numbers");
    long bad = nd_ode_nonfinite(y, p->n);
    if (bad >= 0) {
        char buf[32];
        nd_ode_run probe = {.p = p};
        return nd_error_fail(err, ND_EVALUE, "the initial value of %s is not finite",
                             nd_ode_run_varname(&probe, (size_t)bad, buf));
    }
    return ND_OK;
}

nd_status nd_ode_solve(const nd_ode_problem *p, double t0, double t1, double *y,
                       const nd_ode_options *opt, const double *tout, size_t ntout,
                       nd_ode_output_fn out, void *out_ctx, nd_ode_stats *stats,
                       nd_error *err)
{
    nd_ode_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    stats->t_end = t0;
    nd_error_clear(err);
    nd_status s = check_args(p, t0, t1, y, opt, tout, ntout, err);
    if (s) return s;

    nd_ode_run r;
    if ((s = nd_ode_run_init(&r, p, opt, t0, t1, tout, ntout, out, out_ctx, stats, err)))
        return s;
    switch (opt->method) {
    case ND_ODE_DP5:   s = nd_ode_erk_solve(&r, &nd_ode_dp5, y); break;
    case ND_ODE_TSIT5: s = nd_ode_erk_solve(&r, &nd_ode_tsit5, y); break;
    case ND_ODE_BDF:
    case ND_ODE_ADAMS: s = nd_ode_cvode_solve(&r, y); break;
    default:           s = nd_ode_fixed_solve(&r, y); break;
    }
    nd_ode_run_free(&r);
    return s;
}
