/* Electrophysiology features on synthetic sweeps whose answers are known in closed form:
   an RC membrane (input resistance, time constant), spikes of a known smooth shape
   (threshold, peak, half-width, AHP, the train's intervals), a silent sweep, a sag. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/analysis/ephys.h"
#include "../../lib/analysis/spikes.h"

/* ---- an RC membrane charged by a step: V = Vr + R I (1 - e^{-t/tau}) ---- */

enum { RC_N = 14001 };            /* 0..700 ms at 0.05 ms (20 kHz) */
#define RC_DT 0.05
#define RC_R 0.15                 /* GΩ = mV/pA: 150 MΩ */
#define RC_TAU 20.0
#define RC_VR (-70.0)
enum { RC_ON = 2000, RC_OFF = 10000 };   /* the step: 100..500 ms */

static void rc_sweep(double amp, double *t, double *v, double *i)
{
    double vend = RC_R * amp * (1 - exp(-(RC_OFF - RC_ON) * RC_DT / RC_TAU));
    for (size_t k = 0; k < RC_N; k++) {
        t[k] = (double)k * RC_DT;
        i[k] = k >= RC_ON && k < RC_OFF ? amp : 0;
        if (k < RC_ON) v[k] = RC_VR;
        else if (k < RC_OFF) v[k] = RC_VR + RC_R * amp * (1 - exp(-(double)(k - RC_ON) * RC_DT / RC_TAU));
        else v[k] = RC_VR + vend * exp(-(double)(k - RC_OFF) * RC_DT / RC_TAU);
    }
}

static nd_ephys_trace trace_of(const double *t, const double *v, const double *i, size_t n)
{
    return (nd_ephys_trace){t, v, i, n, n, i ? n : 0, NAN, NAN, NAN};
}

TEST(ephys_rc_membrane_gives_rin_and_tau)
{
    static double t[RC_N], v[4][RC_N], i[4][RC_N];
    const double amps[4] = {-20, -40, -60, -80};
    nd_ephys_sweep s[4];
    for (int k = 0; k < 4; k++) {
        rc_sweep(amps[k], t, v[k], i[k]);
        nd_ephys_trace tr = trace_of(t, v[k], i[k], RC_N);
        CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s[k], NULL), ND_OK);
        /* The window and amplitude come from the current alone. */
        CHECK_NEAR(s[k].start, 100, 1e-9);
        CHECK_NEAR(s[k].end, 500, 1e-9);
        CHECK_NEAR(s[k].amplitude, amps[k], 1e-12);
        CHECK_INT(s[k].n_spikes, 0);
        CHECK_NEAR(s[k].tau, RC_TAU, 1e-3 * RC_TAU);
        CHECK_NEAR(s[k].baseline, RC_VR, 1e-12);
        CHECK_NEAR(s[k].steady, RC_VR + RC_R * amps[k], 1e-6);
    }
    nd_ephys_cell c;
    CHECK_INT(nd_ephys_cell_analyze(s, 4, &c, NULL), ND_OK);
    CHECK_NEAR(c.input_resistance, 1000 * RC_R, 1e-3 * 1000 * RC_R);
    CHECK_NEAR(c.tau, RC_TAU, 1e-3 * RC_TAU);
    CHECK_INT(c.n_hyper, 4);
    CHECK_NEAR(c.sag_amplitude, -80, 0);
    /* Nothing depolarises, so no rheobase and no F-I slope, and the notes say so. */
    CHECK(isnan(c.rheobase) && isnan(c.fi_slope));
    CHECK_CONTAINS(c.notes, "no rheobase");
    CHECK_INT(c.n, 4);
    CHECK_NEAR(c.amplitude[0], -80, 0);
    nd_ephys_cell_clear(&c);
    /* One step alone: its baseline is the second point of Ohm's line. */
    double rin;
    size_t used;
    CHECK_INT(nd_ephys_input_resistance(s + 1, 1, &rin, &used, NULL), ND_OK);
    CHECK_NEAR(rin, 1000 * RC_R, 1e-3 * 1000 * RC_R);
    CHECK_INT(used, 1);
    for (int k = 0; k < 4; k++) nd_ephys_sweep_clear(&s[k]);
}

