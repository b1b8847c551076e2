/* The train command's parts shared by cmd_train.c (running through lib/learn/ude_stages.h,
   progress), train_args.c (reading the call) and train_summary.c (summary and record). */
#ifndef ND_COMMANDS_TRAIN_H
#define ND_COMMANDS_TRAIN_H

#include "../learn/ude.h"
#include "../learn/ude_stages.h"
#include "../learn/ude_train_view.h"
#include "../learn/ude_validate.h"
#include "../learn/ude_verdict.h"
#include "../language/commands.h"

enum { ND_TRAIN_MAX_STAGES = ND_UDE_MAX_STAGES, ND_TRAIN_MAX_OBSERVE = 64,
       ND_TRAIN_MAX_DATA = 16 };

typedef struct nd_train_call {
    nd_ude *u;
    const char *net_name;
    size_t ndata;             /* the datasets, one experiment each */
    const nd_arg *data_arg[ND_TRAIN_MAX_DATA];
    const char *data_name[ND_TRAIN_MAX_DATA];   /* as written ("the data": an expression) */
    nd_value *data_holder[ND_TRAIN_MAX_DATA];   /* references the caller releases */
    nd_dataset *data[ND_TRAIN_MAX_DATA];
    nd_ude_experiment ex[ND_TRAIN_MAX_DATA];    /* each dataset with its stimulus */
    nd_stim *stim_held[ND_TRAIN_MAX_DATA];      /* a stimulus made from a column (a sweep's I) */
    size_t nval;              /* validate=: held-out datasets, never in the loss */
    nd_arg val_arg[ND_UDE_MAX_VALIDATE];        /* each one's expression, located */
    const char *val_name[ND_UDE_MAX_VALIDATE];
    nd_value *val_holder[ND_UDE_MAX_VALIDATE];
    nd_ude_experiment val_ex[ND_UDE_MAX_VALIDATE];
    nd_stim *val_stim[ND_UDE_MAX_VALIDATE];
    nd_ude_fit_options fo;
    const char *observe[ND_TRAIN_MAX_OBSERVE];
    const char *params[ND_TRAIN_MAX_OBSERVE];   /* params=: physical parameters trained */
    double param_initial[ND_TRAIN_MAX_OBSERVE]; /* their values before training */
    nd_ude_train_stage st[ND_TRAIN_MAX_STAGES];   /* what each stage asked, then did */
    const nd_arg *st_at[ND_TRAIN_MAX_STAGES];     /* its word (NULL: the recipe's) */
    const nd_arg *colloc_at[ND_TRAIN_MAX_STAGES]; /* its colloc= (NULL: none given) */
    size_t nst;
    int recipe;               /* no stage given: the default recipe (nd_ude_run_recipe) */
    int l2_given;
} nd_train_call;

/* Reads `train NET DATA [DATA …] [options] [STAGE [options]] [then STAGE …]` into tc;
   errors are located on the offending word or option (release tc with nd_train_call_clear
   on failure too). */
nd_status nd_train_read_call(const nd_cmd_ctx *ctx, nd_train_call *tc, nd_error *err);

/* Releases the datasets and stimuli tc holds. */
void nd_train_call_clear(nd_train_call *tc);

/* The summary of a training (lib/learn/ude_train_view.h): the stages, the recipe's
   attempts (res NULL or no attempts: explicit stages) and the verdict of each of the
   tc->ndata experiments (v NULL when it could not be computed), and of the tc->nval
   held-out ones (val, NULL likewise); NULL on ENOMEM. */
nd_bundle *nd_train_summary(const nd_train_call *tc, const nd_ude_auto_result *res,
                            const nd_ude_verdict *v, const nd_ude_verdict *val);

/* The record `t = train …` binds, shown as view (taken over): verdict and ok over every
   experiment, loss, history, stages, the first experiment's first observed variable's
   noise, residual and spikes, the list of experiments with their own, and the held-out
   ones' (validation, from val); NULL on ENOMEM. */
nd_value *nd_train_record(const nd_train_call *tc, nd_bundle *view,
                          const nd_ude_auto_result *res, const nd_ude_verdict *v,
                          const nd_ude_verdict *val);

#endif
