/* What the phase-plane commands (fixed, stability, phase) share: reading options named
   after the model's states (V=-80..40 a range, V=-65 a value) and parameters (I=0.5, a
   value for this command only). */
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

/* Runs `phase X Y …` (phase_plot.c): the phase-plane figure of a model or a 2-D slice. */
nd_status nd_phase_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

#endif
