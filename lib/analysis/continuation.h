/* One-parameter continuation of equilibria (pseudo-arclength, tangent predictor, Newton
   corrector on the bordered system) with fold and Hopf points located precisely, and the
   result every bifurcation tool shares: equilibrium branches, special points and — filled
   by the periodic-orbit code (lib/analysis/cycles*) — cycle branches born at Hopf points. */
#ifndef ND_ANALYSIS_CONTINUATION_H
#define ND_ANALYSIS_CONTINUATION_H

#include <stddef.h>

#include "../base/error.h"
#include "../models/model.h"

/* The kinds of special points. Cycle kinds are set by the periodic-orbit code. */
typedef enum nd_bif_kind {
    ND_BIF_FOLD = 0,         /* saddle-node of equilibria: a real eigenvalue crosses 0 */
    ND_BIF_HOPF,             /* a complex pair crosses the imaginary axis */
    ND_BIF_CYCLE_FOLD,       /* saddle-node of periodic orbits (Floquet multiplier +1) */
    ND_BIF_PERIOD_DOUBLING,  /* a Floquet multiplier crosses -1 */
    ND_BIF_TORUS,            /* Neimark–Sacker: a complex pair of multipliers crosses |μ| = 1 */
    ND_BIF_HOMOCLINIC,       /* a cycle branch's period diverges like -a ln|p - p*| */
    ND_BIF_SNIC              /* ... like π/√(c|p - p*|): a saddle-node on the cycle */
} nd_bif_kind;

/* A branch of equilibria: n points in the order they were traced (the parameter may go
   back and forth around folds). */
typedef struct nd_eq_branch {
    size_t n, cap;
    double *param;       /* [n] the parameter */
    double *state;       /* [n * dim] the equilibrium, row i at state + i*dim */
    int *n_unstable;     /* [n] eigenvalues with positive real part (0: stable) */
    double *lead_re;     /* [n] the largest real part of the eigenvalues */
    double *lead_im;     /* [n] |imaginary part| of that eigenvalue (0: real) */
} nd_eq_branch;

/* A special point on an equilibrium or cycle branch. */
typedef struct nd_bif_point {
    nd_bif_kind kind;
    double param;
    double *state;       /* [dim] equilibrium (cycle kinds: a point on the orbit) */
    double omega;        /* Hopf: imaginary part of the critical pair; NAN otherwise */
    double l1;           /* Hopf: first Lyapunov coefficient (> 0 subcritical); NAN if unknown */
    double period;       /* cycle kinds: period (homoclinic, SNIC: the last one
                            computed); Hopf: 2π/ω; NAN otherwise */
    int on_cycle;        /* 0: on branches[branch]; 1: on cycles[branch] */
    size_t branch;       /* index of the branch it lies on */
    size_t index;        /* its own point on that branch (special points are inserted) */
} nd_bif_point;

/* A branch of periodic orbits (filled by lib/analysis/cycles*). */
typedef struct nd_cycle_branch {
    size_t n, cap;
    double *param;       /* [n] */
    double *period;      /* [n] */
    double *xmin;        /* [n * dim] minimum of each state over the orbit */
    double *xmax;        /* [n * dim] maximum of each state over the orbit */
    int *stable;         /* [n] 1 when every nontrivial Floquet multiplier has |μ| < 1 */
    double *mult_max;    /* [n] largest modulus of the nontrivial Floquet multipliers */
    size_t from_point;   /* the special point (a Hopf) it starts from; SIZE_MAX: from an
                            orbit found by simulation at param_start */
    double param_start;  /* where it started (the Hopf point's or the simulated orbit's
                            parameter) */
    int simulated;       /* 1: not continued but simulated at each param (min/max after a
                            transient; period NAN) — the brute-force branch of reset models */
} nd_cycle_branch;

