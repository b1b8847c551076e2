/* Gradient-free fitting of a model's parameters to current-clamp sweeps: the `features`
   or `fi` objective (fit_objective.h) minimised by CMA-ES (cmaes.h) inside bounds. What
   `fit … objective=features|fi` calls; docs/learning.md, "Gradient-free fitting". */
#ifndef ND_LEARN_FIT_CMAES_H
#define ND_LEARN_FIT_CMAES_H

#include <stddef.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "../models/model.h"
#include "cmaes.h"
#include "fit_objective.h"

typedef struct nd_fit_cmaes_options {
    nd_fit_setup setup;      /* the objective: kind, columns, capacitance, window … */
    nd_cmaes_options cmaes;  /* seed, threads, lambda, max_evals, tolerances, interrupt,
                                progress; sigma0 and the bounds are in the search
                                coordinates (below): leave lower/upper NULL; the progress
                                callback's xbest holds parameter values */
    int restarts;            /* most IPOP restarts while a feature is not matched (0: none) */
} nd_fit_cmaes_options;

/* Fills o with nd_fit_setup_default and nd_cmaes_options_default, except tolfun 1e-6
   (the features' scores are O(1)), tolx 1e-4 (in the unit box), max_evals 3000, and
   2 restarts. */
void nd_fit_cmaes_options_default(nd_fit_cmaes_options *o);

typedef struct nd_fit_cmaes_result {
    size_t np;
    double *best;            /* np parameter values (nd_fit_cmaes_result_clear frees) */
    double *lower, *upper;   /* np each: the bounds the search used (defaults filled in) */
    double value;            /* the objective there */
    double start_value;      /* the objective at x0 (+inf when it failed) */
    long evals, generations; /* over every run; evaluations include the one at x0 and
                                the reports' */
    nd_cmaes_stop stop;      /* why the last run ended */
    size_t lambda;           /* the population of the last run */
    int restarts;            /* restarts made */
    int best_run;            /* the run that found best (0: the first) */
    nd_fit_feature *features;  /* the features compared at best (nd_fit_objective_report) */
    size_t nfeatures, unmatched;
} nd_fit_cmaes_result;

/* Fits m's np parameters names to ns sweeps with o (NULL: defaults), from x0 (NULL: the
   model's values) inside [lower, upper] (NULL or a NAN entry: x0/10 … 10·x0 for a positive
   x0, an error otherwise). CMA-ES searches u in [0, 1] per parameter: log(p/lo)/log(hi/lo)
   when lo > 0, else (p − lo)/(hi − lo). When a run ends (tolx, tolfun, stagnation,
   condition) with a feature of its best not matched (nd_fit_feature) and evaluations left,
   it restarts from a seeded uniform point of the box with twice the population (IPOP,
   Auger & Hansen 2005), at most o->restarts times; the best of all runs is kept. ND_OK
   also when interrupted (r->stop says so, the best so far in r->best); ND_EVALUE/ND_ENAME
   for bad input with the reason. */
nd_status nd_fit_cmaes(const nd_model *m, const char *const *names, size_t np,
                       const double *x0, const double *lower, const double *upper,
                       const nd_dataset *const *sweeps, size_t ns,
                       const nd_fit_cmaes_options *o, nd_fit_cmaes_result *r, nd_error *err);

/* Frees what r holds and zeroes it. */
void nd_fit_cmaes_result_clear(nd_fit_cmaes_result *r);

#endif
