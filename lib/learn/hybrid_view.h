/* A hybrid's equations as `show NET` prints them: its model as written, each term the
   network replaces reading "network(V, n)". (Apart from ude_view.c, which describes the
   network itself.) */
#ifndef ND_LEARN_HYBRID_VIEW_H
#define ND_LEARN_HYBRID_VIEW_H

#include "../base/bundle.h"
#include "ude.h"

/* Returns nd_model_equations of u's opened model with u's stimulus, each replaced term
   reading "network(IN1, IN2 …)" over u's inputs; NULL on ENOMEM. */
nd_bundle *nd_ude_equations(const nd_ude *u);

#endif
