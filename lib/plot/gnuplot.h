/* Running gnuplot as a child process: no shell, script on stdin, images back through
   pipes, a time limit, and isolation from the kernel's interrupts. */
#ifndef ND_PLOT_GNUPLOT_H
#define ND_PLOT_GNUPLOT_H

#include <stddef.h>

#include "../base/error.h"

/* How long a render may take before gnuplot is killed. */
#define ND_FIG_GNUPLOT_TIMEOUT_MS 20000

/* What gnuplot wrote to /dev/fd/3 and /dev/fd/4 (each NUL-terminated for convenience). */
typedef struct nd_fig_output {
    char *fd3;
    size_t fd3_len;
    char *fd4;
    size_t fd4_len;
} nd_fig_output;

/* Runs "gnuplot -d" (found on PATH, reading no init file) in its own process group with
   script on stdin, collecting fds 3 and 4; kills it after timeout_ms. ND_EIO when gnuplot
   is missing, fails (with its first error line), is killed, times out, or leaves fd 3 (or,
   when with_png, fd 4) empty; the child is always reaped. out is zeroed on failure. */
nd_status nd_fig_gnuplot(const char *script, int timeout_ms, int with_png, nd_fig_output *out,
                         nd_error *err);

/* Frees the outputs and zeroes out. */
void nd_fig_output_free(nd_fig_output *out);

#endif
