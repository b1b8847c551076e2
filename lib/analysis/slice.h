/* A 2-D slice of a model for the phase plane: states X and Y vary, every other state is
   either held at a fixed value or put at quasi-steady state (solved from dz/dt = 0 given
   X and Y by Newton on those states alone, warm-started from the last solution). For a
   2-state model the slice is the model itself. */
#ifndef ND_ANALYSIS_SLICE_H
#define ND_ANALYSIS_SLICE_H

#include <stddef.h>

#include "../base/error.h"
#include "../models/model.h"
#include "equilibria.h"

typedef struct nd_slice {
    const nd_model *m;
    const double *p;
    size_t n;
    int ix, iy;
    int qss;          /* 1: other states at quasi-steady state */
    double *base;     /* n: fixed values of the others (QSS: first guesses) */
    double *guess;    /* n: QSS warm start */
    double *y, *f, *J, *sub, *rhs, *st;   /* work */
    void *piv;                            /* lapack_int[n] */
} nd_slice;

/* Prepares a slice of m at parameters p (borrowed) over states ix != iy, others from
   base (n values, copied). ND_EVALUE for bad indices, ND_ENOMEM. */
nd_status nd_slice_init(nd_slice *s, const nd_model *m, const double *p, int ix, int iy,
                        const double *base, int qss, nd_error *err);

/* Frees the slice's work arrays. */
void nd_slice_free(nd_slice *s);

/* Writes the full state at (x, y) into state (n values); 0, or -1 when the quasi-steady
   state cannot be solved there. */
int nd_slice_state(nd_slice *s, double x, double y, double *state);

/* Writes dX/dt and dY/dt at (x, y) (NaN where undefined). */
void nd_slice_rhs(nd_slice *s, double x, double y, double *fx, double *fy);

/* Finds the slice's equilibria (fx = fy = 0) by 2-D Newton from a 12 x 12 grid over
   [lo, hi] (2 values each), with eigenvalues of the slice's 2 x 2 Jacobian (central
   differences) and kinds, deduplicated into out (n = 2). */
nd_status nd_slice_equilibria(nd_slice *s, const double *lo, const double *hi,
                              nd_eq_list *out, nd_error *err);

#endif
