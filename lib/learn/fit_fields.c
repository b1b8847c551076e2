/* The values a parameter fit exposes: the least-squares fit (fit_view.h), its ensemble
   (fit_ensemble_view.h) and the gradient-free search (fit_cmaes_view.h). */
#include "fit_cmaes_view.h"
#include "fit_ensemble_view.h"
#include "fit_view.h"

nd_fields *nd_fit_fields(const nd_fit *f, const nd_fit_stats *s, const nd_fit_profile *p)
{
    size_t np = nd_fit_nparams(f);
    nd_fields *r = nd_fields_create("fit");
    nd_fields *names = nd_fields_list(r, "parameters");
    for (size_t i = 0; i < np; i++) nd_fields_string(names, NULL, nd_fit_param_name(f, i));
    nd_fields_vector(r, "estimates", nd_fit_values(f), np);
    nd_fields_vector(r, "se", s->se, np);
    nd_fields_vector(r, "initial", nd_fit_initial(f), np);
    nd_fields_vector(r, "correlation", s->corr, np * np);
    nd_fields_number(r, "ssr", s->ssr);
    nd_fields_number(r, "sigma", s->sigma);
    nd_fields_number(r, "condition", s->cond);
    nd_fields_number(r, "identifiable", s->identifiable);
    nd_fields_string(r, "warning", s->warning ? s->warning : "");
    if (p) {
        nd_fields_vector(r, "profile_values", p->value, p->n);
        nd_fields_vector(r, "profile_ssr", p->ssr, p->n);
        nd_fields_number(r, "profile_lo", p->lo);
        nd_fields_number(r, "profile_hi", p->hi);
    }
    return nd_fields_done(r);
}

nd_fields *nd_fit_ens_fields(const nd_fit_ens_request *rq, const double *values, size_t kept,
                             const double *mean, const double *sd)
{
    size_t np = nd_fit_nparams(rq->single);
    nd_fields *f = nd_fields_create("fit ensemble");
    nd_fields_number(f, "ensemble_size", (double)rq->members);
    nd_fields_number(f, "ensemble_kept", (double)kept);
    nd_fields_vector(f, "ensemble_mean", mean, np);
    nd_fields_vector(f, "ensemble_sd", sd, np);
    nd_fields_vector(f, "ensemble_values", values, rq->members * np);
    return nd_fields_done(f);
}

nd_fields *nd_fit_cmaes_fields(const nd_fit_cmaes_result *r, const char *const *names,
                               size_t np)
{
    nd_fields *f = nd_fields_create("fit_cmaes");
    nd_fields_number(f, "value", r->value);
    nd_fields_number(f, "start_value", r->start_value);
    nd_fields_number(f, "evaluations", (double)r->evals);
    nd_fields_vector(f, "estimates", r->best, np);
    nd_fields_number(f, "restarts", r->restarts);
    if (r->nfeatures) {
        nd_fields_number(f, "unmatched", (double)r->unmatched);
        nd_fields_bool(f, "matched", r->unmatched == 0);
        nd_fields *list = nd_fields_list(f, "features");
        for (size_t i = 0; i < r->nfeatures; i++) {
            const nd_fit_feature *x = &r->features[i];
            nd_fields *one = nd_fields_record(list, NULL, "feature");
            nd_fields_number(one, "sweep", (double)x->sweep + 1);
            nd_fields_string(one, "feature", x->name);
            nd_fields_number(one, "data", x->data);
            nd_fields_number(one, "model", x->model);
            nd_fields_number(one, "score", x->score);
            nd_fields_bool(one, "matched", x->matched);
        }
    }
    for (size_t i = 0; i < np; i++) nd_fields_number(f, names[i], r->best[i]);
    return nd_fields_done(f);
}