TEST(ephys_exponential_fit_is_exact_on_an_exponential)
{
    double t[200], v[200], tau, a, y0;
    for (int k = 0; k < 200; k++) t[k] = 3 + 0.1 * k, v[k] = -60 + 5 * exp(-(t[k] - 3) / 7.0);
    CHECK_INT(nd_ephys_fit_exp(t, v, 200, &tau, &a, &y0, NULL), ND_OK);
    CHECK_NEAR(tau, 7, 1e-8);
    CHECK_NEAR(a, 5, 1e-8);
    CHECK_NEAR(y0, -60, 1e-8);
    /* A straight line has no time constant to find. */
    for (int k = 0; k < 200; k++) v[k] = 1 + 2 * t[k];
    nd_error e;
    CHECK_INT(nd_ephys_fit_exp(t, v, 200, &tau, &a, &y0, &e), ND_ESOLVER);
    CHECK(isnan(tau) || tau > 0);
}

/* The residual of the best (y0, a) for tau, in long double with an exp per sample: an
   independent evaluation of what the fit minimises. */
static long double ls_residual(const double *t, const double *v, size_t n, long double tau)
{
    long double se = 0, sy = 0, see = 0, sey = 0, r = 0, m = n;
    for (size_t k = 0; k < n; k++) {
        long double x = expl(-(t[k] - (long double)t[0]) / tau);
        se += x, sy += v[k], see += x * x, sey += x * v[k];
    }
    long double a = (sey - se * sy / m) / (see - se * se / m), y0 = (sy - a * se) / m;
    for (size_t k = 0; k < n; k++) {
        long double d = v[k] - y0 - a * expl(-(t[k] - (long double)t[0]) / tau);
        r += d * d;
    }
    return r;
}

TEST(ephys_exponential_fit_lands_on_the_least_squares_minimum)
{
    /* a decay with a deterministic ripple, on equal and on jittered times: the minimum is
       no longer the generating tau, so it is located independently, as the vertex of a
       parabola through long-double residuals 1e-6 apart */
    enum { N = 3000 };
    static double t[N], v[N];
    for (int jitter = 0; jitter < 2; jitter++) {
        for (int k = 0; k < N; k++) {
            t[k] = 0.05 * k + (jitter ? 0.01 * sin(3.0 * k) : 0);
            v[k] = -80 + 20 * exp(-t[k] / 12.5) + 0.3 * sin(0.37 * k);
        }
        double tau, a, y0;
        CHECK_INT(nd_ephys_fit_exp(t, v, N, &tau, &a, &y0, NULL), ND_OK);
        long double h = 1e-6L * tau, fm = ls_residual(t, v, N, tau - h),
                    f0 = ls_residual(t, v, N, tau), fp = ls_residual(t, v, N, tau + h);
        double vertex = (double)(tau + h * (fm - fp) / (2 * (fm - 2 * f0 + fp)));
        CHECK_NEAR(tau, vertex, 1e-10 * vertex);   /* a search comparing double
                                                      residuals stops short of this */
        CHECK(fabs(tau - 12.5) > 1e-4);   /* the ripple moved it: not the trivial case */
    }
}

/* The stimulus window by its definition, sample by sample: the longest run of samples
   within a thousandth of the range of its first one, differing from i[0] by more. */
static void window_by_definition(const double *i, size_t n, size_t *a, size_t *b)
{
    double lo = i[0], hi = i[0];
    for (size_t k = 0; k < n; k++) lo = fmin(lo, i[k]), hi = fmax(hi, i[k]);
    double tol = 1e-3 * (hi - lo);
    *a = *b = 0;
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && fabs(i[e] - i[s]) <= tol) e++;
        if (fabs(i[s] - i[0]) > tol && e - s > *b - *a) *a = s, *b = e;
        s = e;
    }
}

