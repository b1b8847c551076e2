/* The forwarding sink sees nd_output through its ctx pointer. */
#include "output.h"

#include <stddef.h>

static void send_pending(nd_output *o, int as_result)
{
    nd_bundle *b = o->pending;
    if (!b) return;
    o->pending = NULL;
    if (o->target) {
        if (as_result && o->target->result) o->target->result(o->target->ctx, b);
        else if (!as_result && o->target->display) o->target->display(o->target->ctx, b, NULL, 0);
    }
    nd_bundle_free(b);
}

static void fwd_stream(void *ctx, nd_stream which, const char *text)
{
    nd_output *o = ctx;
    send_pending(o, 0);
    if (o->target && o->target->stream) o->target->stream(o->target->ctx, which, text);
}

static void fwd_display(void *ctx, const nd_bundle *b, const char *display_id, int update)
{
    nd_output *o = ctx;
    send_pending(o, 0);
    if (o->target && o->target->display) o->target->display(o->target->ctx, b, display_id, update);
}

static void fwd_result(void *ctx, const nd_bundle *b)
{
    /* A command never owns the cell's result; what it offers is shown like a value. */
    fwd_display(ctx, b, NULL, 0);
}

static void fwd_clear(void *ctx, int wait)
{
    nd_output *o = ctx;
    /* Clearing wipes what came before, including a value not yet sent. */
    nd_bundle_free(o->pending);
    o->pending = NULL;
    if (o->target && o->target->clear) o->target->clear(o->target->ctx, wait);
}

static void fwd_page(void *ctx, const nd_bundle *b)
{
    nd_output *o = ctx;
    if (o->target && o->target->page) o->target->page(o->target->ctx, b);
}

static int fwd_sliders(void *ctx, const nd_sliders *sl)
{
    nd_output *o = ctx;
    send_pending(o, 0);
    return o->target && o->target->sliders ? o->target->sliders(o->target->ctx, sl) : 0;
}

static void fwd_end_session(void *ctx)
{
    nd_output *o = ctx;
    if (o->target && o->target->end_session) o->target->end_session(o->target->ctx);
}

void nd_output_init(nd_output *o, const nd_sink *target)
{
    o->target = target;
    o->pending = NULL;
    o->sink = (nd_sink){o, fwd_stream, fwd_display, fwd_result, fwd_clear, fwd_page, fwd_sliders,
                        target && target->end_session ? fwd_end_session : NULL};
}

const nd_sink *nd_output_sink(nd_output *o)
{
    return &o->sink;
}

void nd_output_value(nd_output *o, nd_bundle *b)
{
    send_pending(o, 0);
    o->pending = b;
}

void nd_output_flush(nd_output *o)
{
    send_pending(o, 0);
}

void nd_output_finish(nd_output *o)
{
    send_pending(o, 1);
}
