/* The interpreter's sink for a Jupyter cell: outputs become iopub messages. */
#ifndef ND_KERNEL_DISPLAY_H
#define ND_KERNEL_DISPLAY_H

#include "server.h"

typedef struct nd_cell_output {
    nd_server *server;
    const nd_msg *parent;     /* the execute_request the outputs belong to */
    int silent;               /* silent cells publish nothing */
    int execution_count;
    char *result_text;        /* text/plain of the execute_result, kept for history */
    json_t *payload;          /* execute_reply payload list (pager pages, ask_exit) */
} nd_cell_output;

/* Returns a sink that publishes into out (which must outlive the sink's use). */
nd_sink nd_display_sink(nd_cell_output *out);

/* Frees what the sink collected (result text, payload). */
void nd_cell_output_clear(nd_cell_output *out);

/* Converts a bundle to a Jupyter data dict; JSON mime types are embedded as objects, and a
   figure's image/svg+xml becomes a text/html <img> of it (the PNG stays the fallback). */
json_t *nd_display_data(const nd_bundle *b);

#endif
