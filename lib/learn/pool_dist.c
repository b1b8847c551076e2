/* A rank's share runs on the thread pool under a wrapper that maps its local indices to
   the job's (j -> rank + j * size), keeps the crash notes and remembers the lowest failing
   point; then one step (nd_dist_step), one gather of statuses and one of records. The
   same number of exchanges happens whatever went wrong, so that no rank waits for one
   that will not come. */
#include "pool_dist.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct share {
    const nd_pool_job *job;
    const nd_dist *d;
    nd_pool_label label;
    void *label_ctx;
    int notes;                 /* keep crash notes (more than one rank) */
    unsigned slots;            /* crash-note slots handed out (calling thread only) */
    size_t nlocal;
    atomic_size_t fail_at;     /* lowest failing point, SIZE_MAX: none */
} share;

typedef struct member {
    share *s;
    void *state;
    unsigned slot;
} member;

/* Set on a thread while it evaluates a point of a distributed pool: a pool started inside
   one (a CMA-ES generation of an ensemble member's fit) belongs to that point alone, so it
   runs serially on the rank instead of starting an exchange the other ranks never make. */
static _Thread_local int inside_point;

/* What each rank reports after its share. */
typedef struct report {
    int32_t status;
    uint64_t fail_at, ndone;
    nd_error err;
} report;

static void name_point(const share *s, size_t i, char *buf, size_t cap)
{
    if (s->label) s->label(s->label_ctx, i, buf, cap);
    else snprintf(buf, cap, "point %zu", i);
}

static void *member_new(void *ctx, nd_error *err)
{
    share *s = ctx;
    member *m = calloc(1, sizeof *m);
    if (!m) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    m->s = s;
    m->slot = s->slots++;
    m->state = s->job->ctx;
    if (s->job->worker_new && !(m->state = s->job->worker_new(s->job->ctx, err))) {
        free(m);
        return NULL;
    }
    return m;
}

static void member_free(void *ptr)
{
    member *m = ptr;
    if (!m) return;
    if (m->s->job->worker_free) m->s->job->worker_free(m->state);
    free(m);
}

static nd_status member_eval(void *ptr, size_t j, double *out, nd_error *err)
{
    member *m = ptr;
    share *s = m->s;
    size_t i = (size_t)s->d->rank + j * (size_t)s->d->size;
    if (s->notes) {
        char text[ND_DIST_NOTE_CAP];
        name_point(s, i, text, sizeof text);
        nd_dist_note_begin(m->slot, text);
    }
    int outer = inside_point;
    inside_point = 1;
    nd_status st = s->job->eval(m->state, i, out, err);
    inside_point = outer;
    if (s->notes) nd_dist_note_end(m->slot);
    if (st != ND_OK && st != ND_EINTERRUPT) {
        size_t seen = atomic_load(&s->fail_at);
        while (i < seen && !atomic_compare_exchange_weak(&s->fail_at, &seen, i)) {}
    }
    return st;
}

static void member_progress(void *ctx, size_t done, size_t total)
{
    const share *s = ctx;
    (void)total;
    size_t n = s->job->npoints, scaled = s->nlocal ? done * n / s->nlocal : n;
    s->job->progress(s->job->progress_ctx, scaled < n ? scaled : n, n);
}

/* The points of rank r: r, r + size, … below n. */
static size_t share_of(size_t n, int r, int size)
{
    return (size_t)r < n ? (n - (size_t)r + (size_t)size - 1) / (size_t)size : 0;
}

/* Runs this rank's share into rec (nlocal records of nout values then a done flag) and
   fills mine. */
