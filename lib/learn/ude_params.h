/* Physical parameters of a hybrid trained together with its network
   (nd_ude_fit_options.params; `train NET DATA params=[gK, gL]`). */
#ifndef ND_LEARN_UDE_PARAMS_H
#define ND_LEARN_UDE_PARAMS_H

#include <stddef.h>

#include "../base/error.h"
#include "ude.h"

/* Checks that name can be trained with u's network: a parameter of the model (NameError
   with a suggestion), not one of the network's outputs, with a positive value (it is
   searched through its logarithm); ValueError otherwise. */
nd_status nd_ude_param_check(const nd_ude *u, const char *name, nd_error *err);

/* Writes the current values of the n named parameters into v (NAN for an unknown name). */
void nd_ude_params_get(const nd_ude *u, const char *const *names, size_t n, double *v);

/* Sets the n named parameters to v (in the opened model and the truth). */
void nd_ude_params_set(nd_ude *u, const char *const *names, size_t n, const double *v);

#endif
