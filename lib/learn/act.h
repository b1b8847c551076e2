/* Elementwise activation functions of the dense networks, with the derivatives that
   reverse mode needs; evaluated in numerically stable forms (no overflow for large |x|). */
#ifndef ND_LEARN_ACT_H
#define ND_LEARN_ACT_H

#include <stddef.h>

typedef enum nd_act {
    ND_ACT_TANH,
    ND_ACT_RELU,
    ND_ACT_SOFTPLUS,   /* log(1 + e^x) */
    ND_ACT_SIGMOID,    /* 1 / (1 + e^-x) */
    ND_ACT_GAUSSIAN,   /* exp(-x^2), also called "rbf" */
    ND_ACT_SWISH,      /* x · sigmoid(x) */
    ND_ACT_IDENTITY,   /* used on the output layer */
    ND_ACT_COUNT
} nd_act;

/* Returns the activation called name ("rbf" is an alias of "gaussian"), or ND_ACT_COUNT
   when the name is unknown or NULL. */
nd_act nd_act_parse(const char *name);

/* Returns the canonical name of act ("tanh", ...), or "unknown" for an invalid value. */
const char *nd_act_name(nd_act act);

/* Returns a comma-separated list of the hidden-layer activation names, for error messages. */
const char *nd_act_names(void);

/* Overwrites each of the n values of z with act(z). */
void nd_act_apply(nd_act act, double *z, size_t n);

/* Multiplies each of the n values of d by act'(z) at the matching pre-activation z, with
   a = act(z) (the derivative of tanh, sigmoid and gaussian is cheapest from it). */
void nd_act_backprop(nd_act act, const double *z, const double *a, double *d, size_t n);

#endif