/* The result of `continue`: what the diagram and the summary table show. */
typedef struct nd_bif_result {
    char *model;              /* the model's name */
    char *param;              /* the continued parameter's name */
    int par_index;            /* its index among the model's parameters */
    char *param_unit;         /* its unit, or "" */
    size_t dim;               /* number of states */
    char **names;             /* [dim] state names */
    char **units;             /* [dim] state units ("" when none) */
    double lo, hi;            /* the requested parameter interval */
    nd_eq_branch *branches;
    size_t nbranches;
    nd_bif_point *points;     /* sorted as found along the branches */
    size_t npoints;
    nd_cycle_branch *cycles;
    size_t ncycles;
    char *notes;              /* what the continuation noticed ("stopped after 2000 points"), or "" */
} nd_bif_result;

/* Options of a continuation; nd_cont_options_default fills them. */
typedef struct nd_cont_options {
    double ds;           /* first arclength step; 0: 1/100 of the interval */
    double ds_min;       /* smallest step before giving up; 0: ds * 1e-6 */
    double ds_max;       /* largest step; 0: 1/20 of the interval */
    size_t max_points;   /* stop after this many points; 0: 2000 */
    double tol;          /* Newton tolerance on the correction; 0: 1e-10 (scaled) */
    /* Called between steps; a non-OK status (an interrupt) stops the work with it. */
    nd_status (*check)(void *ctx, nd_error *err);
    void *check_ctx;
} nd_cont_options;

/* Fills o with the defaults (all zero: chosen from the interval). */
void nd_cont_options_default(nd_cont_options *o);

/* Continues the equilibria of m in parameter par (index among its parameters) from
   par = lo towards hi, starting at the equilibrium Newton finds from m's initial values
   (or where a simulation comes to rest); *out is the new result. ND_ESOLVER when no
   equilibrium is found at lo or the corrector fails at the smallest step, ND_EVALUE for a
   bad interval, ND_ENOMEM, or what opts->check returned. m is not changed. */
nd_status nd_bif_continue(const nd_model *m, int par, double lo, double hi,
                          const nd_cont_options *opts, nd_bif_result **out, nd_error *err);

/* Frees the result with its branches, points and cycles; NULL is allowed. */
void nd_bif_free(nd_bif_result *r);

/* Returns "fold", "hopf", "cycle fold", "period doubling", "torus", "homoclinic" or
   "snic". */
const char *nd_bif_kind_name(nd_bif_kind kind);

/* Returns "subcritical" (l1 > 0), "supercritical" (l1 < 0) or "" (not a Hopf, or l1 not
   known). */
const char *nd_bif_criticality(const nd_bif_point *pt);

/* Returns an empty result describing m's states and parameter par over [lo, hi], or
   NULL on ENOMEM. */
nd_bif_result *nd_bif_create(const nd_model *m, int par, double lo, double hi);

/* Appends an empty equilibrium branch; returns it, or NULL on ENOMEM (pointers to
   earlier branches may move). */
nd_eq_branch *nd_bif_add_branch(nd_bif_result *r);

/* Appends one equilibrium (state: dim values) to b; 0, or -1 on ENOMEM. */
int nd_eq_branch_push(nd_eq_branch *b, size_t dim, double param, const double *state,
                      int n_unstable, double lead_re, double lead_im);

/* Appends an empty cycle branch starting from special point from_point; returns it, or
   NULL on ENOMEM (pointers to earlier cycle branches may move). */
nd_cycle_branch *nd_bif_add_cycle_branch(nd_bif_result *r, size_t from_point);

/* Appends one orbit (xmin, xmax: dim values each) to c; 0, or -1 on ENOMEM. */
int nd_cycle_branch_push(nd_cycle_branch *c, size_t dim, double param, double period,
                         const double *xmin, const double *xmax, int stable, double mult_max);

/* Appends a special point (state: dim values, copied); 0, or -1 on ENOMEM. */
int nd_bif_add_point(nd_bif_result *r, const nd_bif_point *pt, const double *state);

/* Appends one line of text to r's notes (what the continuation noticed). */
void nd_bif_note(nd_bif_result *r, const char *text);

#endif
