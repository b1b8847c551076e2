/* One script run by several processes at once (the ranks of an MPI job): the small
   interface the library sees, so that it never links MPI. Every rank runs the whole
   script; the work that is split (the points of a sweep, lib/learn/pool_dist.h) is
   exchanged so that every rank holds the whole result and goes on in step with the
   others. Rank 0 alone prints and writes files.

   The default is serial (one rank, nothing exchanged). The batch runner installs another
   implementation (the MPI plugin, kernel/mpi/) when it was launched by mpirun or srun;
   the Jupyter kernel never does. The exchanges are collective: every rank must make the
   same ones in the same order, which a deterministic script does; each exchange starts by
   comparing what the ranks are about to do (nd_dist_step), so that ranks that drift apart
   (a file only one machine can read) stop with an error instead of hanging. */
#ifndef ND_BASE_DIST_H
#define ND_BASE_DIST_H

#include <stddef.h>

#include "error.h"

/* The version of nd_dist that a plugin fills; a plugin of another version is refused. */
#define ND_DIST_ABI 1

typedef struct nd_dist {
    int abi;          /* ND_DIST_ABI */
    int rank, size;   /* this process, and how many there are (size >= 1) */
    void *impl;
    /* Puts every rank's `bytes` bytes from mine into all, in rank order (size * bytes);
       0, or -1 when the exchange failed. */
    int (*allgather)(void *impl, const void *mine, size_t bytes, void *all);
    /* Puts every rank's counts[r] doubles (mine holds counts[rank]) into all, in rank
       order; 0 or -1. */
    int (*allgatherv)(void *impl, const double *mine, const size_t *counts, double *all);
    /* Copies rank root's n doubles of x into x on every rank; 0 or -1. */
    int (*broadcast)(void *impl, double *x, size_t n, int root);
    /* Ends every rank of the run at once, after msg on stderr; never returns. For a state
       the ranks cannot agree on any more (an exchange that failed). */
    void (*abort)(void *impl, const char *msg);
    /* Kept by nd_dist_step: the exchanges so far, and whether the ranks fell out of step
       (then no exchange is tried again). The implementation sets both to 0. */
    size_t steps;
    int over;
} nd_dist;

/* Returns the serial implementation: rank 0 of 1, exchanges that copy. */
nd_dist *nd_dist_serial(void);

/* Makes d the process's distribution (NULL: serial). Called by the batch runner before a
   run, never while one is in progress; d must outlive its use. */
void nd_dist_use(nd_dist *d);

/* Returns the process's distribution (serial unless nd_dist_use said otherwise). */
nd_dist *nd_dist_current(void);

/* Returns 1 when this process prints and writes files (rank 0), else 0. */
int nd_dist_is_root(void);

/* Records that the ranks found an interrupt at an exchange (one of them was interrupted,
   say by a SIGINT sent to it alone): every rank then stops at its next statement, where a
   serial run that was interrupted stops. */
void nd_dist_set_interrupted(void);

/* Returns 1 after nd_dist_set_interrupted (until nd_dist_use starts another run), else 0. */
int nd_dist_interrupted(void);

/* What an exchange is about to do (compared across ranks by nd_dist_step). */
typedef enum nd_dist_kind {
    ND_DIST_POOL = 1,   /* a pool of points: a = points, b = values per point */
    ND_DIST_END = 2,    /* the end of the script (nd_dist_finish) */
    ND_DIST_TEXTS = 3   /* the texts of a pool's points: a = points */
} nd_dist_kind;

/* Starts a collective exchange on d: every rank says what it is about to do; ND_OK when
   all agree. Otherwise every rank learns it at once and the run is over for d (later
   steps fail without exchanging): when another rank stopped at an error, that error
   ("on rank R of N: …", with its code and place); else ND_EINTERNAL naming what each
   side was doing. */
nd_status nd_dist_step(nd_dist *d, nd_dist_kind kind, size_t a, size_t b, nd_error *err);

/* Ends a script on d with its status st (err holds its error when st != ND_OK): when
   every rank ended the same way the result is st; when this rank succeeded but another
   failed, that rank's error ("on rank R of N: …") fills err and is returned, so that rank
   0 reports it. Serially, st. */
nd_status nd_dist_finish(nd_dist *d, nd_status st, nd_error *err);

/* ---- crash notes: what this process is computing, for a report on a fatal signal ---- */

/* The most notes (one per worker thread). */
#define ND_DIST_NOTES 256
/* The longest note kept (longer ones are cut). */
#define ND_DIST_NOTE_CAP 200

/* Says that worker slot (< ND_DIST_NOTES) computes what text describes ("sweep point
   I=3, gK=36"). Called by the thread that does the work. */
void nd_dist_note_begin(unsigned slot, const char *text);

/* Says that worker slot finished its work. */
void nd_dist_note_end(unsigned slot);

/* Writes into buf (cap bytes, NUL-terminated) the notes in progress, "; "-separated, and
   returns their count. Async-signal-safe: for a handler of SIGSEGV and the like. */
size_t nd_dist_notes(char *buf, size_t cap);

#endif
