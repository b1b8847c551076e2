/* The cell's output as the interpreter shapes it: a shown value is held back until it is
   known whether it is the cell's last (sent as the result) or not (sent as a display). */
#ifndef ND_LANGUAGE_OUTPUT_H
#define ND_LANGUAGE_OUTPUT_H

#include "../base/bundle.h"
#include "sink.h"

typedef struct nd_output {
    const nd_sink *target;   /* the caller's sink; NULL callbacks are skipped */
    nd_bundle *pending;      /* the latest value shown, not yet sent */
    nd_sink sink;            /* what commands write to: forwards to target in order */
} nd_output;

/* Starts output to target (which may be NULL: everything is dropped). */
void nd_output_init(nd_output *o, const nd_sink *target);

/* Returns the sink commands write to; any output through it first sends the pending
   value as a display, so outputs keep their order. */
const nd_sink *nd_output_sink(nd_output *o);

/* Shows a statement's value: the previous pending value goes out as a display and b
   (owned from now on) becomes pending. */
void nd_output_value(nd_output *o, nd_bundle *b);

/* Sends the pending value as a display (used when the cell fails). */
void nd_output_flush(nd_output *o);

/* Sends the pending value as the cell's result (used when the cell succeeds). */
void nd_output_finish(nd_output *o);

#endif
