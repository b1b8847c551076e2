/* gnuplot as a child process, run by lib/base/proc (no shell, own process group, one
   poll loop over every pipe, a time limit that kills the group, always reaped): the script
   goes in on stdin and the images come back on pipes at fds 3 and 4, so no temporary file
   can be left behind. A Jupyter interrupt does not reach gnuplot; a render is short and
   bounded by the time limit, so the interpreter notices the interrupt at its next safe
   point after the figure is done. */
#include "gnuplot.h"

#include <stdlib.h>
#include <string.h>

#include "../base/proc.h"

#define MAX_OUTPUT ((size_t)256 << 20)   /* a figure is never this big; stop a runaway */

/* gnuplot reports "line N: message" under an echo of the command; that line says most. */
static void first_error_line(const char *text, char *out, size_t cap)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (const char *p = text; *p; ) {
        size_t len = strcspn(p, "\n");
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t')) q++;
        size_t qlen = (size_t)(p + len - q);
        int numbered = strncmp(q, "line ", 5) == 0 && q[5] >= '0' && q[5] <= '9';
        if (qlen && (numbered || !best) && strncmp(q, "gnuplot>", 8) != 0 && *q != '^') {
            best = q;
            best_len = qlen;
            if (numbered) break;
        }
        p += len + (p[len] == '\n');
    }
    if (best_len >= cap) best_len = cap - 1;
    memcpy(out, best ? best : "", best_len);
    out[best_len] = '\0';
}

static nd_status judge(const nd_proc_result *r, int timeout_ms, int with_png, nd_error *err)
{
    char line[400];
    first_error_line(nd_sb_str(&r->out[2]), line, sizeof line);
    if (r->timed_out)
        return nd_error_fail(err, ND_EIO, "gnuplot did not finish within %g s and was stopped",
                             timeout_ms / 1000.0);
    if (r->overflow) return nd_error_fail(err, ND_EIO, "gnuplot produced too much output");
    if (r->signal)
        return nd_error_fail(err, ND_EIO, "gnuplot was killed by signal %d%s%s", r->signal,
                             *line ? ": " : "", line);
    if (r->exit_code != 0)
        return nd_error_fail(err, ND_EIO, "gnuplot failed: %s",
                             *line ? line : "it exited with an error and no message");
    if (r->out[3].len == 0 || (with_png && r->out[4].len == 0))
        return nd_error_fail(err, ND_EIO, "gnuplot produced no image%s%s",
                             *line ? ": " : "", line);
    return ND_OK;
}

nd_status nd_fig_gnuplot(const char *script, int timeout_ms, int with_png, nd_fig_output *out,
                         nd_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = nd_proc_find("gnuplot");
    if (!path)
        return nd_error_fail(err, ND_EIO,
                             "gnuplot is not installed (no 'gnuplot' on PATH): "
                             "apt-get install gnuplot-nox");
    char *const argv[] = {"gnuplot", "-d", NULL};
    nd_proc_opts o = {.stdin_text = script, .stdin_len = strlen(script), .nfds = 2,
                      .timeout_ms = timeout_ms, .max_output = MAX_OUTPUT,
                      .stop_on_overflow = 1};
    nd_proc_result r;
    nd_status st = nd_proc_run(path, argv, &o, &r, err);
    free(path);
    if (st == ND_OK) st = judge(&r, timeout_ms, with_png, err);
    if (st == ND_OK) {
        out->fd3_len = r.out[3].len;
        out->fd3 = nd_sb_take(&r.out[3]);
        out->fd4_len = r.out[4].len;
        out->fd4 = nd_sb_take(&r.out[4]);   /* never NULL: running out is ND_ENOMEM above */
    }
    nd_proc_result_free(&r);
    return st;
}

void nd_fig_output_free(nd_fig_output *out)
{
    free(out->fd3);
    free(out->fd4);
    memset(out, 0, sizeof *out);
}