TEST(ephys_stimulus_window_of_steps_ripples_and_trains)
{
    enum { N = 4000 };
    static double t[N], i[N];
    for (int k = 0; k < N; k++) t[k] = 0.05 * k;
    for (int shape = 0; shape < 5; shape++) {
        for (int k = 0; k < N; k++) {
            i[k] = k >= 500 && k < 2500 ? 50 : 0;                    /* one step */
            if (shape == 1) i[k] += 1e-4 * (k % 3);                   /* ripple within tol */
            if (shape == 2 && k >= 2600 && k < 3900) i[k] = k % 20 < 5 ? 80 : 0;  /* a train */
            if (shape == 3 && k >= 2700 && k < 3700) i[k] = -30;      /* a second, shorter step */
            if (shape == 4)                                           /* a longer, smaller one */
                i[k] = k >= 500 && k < 1000 ? 50 : k >= 1200 && k < N - 1 ? 20 : 0;
        }
        size_t a, b;
        window_by_definition(i, N, &a, &b);
        nd_ephys_window w;
        CHECK_INT(nd_ephys_stimulus(t, i, N, &w, NULL), ND_OK);
        CHECK(w.start == t[a] && w.end == t[b]);
        CHECK_INT(a, shape == 4 ? 1200 : 500);
    }
    /* a step running to the end ends one interval after the last sample */
    for (int k = 0; k < N; k++) i[k] = k >= 3000 ? -20 : 0;
    nd_ephys_window w;
    CHECK_INT(nd_ephys_stimulus(t, i, N, &w, NULL), ND_OK);
    CHECK(w.start == t[3000] && fabs(w.end - 0.05 * N) < 1e-12 && w.amplitude == -20);
    /* gaps and constants are refused, whether the samples make few runs or many */
    nd_error e;
    i[1234] = NAN;
    CHECK_INT(nd_ephys_stimulus(t, i, N, &w, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "finite");
    for (int k = 0; k < N; k++) i[k] = k % 2 ? 1e-9 : 0;
    i[77] = INFINITY;
    CHECK_INT(nd_ephys_stimulus(t, i, N, &w, &e), ND_EVALUE);
    for (int k = 0; k < N; k++) i[k] = 7;
    CHECK_INT(nd_ephys_stimulus(t, i, N, &w, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "constant (7)");
}

/* ---- spikes of a known shape: a Gaussian upstroke and an alpha-shaped AHP ---- */

enum { SP_N = 20001, SP_K = 4 };   /* 0..200 ms at 0.01 ms */
#define SP_DT 0.01
#define SP_VR (-65.0)
#define SP_H 100.0                  /* the Gaussian's height: peaks at +35 mV */
#define SP_W 0.5                    /* its width, ms */
#define SP_A 10.0                   /* the AHP's depth below rest, mV */
#define SP_TA 2.0                   /* its time to trough, ms */
static const double SP_AT[SP_K] = {50, 70, 100, 140};   /* ISIs 20, 30, 40 ms */

/* One spike centred at 0: H exp(-(s/w)^2) - A (s/ta) e^{1 - s/ta} (s > 0), and its slope. */
static double shape(double s) { return SP_H * exp(-s * s / (SP_W * SP_W)) - (s > 0 ? SP_A * s / SP_TA * exp(1 - s / SP_TA) : 0); }
static double shape_d(double s)
{
    double g = -2 * s / (SP_W * SP_W) * SP_H * exp(-s * s / (SP_W * SP_W));
    return g - (s > 0 ? SP_A / SP_TA * (1 - s / SP_TA) * exp(1 - s / SP_TA) : 0);
}

static double sp_v(double t)
{
    double v = SP_VR;
    for (int j = 0; j < SP_K; j++) v += shape(t - SP_AT[j]);
    return v;
}

static double sp_dv(double t)
{
    double d = 0;
    for (int j = 0; j < SP_K; j++) d += shape_d(t - SP_AT[j]);
    return d;
}

/* Where f(t) = target in [a, b], f monotone there, by bisection. */
static double solve(double (*f)(double), double target, double a, double b)
{
    double fa = f(a) - target;
    for (int it = 0; it < 200; it++) {
        double m = 0.5 * (a + b), fm = f(m) - target;
        if ((fm < 0) == (fa < 0)) a = m, fa = fm;
        else b = m;
    }
    return 0.5 * (a + b);
}

TEST(ephys_spikes_of_known_shape)
{
    static double t[SP_N], v[SP_N];
    for (size_t k = 0; k < SP_N; k++) t[k] = (double)k * SP_DT, v[k] = sp_v(t[k]);
    nd_ephys_trace tr = trace_of(t, v, NULL, SP_N);
    tr.start = 30, tr.end = 180, tr.amplitude = 100;
    nd_ephys_sweep s;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, NULL), ND_OK);
    CHECK_INT(s.n_spikes, SP_K);
    /* The steepest upstroke of a Gaussian is at s = -w/sqrt 2; the threshold is where
       dV/dt is 5 % of it. On samples it lies up to 1.5 dt early (dV/dt is a forward
       difference, the threshold the last sample at or under the target). */
    double upmax = sp_dv(SP_AT[0] - SP_W / sqrt(2));
    for (size_t j = 0; j < s.n_spikes && j < SP_K; j++) {
        const nd_ephys_spike *p = &s.spikes[j];
        double c = SP_AT[j], lo = c - SP_W / sqrt(2);
        double tth = solve(sp_dv, 0.05 * upmax, c - 3, lo);
        double vth = sp_v(tth), slope_th = 0.05 * upmax;
        CHECK_NEAR(p->threshold_t, tth - 0.5 * SP_DT, SP_DT);
        CHECK_NEAR(p->threshold_v, vth, 1.5 * SP_DT * slope_th);
        CHECK_NEAR(p->peak_t, c, 1e-9);
        CHECK_NEAR(p->peak_v, sp_v(c), 1e-9);
        CHECK_NEAR(p->amplitude, sp_v(c) - vth, 1.5 * SP_DT * slope_th);
        CHECK_NEAR(p->upstroke, upmax, 1e-3 * upmax);
        /* Half-width: the two crossings of (threshold + peak) / 2. */
        double level = 0.5 * (vth + sp_v(c));
        double hw = solve(sp_v, level, c, c + SP_TA) - solve(sp_v, level, tth, c);
        CHECK_NEAR(p->half_width, hw, 2e-3);
        /* The trough is the AHP's, SP_TA after the peak, SP_A below rest (the Gaussian
           is e^-16 of its height by then). */
        CHECK_NEAR(p->trough_t, c + SP_TA, 1e-9);
        CHECK_NEAR(p->trough_v, SP_VR - SP_A, 1e-3);
        CHECK_NEAR(p->ahp_depth, vth - (SP_VR - SP_A), 1.5 * SP_DT * slope_th + 1e-3);
        CHECK_INT(p->clipped, 0);
    }
    /* The train: ISIs 20, 30, 40 ms between thresholds of equal spikes. */
    CHECK_NEAR(s.isi_mean, 30, 1e-6);
    CHECK_NEAR(s.isi_cv, 10.0 / 30, 1e-6);              /* sample SD 10 */
    CHECK_NEAR(s.adaptation, 0.5 * (10.0 / 50 + 10.0 / 70), 1e-6);
    CHECK_NEAR(s.rate, 1000.0 * SP_K / 150, 1e-9);
    double tth0 = solve(sp_dv, 0.05 * upmax, SP_AT[0] - 3, SP_AT[0] - SP_W / sqrt(2));
    CHECK_NEAR(s.latency, tth0 - 0.5 * SP_DT - 30, SP_DT);
    nd_ephys_sweep_clear(&s);
}

