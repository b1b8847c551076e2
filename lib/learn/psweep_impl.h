/* Internal to the parameter sweep (psweep.c, psweep_point.c): what every worker shares,
   and the functions nd_pool_run calls on each worker. */
#ifndef ND_LEARN_PSWEEP_IMPL_H
#define ND_LEARN_PSWEEP_IMPL_H

#include "psweep.h"

/* The most columns a measure writes (features). */
#define ND_PSWEEP_MAX_COLS 10

/* What the workers share, read-only: the model (copied by each worker), the options, where
   each axis writes (nd_psweep_axis_slot) and the sizes. */
typedef struct nd_psweep_job {
    const nd_model *m;
    const nd_psweep_options *o;
    int slot[ND_PSWEEP_MAX_AXES];
    size_t np, ns, ncols;
    double scale;          /* rates per second for ms models */
    int strict;            /* 1: a point where the solver fails returns its error (to name
                              a failure); 0: the point is a hole (NAN) and the sweep goes on */
} nd_psweep_job;

/* Where axis name writes: a parameter's index (>= 0), -1 - a state's index, or INT_MIN
   when m has neither. */
int nd_psweep_axis_slot(const nd_model *m, const char *name);

/* A worker for nd_pool_run: ctx is the nd_psweep_job; NULL with ENOMEM in err. */
void *nd_psweep_worker_new(void *ctx, nd_error *err);

/* Frees a worker; NULL is allowed. */
void nd_psweep_worker_free(void *w);

/* Measures point i (axis 0 fastest) into out (the measure's columns; left as they are,
   NAN from the pool, where the solver fails at that point, unless the job is strict). */
nd_status nd_psweep_eval_point(void *w, size_t i, double *out, nd_error *err);

#endif
