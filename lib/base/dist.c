/* The serial distribution, the step protocol every exchange starts with, and the crash
   notes. A step gathers one fixed-size header from every rank, so that it cannot hang or
   mismatch whatever the other ranks are doing; only when the headers agree does the
   caller exchange its payload (whose size the headers fixed). */
#include "dist.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- serial ---- */

static int serial_allgather(void *impl, const void *mine, size_t bytes, void *all)
{
    (void)impl;
    memmove(all, mine, bytes);
    return 0;
}

static int serial_allgatherv(void *impl, const double *mine, const size_t *counts, double *all)
{
    (void)impl;
    memmove(all, mine, counts[0] * sizeof *all);
    return 0;
}

static int serial_broadcast(void *impl, double *x, size_t n, int root)
{
    (void)impl, (void)x, (void)n, (void)root;
    return 0;
}

static void serial_abort(void *impl, const char *msg)
{
    /* Unreachable: a serial run never exchanges, so it never loses step. */
    (void)impl, (void)msg;
    abort();
}

static nd_dist serial = {ND_DIST_ABI, 0, 1, NULL, serial_allgather, serial_allgatherv,
                         serial_broadcast, serial_abort, 0, 0};

static nd_dist *current = &serial;
static atomic_int interrupted;

nd_dist *nd_dist_serial(void)
{
    return &serial;
}

void nd_dist_use(nd_dist *d)
{
    current = d ? d : &serial;
    atomic_store(&interrupted, 0);
}

void nd_dist_set_interrupted(void)
{
    atomic_store(&interrupted, 1);
}

int nd_dist_interrupted(void)
{
    return atomic_load(&interrupted);
}

nd_dist *nd_dist_current(void)
{
    return current;
}

int nd_dist_is_root(void)
{
    return current->rank == 0;
}

/* ---- steps ---- */

/* What one rank says at a step; the same layout on every rank (one binary). */
typedef struct header {
    int32_t kind;
    uint64_t step, a, b;
    nd_error err;       /* at ND_DIST_END: the rank's error, code ND_OK when none */
} header;

/* Says where a rank is: "the end of the script", "a pool of 1600 points × 1 values". */
static void describe(const header *h, char *buf, size_t cap)
{
    if (h->kind == ND_DIST_END) snprintf(buf, cap, "the end of the script");
    else if (h->kind == ND_DIST_TEXTS)
        snprintf(buf, cap, "the texts of a pool of %llu points", (unsigned long long)h->a);
    else snprintf(buf, cap, "a pool of %llu points × %llu values", (unsigned long long)h->a,
                  (unsigned long long)h->b);
}

/* Gathers every rank's header into *all (malloc'ed); aborts the run when the exchange
   itself fails, because the ranks can no longer know what the others did. */
static header *gather(nd_dist *d, nd_dist_kind kind, size_t a, size_t b, const nd_error *mine)
{
    header h;
    memset(&h, 0, sizeof h);   /* padding too: the bytes travel */
    h.kind = kind;
    h.step = d->steps++;
    h.a = a;
    h.b = b;
    if (mine) h.err = *mine;
    header *all = malloc((size_t)d->size * sizeof *all);
    if (!all) d->abort(d->impl, "neurodyn: out of memory in an exchange between ranks");
    if (d->allgather(d->impl, &h, sizeof h, all) != 0)
        d->abort(d->impl, "neurodyn: an exchange between ranks failed");
    return all;
}

/* The first rank other than d's own that stopped at an error, or -1. */
static int failed_rank(const nd_dist *d, const header *all)
{
    for (int r = 0; r < d->size; r++)
        if (r != d->rank && all[r].kind == ND_DIST_END && all[r].err.code != ND_OK) return r;
    return -1;
}

/* Fills err with rank r's error, said to be r's. */
static nd_status their_error(const nd_dist *d, const header *all, int r, nd_error *err)
{
    nd_error e = all[r].err;
    e.msg[sizeof e.msg - 1] = '\0';
    if (err) {
        *err = e;
        snprintf(err->msg, sizeof err->msg, "on rank %d of %d: %.450s", r, d->size, e.msg);
    }
    return e.code;
}

/* ND_OK when every header agrees with d's own rank's; else why not, from its view. */
static nd_status disagreement(const nd_dist *d, const header *all, nd_error *err)
{
    int r = failed_rank(d, all);
    if (r >= 0) return their_error(d, all, r, err);
    const header *me = &all[d->rank];
    int k = 0;
    while (k < d->size && all[k].kind == me->kind && all[k].step == me->step &&
           all[k].a == me->a && all[k].b == me->b)
        k++;
    if (k == d->size) return ND_OK;
    char mine[96], theirs[96];
    describe(me, mine, sizeof mine);
    describe(&all[k], theirs, sizeof theirs);
    return nd_error_fail(err, ND_EINTERNAL, "the ranks are out of step: rank %d is at %s "
                         "(exchange %llu), rank %d at %s (exchange %llu); every rank must run "
                         "the same script on the same data", d->rank, mine,
                         (unsigned long long)me->step, k, theirs,
                         (unsigned long long)all[k].step);
}

nd_status nd_dist_step(nd_dist *d, nd_dist_kind kind, size_t a, size_t b, nd_error *err)
{
    if (d->size <= 1) return ND_OK;
    if (d->over)
        return nd_error_fail(err, ND_EINTERNAL, "the run was stopped on another rank");
    header *all = gather(d, kind, a, b, NULL);
    nd_status st = disagreement(d, all, err);
    if (st != ND_OK) d->over = 1;   /* the others know it too: they saw the same headers */
    free(all);
    return st;
}

nd_status nd_dist_finish(nd_dist *d, nd_status st, nd_error *err)
{
    if (d->size <= 1 || d->over) return st;
    nd_error none = {0};
    header *all = gather(d, ND_DIST_END, 0, 0, st != ND_OK && err ? err : &none);
    d->over = 1;   /* nothing is exchanged after the end */
    if (st == ND_OK) {
        int r = failed_rank(d, all);
        int lost = 0;
        for (int k = 0; k < d->size; k++) lost |= all[k].kind != ND_DIST_END;
        if (r >= 0) st = their_error(d, all, r, err);
        else if (lost) st = disagreement(d, all, err);
    }
    free(all);
    return st;
}

/* ---- crash notes ---- */

static char notes[ND_DIST_NOTES][ND_DIST_NOTE_CAP];
static atomic_int busy[ND_DIST_NOTES];

void nd_dist_note_begin(unsigned slot, const char *text)
{
    if (slot >= ND_DIST_NOTES) return;
    atomic_store(&busy[slot], 0);
    size_t n = strlen(text);
    if (n >= ND_DIST_NOTE_CAP) n = ND_DIST_NOTE_CAP - 1;
    memcpy(notes[slot], text, n);
    notes[slot][n] = '\0';
    atomic_store(&busy[slot], 1);
}

void nd_dist_note_end(unsigned slot)
{
    if (slot < ND_DIST_NOTES) atomic_store(&busy[slot], 0);
}

size_t nd_dist_notes(char *buf, size_t cap)
{
    /* Plain loops only: this runs inside signal handlers. */
    size_t len = 0, count = 0;
    if (cap == 0) return 0;
    for (unsigned s = 0; s < ND_DIST_NOTES; s++) {
        if (!atomic_load(&busy[s])) continue;
        const char *sep = count ? "; " : "";
        for (const char *p = sep; *p && len + 1 < cap; p++) buf[len++] = *p;
        for (const char *p = notes[s]; *p && len + 1 < cap; p++) buf[len++] = *p;
        count++;
    }
    buf[len] = '\0';
    return count;
}
