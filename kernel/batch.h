/* Headless runs: `neurodyn run FILE.nd` executes a file as one cell on a terminal. */
#ifndef ND_KERNEL_BATCH_H
#define ND_KERNEL_BATCH_H

#include <stddef.h>
#include <stdio.h>

/* What a batch run is given besides its file. */
typedef struct nd_batch_options {
    const char *figures;           /* directory for the figures' files, or NULL */
    const char *const *defines;    /* "NAME=VALUE" parameters (neurodyn run -D) */
    size_t ndefines;
} nd_batch_options;

/* Runs the file at path ("-" = standard input) as one cell: streams go to out and err,
   displays, results and help pages as their text/plain to out. opts may be NULL.
   Parameters (opts->defines) are bound first and pinned: the file's own NAME = VALUE for
   them is skipped with a note on err (interp.h, nd_interp_define). With opts->figures (a
   directory, created when missing) every figure shown is also written there as
   fig-001.svg and fig-001.png, fig-002 …, in the order shown, and a line on out says
   where; a display updated in place (training's live loss curve) keeps its number and its
   files end as its last state. Ctrl-C interrupts the running statement. On failure writes
   the traceback (or the bad parameter) to err and returns 1; returns 0 on success.
   In a distributed run (lib/base/dist.h: mpirun) every rank runs the file, rank 0 alone
   writes to out, err and the figure directory, and an error met by another rank alone
   is reported by rank 0 ("on rank R of N: …"). */
int nd_batch_run(const char *path, const nd_batch_options *opts, FILE *out, FILE *err);

/* Writes the Markdown reference of every command (docs/commands.md) to out; 0, or 1 with a
   message on err. */
int nd_batch_reference(FILE *out, FILE *err);

/* Writes the words of the language as JSON (commands, options, keywords, functions: what
   the highlighters of kernel.js and the Pygments lexer are built from); 0, or 1. */
int nd_batch_lexicon(FILE *out, FILE *err);

#endif
