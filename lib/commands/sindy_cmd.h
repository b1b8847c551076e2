/* The parts of `sindy` (cmd_sindy.c reads the request and gathers the samples,
   sindy_out.c shows the result and builds the recovered model). Not a public header. */
#ifndef ND_COMMANDS_SINDY_CMD_H
#define ND_COMMANDS_SINDY_CMD_H

#include <stddef.h>

#include "../learn/sindy.h"
#include "../language/commands.h"
#include "../language/objects.h"

enum { ND_SINDY_MAX_NAMES = ND_SINDY_RECOVER_MAX };   /* the recovered model takes as many */

/* One sindy request and what it produced. */
typedef struct nd_sindy_job {
    const char *name;              /* the bound name, or "sindy" */
    int term_mode;                 /* 1: TARGET was NET.TERM */
    const char *net_name;          /* term mode: the network's name (points into buf) */
    char net_buf[256];
    const nd_ude *net;             /* term mode */
    const nd_model *fnmodel;       /* functions and parameters for the library (or NULL) */
    const nd_model_obj *model_obj; /* the workspace model behind a dataset, or NULL */
    const char *deriv_name;        /* "fd", "savgol", "tv" (dataset mode) */
    /* samples */
    size_t nvars, ntargets, rows;
    const char *vars[ND_SINDY_MAX_NAMES];
    const char *targets[ND_SINDY_MAX_NAMES];
    int target_is_state[ND_SINDY_MAX_NAMES];  /* a state (dX/dt) or a term */
    int is_input[ND_SINDY_MAX_NAMES];         /* vars[i] is a stimulus column */
    double *X, *Y, *theta;         /* rows × nvars, rows × ntargets, rows × p */
    double *first;                 /* the first sample of each variable */
    /* the regression */
    nd_sindy_lib *lib;
    const char **term_names;       /* the library's terms as text, for messages */
    nd_sindy_options opt;
    int threshold_given;
    nd_sindy_fit *fit, *full;      /* at the threshold; unthresholded least squares */
    double *col_rms, *y_rms;       /* for normalised coefficients */
    /* sweep */
    int sweep;
    nd_sindy_sweep_result sw;      /* when sweep (sw.n 0 otherwise) */
} nd_sindy_job;

/* Shows the equations, the coefficient table and (with a sweep) the Pareto figure, and
   sets *model to the recovered model (NULL with a note when none can be built); returns
   an error only when showing failed. */
nd_status nd_sindy_show(const nd_cmd_ctx *ctx, nd_sindy_job *job, nd_model **model,
                        nd_error *err);

/* Returns the fit as a record (the fields of the model `eq = sindy …` binds): library and
   targets (lists of strings), coefficients (per target: a vector over the library's
   terms), equations (per target: its text), r2, rms, nterms (per target: numbers) and
   threshold; NULL on ENOMEM. */
nd_value *nd_sindy_fit_record(const nd_sindy_job *job);

#endif