TEST(ephys_dvdt_rule_and_the_spikes_rule)
{
    /* The same train: the -20 mV crossing rule of `spikes` finds the same four spikes;
       a fast spikelet peaking at -25 mV is a spike for ipfx's rule (peak >= -30 mV) and
       not for the crossing rule (it never reaches -20 mV). */
    static double t[SP_N], v[SP_N];
    for (size_t k = 0; k < SP_N; k++) {
        t[k] = (double)k * SP_DT;
        v[k] = sp_v(t[k]) + 40 * exp(-pow((t[k] - 170) / SP_W, 2));
    }
    nd_spikes sp;
    CHECK_INT(nd_spikes_detect(t, v, SP_N, -20, 10, &sp, NULL), ND_OK);
    CHECK_INT(sp.n, SP_K);
    nd_ephys_trace tr = trace_of(t, v, NULL, SP_N);
    tr.start = 30, tr.end = 190;
    nd_ephys_sweep s;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, NULL), ND_OK);
    CHECK_INT(s.n_spikes, SP_K + 1);
    if (s.n_spikes == SP_K + 1) CHECK_NEAR(s.spikes[SP_K].peak_v, sp_v(170) + 40, 1e-9);
    for (size_t j = 0; j < sp.n && j < s.n_spikes; j++)
        CHECK_NEAR(s.spikes[j].peak_t, sp.peak_times[j], 1e-9);
    CHECK(isnan(s.amplitude));
    CHECK(isnan(s.sag) && isnan(s.tau));
    nd_spikes_clear(&sp);
    nd_ephys_sweep_clear(&s);
}

