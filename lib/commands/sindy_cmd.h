/* The network job shared by cmd_sindy.c and sindy_ens.c. Not a public header. */
#ifndef ND_COMMANDS_SINDY_CMD_H
#define ND_COMMANDS_SINDY_CMD_H

#include "../learn/sindy_job.h"
#include "../language/commands.h"
#include "../language/objects.h"

/* One network's term fitted as `sindy NET.TERM …` fits it, from the call's options and
   dataset, without showing anything: job (cleared first; release it with
   nd_sindy_job_clear) holds the fit. Errors located as sindy's own. */
nd_status nd_sindy_net_job(const nd_cmd_ctx *ctx, const nd_ude *u, const char *net_name,
                           const char *term, nd_sindy_job *job, nd_error *err);

/* `sindy ENS.TERM …` (sindy_ens.c): the fit above for every member of an ensemble, shown
   and bound as the distribution of each coefficient. */
nd_status nd_sindy_ens(nd_cmd_ctx *ctx, nd_value **result, nd_error *err);

#endif
