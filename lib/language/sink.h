/* The output interface: the only way the interpreter talks to the outside world.
   The kernel turns these calls into Jupyter messages, the batch runner into terminal text. */
#ifndef ND_LANGUAGE_SINK_H
#define ND_LANGUAGE_SINK_H

#include "../base/bundle.h"

typedef enum nd_stream { ND_STREAM_OUT, ND_STREAM_ERR } nd_stream;

/* One slider of an `interact`: the name it binds, its range, step and current value. */
typedef struct nd_slider {
    const char *name;
    double lo, hi, step, value;
    int decimals;       /* digits after the point that show every value of the slider */
} nd_slider;

/* The sliders of one `interact`, offered to the front end. Moving slider k is answered by
   nd_interp_interact(interp, id, k, value, ...) (lib/language/interp.h). */
typedef struct nd_sliders {
    int id;                     /* the interact's number in the workspace */
    size_t n;
    const nd_slider *items;     /* borrowed for the duration of the call */
} nd_sliders;

typedef struct nd_sink {
    void *ctx;
    /* Appends text to the standard output or error stream of the cell. */
    void (*stream)(void *ctx, nd_stream which, const char *text);
    /* Shows a bundle. display_id NULL: a plain display. Otherwise update = 0 creates the
       display with that id, update = 1 replaces its content in place. */
    void (*display)(void *ctx, const nd_bundle *b, const char *display_id, int update);
    /* Shows the value of the cell (at most once per cell, after its other outputs). */
    void (*result)(void *ctx, const nd_bundle *b);
    /* Clears the cell's output; wait = 1 defers clearing until the next output arrives. */
    void (*clear)(void *ctx, int wait);
    /* Shows a bundle in the front end's pager (help text), outside the cell's output. */
    void (*page)(void *ctx, const nd_bundle *b);
    /* Shows sliders that re-run an interact's block when moved; returns 1 when the front
       end shows them, 0 when it cannot (a terminal). NULL means it cannot. */
    int (*sliders)(void *ctx, const nd_sliders *s);
    /* Asks the front end to end the session (exit, quit): a console closes, the kernel
       keeps running for other front ends. NULL where there is no session to end. */
    void (*end_session)(void *ctx);
} nd_sink;

#endif
