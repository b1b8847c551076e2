/* Internal layout of nd_mlp, shared by the numerics (mlp.c) and the JSON form (mlp_json.c). */
#ifndef ND_LEARN_MLP_IMPL_H
#define ND_LEARN_MLP_IMPL_H

#include "mlp.h"

struct nd_mlp {
    size_t nlayers;      /* dense layers: nhidden + 1 */
    size_t *width;       /* nlayers + 1 widths: nin, hidden..., nout */
    size_t *off;         /* offset of layer l's weights in params; its bias follows them */
    nd_act act;
    uint64_t seed;
    size_t nparams;
    double *params;
    double *in_mean, *in_std;     /* nin each; identity scaling is mean 0, std 1 */
    double *out_mean, *out_std;   /* nout each */
};

/* Validates the widths (nlayers + 1 of them) and act, then returns a network with zero
   parameters and identity scaling; NULL with ND_EVALUE or ND_ENOMEM. */
nd_mlp *nd_mlp_alloc_checked(const size_t *width, size_t nlayers, nd_act act,
                             uint64_t seed, nd_error *err);

#endif
