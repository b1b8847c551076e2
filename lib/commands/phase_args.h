/* What the phase-plane commands (fixed, stability, phase) share: reading options named
   after the model's states (V=-80..40 a range, V=-65 a value) and parameters (I=0.5, a
   value for this command only). */
#ifndef ND_COMMANDS_PHASE_ARGS_H
#define ND_COMMANDS_PHASE_ARGS_H

#include "../analysis/phase_setup.h"
#include "../language/commands.h"
#include "../language/objects.h"

/* Finds the model (model_arg NULL: the current one) and reads every key=value option
   that is not one of the command's declared options as a state range/value or a
   parameter value; NameError for other names, TypeError for other values. The default
   range of a state is x0 ± max(1, 2|x0|). Free with nd_phase_setup_free. */
nd_status nd_phase_setup_read(const nd_cmd_ctx *ctx, const nd_arg *model_arg,
                              nd_phase_setup *s, nd_error *err);

/* Runs `phase X Y …` (phase_plot.c): the phase-plane figure of a model or a 2-D slice. */
nd_status nd_phase_run(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

#endif
