/* Two-parameter continuation of equilibrium bifurcations: curves of Hopf points and of
   folds (saddle-nodes) in a plane of two parameters, with the codimension-2 points on them
   detected by test functions and located: Bogdanov–Takens, cusp, Bautin (generalised
   Hopf), fold–Hopf (zero-Hopf) and double Hopf (Kuznetsov, Elements of Applied
   Bifurcation Theory, 3rd ed., ch. 8 and §10.3; Govaerts, Numerical Methods for
   Bifurcations of Dynamical Equilibria, 2000). The curves start at the Hopf points and
   folds a one-parameter continuation finds. */
#ifndef ND_ANALYSIS_CODIM2_H
#define ND_ANALYSIS_CODIM2_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../base/fields.h"
#include "../data/dataset.h"
#include "../models/model.h"
#include "../plot/figure.h"

/* The curve kinds (bit flags, so a call can ask for several). ND_C2_LPC: folds of limit
   cycles (saddle-nodes of periodic orbits), continued on the shooting formulation
   (lpc_sys.c). */
enum { ND_C2_HOPF = 1, ND_C2_FOLD = 2, ND_C2_LPC = 4 };

/* The codimension-2 points. */
typedef enum nd_c2_kind {
    ND_C2_BT = 0,    /* Bogdanov–Takens: a double zero eigenvalue (Hopf meets fold, ω → 0) */
    ND_C2_CUSP,      /* cusp: the fold's quadratic normal-form coefficient vanishes */
    ND_C2_BAUTIN,    /* generalised Hopf: the first Lyapunov coefficient l1 changes sign */
    ND_C2_ZERO_HOPF, /* fold–Hopf: a zero eigenvalue and a pair ±iω at once */
    ND_C2_DOUBLE_HOPF /* two pairs on the imaginary axis */
} nd_c2_kind;

/* One curve: n points (p1, p2, the equilibrium and the test quantities), in the order
   traced. */
typedef struct nd_c2_curve {
    int kind;              /* ND_C2_HOPF, ND_C2_FOLD or ND_C2_LPC */
    size_t n, cap;
    double *p1, *p2;       /* [n] the two parameters */
    double *state;         /* [n * dim] the equilibrium; LPC: a point on the cycle (where its
                              first shooting segment starts) */
    double *period;        /* [n] LPC: the cycle's period; Hopf: 2π/ω; fold: NAN */
    double *omega;         /* [n] Hopf: the frequency of the critical pair; fold: NAN */
    double *l1;            /* [n] Hopf: first Lyapunov coefficient; fold: NAN */
    double *a;             /* [n] fold: the normal-form coefficient a = ⟨p, B(q,q)⟩/2
                              (⟨p, q⟩ = ⟨q, q⟩ = 1; 0 at a cusp); Hopf: NAN */
    int *n_unstable;       /* [n] eigenvalues with positive real part; LPC: Floquet
                              multipliers outside the unit circle (the two at 1 not counted) */
    char *end;             /* why the curve stops at each end: "edge of the box", ... */
} nd_c2_curve;

/* A codimension-2 point. */
typedef struct nd_c2_point {
    nd_c2_kind kind;
    double p1, p2;
    double *state;         /* [dim] */
    size_t curve;          /* the curve it was found on */
    size_t index;          /* its point on that curve */
    double omega;          /* Hopf curve: ω there (0 at BT); zero-Hopf on a fold: the pair's ω */
    double l1_before, l1_after;  /* Bautin: l1 at the neighbouring points on the curve, in
                                    the order traced; NAN otherwise */
} nd_c2_point;

typedef struct nd_c2_result {
    char *model;
    char *par[2];          /* the parameters' names */
    char *unit[2];         /* their units, or "" */
    double lo[2], hi[2];   /* the box */
    size_t dim;
    char **names;          /* [dim] state names */
    nd_c2_curve *curves;
    size_t ncurves;
    nd_c2_point *points;
    size_t npoints;
    char *notes;           /* what the continuation noticed, or "" */
} nd_c2_result;

