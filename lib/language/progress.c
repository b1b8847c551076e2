/* The throttled in-place display of long work. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

double nd_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void nd_progress_init(nd_progress *pr, const nd_cmd_ctx *ctx, const char *prefix)
{
    pr->ctx = ctx;
    pr->start = pr->last = nd_progress_now();
    pr->shown = 0;
    snprintf(pr->id, sizeof pr->id, "%s-%p-%.6f", prefix, (const void *)ctx, pr->start);
}

int nd_progress_due(nd_progress *pr, double delay, double every)
{
    double t = nd_progress_now();
    if (t - pr->start < delay || (pr->shown && t - pr->last < every)) return 0;
    pr->last = t;
    return 1;
}

void nd_progress_show(nd_progress *pr, const nd_bundle *b)
{
    pr->ctx->sink->display(pr->ctx->sink->ctx, b, pr->id, pr->shown);
    pr->shown = 1;
}

void nd_progress_text(nd_progress *pr, const char *text)
{
    nd_bundle *b = nd_bundle_create();
    if (b && nd_bundle_set(b, "text/plain", text) == 0) nd_progress_show(pr, b);
    nd_bundle_free(b);
}

void nd_progress_end(nd_progress *pr)
{
    if (!pr->shown) return;
    nd_bundle *b = nd_bundle_create();
    if (b) nd_progress_show(pr, b);
    nd_bundle_free(b);
}
