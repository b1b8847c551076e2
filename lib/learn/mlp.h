/* Dense multilayer perceptrons for universal differential equations: seeded deterministic
   initialisation, batched forward and reverse mode through BLAS (dgemm), one flat
   parameter vector for the optimizers, optional input/output standardisation applied
   inside the network, and a bit-exact JSON form.

   Parameter layout: for each layer l (inputs → hidden[0] → … → outputs) its weight matrix
   W_l (fan_out × fan_in, row-major) followed by its bias b_l (fan_out).
   Initialisation: biases 0; weights uniform on [-a, a] with a = sqrt(6 / fan_in) (He) for
   relu hidden layers and a = sqrt(6 / (fan_in + fan_out)) (Glorot/Xavier) otherwise and on
   the output layer, drawn in layout order from nd_rng seeded with the seed, so the same
   seed gives the same bits on every machine.
   Determinism: nd_mlp_create sets OpenBLAS to one thread, because multithreaded dgemm may
   sum in a different order from run to run. */
#ifndef ND_LEARN_MLP_H
#define ND_LEARN_MLP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/error.h"
#include "act.h"

typedef struct nd_mlp nd_mlp;
typedef struct nd_mlp_work nd_mlp_work;

/* Creates a network nin → hidden[0] → … → hidden[nhidden-1] → nout with act on the
   hidden layers and identity on the output; NULL with ND_EVALUE for zero or huge sizes or
   an output/unknown act, ND_ENOMEM when out of memory. */
nd_mlp *nd_mlp_create(size_t nin, const size_t *hidden, size_t nhidden, size_t nout,
                      nd_act act, uint64_t seed, nd_error *err);

/* Returns an independent deep copy of m (NULL when out of memory). */
nd_mlp *nd_mlp_copy(const nd_mlp *m);

/* Draws fresh weights (and zero biases) from seed exactly as nd_mlp_create would, keeping
   shape and scaling. */
void nd_mlp_reinit(nd_mlp *m, uint64_t seed);

/* Frees m (NULL is fine). */
void nd_mlp_free(nd_mlp *m);

/* Returns the number of inputs. */
size_t nd_mlp_nin(const nd_mlp *m);

/* Returns the number of outputs. */
size_t nd_mlp_nout(const nd_mlp *m);

/* Returns the number of hidden layers. */
size_t nd_mlp_nhidden(const nd_mlp *m);

/* Returns the width of hidden layer i (0 when i is out of range). */
size_t nd_mlp_hidden(const nd_mlp *m, size_t i);

/* Returns the hidden-layer activation. */
nd_act nd_mlp_act(const nd_mlp *m);

/* Returns the seed the weights were initialised from. */
uint64_t nd_mlp_seed(const nd_mlp *m);

/* Returns the length of the flat parameter vector. */
size_t nd_mlp_nparams(const nd_mlp *m);

/* Returns the flat parameter vector itself (writable; layout in the header comment). */
double *nd_mlp_params(nd_mlp *m);

/* Copies nd_mlp_nparams(m) values from p into the parameters. */
void nd_mlp_set_params(nd_mlp *m, const double *p);

/* Sets standardisation: inputs become (x - in_mean) / in_std before the first layer and
   outputs out_mean + out_std · (network output); a NULL array means mean 0 or std 1.
   ND_EVALUE (m unchanged) unless every mean is finite and every std finite and > 0. */
nd_status nd_mlp_set_scaling(nd_mlp *m, const double *in_mean, const double *in_std,
                             const double *out_mean, const double *out_std, nd_error *err);

/* Returns whether any scaling other than the identity is set. */
int nd_mlp_has_scaling(const nd_mlp *m);

/* Returns the scaling arrays (nin or nout long) through the non-NULL pointers. */
void nd_mlp_scaling(const nd_mlp *m, const double **in_mean, const double **in_std,
                    const double **out_mean, const double **out_std);

/* Creates buffers for batches of up to max_batch samples of networks shaped like m (NULL
   with an error for max_batch 0 or when out of memory). */
nd_mlp_work *nd_mlp_work_create(const nd_mlp *m, size_t max_batch, nd_error *err);

/* Frees w (NULL is fine). */
void nd_mlp_work_free(nd_mlp_work *w);

/* Computes y (batch × nout, row-major) from x (batch × nin), keeping in w what
   nd_mlp_backward needs; no allocation. ND_EVALUE when batch is 0, exceeds w's capacity,
   or w was made for a different shape. */
nd_status nd_mlp_forward(const nd_mlp *m, const double *x, size_t batch, double *y,
                         nd_mlp_work *w);

/* Computes one sample x into y (nout values) and keeps its activations as row `row` of w,
   for batches assembled one row at a time (each row may depend on the previous ones'
   outputs, as along an ODE solve); ND_EVALUE for a row beyond w's capacity or a mismatched
   shape. Declare the assembled batch with nd_mlp_work_set_batch before nd_mlp_backward. */
nd_status nd_mlp_forward_row(const nd_mlp *m, const double *x, double *y, nd_mlp_work *w,
                             size_t row);

/* Declares that rows 0 .. batch-1 of w hold forward passes (ND_EVALUE beyond capacity). */
nd_status nd_mlp_work_set_batch(nd_mlp_work *w, size_t batch);

/* Reverse mode for the last nd_mlp_forward on w: given dy = ∂L/∂y (batch × nout), adds
   ∂L/∂params to grad_params and stores ∂L/∂x in dx (batch × nin); either output may be
   NULL (skipping the parameter gradient makes the input pullback for one sample cheap).
   ND_EVALUE when batch differs from that forward's or w was made for another shape. */
nd_status nd_mlp_backward(const nd_mlp *m, nd_mlp_work *w, size_t batch, const double *dy,
                          double *grad_params, double *dx);

/* Returns the input of the output layer (the last hidden layer's activations, or the
   scaled input for a network without hidden layers) of row `row` of the last forward pass
   on w: nd_mlp_hidden(m, nhidden − 1) values. The output layer is affine in its weights
   and bias, so these give its Jacobian exactly (laplace.h). */
const double *nd_mlp_work_last_input(const nd_mlp_work *w, size_t row);

/* Returns a new JSON object with architecture, activation, seed, parameters and scaling
   (doubles round-trip exactly through json_dumps' 17 digits); NULL when a parameter is
   not finite (JSON has no NaN) or out of memory. */
json_t *nd_mlp_to_json(const nd_mlp *m);

/* Rebuilds a network from nd_mlp_to_json's form, bit for bit; NULL with ND_EVALUE naming
   the offending field when the object is malformed or inconsistent. */
nd_mlp *nd_mlp_from_json(const json_t *j, nd_error *err);

#endif
