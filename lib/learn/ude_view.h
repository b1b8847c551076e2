/* How a network (a `ude` or `node` hybrid) describes itself in the workspace: a one-line
   summary, a description and its machine-readable form. */
#ifndef ND_LEARN_UDE_VIEW_H
#define ND_LEARN_UDE_VIEW_H

#include <jansson.h>

#include "../base/bundle.h"
#include "../base/strbuf.h"
#include "ude.h"

/* Returns one line: kind, model, what is learned from what, size, training so far;
   malloc'ed, NULL on ENOMEM. */
char *nd_ude_view_summary(const nd_ude *u);

/* Appends the multi-line description: model, replaced terms, inputs, architecture,
   number of parameters, stimulus, training stages. */
void nd_ude_view_describe(const nd_ude *u, nd_sb *sb);

/* Returns the JSON object of docs/json-results.md ("type": "network"); NULL on ENOMEM. */
json_t *nd_ude_view_json(const nd_ude *u);

/* Returns the description as text/plain, text/html and JSON; NULL on ENOMEM. */
nd_bundle *nd_ude_view_bundle(const nd_ude *u);

#endif
