/* The workspace object kinds of the science modules (datasets, models ...): how each is
   wrapped as a value, recognised, and shown. */
#ifndef ND_LANGUAGE_OBJECTS_H
#define ND_LANGUAGE_OBJECTS_H

#include "../analysis/continuation.h"
#include "../data/dataset.h"
#include "../data/recording.h"
#include "../models/model.h"
#include "../ode/stim.h"
#include "value.h"
#include "workspace.h"

typedef struct nd_ude nd_ude;   /* lib/learn/ude.h (not included: it brings jansson) */

/* A model in the workspace, with the stimulus protocol the user set for it. */
typedef struct nd_model_obj {
    nd_model *model;
    nd_stim *stim;      /* set by `stim`; NULL: the model's own default protocol, if any */
    int stim_par;       /* the parameter stim drives (when stim is not NULL) */
    nd_value *fit;      /* the result that made the model (a `sindy` fit: its fields are the
                           model's fields), or NULL */
} nd_model_obj;

/* Returns a value owning ds (freed with the value; on failure ds is freed), or NULL. */
nd_value *nd_value_dataset(nd_dataset *ds);

/* Returns the dataset held by v, or NULL when v is not a dataset. */
nd_dataset *nd_value_as_dataset(const nd_value *v);

/* Returns a value owning model m (freed with the value; on failure m is freed), or NULL. */
nd_value *nd_value_model(nd_model *m);

/* Returns the model object held by v, or NULL when v is not a model. */
nd_model_obj *nd_value_as_model(const nd_value *v);

/* Returns the workspace's current model (what `use` or `model` made current), or NULL. */
const nd_model *nd_ws_model(const nd_ws *ws);

/* Returns the stimulus in force for mo (its own or the model's default; caller frees) and
   the parameter it drives in *par; NULL when there is none (or memory ran out). */
nd_stim *nd_model_obj_stim(const nd_model_obj *mo, int *par);

/* Returns a value owning recording rec (freed with the value; on failure rec is freed),
   or NULL. Its fields: sweeps (a list of datasets, nd_rec_sweep_dataset), channels (the
   column names) and its metadata. */
nd_value *nd_value_recording(nd_recording *rec);

/* Returns the recording held by v, or NULL when v is not one. */
nd_recording *nd_value_as_recording(const nd_value *v);

/* Returns a value owning bifurcation result r (freed with the value; on failure r is
   freed), or NULL. */
nd_value *nd_value_bif(nd_bif_result *r);

/* Returns the bifurcation result held by v, or NULL when v is not one. */
nd_bif_result *nd_value_as_bif(const nd_value *v);

/* Returns a value owning the hybrid u (a `ude` or `node` network; freed with the value; on
   failure u is freed), or NULL. */
nd_value *nd_value_ude(nd_ude *u);

/* Returns the hybrid held by v, or NULL when v is not a network. */
nd_ude *nd_value_as_ude(const nd_value *v);

#endif
