/* The inside of a parameter fit, shared by fit_setup.c (datasets, grid, segments),
   fit_sens.c (the solve with sensitivities), fit_loss.c (θ, residuals, loss) and the
   runs, statistics and profiles. Not a public header. */
#ifndef ND_LEARN_FIT_IMPL_H
#define ND_LEARN_FIT_IMPL_H

#include "fit.h"
#include "saltation.h"
#include "ude_fit_impl.h"   /* rk_scheme: the UDE's fixed-step schemes */

/* How a parameter is searched: p = θ, lo + e^θ, hi − e^θ, or lo + (hi − lo)σ(θ). */
typedef enum fit_tf { FIT_TF_NONE, FIT_TF_LOWER, FIT_TF_UPPER, FIT_TF_BOTH } fit_tf;

/* One dataset: its grid, observed samples, stimulus and segments. */
typedef struct fit_exp {
    const nd_dataset *data;
    size_t rows;
    double *t;          /* rows sample times */
    double *d;          /* rows × nobsv observed values, NaN where missing */
    size_t *sub;        /* substeps of each of the rows − 1 intervals */
    nd_stim *stim;      /* NULL: none */
    int stim_par;
    int whole;          /* 1: the stimulus is the parameter's whole value (a column) */
    size_t S;           /* segments */
    size_t *seg;        /* S + 1 boundaries (sample indices) */
    double *starts;     /* S × n starting states (segment 0: the model's initial values) */
    size_t theta_off;   /* where segment 1's start sits in θ */
    size_t res_off;     /* its first residual */
    size_t nobs;        /* finite observed values */
    double cw;          /* the weight of a continuity residual */
    size_t *dev;        /* rows: the data's resets up to each sample (NULL: no events) */
} fit_exp;

struct nd_fit {
    nd_model *m;
    const rk_scheme *rk;
    size_t n, npar, np, m_sens;   /* states, model parameters, estimated, sensitivity columns */
    int *pidx;                    /* np model parameter indices */
    int *fixed;                   /* np: 1 holds the parameter (a profile's grid value) */
    fit_tf *tf;
    double *lo, *hi;
    double *value, *initial;      /* np */
    size_t nobsv;
    int *obs;                     /* nobsv state indices */
    size_t ndata;
    fit_exp *ex;
    size_t ntheta, nres, nobs;
    double continuity;
    int single;                   /* 1: the segments are ignored (nd_fit_set_single) */
    int shoots;                   /* asked for more than one segment (nd_fit_run_polished) */
    double *sc;                   /* n: the scale of each state */
    double dscale;                /* the scale of the observed data */
    /* work */
    double *p, *y, *Y, *K, *Sy, *SY, *SK, *Jy, *Jp;
    double *traj;                 /* when set, fit_solve stores rows × n states here */
    /* the model's `when` events (fit_events.c) */
    size_t nw;                    /* events of the model (0: none) */
    size_t nevents;               /* events crossed by the last fit_solve */
    double *y0, *Sy0, *ga, *gb, *fm, *fp, *Sw;
    /* the current segment's resets of an observed variable: their jumps y⁻ − y⁺ (nobsv
       each) with derivatives (nobsv × m_sens), and how many preceded each sample */
    size_t njump, capjump, *nm, nm_cap;
    double *jump, *djump;
    int *col;                     /* m_sens: each sensitivity column's model parameter, or -1 */
    nd_salt salt;
};

/* Writes p(θ_i) and dp/dθ_i for parameter i. */
double fit_tf_value(const nd_fit *f, size_t i, double th, double *dp);

/* The inverse: θ for value v of parameter i. */
double fit_tf_theta(const nd_fit *f, size_t i, double v);

/* Solves dataset k from the current parameters and starts: residuals into r (from index
   0 of r: its data residuals then continuity terms) and, when J is not NULL, dr/dθ into J
   rows with leading dimension ld, parameter columns with respect to the natural
   parameters (the caller applies the transforms) and start columns at their θ offsets.
   single: one segment from the initial state, data residuals only. 0, or -1 when the solve
   is not finite. */
int fit_solve(nd_fit *f, size_t k, int single, double *r, double *J, size_t ld);

/* Sets f->p to the parameters at t: the model's values with dataset e's stimulus added to
   its parameter. */
void fit_pars_at(nd_fit *f, const fit_exp *e, double t);

/* One Runge–Kutta step from (t, f->y, f->Sy) of length h; sens: also the sensitivities.
   0, or -1 when the result is not finite. */
int fit_step(nd_fit *f, const fit_exp *e, double t, double h, int sens);

/* fit_step across the model's events: the step is cut at each event crossed (located on
   the step's own solution, so its time is a smooth function of the parameters), the reset
   applied and the sensitivities carried across by the saltation matrix. 0, or -1 when a
   result is not finite or an event is only grazed. */
int fit_step_events(nd_fit *f, const fit_exp *e, double t, double h, int sens);

/* Adds w times the sensitivity row srow (m_sens values) of segment seg to the Jacobian row
   Jr: parameter columns, and the segment start's columns at their θ offsets. */
void fit_sens_row_add(const nd_fit *f, const fit_exp *e, size_t seg, const double *srow,
                      double w, double *Jr);

/* Lifts the residuals of samples (j0, j1] of segment seg over the resets: where the model
   has reset a different number of times than the data by a sample, the jumps in between
   are added back, so each residual compares the two as if neither had reset and stays
   continuous when an event moves past the sample (fit_events.c). */
void fit_lift(nd_fit *f, const fit_exp *e, size_t j0, size_t j1, size_t seg, double *r,
              double *J, size_t ld);

/* Returns the data's resets summed over the datasets, -1 when no observed variable is
   assigned by a reset. */
long fit_data_resets(const nd_fit *f);

/* Finds dataset e's resets: the samples where an observed variable some `when` assigns
   falls by more than half its range; ND_OK or ND_ENOMEM. */
nd_status fit_data_events(nd_fit *f, fit_exp *e);

/* Allocates the event work for f (f->nw events); ND_OK or ND_ENOMEM. */
nd_status fit_events_alloc(nd_fit *f);
void fit_events_free(nd_fit *f);

/* The residual sum of squares of a single-shooting solve at the current values (NAN when
   it fails). */
double fit_ssr_single(nd_fit *f);

/* Lays θ and the residuals out for the current mode (segments or single shooting). */
void fit_layout(nd_fit *f);

/* The number of residuals of dataset k (single: data only). */
size_t fit_exp_nres(const nd_fit *f, size_t k, int single);

#endif
