/* What the phase-plane commands (fixed, stability, phase) share: reading options named
   after the model's states (V=-80..40 a range, V=-65 a value) and parameters (I=0.5, a
   value for this command only), and integrating a trajectory of the model. */
#ifndef ND_COMMANDS_PHASE_SETUP_H
#define ND_COMMANDS_PHASE_SETUP_H

#include <stddef.h>

#include "../base/error.h"
#include "../language/commands.h"
#include "../language/objects.h"

typedef struct nd_phase_setup {
    const nd_model *m;      /* borrowed from the workspace */
    size_t n, npar;
    double *p;              /* parameters: the model's, with this command's overrides */
    double *x0;             /* states: initial values, with given values replacing them */
    double *lo, *hi;        /* per-state ranges: given ones, else a box around x0 */
    unsigned char *ranged;  /* 1 where a range was given */
    unsigned char *given;   /* 1 where a value was given */
} nd_phase_setup;

/* Finds the model (model_arg NULL: the current one) and reads every key=value option
   that is not one of the command's declared options as a state range/value or a
   parameter value; NameError for other names, TypeError for other values. The default
   range of a state is x0 ± max(1, 2|x0|). Free with nd_phase_setup_free. */
nd_status nd_phase_setup_read(const nd_cmd_ctx *ctx, const nd_arg *model_arg,
                              nd_phase_setup *s, nd_error *err);

/* Frees what nd_phase_setup_read allocated (safe on a zeroed or partial setup). */
void nd_phase_setup_free(nd_phase_setup *s);

/* Integrates s's model (dp5, rtol 1e-8, without stimulus) from y0 over [0, t1] and writes
   npts equally spaced samples (n values each, starting with y0) into out, and, when breaks
   (npts flags) is not NULL, sets breaks[i] = 1 where a `when` reset falls between samples
   i and i + 1 (so a plot does not join across the jump); ND_ESOLVER etc. when the solve
   fails (out then holds NaN after the failure point). */
nd_status nd_phase_integrate(const nd_cmd_ctx *ctx, const nd_phase_setup *s, const double *y0,
                             double t1, size_t npts, double *out, unsigned char *breaks,
                             nd_error *err);

/* Runs `phase X Y …` (phase_plot.c): the phase-plane figure of a model or a 2-D slice. */
nd_status nd_phase_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

#endif