typedef struct nd_c2_options {
    double ds;             /* first step in the box scaled to the unit square; 0: 0.01 */
    double ds_max;         /* largest step (scaled); 0: 0.05 */
    size_t max_points;     /* per direction of a curve; 0: 1000 */
    /* LPC curves: where the one-parameter cycle continuation (in par1 at m's par2) that
       finds their starts looks for cycles, besides its Hopf points (nd_cycle_options'
       samples and start); max_period: an LPC curve ends where the period exceeds this
       times the first's (0: 20) */
    size_t lpc_samples;    /* 0: 8; SIZE_MAX: no simulations */
    double lpc_start;      /* finite: simulate there (as continue's from=VALUE); NAN: no */
    double lpc_max_period;
    /* Called between steps; a non-OK status (an interrupt) stops the work with it. */
    nd_status (*check)(void *ctx, nd_error *err);
    void *check_ctx;
} nd_c2_options;

/* Fills o with the defaults (all zero, lpc_start NAN). */
void nd_c2_options_default(nd_c2_options *o);

/* Continues the curves of kinds (ND_C2_HOPF | ND_C2_FOLD | ND_C2_LPC) of m in parameters
   par1, par2 (indices) inside the box [lo1, hi1] × [lo2, hi2]. They start at the points of
   that kind a one-parameter continuation in par1 over [lo1, hi1] finds at m's value of par2
   (none there: in par2 at m's par1); each is followed both ways to the box's edges (or a
   closed loop, a Bogdanov–Takens point ending a Hopf curve, max_points), and a start
   already on an earlier curve is skipped. LPC curves start at the folds of cycles of the
   one-parameter cycle continuation on the first line and, when Hopf curves are asked for
   too, next to each Bautin point (a fold of the small cycles of a nearby subcritical Hopf
   point); they end at the box's edges, where the cycle shrinks to an equilibrium (a
   Bautin point), where the period blows up (a homoclinic orbit is near) or the cycles grow
   too unstable for shooting. *out is the new result. ND_EVALUE for bad parameters or box,
   ND_ESOLVER when no starting point is found, ND_ENOMEM, or what o->check returned. */
nd_status nd_c2_continue(const nd_model *m, int kinds, int par1, double lo1, double hi1,
                         int par2, double lo2, double hi2, const nd_c2_options *o,
                         nd_c2_result **out, nd_error *err);

/* Frees the result; NULL is allowed. */
void nd_c2_free(nd_c2_result *r);

/* Returns "Bogdanov-Takens", "cusp", "Bautin", "zero-Hopf", "double Hopf". */
const char *nd_c2_kind_name(nd_c2_kind k);

/* Returns the short label of the kind: "BT", "CP", "GH", "ZH", "HH" (MatCont's). */
const char *nd_c2_kind_tag(nd_c2_kind k);

/* Returns the curve kind's name: "hopf", "fold" or "lpc". */
const char *nd_c2_curve_name(int kind);

/* ---- views (codim2_view.c) ---- */

/* Returns the summary, the table of codimension-2 points and one line per curve as
   text/plain, text/html and ND_MIME_JSON ({"type":"bifurcation2", …}, docs/json-results.md);
   NULL on ENOMEM. */
nd_bundle *nd_c2_bundle(const nd_c2_result *r);

/* Builds the two-parameter figure: par2 against par1, Hopf curves and fold curves
   (stable side unmarked), codimension-2 points marked and labelled (BT1, GH1 …), over
   map's heatmap when map is not NULL (a grid from `sweep` over par1 (its first axis) and
   par2 (its second), column "rate" or else its last). ND_EVALUE when map is not such a
   grid, ND_ENOMEM. */
nd_status nd_c2_figure(const nd_c2_result *r, const nd_dataset *map, const char *title,
                       nd_figure **out, nd_error *err);

/* ---- fields (codim2_fields.c) ---- */

/* The values a two-parameter diagram exposes ("bifurcation2"): parameters (the two
   names), curves, hopf, fold (lists of "bifurcation curve": kind, each parameter and
   state by name as vectors, omega, l1, a, end), points, bt, cusp, bautin, zero_hopf,
   double_hopf (lists of "codimension-2 point": kind, tag, parameters and states by name,
   curve (1-based), omega, l1_before, l1_after) and notes; NULL on ENOMEM. */
nd_fields *nd_c2_fields(const nd_c2_result *r);

#endif
