/* The inside of a UDE fit, shared by ude_fit.c (loss and adjoint) and ude_fit_setup.c
   (grid, segments, scaling, starts, runs). Not a public header. */
#ifndef ND_LEARN_UDE_FIT_IMPL_H
#define ND_LEARN_UDE_FIT_IMPL_H

#include "ude_impl.h"

typedef struct rk_scheme {
    const char *name;
    int s;
    double c[4], a[4][4], b[4];
} rk_scheme;

struct nd_ude_fit {
    nd_ude *u;
    const rk_scheme *rk;
    size_t n, nin, nout, npar_net, S, ntheta;   /* npar_net: θ's shared head, the network's
                                                   nmlp parameters then nphys log-values */
    size_t nmlp, nphys;
    int *phys;            /* nphys parameter indices of the open model (ude_params.c) */
    char **phys_name;
    double *Fp;           /* nstages × n × nphys: ∂f/∂p of the trained parameters (tape) */
    double *gp;           /* nphys: ∂loss/∂p accumulated by the adjoint */
    size_t rows;
    double *t;            /* rows sample times */
    double *d;            /* rows × n data, NaN where unobserved or missing */
    int *observed;        /* n flags */
    size_t nobs;          /* finite observed values */
    size_t *sub;          /* substeps of each of the rows - 1 intervals */
    size_t *seg;          /* S + 1 boundaries (sample indices) */
    size_t *seg_stage;    /* S + 1: index of each segment's first stage */
    size_t nstages;
    double *c, *sc;       /* n: the centre and scale of each state */
    double continuity, l2;
    nd_stim *stim;
    int stim_par;
    ude_eval ev;
    /* the tape */
    double *Jm;           /* nstages × n × n: the model's df/dy with the outputs held */
    double *Fz;           /* nstages × n × nout: df/dz */
    double *dzdx;         /* nstages × nout × nin */
    double *DZ;           /* nstages × nout output cotangents */
    double *E, *DX;       /* batch buffers */
    nd_mlp_work *wb;      /* nstages rows: the network's activations along the solve */
    double *ypred;        /* rows × n */
    double *yend;         /* S × n */
    double *starts;       /* S × n starting states */
    double *K, *Ys, *ybar, *Kbar, *Ybar, *dy;
    nd_ude_fit_parts last;
    nd_optim_info info;   /* of the last run */
    /* derivative matching (collocation): inputs and implied outputs along the guess */
    int colloc;           /* 1: the loss is the collocation loss */
    size_t ncol;          /* rows with a target for every output; 0: unavailable */
    double *Xc, *Zc, *Dc; /* ncol × nin, ncol × nout, ncol × nout */
    double colloc_weight; /* of the collocation loss added to the trajectory loss */
    nd_mlp_work *wc;
    /* several experiments (nd_ude_fit_create_multi): this fit only sums its parts, each a
       whole fit of one experiment without the L2 term; 0 parts: a fit of one dataset */
    size_t nparts;
    nd_ude_fit **part;
    double *pth, *pgr;    /* one part's θ and gradient */
};

/* Resolves o->params into f (indices, names, gp): NameError with a suggestion for an
   unknown name, ValueError for a network output, the stimulated parameter, a value that
   is not positive, or a name given twice; sets nphys and npar_net = nmlp + nphys. */
nd_status ude_params_setup(nd_ude_fit *f, const nd_ude_fit_options *o, nd_error *err);

/* Frees what ude_params_setup made. */
void ude_params_free(nd_ude_fit *f);

/* θ's physical part: writes log p into theta[nmlp..), or sets p = e^θ in the model. */
void ude_params_get(const nd_ude_fit *f, double *theta);
void ude_params_set(nd_ude_fit *f, const double *theta);

/* Records stage `at`'s ∂f/∂p of the trained parameters from the full jacp (n × npar). */
void ude_params_tape(nd_ude_fit *f, size_t at, const double *Jp, size_t npar);

/* Adds stage `at`'s contribution Fpᵀ K̄ to f->gp. */
void ude_params_adjoint(nd_ude_fit *f, size_t at, const double *Kbar);

/* Writes ∂loss/∂θ of the physical part (chain rule through p = e^θ) into grad[nmlp..). */
void ude_params_grad(const nd_ude_fit *f, double *grad);

/* Returns the scheme called name, or NULL. */
const rk_scheme *ude_scheme(const char *name);

/* One step of the scheme from y (overwritten by the result) over sample interval j from
   t with step h. With record, stores the tape from stage index q on; with forced, the
   observed components are replaced by the data (teacher forcing). Returns 0 or -1. */
int ude_rk_step(nd_ude_fit *f, size_t j, double t, double h, double *y, int record, size_t q,
                int forced);

/* Estimates output k along the guessed trajectory traj from the data (ude_fit_setup.c):
   rows values in zk (NaN where unknown), avg and rate are rows-long scratch; -1 when no
   observed state depends on the output. */
int ude_estimate_output(nd_ude_fit *f, size_t k, const double *traj, double *zk, double *avg,
                        double *rate);

/* The collocation loss at θ (network part only, without L2), added with weight w to *loss
   and, when grad is not NULL, to grad; 0, or nonzero when it is not finite. */
int ude_colloc_add(nd_ude_fit *f, const double *theta, double w, double *loss, double *grad);

/* Fills the collocation targets from the guessed trajectory traj (rows × n). */
nd_status ude_colloc_targets(nd_ude_fit *f, const double *traj, nd_error *err);

/* Writes θ into the network and the starting states of segments 1... */
void ude_fit_set_theta(nd_ude_fit *f, const double *theta);

/* Prepares the fit of one experiment (nd_ude_fit_create under ex's stimulus); resume: take
   the segment starts kept in u when they fit. */
nd_ude_fit *ude_fit_create_one(nd_ude *u, const nd_ude_experiment *ex,
                               const nd_ude_fit_options *o, int resume, nd_error *err);

/* The sum over the parts (ude_fit_multi.c): loss and gradient, θ in and out. */
int ude_multi_loss(nd_ude_fit *f, const double *theta, double *loss, double *grad);
void ude_multi_set_theta(nd_ude_fit *f, const double *theta);
void ude_multi_theta(const nd_ude_fit *f, double *theta);

#endif
