/* An `interact`: a block the front end runs again whenever one of its sliders moves. The
   workspace keeps every interact (its parsed block, its sliders, the model they act on)
   because a slider message arrives long after the cell that made it has finished. */
#ifndef ND_LANGUAGE_INTERACT_H
#define ND_LANGUAGE_INTERACT_H

#include <stddef.h>
#include "../base/error.h"
#include "exec.h"
#include "sink.h"

typedef struct nd_interact {
    int id;                         /* unique in the process; set by nd_ws_add_interact */
    char *model;                    /* the model whose parameters sliders set, or NULL */
    nd_slider *sliders;             /* while the block runs, each value is bound to its
                                       name (owned, malloc'ed) */
    unsigned char *is_par;          /* 1: a parameter of the model; 0: a workspace name */
    size_t n;
    nd_program *prog;               /* the block, parsed once */
    char *src;                      /* the block's text, for locating errors of re-runs */
    int line, col;                  /* where src starts in its cell */
    size_t nslots;                  /* displays the first run made (updated in place later) */
    char key[64];                   /* names its displays; unique across kernel restarts */
} nd_interact;

/* What one run of the block showed, in order: each display, and the text of consecutive
   stream writes gathered into one text display. */
typedef struct nd_interact_outputs {
    nd_bundle **items;
    size_t n, cap;
    int text_open;      /* items[n - 1] is stream text that the next write extends */
    int oom;
} nd_interact_outputs;

/* Frees the interact and what it owns; NULL is allowed. */
void nd_interact_free(nd_interact *it);

/* Frees the bundles of o and empties it. */
void nd_interact_outputs_clear(nd_interact_outputs *o);

/* Runs it's block in ex's workspace with every slider's value bound (a parameter of the
   interact's model, which is current meanwhile, or a workspace number), collecting its
   outputs into out, then puts the parameters, names and current model back as they were.
   Fails like the block (located in its cell) or with NameError when the model is gone. */
nd_status nd_interact_run(const nd_exec *ex, nd_interact *it, nd_interact_outputs *out,
                          nd_error *err);

/* Shows a run's outputs as it's displays: the first of them a line with the sliders'
   values (application/vnd.neurodyn+json type "interact"), then out's items (at least one
   display, blank when there are none). update = 0 creates the displays and fixes their
   number (it->nslots); update = 1 replaces them in place: missing ones are blanked, extra
   ones folded into the last one as text. */
void nd_interact_show(const nd_sink *sink, nd_interact *it, const nd_interact_outputs *out,
                      int update);

/* Moves slider k of interact id (in ex's workspace) to value, clamped into its range
   (*applied receives the value used), runs the block again (figures in draft mode when
   quick) and replaces its displays in place through sink; a failure of the block is shown
   in place of its output and also returned. NameError when there is no interact id (never
   made, or long forgotten), ValueError for a bad k or a value that is not finite. */
nd_status nd_interact_move(const nd_exec *ex, int id, size_t k, double value, int quick,
                           const nd_sink *sink, double *applied, nd_error *err);

#endif
