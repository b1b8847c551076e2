/* The inside of a UDE fit, shared by ude_fit.c (loss and adjoint) and ude_fit_setup.c
   (grid, segments, scaling, starts, runs). Not a public header. */
#ifndef ND_LEARN_UDE_FIT_IMPL_H
#define ND_LEARN_UDE_FIT_IMPL_H

#include "saltation.h"
#include "ude_impl.h"

typedef struct rk_scheme {
    const char *name;
    int s;
    double c[4], a[4][4], b[4];
} rk_scheme;

/* One entry of the solve's record, in order: a Runge–Kutta step of length h whose stages
   start at tape index q — a whole grid step, a step that ends at an event, or the rest of
   a grid step after its last event — or the reset of event ev. */
typedef enum ude_entry_kind { UDE_STEP, UDE_TO_EVENT, UDE_REST, UDE_EVENT } ude_entry_kind;
typedef struct ude_entry {
    ude_entry_kind kind;
    double h;
    size_t q;
    size_t ev;
} ude_entry;

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
    /* the solve's record and the `when` resets (ude_events.c) */
    size_t nw;            /* the model's whens (0: the fixed grid alone) */
    size_t cap, nq;       /* stages the tape has room for; stages the last solve took */
    int short_tape;       /* the last recording solve ran out of room */
    ude_entry *ent;
    size_t nent, capent;
    size_t *first;        /* rows: the entry each sample interval starts at */
    size_t *nm;           /* rows: events since its segment's start by each sample */
    size_t *segev;        /* S + 1: the first event of each segment */
    size_t *dev;          /* rows: the data's resets by each sample (NULL: no lifting) */
    int *lifted;          /* n: observed states a reset assigns */
    nd_salt *salt;        /* capev saltation matrices (filled by a recording solve) */
    size_t nev, capev;
    double *evd;          /* capev × 2n: the jump y⁻ − y⁺, its cotangent */
    double *Kt;           /* cap × n: the stages' slopes (tape) */
    double *res;          /* rows × n: lifted residuals ypred + lift − d */
    double *y0, *ym, *ga, *gb, *mu;   /* scratch: n, n, nw, nw, npar */
    double *dK, *dphi, *v;            /* scratch: s × n, n, n */
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

/* Allocates the record and, for a model with resets, checks that training can go
   through them and counts the data's resets (ude_events.c); called once f has its data. */
nd_status ude_events_setup(nd_ude_fit *f, nd_error *err);
void ude_events_free(nd_ude_fit *f);

/* One grid step from t with step h of sample interval j: cut at each event crossed (the
   event time a root on the step's own solution), the reset applied; appends the entries
   and advances *q by the stages taped (recorded only when record and the tape has room;
   short_tape is set otherwise). 0, or -1 when not finite or an event is only grazed. */
int ude_step(nd_ude_fit *f, size_t j, double t, double h, double *y, int record, size_t *q);

/* The lift of residual (j, i) in segment k (lift.h); with w ≠ 0, adds w times its
   derivative by each jump used to that jump's cotangent. */
double ude_lift(nd_ude_fit *f, size_t j, size_t k, size_t i, double w);

/* The reverse pass over sample interval j's record: ybar, the adjoint at its end, becomes
   the adjoint at its start; the steps' parts go to the tape's cotangents and f->gp, the
   events' through the reset and the event time (nd_salt_reset_adjoint, _time_adjoint). */
void ude_interval_adjoint(nd_ude_fit *f, size_t j, double *ybar);

/* The reverse sweep over one Runge–Kutta step of length h whose stages start at q
   (ude_fit.c). */
void ude_rk_adjoint(nd_ude_fit *f, double h, size_t q, double *ybar);

/* With the observed states held to the data: at a sample where the data reset, applies to
   y the resets that assign an observed state, so the unobserved ones jump too. */
void ude_forced_reset(nd_ude_fit *f, size_t j, double t, double *y);

/* Makes room on the tape for N stages (its contents are lost); ND_ENOMEM. */
nd_status ude_tape_reserve(nd_ude_fit *f, size_t N, nd_error *err);

/* The sum over the parts (ude_fit_multi.c): loss and gradient, θ in and out. */
int ude_multi_loss(nd_ude_fit *f, const double *theta, double *loss, double *grad);
void ude_multi_set_theta(nd_ude_fit *f, const double *theta);

/* Writes part k's θ (the shared network head, then its own part of theta from off) into
   f->pth. */
void ude_multi_part_theta(nd_ude_fit *f, size_t k, const double *theta, size_t off);
void ude_multi_theta(const nd_ude_fit *f, double *theta);

#endif
