/* Adam and AdamW (Kingma & Ba 2015; Loshchilov & Hutter 2019). A rejected step (the
   objective failed at the trial point) halves the step size and resumes from the best
   point; the size then recovers slowly so one blow-up does not slow training for good. */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

nd_optim_stop nd_optim_adam_iter(nd_optim *opt, const nd_optim_fn *r)
{
    const nd_optim_options *o = &opt->o;
    size_t n = opt->n;
    opt->t++;
    double bc1 = 1.0 - pow(o->beta1, (double)opt->t);
    double bc2 = 1.0 - pow(o->beta2, (double)opt->t);
    double lr = o->lr * opt->lr_scale;
    double l2 = opt->kind == ND_OPTIM_ADAM ? o->weight_decay : 0.0;
    double decay = opt->kind == ND_OPTIM_ADAMW ? lr * o->weight_decay : 0.0;
    for (size_t i = 0; i < n; i++) {
        double gi = opt->g[i] + l2 * opt->x[i];
        opt->m[i] = o->beta1 * opt->m[i] + (1.0 - o->beta1) * gi;
        opt->v[i] = o->beta2 * opt->v[i] + (1.0 - o->beta2) * gi * gi;
        double step = (opt->m[i] / bc1) / (sqrt(opt->v[i] / bc2) + o->eps);
        opt->xt[i] = opt->x[i] - lr * step - decay * opt->x[i];
    }
    if (nd_optim_eval(opt, r, opt->xt, &opt->ft, opt->gt) == 0) {
        memcpy(opt->x, opt->xt, n * sizeof *opt->x);
        memcpy(opt->g, opt->gt, n * sizeof *opt->g);
        opt->f = opt->ft;
        opt->lr_scale = fmin(1.0, opt->lr_scale * 1.05);
    } else {
        opt->lr_scale *= 0.5;
        memcpy(opt->x, opt->best, n * sizeof *opt->x);
        memcpy(opt->g, opt->best_g, n * sizeof *opt->g);
        opt->f = opt->best_f;
    }
    if (o->gtol > 0 && sqrt(nd_optim_dot(opt->g, opt->g, n)) <= o->gtol)
        return ND_OPTIM_GTOL;
    return ND_OPTIM_RUNNING;
}
