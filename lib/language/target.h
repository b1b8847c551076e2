/* What a command acts on: the model or dataset its arguments name, or the current model. */
#ifndef ND_LANGUAGE_TARGET_H
#define ND_LANGUAGE_TARGET_H

#include "commands.h"
#include "objects.h"

/* Finds the model named by arg (a model bound in the workspace, or a built-in model,
   which is then bound under its name), or the current model when arg is NULL. The model
   is borrowed from the workspace. NameError when there is none. */
nd_status nd_target_model(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_model_obj **out,
                          nd_error *err);

/* Returns 1 when arg is a bare name that nd_target_model would accept as a model. */
int nd_target_is_model(const nd_cmd_ctx *ctx, const nd_arg *arg);

/* Returns the network (a `ude` or `node` result) bound under arg's bare name, or NULL. */
nd_ude *nd_target_ude(const nd_cmd_ctx *ctx, const nd_arg *arg);

/* Evaluates arg to a dataset: *holder is a new reference the caller releases, *out the
   dataset it holds. TypeError when arg is something else. */
nd_status nd_target_dataset(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **holder,
                            nd_dataset **out, nd_error *err);

/* Points an error that a module could not place (a file problem) at argument a. */
/* Evaluates arg, which must be a recording: *holder keeps it alive (unref when done) and
   *out points into it; a located ND_ETYPE otherwise. */
nd_status nd_target_recording(const nd_cmd_ctx *ctx, const nd_arg *arg, nd_value **holder,
                              nd_recording **out, nd_error *err);

void nd_target_locate(nd_error *err, const nd_arg *a);

#endif
