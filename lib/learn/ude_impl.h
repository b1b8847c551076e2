/* The inside of a UDE, shared by the files of lib/learn/ude*.c (not a public header). */
#ifndef ND_LEARN_UDE_IMPL_H
#define ND_LEARN_UDE_IMPL_H

#include "ude.h"

typedef enum ude_in_kind { UDE_IN_STATE, UDE_IN_PAR, UDE_IN_TIME } ude_in_kind;

/* Multiple-shooting starts kept between training runs on the same data shape. */
typedef struct ude_starts {
    size_t segments, n, rows;
    double t0, t1;
    double *y;                /* (segments - 1) × n starting states of segments 1.. */
} ude_starts;

struct nd_ude {
    nd_model *truth;          /* the model as written */
    nd_model *open;           /* its variant whose replaced definitions read parameters */
    int node;
    size_t nrep;
    char **rep;
    size_t *rep_par;          /* the parameter of the open model each output feeds */
    size_t nin;
    char **in;
    ude_in_kind *in_kind;
    size_t *in_index;         /* state or parameter index */
    nd_mlp *net;
    int scaled;               /* nd_ude_scale_from has run (training keeps that scaling) */
    nd_stim *stim;
    int stim_par;
    double *hist;
    size_t nhist, caphist;
    char **stage;
    size_t *stage_first;
    size_t nstages;
    ude_starts starts;
};

/* An evaluator of the hybrid's right-hand side and Jacobian: the network's buffers, the
   parameter vector with the stimulus and the network outputs written in. One per thread
   of evaluation (an ivp, a fit). */
typedef struct ude_eval {
    const nd_ude *u;
    const nd_stim *stim;      /* NULL: none */
    int stim_par;
    size_t n, npar;
    double *p;                /* npar: the open model's values + stimulus + outputs */
    double *x, *z;            /* nin, nout */
    double *Jp;               /* n × npar */
    double *dzdx;             /* nout × nin */
    double *ek;               /* nout */
    nd_mlp_work *w;           /* batch 1 */
} ude_eval;

/* Prepares e for u under stim (not copied); ND_ENOMEM. */
nd_status ude_eval_init(ude_eval *e, const nd_ude *u, const nd_stim *stim, int stim_par,
                        nd_error *err);
void ude_eval_free(ude_eval *e);

/* Sets e->p for time t (stimulus added) and e->x to the inputs at (t, y). */
void ude_eval_inputs(ude_eval *e, double t, const double *y);

/* Writes the network outputs e->z into e->p. */
void ude_eval_outputs(ude_eval *e);

/* Sets e->p for time t (stimulus added), e->x to the inputs at (t, y), e->z to the
   network outputs and writes them into e->p. */
void ude_eval_point(ude_eval *e, double t, const double *y);

/* f(t, y) of the hybrid; 0 or -1. */
int ude_eval_rhs(ude_eval *e, double t, const double *y, double *dydt);

/* The hybrid's Jacobian df/dy at (t, y) (after ude_eval_point at the same point when
   fresh = 0); with Fz (n × nout, may be NULL) the model's sensitivity to the outputs. */
int ude_eval_jac(ude_eval *e, double t, const double *y, double *J, double *Fz, int fresh);

/* Appends v to the history; -1 on ENOMEM. */
int ude_history_push(nd_ude *u, double v);

/* Starts a stage named text at the current end of the history; -1 on ENOMEM. */
int ude_stage_push(nd_ude *u, const char *text);

#endif
