/* Headless runs: `neurodyn run FILE.nd` executes a file as one cell on a terminal. */
#ifndef ND_KERNEL_BATCH_H
#define ND_KERNEL_BATCH_H

#include <stdio.h>

/* Runs the file at path ("-" = standard input) as one cell: streams go to out and err,
   displays, results and help pages as their text/plain to out. With figures (a directory,
   created when missing; NULL: none) every figure shown is also written there as
   fig-001.svg and fig-001.png, fig-002 …, in the order shown, and a line on out says
   where; a display updated in place (training's live loss curve) keeps its number and its
   files end as its last state. Ctrl-C interrupts the running statement. On failure writes
   the traceback to err and returns 1; returns 0 on success. */
int nd_batch_run(const char *path, const char *figures, FILE *out, FILE *err);

/* Writes the Markdown reference of every command (docs/commands.md) to out; 0, or 1 with a
   message on err. */
int nd_batch_reference(FILE *out, FILE *err);

/* Writes the words of the language as JSON (commands, options, keywords, functions: what
   the highlighters of kernel.js and the Pygments lexer are built from); 0, or 1. */
int nd_batch_lexicon(FILE *out, FILE *err);

#endif
