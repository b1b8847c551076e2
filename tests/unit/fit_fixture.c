/* The recordings are simulated with a step stimulus in µA/cm² (not the samples the fit
   replays) on a grid from −200 ms, the first 200 ms then dropped: the cell starts at rest. */
#include "fit_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/learn/simulate.h"

nd_dataset *fit_fx_sweep(const nd_model *m, double gNa, double gK, double amp_pa)
{
    size_t pre = (size_t)(200 / FIT_FX_DT), n = (size_t)(FIT_FX_T / FIT_FX_DT) + 1;
    double *times = malloc((pre + n) * sizeof *times), *p = malloc(nd_model_count(m, ND_MODEL_PAR) * sizeof *p);
    nd_stim *stim = nd_stim_create();
    double area = FIT_FX_CAP_PF * 1e-6;      /* cm² at 1 µF/cm² */
    double density = amp_pa * 1e-6 / area;   /* pA → µA, per cm² */
    nd_dataset *sim = NULL, *out = NULL;
    if (!times || !p || !stim) goto done;
    for (size_t k = 0; k < pre + n; k++) times[k] = ((double)k - (double)pre) * FIT_FX_DT;
    for (size_t j = 0; j < nd_model_count(m, ND_MODEL_PAR); j++) p[j] = nd_model_pars(m)[j];
    p[nd_model_index(m, ND_MODEL_PAR, "gNa")] = gNa;
    p[nd_model_index(m, ND_MODEL_PAR, "gK")] = gK;
    nd_stim_add_step(stim, FIT_FX_ON, FIT_FX_OFF - FIT_FX_ON, density);
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.ode.rtol = o.ode.atol = 1e-8;
    o.stim = stim;
    o.input = nd_model_index(m, ND_MODEL_PAR, "I");
    o.pars = p;
    nd_error e;
    if (nd_sim_model(m, times, pre + n, times[pre + n - 1], &o, &sim, NULL, &e) != ND_OK) goto done;
    const char *names[3] = {"t", "V", "I"}, *units[3] = {"ms", "mV", "pA"};
    out = nd_ds_create(3, names, units);
    const double *v = nd_ds_col(sim, 1);
    for (size_t k = 0; out && k < n; k++) {
        double t = times[pre + k], row[3] = {t, v[pre + k], t >= FIT_FX_ON && t < FIT_FX_OFF ? amp_pa : 0};
        if (nd_ds_append(out, row) != 0) nd_ds_free(out), out = NULL;
    }
done:
    nd_ds_free(sim);
    nd_stim_free(stim);
    free(times);
    free(p);
    return out;
}

nd_dataset *fit_fx_synth(const nd_model *m, double T, double dt, const nd_stim *stim, int par)
{
    size_t n;
    double *t = nd_sim_times(T, dt, &n);
    nd_sim_options o;
    nd_sim_options_default(&o);
    o.ode.rtol = o.ode.atol = 1e-10;
    o.stim = stim;
    o.input = par;
    nd_dataset *ds = NULL;
    nd_error e = {0};
    if (t) nd_sim_model(m, t, n, T, &o, &ds, NULL, &e);
    free(t);
    return ds;
}

double fit_fx_grad_error(nd_fit *f, const double *theta, double step)
{
    size_t P = nd_fit_ntheta(f);
    double *g = calloc(P, sizeof *g), *th = malloc(P * sizeof *th), L, num = 0, den = 0;
    int bad = !g || !th || nd_fit_loss(f, theta, &L, g) != 0;
    for (size_t i = 0; !bad && i < P; i++) {
        double h = step * fmax(1, fabs(theta[i])), lp, lm;
        memcpy(th, theta, P * sizeof *th);
        th[i] = theta[i] + h;
        bad |= nd_fit_loss(f, th, &lp, NULL) != 0;
        th[i] = theta[i] - h;
        bad |= nd_fit_loss(f, th, &lm, NULL) != 0;
        double fd = (lp - lm) / (2 * h);
        num += (g[i] - fd) * (g[i] - fd);
        den += g[i] * g[i];
    }
    free(g), free(th);
    return bad ? NAN : sqrt(num / den);
}
