/* What the phase-plane analyses (fixed, stability, phase) start from: a model's
   parameters and states, which a caller may change for one analysis, and a box of states
   to search or draw. */
#ifndef ND_ANALYSIS_PHASE_SETUP_H
#define ND_ANALYSIS_PHASE_SETUP_H

#include <stddef.h>

#include "../base/error.h"
#include "../models/model.h"

typedef struct nd_phase_setup {
    const nd_model *m;      /* borrowed */
    size_t n, npar;
    double *p;              /* parameters: the model's, with this analysis' overrides */
    double *x0;             /* states: initial values, with given values replacing them */
    double *lo, *hi;        /* per-state ranges: given ones, else a box around x0 */
    unsigned char *ranged;  /* 1 where a range was given */
    unsigned char *given;   /* 1 where a value was given */
} nd_phase_setup;

/* Fills s with m's parameters and initial values, nothing ranged or given; ND_ENOMEM (s
   then zeroed). Free with nd_phase_setup_free. */
nd_status nd_phase_setup_init(nd_phase_setup *s, const nd_model *m, nd_error *err);

/* Gives every state of m (s's model) without a range the default box around its value
   at s's parameters (nd_eq_default_box: x0 ± max(1, 2|x0|), [0, 1] for a gate);
   ND_ENOMEM. */
nd_status nd_phase_setup_frame(nd_phase_setup *s, const nd_model *m);

/* Frees what nd_phase_setup_init allocated (safe on a zeroed or partial setup). */
void nd_phase_setup_free(nd_phase_setup *s);

#endif
