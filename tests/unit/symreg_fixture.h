/* The symbolic-regression problems of the tests and of bench/symreg.c: SRBench Feynman
   equations (Udrescu & Tegmark 2020; La Cava et al. 2021) in their database's input
   ranges, hh's mInf and Rinzel's INa, each written here as a formula; samples drawn from
   the formulas, and the check of an exact recovery against fresh points. */
#ifndef ND_TEST_SYMREG_FIXTURE_H
#define ND_TEST_SYMREG_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "../../lib/learn/symreg.h"

typedef struct sr_problem {
    const char *name;
    size_t nvars;
    const char *vars[6];
    double lo, hi;            /* the first input uniform in [lo, hi] … */
    double lo2, hi2;          /* … the others in [lo2, hi2] (or [lo, hi] when equal) */
    double (*f)(const double *x);
    const char *ops[8];
    size_t nops;
    const char *model;        /* the built-in model whose functions are primitives, or NULL */
    const char *fns[2];
    size_t nfns;
    int size;                 /* nodes of the simplified true formula (the form expected) */
    long iters;               /* the stated generation budget */
    int maxsize;              /* of the search */
    uint64_t sample_seed;     /* of the 200 samples */
    int sigmoid;              /* 1: success is a sigmoid of V near the formula, not an exact
                                 form (sr_fx_sigmoid) */
} sr_problem;

/* Feynman I.6.2a, I.12.11, I.14.4, I.18.12, II.3.24, I.39.22, II.6.15b. */
extern const sr_problem sr_fx_feynman[];
extern const size_t sr_fx_nfeynman;

/* Feynman II.6.15a (bench/symreg.c only: a search of 300 generations costs 15–20 s). */
extern const sr_problem sr_fx_ii_6_15a;

/* hh's mInf with am, bm as primitives; the same from exp and arithmetic only; hh_rinzel's
   INa with mInf as primitive. */
extern const sr_problem sr_fx_minf, sr_fx_minf_exp, sr_fx_ina;

/* HH's mInf(V) and Rinzel's INa(V, n) (gNa 120, ENa 50), from Hodgkin & Huxley's rates. */
double sr_fx_minf_of(double V);

/* rows samples of p (row-major X, y; malloc'ed) drawn with seed, plus Gaussian noise of
   noise × the RMS of y. */
void sr_fx_sample(const sr_problem *p, size_t rows, uint64_t seed, double noise, double **X,
                  double **y);

/* e (over p's inputs; m's functions inlined when m is not NULL) evaluated at x. */
double sr_fx_eval(const sr_problem *p, const nd_expr *e, const nd_model *m, const double *x);

/* Relative RMS error of e against p's formula on 500 fresh points (seed 999). */
double sr_fx_fresh_error(const sr_problem *p, const nd_expr *e, const nd_model *m);

/* The front's first entry no larger than p->size within 1e-6 of the formula, or NULL. */
const nd_symreg_entry *sr_fx_exact(const sr_problem *p, const nd_symreg_result *r,
                                   const nd_model *m);

/* The front's first entry of at most p->size nodes with exp that, on a held-out grid of V
   (−99.875 … 39.875 mV every 0.25 mV, clear of αm's removable 0/0 at −40 mV), is within
   2 % relative RMS of p's formula, rises monotonically and saturates (below 0.05 at the
   grid's start, above 0.9 at its end); *err its grid error. NULL when none. */
const nd_symreg_entry *sr_fx_sigmoid(const sr_problem *p, const nd_symreg_result *r,
                                     double *err);

/* What counts as p's recovery: sr_fx_sigmoid when p->sigmoid, else sr_fx_exact. */
const nd_symreg_entry *sr_fx_found(const sr_problem *p, const nd_symreg_result *r,
                                   const nd_model *m);

/* Searches p's 200 samples (p's sample seed, noise as sr_fx_sample; stop_error 0 with
   noise) with p's operators, budget and maxsize, the given threads and seed; m supplies
   the functions. NULL with err filled on failure. */
nd_symreg_result *sr_fx_search(const sr_problem *p, const nd_model *m, double noise,
                               unsigned threads, uint64_t seed, nd_error *err);

#endif
