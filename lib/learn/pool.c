/* Workers claim points from a shared counter, so a slow point (a stiff corner of the
   grid) does not hold up a thread's whole share; each writes only its points' slots. The
   calling thread works too and is the only one that reports progress, because progress
   callbacks talk to the kernel's sockets, which are not thread-safe. */
#define _GNU_SOURCE
#include "pool.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/blas.h"

typedef struct shared {
    const nd_pool_job *job;
    double *out;
    unsigned char *done;
    atomic_size_t next, ndone;
    atomic_int stop;
    pthread_mutex_t lock;     /* guards the first failure below */
    size_t fail_at;           /* lowest failing point, SIZE_MAX: none */
    nd_error fail;
} shared;

typedef struct worker {
    shared *sh;
    void *state;
    int main_thread;
} worker;

unsigned nd_pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static int stopped(const shared *sh)
{
    return atomic_load(&sh->stop) || (sh->job->interrupt && atomic_load(sh->job->interrupt));
}

static void record_failure(shared *sh, size_t i, const nd_error *e)
{
    pthread_mutex_lock(&sh->lock);
    if (i < sh->fail_at) {
        sh->fail_at = i;
        sh->fail = *e;
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->stop, 1);
}

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const nd_pool_job *job = sh->job;
    while (!stopped(sh)) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= job->npoints) break;
        nd_error e = {0};
        nd_status st = job->eval(w->state, i, sh->out + i * job->nout, &e);
        if (st != ND_OK) {
            /* An interrupted point is unfinished, not failed: its slots go back to NAN. */
            for (size_t k = 0; k < job->nout; k++) sh->out[i * job->nout + k] = NAN;
            if (st != ND_EINTERRUPT) record_failure(sh, i, &e);
            else atomic_store(&sh->stop, 1);
            continue;
        }
        if (sh->done) sh->done[i] = 1;
        size_t d = atomic_fetch_add(&sh->ndone, 1) + 1;
        if (w->main_thread && job->progress) job->progress(job->progress_ctx, d, job->npoints);
    }
    return NULL;
}

nd_status nd_pool_run(const nd_pool_job *job, double *out, unsigned char *done, size_t *ndone,
                      nd_error *err)
{
    size_t total = job->npoints * job->nout;
    for (size_t k = 0; k < total; k++) out[k] = NAN;
    if (done) memset(done, 0, job->npoints);
    if (ndone) *ndone = 0;
    if (job->npoints == 0) return ND_OK;
    unsigned nt = job->threads ? job->threads : nd_pool_cores();
    if (nt > job->npoints) nt = (unsigned)job->npoints;
    worker *ws = calloc(nt, sizeof *ws);
    pthread_t *tid = calloc(nt, sizeof *tid);
    shared sh = {.job = job, .out = out, .done = done, .fail_at = SIZE_MAX};
    atomic_init(&sh.next, 0);
    atomic_init(&sh.ndone, 0);
    atomic_init(&sh.stop, 0);
    pthread_mutex_init(&sh.lock, NULL);
    nd_status st = ws && tid ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    unsigned made = 0;
    for (; st == ND_OK && made < nt; made++) {
        void *state = job->worker_new ? job->worker_new(job->ctx, err) : job->ctx;
        if (job->worker_new && !state) {
            st = err && err->code ? err->code : ND_ENOMEM;
            break;
        }
        ws[made] = (worker){&sh, state, made == 0};
    }
    unsigned started = 1;
    if (st == ND_OK) {
        /* One BLAS thread per worker: N workers each asking OpenBLAS for N threads would
           run N² threads on N cores. */
        if (nt > 1) nd_blas_threads(1);
        for (; started < nt; started++)
            if (pthread_create(&tid[started], NULL, work, &ws[started]) != 0) break;
        work(&ws[0]);
        for (unsigned k = 1; k < started; k++) pthread_join(tid[k], NULL);
        if (sh.fail_at != SIZE_MAX) {
            if (err) *err = sh.fail;
            st = sh.fail.code ? sh.fail.code : ND_ESOLVER;
        } else if (atomic_load(&sh.ndone) < job->npoints) {
            st = nd_error_fail(err, ND_EINTERRUPT, "interrupted after %zu of %zu points",
                               (size_t)atomic_load(&sh.ndone), job->npoints);
        }
    }
    if (job->worker_free)
        for (unsigned k = 0; k < made; k++) job->worker_free(ws[k].state);
    if (ndone) *ndone = atomic_load(&sh.ndone);
    pthread_mutex_destroy(&sh.lock);
    free(ws);
    free(tid);
    return st;
}
