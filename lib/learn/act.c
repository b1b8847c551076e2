/* Activation functions and their derivatives; stable forms keep exp() from overflowing so
   that a network stays finite (and its gradient exact) far out of its training range. */
#include "act.h"

#include <math.h>
#include <string.h>

static const char *const names[ND_ACT_COUNT] = {
    "tanh", "relu", "softplus", "sigmoid", "gaussian", "swish", "identity",
};

nd_act nd_act_parse(const char *name)
{
    if (!name) return ND_ACT_COUNT;
    if (strcmp(name, "rbf") == 0) return ND_ACT_GAUSSIAN;
    for (int a = 0; a < ND_ACT_COUNT; a++)
        if (strcmp(name, names[a]) == 0) return (nd_act)a;
    return ND_ACT_COUNT;
}

const char *nd_act_name(nd_act act)
{
    return (unsigned)act < ND_ACT_COUNT ? names[act] : "unknown";
}

const char *nd_act_names(void)
{
    return "tanh, relu, softplus, sigmoid, gaussian (rbf), swish";
}

/* The logistic function without overflow: exp() only ever sees a non-positive argument. */
static double sigmoid(double x)
{
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

static double softplus(double x)
{
    return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

void nd_act_apply(nd_act act, double *z, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double x = z[i];
        switch (act) {
        case ND_ACT_TANH: z[i] = tanh(x); break;
        case ND_ACT_RELU: z[i] = x > 0 ? x : 0.0; break;
        case ND_ACT_SOFTPLUS: z[i] = softplus(x); break;
        case ND_ACT_SIGMOID: z[i] = sigmoid(x); break;
        case ND_ACT_GAUSSIAN: z[i] = exp(-x * x); break;
        case ND_ACT_SWISH: z[i] = x * sigmoid(x); break;
        default: break;   /* identity */
        }
    }
}

void nd_act_backprop(nd_act act, const double *z, const double *a, double *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double x = z[i], s;
        switch (act) {
        case ND_ACT_TANH: d[i] *= 1.0 - a[i] * a[i]; break;
        case ND_ACT_RELU: d[i] = x > 0 ? d[i] : 0.0; break;
        case ND_ACT_SOFTPLUS: d[i] *= sigmoid(x); break;
        case ND_ACT_SIGMOID: d[i] *= a[i] * (1.0 - a[i]); break;
        case ND_ACT_GAUSSIAN: d[i] *= -2.0 * x * a[i]; break;
        case ND_ACT_SWISH: s = sigmoid(x); d[i] *= s + x * s * (1.0 - s); break;
        default: break;
        }
    }
}
