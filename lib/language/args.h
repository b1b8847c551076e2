/* Argument helpers for command handlers: positional items and key=value options,
   evaluated on demand, with defaults and located error messages. */
#ifndef ND_LANGUAGE_ARGS_H
#define ND_LANGUAGE_ARGS_H

#include <stddef.h>
#include "../base/error.h"
#include "commands.h"

/* Returns the number of positional arguments of the call. */
size_t nd_arg_count(const nd_cmd_ctx *ctx);

/* Returns positional argument i, or NULL when there are fewer. */
const nd_arg *nd_arg_pos(const nd_cmd_ctx *ctx, size_t i);

/* Returns the option called key, or NULL when it was not given. */
const nd_arg *nd_arg_opt(const nd_cmd_ctx *ctx, const char *key);

/* Checks that the call has between min and max positional arguments (max < 0: no
   limit); the error quotes the command's usage line. */
nd_status nd_arg_expect(const nd_cmd_ctx *ctx, size_t min, long max, nd_error *err);

/* Fills err with a message located at arg and returns code. */
nd_status nd_arg_error(const nd_arg *arg, nd_error *err, nd_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Evaluates arg in the workspace; *out is a new reference. */
nd_status nd_arg_value(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **out, nd_error *err);

/* Evaluates arg to a number; TypeError "option 't' expects a number" otherwise. */
nd_status nd_arg_number(const nd_cmd_ctx *ctx, const nd_arg *arg, double *out, nd_error *err);

/* Evaluates arg to numbers: a number, a list of numbers or a vector ([0.5] is a list of
   one); *x is malloc'ed (caller frees), *n >= 1. TypeError naming arg otherwise. */
nd_status nd_arg_numbers(const nd_cmd_ctx *ctx, const nd_arg *arg, double **x, size_t *n,
                         nd_error *err);

/* Evaluates arg to true or false. */
nd_status nd_arg_bool(const nd_cmd_ctx *ctx, const nd_arg *arg, int *out, nd_error *err);

/* Evaluates arg to a string; *out is malloc'ed (caller frees). */
nd_status nd_arg_string(const nd_cmd_ctx *ctx, const nd_arg *arg, char **out, nd_error *err);

/* Evaluates arg to a range lo..hi. */
nd_status nd_arg_range(const nd_cmd_ctx *ctx, const nd_arg *arg, double *lo, double *hi,
                       nd_error *err);

/* Takes arg as a bare name without evaluating it (a model variable, a workspace entry to
   delete); *out points into the call and lives as long as it. */
nd_status nd_arg_name(const nd_cmd_ctx *ctx, const nd_arg *arg, const char **out, nd_error *err);

/* Sets *out to option key's number when given, else to dflt. */
nd_status nd_arg_opt_number(const nd_cmd_ctx *ctx, const char *key, double dflt, double *out,
                            nd_error *err);

/* Sets *out to option key's number when given, else to dflt, refusing (at the option) a
   value that is not a whole number from lo to hi. */
nd_status nd_arg_opt_whole(const nd_cmd_ctx *ctx, const char *key, double dflt, double lo,
                           double hi, double *out, nd_error *err);

/* Sets *out to option key's truth value when given, else to dflt. */
nd_status nd_arg_opt_bool(const nd_cmd_ctx *ctx, const char *key, int dflt, int *out,
                          nd_error *err);
/* Sets *out to a malloc'ed copy of option key's string, or of dflt when it is absent
   (dflt NULL gives NULL). */
nd_status nd_arg_opt_string(const nd_cmd_ctx *ctx, const char *key, const char *dflt,
                            char **out, nd_error *err);

/* Sets *lo, *hi to option key's range when given, else to dflt_lo, dflt_hi. */
nd_status nd_arg_opt_range(const nd_cmd_ctx *ctx, const char *key, double dflt_lo,
                           double dflt_hi, double *lo, double *hi, nd_error *err);

/* Sets *out to a malloc'ed copy of option key's word — a bare name (method=rk4) or a
   string (method="rk4") — or of dflt when the option is absent (dflt NULL gives NULL). */
nd_status nd_arg_opt_word(const nd_cmd_ctx *ctx, const char *key, const char *dflt,
                          char **out, nd_error *err);

#endif
