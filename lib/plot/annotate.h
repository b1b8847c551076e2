/* Adding to a rendered figure what the caller knows about it: a caption under its text
   and a member of its JSON (a fit's RMS, a comparison's numbers). */
#ifndef ND_PLOT_ANNOTATE_H
#define ND_PLOT_ANNOTATE_H

#include <jansson.h>

#include "../base/bundle.h"

/* Appends caption to b's text/plain (on a new line when there is text already; NULL: no
   caption) and sets key to value (taken over; key NULL: nothing) in b's JSON object;
   0, or -1 on ENOMEM or when b's JSON is not an object. */
int nd_fig_annotate(nd_bundle *b, const char *caption, const char *key, json_t *value);

#endif
