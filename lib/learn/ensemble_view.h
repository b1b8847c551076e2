/* The spread of named numbers over the members of an ensemble — SINDy coefficients of
   each member's learned term, a fit's parameters per member — as a table of mean ± SD,
   range and how often each is nonzero, beside an optional single-model value (e.g. a
   fit's standard error); text, HTML and the JSON of docs/json-results.md. */
#ifndef ND_LEARN_ENSEMBLE_VIEW_H
#define ND_LEARN_ENSEMBLE_VIEW_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/fields.h"

typedef struct nd_ens_spread {
    const char *type;            /* the JSON "type" ("sindy ensemble", "fit ensemble") */
    const char *title;           /* the first line of the text */
    const char *const *names;    /* p names */
    size_t p, n;                 /* names, members */
    const double *v;             /* n × p values, member-major */
    const char *extra_name;      /* a column beside the spread (NULL: none) … */
    const double *extra;         /* … p values (e.g. "single-fit SE") */
} nd_ens_spread;

/* Writes the mean, sample SD and the number of nonzero members' values of name i of s
   into mean, sd, nonzero (p each; non-finite values left out). */
void nd_ens_spread_stats(const nd_ens_spread *s, double *mean, double *sd, size_t *nonzero);

/* The table of s; NULL on ENOMEM. */
nd_bundle *nd_ens_spread_view(const nd_ens_spread *s);

/* The values s exposes (of type s->type): terms (the names), coefficients (each member's
   values, a list of vectors), members, and each name's mean, sd and nonzero as
   nd_ens_spread_stats gives them; NULL on ENOMEM. */
nd_fields *nd_ens_spread_fields(const nd_ens_spread *s);

#endif