TEST(ephys_silent_sweep_has_no_spikes)
{
    static double t[RC_N], v[RC_N], i[RC_N];
    rc_sweep(40, t, v, i);                     /* depolarised by 6 mV: no spike */
    nd_ephys_trace tr = trace_of(t, v, i, RC_N);
    nd_ephys_sweep s;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, NULL), ND_OK);
    CHECK_INT(s.n_spikes, 0);
    CHECK(s.spikes == NULL);
    CHECK_NEAR(s.rate, 0, 0);
    CHECK(isnan(s.latency) && isnan(s.isi_mean) && isnan(s.isi_cv) && isnan(s.adaptation));
    CHECK(isnan(s.sag) && isnan(s.tau));        /* a depolarising step has neither */
    nd_ephys_sweep_clear(&s);
}

TEST(ephys_sag_of_a_constructed_trace)
{
    /* Rest -70 mV; a step from 100 to 500 ms drops v to a V-shaped trough at -90 mV
       (120 ms) that relaxes to a steady -80 mV: sag (trough - steady) / (trough - rest)
       = 10 / 20. The V's slope of 0.01 mV/ms raises the trough's 5 ms mean by
       0.0125 mV (sag 0.49969). */
    static double t[RC_N], v[RC_N], i[RC_N];
    for (size_t k = 0; k < RC_N; k++) {
        double x = t[k] = (double)k * RC_DT;
        i[k] = k >= RC_ON && k < RC_OFF ? -100 : 0;
        if (x < 100 || x >= 500) v[k] = -70;
        else if (x < 110) v[k] = -70 - 19.9 * (x - 100) / 10;
        else if (x < 130) v[k] = -90 + 0.01 * fabs(x - 120);
        else if (x < 200) v[k] = -89.9 + 9.9 * (x - 130) / 70;
        else v[k] = -80;
    }
    nd_ephys_trace tr = trace_of(t, v, i, RC_N);
    nd_ephys_sweep s;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, NULL), ND_OK);
    CHECK_NEAR(s.v_min, -90, 1e-9);
    CHECK_NEAR(s.t_min, 120, 1e-9);
    CHECK_NEAR(s.steady, -80, 1e-12);
    CHECK_NEAR(s.sag, 0.5, 1e-3);
    CHECK(s.sag < 0.5);
    nd_ephys_cell c;
    CHECK_INT(nd_ephys_cell_analyze(&s, 1, &c, NULL), ND_OK);
    CHECK_NEAR(c.sag, s.sag, 0);
    /* One step: Rin from its steady state and its baseline, (-80 - -70) / -100 pA. */
    CHECK_NEAR(c.input_resistance, 100, 1e-9);
    nd_ephys_cell_clear(&c);
    nd_ephys_sweep_clear(&s);
}

TEST(ephys_rheobase_and_fi_slope)
{
    /* Sweeps given as results: rates 0, 0, 10, 30, 50 Hz at -50, 0, 50, 100, 150 pA, the
       0 pA sweep firing spontaneously: rheobase 50 (a step of 0 is no stimulus), the
       slope over 50..150 pA 0.4 Hz/pA. */
    nd_ephys_sweep s[5] = {0};
    const double amp[5] = {-50, 0, 50, 100, 150}, rate[5] = {0, 4, 10, 30, 50};
    const size_t count[5] = {0, 2, 5, 15, 25};
    for (int k = 0; k < 5; k++) {
        s[k].amplitude = amp[k];
        s[k].rate = rate[k];
        s[k].n_spikes = count[k];
        s[k].steady = s[k].baseline = s[k].sag = s[k].tau = NAN;
    }
    double rh, slope;
    CHECK_INT(nd_ephys_rheobase(s, 5, &rh, NULL), ND_OK);
    CHECK_NEAR(rh, 50, 0);
    CHECK_INT(nd_ephys_fi_slope(s, 5, rh, &slope, NULL), ND_OK);
    CHECK_NEAR(slope, 0.4, 1e-12);
    nd_error e;
    CHECK_INT(nd_ephys_fi_slope(s, 5, 150, &slope, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "two or more amplitudes");
    /* No passive sweep (the -50 pA one has no steady state here). */
    double rin;
    CHECK_INT(nd_ephys_input_resistance(s, 5, &rin, NULL, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "no input resistance");
    CHECK(isnan(rin));
    nd_ephys_cell c;
    CHECK_INT(nd_ephys_cell_analyze(s, 5, &c, NULL), ND_OK);
    CHECK_NEAR(c.rheobase, 50, 0);
    CHECK_NEAR(c.fi_slope, 0.4, 1e-12);
    CHECK(isnan(c.input_resistance) && isnan(c.tau) && isnan(c.sag));
    CHECK_CONTAINS(c.notes, "no input resistance");
    CHECK_CONTAINS(c.notes, "no sag");
    nd_ephys_cell_clear(&c);
    /* One spiking amplitude gives no slope, and that does not stop the input resistance
       of a passive sweep: (-75 - -70) mV / -50 pA with its baseline as the second point. */
    s[0].steady = -75;
    s[0].baseline = -70;
    CHECK_INT(nd_ephys_cell_analyze(s, 3, &c, NULL), ND_OK);
    CHECK_NEAR(c.rheobase, 50, 0);
    CHECK(isnan(c.fi_slope));
    CHECK_CONTAINS(c.notes, "no F-I slope");
    CHECK_NEAR(c.input_resistance, 100, 1e-9);
    nd_ephys_cell_clear(&c);
}

TEST(ephys_bad_input)
{
    static double t[RC_N], v[RC_N], i[RC_N];
    rc_sweep(-40, t, v, i);
    nd_ephys_sweep s;
    nd_error e;
    nd_ephys_trace tr = trace_of(t, v, i, RC_N);
    tr.n_v = RC_N - 1;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "same length");
    tr = trace_of(t, v, i, RC_N);
    tr.n_i = 10;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "i has 10");
    /* A constant current has no step to measure in. */
    static double flat[RC_N];
    tr = trace_of(t, v, flat, RC_N);
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "no stimulus step found");
    tr = trace_of(t, v, NULL, RC_N);
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "no stimulus window");
    tr.start = 600, tr.end = 900;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "not inside");
    tr.start = 100, tr.end = NAN;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "both ends");
    /* Unequal sample steps. */
    double t2[5] = {0, 1, 2, 4, 5}, v2[5] = {0};
    tr = trace_of(t2, v2, NULL, 5);
    tr.start = 1, tr.end = 4;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "equal steps");
    v2[2] = NAN;
    CHECK_INT(nd_ephys_sweep_analyze(&tr, NULL, &s, &e), ND_EVALUE);
    nd_ephys_cell c;
    CHECK_INT(nd_ephys_cell_analyze(NULL, 0, &c, &e), ND_EVALUE);
}

