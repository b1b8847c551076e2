/* The derivative options window=, order=, iters=, alpha= as deriv and sindy read them:
   one reader, the rules themselves in learn/deriv.h (nd_deriv_check_options). */
#ifndef ND_COMMANDS_DERIV_ARGS_H
#define ND_COMMANDS_DERIV_ARGS_H

#include <stddef.h>

#include "../learn/deriv.h"
#include "../language/commands.h"

/* Reads the options given into o (an absent one keeps o's value), then checks o for n
   samples with nd_deriv_check_options; an error points at the option at fault (the window
   when order is at fault but absent; data when the window is longer than the data and not
   given). */
nd_status nd_deriv_args_read(const nd_cmd_ctx *ctx, nd_deriv_options *o, size_t n,
                             const nd_arg *data, nd_error *err);

#endif
