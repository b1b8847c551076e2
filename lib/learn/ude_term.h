/* What a network learned for one replaced term, evaluated where the user asks: along the
   rows of a dataset or as one input sweeps a range; beside it, optionally, the model's
   true term (or a state's true derivative) at the same points. */
#ifndef ND_LEARN_UDE_TERM_H
#define ND_LEARN_UDE_TERM_H

#include <stddef.h>

#include "../base/error.h"
#include "../data/dataset.h"
#include "ude.h"

typedef struct nd_ude_term {
    const nd_ude *u;
    size_t out;               /* the network output of the learned term */
    int true_index;           /* the true quantity in the model as written: a term, or */
    int true_is_state;        /* a state whose derivative it is */
} nd_ude_term;

/* Finds the learned term (a replaced name of u) and the true quantity true_name (NULL: the
   same name): a term of the model, else a state (its derivative). NameError naming what
   u learns, or that the model has no such term. */
nd_status nd_ude_term_find(const nd_ude *u, const char *term, const char *true_name,
                           nd_ude_term *t, nd_error *err);

/* Evaluates along the rows of ds (a column t plus state columns; a stimulated parameter
   from its column, else from the network's stimulus): the learned term into learned and,
   when truth is not NULL, the true one into truth (nd_ds_rows values each). ValueError
   naming a missing column: the network's inputs are needed, with truth every state. */
nd_status nd_ude_term_along(const nd_ude_term *t, const nd_dataset *ds, double *learned,
                            double *truth, nd_error *err);

/* Writes the network's inputs at the rows of ds (nd_ds_rows × nd_ude_ninputs values), read
   as nd_ude_term_along reads them. Its errors. */
nd_status nd_ude_term_inputs(const nd_ude_term *t, const nd_dataset *ds, double *x, nd_error *err);

/* Evaluates as input `sweep` (a state, a parameter or "t") runs over m points from lo to
   hi (into xs), the other states and parameters at the nfix values given by name, else
   the model's initial and current values. NameError for a name that is none of these. */
nd_status nd_ude_term_sweep(const nd_ude_term *t, const char *sweep, double lo, double hi,
                            size_t m, const char *const *fix_names, const double *fix_values,
                            size_t nfix, double *xs, double *learned, double *truth,
                            nd_error *err);

/* The dataset of `eval`: ds's time column t, the learned values (named after term, "dX/dt"
   for a state's derivative) and, when truth is not NULL, the true ones ("true TERM"), in
   the true term's unit, with metadata network and term; NULL on ENOMEM. */
nd_dataset *nd_ude_term_dataset(const nd_ude_term *te, const nd_dataset *ds, const char *term,
                                const char *true_name, const char *net_name,
                                const double *learned, const double *truth);

#endif
