/* N independent jobs producing fixed-size records of doubles, spread over the ranks of a
   distributed run (lib/base/dist.h) and, on each rank, over its threads (nd_pool_run):
   the one place where sweeps, ensembles (of fits and of networks) and CMA-ES generations
   are divided between processes. Every rank ends with every record, so that the script
   goes on identically everywhere; serially it is nd_pool_run with point names in its
   errors. */
#ifndef ND_LEARN_POOL_DIST_H
#define ND_LEARN_POOL_DIST_H

#include <stddef.h>

#include "../base/dist.h"
#include "../base/error.h"
#include "pool.h"

/* Names point i for messages ("sweep point I=3, gK=36") into buf (cap bytes); called from
   any worker thread, so it may only read shared data. */
typedef void (*nd_pool_label)(void *ctx, size_t i, char *buf, size_t cap);

/* Runs job as nd_pool_run does, point i on rank i mod d->size (neighbouring points, which
   cost alike, land on different ranks) and each rank's share on job->threads threads.
   Every rank returns the same out, done, *ndone, status and error: for failing points the
   error of the lowest failing one with its label in front ("sweep point I=3, gK=36: …",
   serially too); when the ranks are not all at this job, nd_dist_step's error. Progress
   counts this rank's points scaled to the total. With more than one rank, the crash notes
   (nd_dist_note_begin) name each point while it runs, so that a rank killed by a signal
   can say where. label may be NULL (points named by index). Called from inside a point
   of another distributed pool (a fit within an ensemble member), it runs serially on this
   rank (d ignored): that point is this rank's alone. */
nd_status nd_pool_run_dist(const nd_pool_job *job, nd_dist *d, nd_pool_label label,
                           void *label_ctx, double *out, unsigned char *done, size_t *ndone,
                           nd_error *err);

/* Gives every rank the texts of n points made by their owners (point i on rank
   i mod d->size, as nd_pool_run_dist places it): on entry texts[i] is a malloc'ed
   NUL-terminated string for this rank's points (NULL counts as ""), the others NULL; on
   return every texts[i] is set, on every rank (free each). For results that are more than
   a fixed-size record (a trained network as JSON). Collective. ND_OK, or nd_dist_step's
   error (texts unchanged). */
nd_status nd_pool_share_texts(nd_dist *d, size_t n, char **texts, nd_error *err);

#endif