TEST(ephys_recording_sweeps_in_their_units)
{
    /* The RC membrane as a recording: v in V and the command in nA, converted to mV and pA
       before measuring, so Rin is 150 MΩ and tau 20 ms as from the arrays. */
    static double t[RC_N], v[RC_N], i[RC_N];
    nd_recording *rec = nd_rec_create("test");
    CHECK_INT(nd_rec_add_channel(rec, "Vm", "V", ND_CHAN_RECORDED), 0);
    CHECK_INT(nd_rec_add_channel(rec, "I", "nA", ND_CHAN_COMMAND), 1);
    for (int k = 1; k <= 3; k++) {
        rc_sweep(-20.0 * k, t, v, i);
        for (size_t j = 0; j < RC_N; j++) v[j] *= 1e-3, i[j] *= 1e-3;
        const double *data[2] = {v, i};
        CHECK_INT(nd_rec_add_sweep(rec, 1000.0 * k, RC_DT, RC_N, data), 0);
    }
    nd_ephys_sweep *s;
    nd_error e;
    CHECK_INT(nd_ephys_recording(rec, 0, 1, NAN, NAN, NULL, &s, &e), ND_OK);
    CHECK_NEAR(s[2].amplitude, -60, 1e-9);
    CHECK_NEAR(s[2].start, 100, 1e-9);      /* from the sweep's start, not the file's */
    nd_ephys_cell c;
    CHECK_INT(nd_ephys_cell_analyze(s, 3, &c, NULL), ND_OK);
    CHECK_NEAR(c.input_resistance, 1000 * RC_R, 1e-3 * 1000 * RC_R);
    CHECK_NEAR(c.tau, RC_TAU, 1e-3 * RC_TAU);
    nd_ephys_cell_clear(&c);
    nd_ephys_sweeps_free(s, 3);
    /* The current is not a voltage; channel 5 does not exist. */
    CHECK_INT(nd_ephys_recording(rec, 1, 0, NAN, NAN, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "not a voltage");
    CHECK_INT(nd_ephys_recording(rec, 5, -1, 100, 500, NULL, &s, &e), ND_EVALUE);
    /* Without the current a sweep needs its window: the error names the sweep. */
    CHECK_INT(nd_ephys_recording(rec, 0, -1, NAN, NAN, NULL, &s, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "sweep 0: no stimulus window");
    CHECK(s == NULL);
    nd_rec_free(rec);
}