static void run_share(share *s, double *rec, report *mine)
{
    const nd_pool_job *job = s->job;
    size_t nout = job->nout, w = nout + 1;
    double *vals = malloc((s->nlocal ? s->nlocal : 1) * nout * sizeof *vals);
    unsigned char *flags = malloc(s->nlocal ? s->nlocal : 1);
    nd_pool_job sub = *job;
    sub.npoints = s->nlocal;
    sub.worker_new = member_new;
    sub.worker_free = member_free;
    sub.eval = member_eval;
    sub.ctx = s;
    sub.progress = job->progress ? member_progress : NULL;
    sub.progress_ctx = s;
    size_t nd = 0;
    nd_status st = vals && flags ? nd_pool_run(&sub, vals, flags, &nd, &mine->err)
                                 : nd_error_fail(&mine->err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; j < s->nlocal; j++) {
        for (size_t k = 0; k < nout; k++) rec[j * w + k] = vals ? vals[j * nout + k] : NAN;
        rec[j * w + nout] = flags && flags[j];
    }
    size_t at = atomic_load(&s->fail_at);
    if (st != ND_OK && st != ND_EINTERRUPT && at != SIZE_MAX) {
        char name[ND_DIST_NOTE_CAP], msg[sizeof mine->err.msg];
        name_point(s, at, name, sizeof name);
        snprintf(msg, sizeof msg, "%s", mine->err.msg);
        snprintf(mine->err.msg, sizeof mine->err.msg, "%.199s: %.300s", name, msg);
    }
    mine->status = st;
    mine->fail_at = at;
    mine->ndone = nd;
    free(vals);
    free(flags);
}

/* The status every rank returns: the lowest failing point's error, else an interrupt
   (which every rank then also keeps for its next statement, nd_dist_set_interrupted). */
static nd_status agree(const report *all, int size, size_t npoints, size_t ndone, nd_error *err)
{
    int pick = -1;
    for (int r = 0; r < size; r++)
        if (all[r].status != ND_OK && all[r].status != ND_EINTERRUPT &&
            (pick < 0 || all[r].fail_at < all[pick].fail_at))
            pick = r;
    if (pick >= 0) {
        if (err) *err = all[pick].err;
        return (nd_status)all[pick].status;
    }
    for (int r = 0; r < size; r++)
        if (all[r].status == ND_EINTERRUPT) {
            if (size > 1) nd_dist_set_interrupted();
            return nd_error_fail(err, ND_EINTERRUPT, "interrupted after %zu of %zu points",
                                 ndone, npoints);
        }
    return ND_OK;
}

