/* Progress of long work (sweeps, training): one display, created on the first update and
   then replaced in place, throttled to a few updates per second. */
#ifndef ND_LANGUAGE_PROGRESS_H
#define ND_LANGUAGE_PROGRESS_H

#include "../base/bundle.h"
#include "commands.h"

typedef struct nd_progress {
    const nd_cmd_ctx *ctx;
    double start, last;   /* monotonic seconds: when the work started, the last update */
    int shown;            /* the display exists */
    char id[80];          /* its display_id */
} nd_progress;

/* Returns monotonic seconds. */
double nd_progress_now(void);

/* Starts timing work for ctx; the display id is prefix plus a token unique to the call. */
void nd_progress_init(nd_progress *pr, const nd_cmd_ctx *ctx, const char *prefix);

/* Returns 1 (and records the time) when an update is due: delay seconds after the start
   and every seconds after the previous update; else 0. */
int nd_progress_due(nd_progress *pr, double delay, double every);

/* Shows b in the progress display (creating it the first time); b stays the caller's. */
void nd_progress_show(nd_progress *pr, const nd_bundle *b);

/* Shows text alone in the progress display. */
void nd_progress_text(nd_progress *pr, const char *text);

/* Empties the progress display of finished work (a front end then shows nothing): whether
   it appeared at all depends on how long the work took, so it must not stay in a notebook
   whose outputs are compared when it is re-run. */
void nd_progress_end(nd_progress *pr);

#endif
