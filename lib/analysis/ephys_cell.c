/* The features of a cell from its sweeps of current steps, as ipfx's long-square analysis
   (stimulus_protocol_analysis.py): rheobase and the F-I slope from the spiking side, input
   resistance, tau and sag from the silent hyperpolarising side. */
#include "ephys.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nd_ephys_cell_clear(nd_ephys_cell *c)
{
    free(c->amplitude);
    free(c->rate);
    *c = (nd_ephys_cell){0};
}

/* The least-squares slope of y on x (with intercept) over n points; NAN when the x do not
   differ. */
static double slope(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxx = 0, sxy = 0;
    for (size_t k = 0; k < n; k++) mx += x[k], my += y[k];
    mx /= (double)n;
    my /= (double)n;
    for (size_t k = 0; k < n; k++) {
        sxx += (x[k] - mx) * (x[k] - mx);
        sxy += (x[k] - mx) * (y[k] - my);
    }
    return sxx > 0 ? sxy / sxx : NAN;
}

/* A sweep whose steady state tells the passive membrane: hyperpolarising and silent. */
static int passive(const nd_ephys_sweep *s)
{
    return s->amplitude < 0 && s->n_spikes == 0 && isfinite(s->steady);
}

nd_status nd_ephys_rheobase(const nd_ephys_sweep *s, size_t n, double *rheobase,
                            nd_error *err)
{
    /* A step of 0 is no stimulus: a cell that fires at rest has fired without one. */
    *rheobase = NAN;
    for (size_t k = 0; k < n; k++)
        if (s[k].amplitude > 0 && s[k].n_spikes > 0 && !(s[k].amplitude >= *rheobase))
            *rheobase = s[k].amplitude;
    if (isnan(*rheobase))
        return nd_error_fail(err, ND_EVALUE, "no rheobase: none of the %zu sweeps with a "
                             "depolarising step has a spike", n);
    return ND_OK;
}

nd_status nd_ephys_input_resistance(const nd_ephys_sweep *s, size_t n, double *rin,
                                    size_t *used, nd_error *err)
{
    *rin = NAN;
    if (used) *used = 0;
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the input resistance");
    }
    size_t m = 0, last = 0;
    for (size_t k = 0; k < n; k++)
        if (passive(&s[k])) x[m] = s[k].amplitude, y[m++] = s[k].steady, last = k;
    if (used) *used = m;
    /* One step and the rest before it are two points of the same line (Ohm's law). */
    if (m == 1 && isfinite(s[last].baseline)) x[m] = 0, y[m++] = s[last].baseline;
    *rin = m >= 2 ? 1000 * slope(x, y, m) : NAN;
    free(x);
    free(y);
    if (isnan(*rin))
        return nd_error_fail(err, ND_EVALUE, "no input resistance: it needs hyperpolarising "
                             "sweeps (amplitude < 0) without spikes at two or more amplitudes, "
                             "or one with a baseline before its step; %zu of the %zu sweeps "
                             "qualify", used ? *used : m, n);
    return ND_OK;
}

nd_status nd_ephys_fi_slope(const nd_ephys_sweep *s, size_t n, double rheobase,
                            double *out, nd_error *err)
{
    *out = NAN;
    double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the F-I slope");
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (s[k].amplitude >= rheobase) x[m] = s[k].amplitude, y[m++] = s[k].rate;
    if (m >= 2) *out = slope(x, y, m);
    free(x);
    free(y);
    if (isnan(*out))
        return nd_error_fail(err, ND_EVALUE, "no F-I slope: it needs sweeps of two or more "
                             "amplitudes at or above rheobase (%g); %zu there", rheobase, m);
    return ND_OK;
}

/* Appends a feature's reason for being NAN to the cell's notes. */
static void note(nd_ephys_cell *c, const char *msg)
{
    size_t len = strlen(c->notes);
    snprintf(c->notes + len, sizeof c->notes - len, "%s%s", len ? "; " : "", msg);
}

/* The F-I curve: every sweep with a known amplitude, by increasing amplitude. */
static nd_status fi_curve(const nd_ephys_sweep *s, size_t n, nd_ephys_cell *c, nd_error *err)
{
    c->amplitude = malloc((n ? n : 1) * sizeof(double));
    c->rate = malloc((n ? n : 1) * sizeof(double));
    if (!c->amplitude || !c->rate)
        return nd_error_fail(err, ND_ENOMEM, "out of memory for the F-I curve");
    for (size_t k = 0; k < n; k++) {
        if (isnan(s[k].amplitude)) continue;
        size_t j = c->n++;
        while (j > 0 && c->amplitude[j - 1] > s[k].amplitude) {
            c->amplitude[j] = c->amplitude[j - 1];
            c->rate[j] = c->rate[j - 1];
            j--;
        }
        c->amplitude[j] = s[k].amplitude;
        c->rate[j] = s[k].rate;
    }
    return ND_OK;
}

/* tau: the mean over the passive sweeps; sag: of the most hyperpolarising one. */
static void passive_features(const nd_ephys_sweep *s, size_t n, nd_ephys_cell *c)
{
    double sum = 0;
    size_t m = 0, most = n;
    for (size_t k = 0; k < n; k++) {
        if (!passive(&s[k])) continue;
        if (isfinite(s[k].tau)) sum += s[k].tau, m++;
        if (isfinite(s[k].sag) && (most == n || s[k].amplitude < s[most].amplitude)) most = k;
    }
    c->tau = m ? sum / (double)m : NAN;
    c->sag = most < n ? s[most].sag : NAN;
    c->sag_amplitude = most < n ? s[most].amplitude : NAN;
    if (!m) note(c, "no tau: no hyperpolarising sweep without spikes gave an exponential fit");
    if (most == n) note(c, "no sag: no hyperpolarising sweep without spikes");
}

nd_status nd_ephys_cell_analyze(const nd_ephys_sweep *s, size_t n, nd_ephys_cell *out,
                                nd_error *err)
{
    *out = (nd_ephys_cell){0};
    if (n == 0) return nd_error_fail(err, ND_EVALUE, "a cell needs at least one sweep");
    nd_status st = fi_curve(s, n, out, err);
    if (st != ND_OK) {
        nd_ephys_cell_clear(out);
        return st;
    }
    /* Each feature stands alone: one that the sweeps cannot give is NAN, with the reason. */
    nd_error e;
    out->fi_slope = NAN;
    st = nd_ephys_rheobase(s, n, &out->rheobase, &e);
    if (st == ND_OK) st = nd_ephys_fi_slope(s, n, out->rheobase, &out->fi_slope, &e);
    if (st != ND_OK) note(out, e.msg);
    if (st != ND_ENOMEM) {
        st = nd_ephys_input_resistance(s, n, &out->input_resistance, &out->n_hyper, &e);
        if (st != ND_OK) note(out, e.msg);
    }
    if (st == ND_ENOMEM) {
        nd_ephys_cell_clear(out);
        return nd_error_fail(err, ND_ENOMEM, "%s", e.msg);
    }
    passive_features(s, n, out);
    return ND_OK;
}
