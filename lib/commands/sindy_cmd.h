/* The record `eq = sindy …` binds (sindy_out.c), for cmd_sindy.c. Not a public header. */
#ifndef ND_COMMANDS_SINDY_CMD_H
#define ND_COMMANDS_SINDY_CMD_H

#include "../learn/sindy_job.h"
#include "../language/objects.h"

/* Returns the fit as a record (the fields of the model `eq = sindy …` binds): library and
   targets (lists of strings), coefficients (per target: a vector over the library's
   terms), equations (per target: its text), r2, rms, nterms (per target: numbers) and
   threshold; NULL on ENOMEM. */
nd_value *nd_sindy_fit_record(const nd_sindy_job *job);

#endif
