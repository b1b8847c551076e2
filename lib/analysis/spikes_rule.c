/* The default spike rule.

   A membrane potential in mV has absolute landmarks: an action potential overshoots
   toward 0 mV and beyond, rest and subthreshold events stay well below -20 mV (HH rests
   at -65 mV; its abortive "minf/hinf" event peaks near -25 mV). So the rule is the one
   electrophysiologists use: the upward crossing of -20 mV, back below -30 mV to end, and
   at least 30 mV above the trough before it. A flat, drifting, noisy or subthreshold
   trace never crosses -20 mV, whatever its range. (A dV/dt criterion was considered: on
   samples it depends on the sampling interval and on noise, which is what this rule must
   not do.)

   A dimensionless variable (FitzHugh-Nagumo's v, about -2..2) has no absolute landmark
   but a scale: nondimensionalisation makes a spike an excursion of order one (FHN's is
   about 4). A flat trace has no such scale (its range is rounding noise), and a slow
   drift crosses its mid-range at most once and does not come back. So the threshold is
   the trace's mid-range with a tenth of its range as hysteresis, and a spike must rise at
   least max(1, half the range) above the preceding trough: order one in absolute terms
   rules out jitter and drifts smaller than a spike, half the range rules out wiggles on
   top of a larger drift. */
#include "spikes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/range.h"

enum { VOLT_THRESHOLD = -20, VOLT_HYSTERESIS = 10, VOLT_AMPLITUDE = 30 };

/* The least excursion of a dimensionless spike: order one by nondimensionalisation. */
#define SCALED_FLOOR 1.0

/* A trace with no unit is taken for millivolts when it is called like a membrane
   potential and goes where only millivolts go: below -30 (no dimensionless model does). */
static int looks_like_mv(const char *name, const char *unit, double lo)
{
    if (unit && unit[0]) return strcmp(unit, "mV") == 0;
    return name && (strcmp(name, "V") == 0 || strcmp(name, "v") == 0 ||
                    strcmp(name, "Vm") == 0) && lo < -30;
}

void nd_spikes_rule_default(const char *name, const char *unit, const double *v, size_t n,
                            nd_spikes_rule *out)
{
    double lo = 0, hi = 0;
    if (nd_finite_range(v, n, &lo, &hi) == 0) lo = hi = 0;
    if (looks_like_mv(name, unit, lo)) {
        *out = (nd_spikes_rule){ND_SPIKES_VOLTAGE, VOLT_THRESHOLD, VOLT_HYSTERESIS,
                                VOLT_AMPLITUDE};
        return;
    }
    double range = hi > lo ? hi - lo : 0;
    *out = (nd_spikes_rule){ND_SPIKES_SCALED, 0.5 * (lo + hi), 0.1 * range,
                            fmax(SCALED_FLOOR, 0.5 * range)};
}

void nd_spikes_rule_given(const double *v, size_t n, double threshold, nd_spikes_rule *out)
{
    double lo = 0, hi = 0;
    if (nd_finite_range(v, n, &lo, &hi) == 0) lo = hi = 0;
    /* The old default: enough to ride over noise, small enough for any spike. */
    *out = (nd_spikes_rule){ND_SPIKES_GIVEN, threshold, 0.1 * (hi - lo), 0};
}

nd_status nd_spikes_rule_with(const nd_dataset *ds, size_t col, const double *threshold,
                              const double *hysteresis, nd_spikes_rule *out, nd_error *err)
{
    nd_spikes_rule_for(ds, col, out);
    if (threshold) nd_spikes_rule_given(nd_ds_col(ds, col), nd_ds_rows(ds), *threshold, out);
    if (!hysteresis) return ND_OK;
    if (out->kind == ND_SPIKES_RESET)
        return nd_error_fail(err, ND_EVALUE, "hysteresis needs a threshold: here each reset "
                             "is a spike");
    out->hysteresis = *hysteresis;
    return ND_OK;
}

int nd_spikes_column(const nd_dataset *ds, const char *var)
{
    if (!var) var = nd_ds_find(ds, "V") > 0 ? "V" : nd_ds_cols(ds) > 1 ? nd_ds_name(ds, 1) : NULL;
    int col = var ? nd_ds_find(ds, var) : -1;
    return col >= 1 ? col : -1;
}

void nd_spikes_rule_describe(const nd_spikes_rule *r, const char *unit, char *buf,
                             size_t cap)
{
    /* "1" is how models write "dimensionless": nothing to print. */
    const char *u = unit && unit[0] && strcmp(unit, "1") != 0 ? unit : "";
    const char *sp = u[0] ? " " : "";
    switch (r->kind) {
    case ND_SPIKES_VOLTAGE:
        snprintf(buf, cap, "crossing %g %s upwards, back below %g %s, at least %g %s above "
                 "the trough before (the physiological default for mV)", r->threshold, u,
                 r->threshold - r->hysteresis, u, r->min_amplitude, u);
        break;
    case ND_SPIKES_SCALED:
        snprintf(buf, cap, "crossing the mid-range %.4g%s%s upwards, back below %.4g%s%s, "
                 "at least %.3g%s%s above the trough before (the default for a dimensionless "
                 "variable: max(1, half the range))", r->threshold, sp, u,
                 r->threshold - r->hysteresis, sp, u, r->min_amplitude, sp, u);
        break;
    case ND_SPIKES_RESET:
        snprintf(buf, cap, "each reset of the variable by the model is a spike, at the "
                 "reset's time and the value before it (the default for a model that resets)");
        break;
    default:
        snprintf(buf, cap, "crossing %g%s%s upwards, back below %g%s%s (given)", r->threshold,
                 sp, u, r->threshold - r->hysteresis, sp, u);
        break;
    }
}
