/* Running a program without a shell: argv as given, input and outputs through pipes served
   by one poll loop, in its own process group, under a time limit, always reaped. */
#ifndef ND_BASE_PROC_H
#define ND_BASE_PROC_H

#include <stddef.h>

#include "error.h"
#include "strbuf.h"

/* The most extra output pipes a program may get (on fds 3, 4, ...). */
#define ND_PROC_MAX_FDS 4

/* How to run a program. Zero-initialised: stdin /dev/null, stdout and stderr captured
   apart, no extra fds, no time limit, no output limit. */
typedef struct nd_proc_opts {
    const char *stdin_text;   /* fed to the child's stdin; NULL: stdin is /dev/null */
    size_t stdin_len;
    int nfds;                 /* extra output pipes on fds 3 .. 3 + nfds - 1 */
    int timeout_ms;           /* from the start, then the whole group is killed; <= 0: none */
    int merge_stderr;         /* stderr goes into out[1] with stdout, in the order written */
    size_t max_output;        /* bytes kept per output; 0: no limit */
    int stop_on_overflow;     /* past max_output the group is killed; else the rest is dropped */
} nd_proc_opts;

/* How a program ended and what it wrote. */
typedef struct nd_proc_result {
    int exit_code;            /* its exit status, or -1 when it did not exit normally */
    int signal;               /* the signal that killed it, or 0 */
    int timed_out;            /* it was killed (with its group) at the time limit */
    int overflow;             /* an output passed max_output (and the run was cut short when
                                 stop_on_overflow) */
    nd_sb out[3 + ND_PROC_MAX_FDS];   /* by the child's fd: [1] stdout, [2] stderr, [3..]
                                         the extra fds; [0] stays empty */
} nd_proc_result;

/* Returns the first executable `name` in PATH's directories (malloc'ed), or NULL. */
char *nd_proc_find(const char *name);

/* Runs path (searched with nd_proc_find when it has no '/') with argv, no shell, and fills
   r (always, to be freed with nd_proc_result_free). ND_OK when the program ran, however it
   ended (see r); ND_EIO when it is not installed or could not be started (err names
   argv[0]), ND_ENOMEM when its output did not fit in memory. Once the program has exited,
   what is left of its process group (a background job holding the pipes) is killed. The
   child is always reaped. */
nd_status nd_proc_run(const char *path, char *const argv[], const nd_proc_opts *o,
                      nd_proc_result *r, nd_error *err);

/* Frees r's outputs and leaves it empty. */
void nd_proc_result_free(nd_proc_result *r);

#endif