nd_status nd_pool_run_dist(const nd_pool_job *job, nd_dist *d, nd_pool_label label,
                           void *label_ctx, double *out, unsigned char *done, size_t *ndone,
                           nd_error *err)
{
    size_t n = job->npoints, w = job->nout + 1;
    for (size_t k = 0; k < n * job->nout; k++) out[k] = NAN;
    if (done) memset(done, 0, n);
    if (ndone) *ndone = 0;
    nd_dist alone;   /* a copy: its step count is this call's own, not shared by threads */
    if (inside_point) {
        alone = *nd_dist_serial();
        d = &alone;
    }
    nd_status st = nd_dist_step(d, ND_DIST_POOL, n, job->nout, err);
    if (st != ND_OK) return st;
    share s = {.job = job, .d = d, .label = label, .label_ctx = label_ctx,
               .notes = d->size > 1, .nlocal = share_of(n, d->rank, d->size)};
    atomic_init(&s.fail_at, SIZE_MAX);
    size_t *counts = malloc((size_t)d->size * sizeof *counts);
    report *all = calloc((size_t)d->size, sizeof *all);
    double *rec = malloc((s.nlocal ? s.nlocal : 1) * w * sizeof *rec);
    double *recs = malloc((n ? n : 1) * w * sizeof *recs);
    if (!counts || !all || !rec || !recs) {
        free(counts);
        free(all);
        free(rec);
        free(recs);
        /* Other ranks would wait for this one's records: it cannot simply return. */
        if (d->size > 1)
            d->abort(d->impl, "neurodyn: out of memory for the records of a distributed run");
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    report mine;
    memset(&mine, 0, sizeof mine);   /* padding too: the bytes travel */
    run_share(&s, rec, &mine);
    for (int r = 0; r < d->size; r++) counts[r] = share_of(n, r, d->size) * w;
    if (d->allgather(d->impl, &mine, sizeof mine, all) != 0 ||
        d->allgatherv(d->impl, rec, counts, recs) != 0)
        d->abort(d->impl, "neurodyn: an exchange between ranks failed");
    size_t total = 0;
    const double *block = recs;
    for (int r = 0; r < d->size; r++) {
        size_t m = share_of(n, r, d->size);
        for (size_t j = 0; j < m; j++) {
            size_t i = (size_t)r + j * (size_t)d->size;
            memcpy(out + i * job->nout, block + j * w, job->nout * sizeof *out);
            int fin = block[j * w + job->nout] != 0;
            if (done) done[i] = (unsigned char)fin;
            total += (size_t)fin;
        }
        block += m * w;
    }
    if (ndone) *ndone = total;
    st = agree(all, d->size, n, total, err);
    free(counts);
    free(all);
    free(rec);
    free(recs);
    return st;
}

/* Lengths first (one double per point, exact below 2^53), then the bytes of each rank's
   texts packed into doubles: the exchanges the vtable has. */
nd_status nd_pool_share_texts(nd_dist *d, size_t n, char **texts, nd_error *err)
{
    if (d->size <= 1) {
        for (size_t i = 0; i < n; i++)
            if (!texts[i] && !(texts[i] = calloc(1, 1)))
                return nd_error_fail(err, ND_ENOMEM, "out of memory");
        return ND_OK;
    }
    nd_status st = nd_dist_step(d, ND_DIST_TEXTS, n, 0, err);
    if (st != ND_OK) return st;
    size_t size = (size_t)d->size, mine = share_of(n, d->rank, d->size);
    size_t *counts = malloc(size * sizeof *counts);
    double *len = malloc((mine + 1) * sizeof *len), *lens = malloc((n + 1) * sizeof *lens);
    for (size_t j = 0; len && j < mine; j++) {
        const char *t = texts[(size_t)d->rank + j * size];
        len[j] = t ? (double)strlen(t) : 0;
    }
    if (!counts || !len || !lens)
        d->abort(d->impl, "neurodyn: out of memory for the texts of a distributed run");
    for (size_t r = 0; r < size; r++) counts[r] = share_of(n, (int)r, d->size);
    if (d->allgatherv(d->impl, len, counts, lens) != 0)
        d->abort(d->impl, "neurodyn: an exchange between ranks failed");
    /* lens is in rank order: rank r's points r, r + size, … */
    size_t total = 0, at = 0;
    for (size_t r = 0; r < size; r++) {
        size_t bytes = 0;
        for (size_t j = 0; j < counts[r]; j++) bytes += (size_t)lens[at++];
        counts[r] = (bytes + sizeof(double) - 1) / sizeof(double);
        total += counts[r];
    }
    double *out = calloc(counts[d->rank] + 1, sizeof *out), *all = malloc((total + 1) * sizeof *all);
    if (!out || !all) d->abort(d->impl, "neurodyn: out of memory for the texts of a distributed run");
    char *p = (char *)out;
    for (size_t j = 0; j < mine; j++) {
        const char *t = texts[(size_t)d->rank + j * size];
        memcpy(p, t ? t : "", (size_t)len[j]);
        p += (size_t)len[j];
    }
    if (d->allgatherv(d->impl, out, counts, all) != 0)
        d->abort(d->impl, "neurodyn: an exchange between ranks failed");
    const char *block = (const char *)all;
    at = 0;
    for (size_t r = 0; r < size; r++) {
        const char *q = block;
        for (size_t j = 0; j < share_of(n, (int)r, d->size); j++) {
            size_t i = r + j * size, l = (size_t)lens[at++];
            if (!texts[i] || (size_t)d->rank != r) {
                free(texts[i]);
                if (!(texts[i] = malloc(l + 1)))
                    d->abort(d->impl, "neurodyn: out of memory for the texts of a distributed run");
                memcpy(texts[i], q, l);
                texts[i][l] = '\0';
            }
            q += l;
        }
        block += counts[r] * sizeof(double);
    }
    free(counts);
    free(len);
    free(lens);
    free(out);
    free(all);
    return ND_OK;
}
