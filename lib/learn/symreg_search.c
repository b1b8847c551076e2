/* The search: islands evolving in parallel between migrations at fixed generations, with
   the merge of their halls of fame, the stop test and the progress report done on the
   calling thread in island order, so the thread count never changes the front.

   Under a distributed run (lib/base/dist.h) the islands are divided over the ranks by
   nd_pool_run_dist (island i on rank i mod size, every epoch, so an island's population
   and random stream never leave its rank); after each epoch every island's hall of fame
   travels to every rank as its record, so each rank merges the same halls in the same
   order, migrates the same way and ends with the serial run's front, byte for byte. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "pool_dist.h"
#include "symreg_impl.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct search {
    sr_world w;
    sr_island *isl;
    unsigned nisl;
    int gens;                  /* generations in the current epoch */
    int started;               /* the islands have been seeded */
    const atomic_int *interrupt;
} search;

typedef struct worker {
    search *s;
    sr_scratch scratch;
} worker;

static void *worker_new(void *ctx, nd_error *err)
{
    worker *wk = calloc(1, sizeof *wk);
    if (!wk || sr_scratch_init(&wk->scratch, ((search *)ctx)->w.rows) != 0) {
        free(wk);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    wk->s = ctx;
    wk->scratch.fncache = wk->s->w.fncache;
    wk->scratch.nvars = wk->s->w.nvars;
    return wk;
}

static void worker_free(void *p)
{
    worker *wk = p;
    if (!wk) return;
    sr_scratch_free(&wk->scratch);
    free(wk);
}

/* An island's record: its evaluations, then its hall of fame's bytes (the same build on
   every rank, so the bytes mean the same thing everywhere). */
enum { REC_HOF = 1 };
#define REC_SIZE (REC_HOF + (sizeof(sr_hof) + sizeof(double) - 1) / sizeof(double))

static nd_status island_eval(void *p, size_t i, double *out, nd_error *err)
{
    (void)err;
    worker *wk = p;
    search *s = wk->s;
    sr_island *isl = &s->isl[i];
    if (!s->started)
        sr_island_init(&s->w, isl, nd_rng_derive(s->w.o->seed, i), &wk->scratch);
    else
        sr_island_run(&s->w, isl, s->gens, &wk->scratch, s->interrupt);
    out[0] = (double)isl->evals;
    memcpy(out + REC_HOF, &isl->hof, sizeof isl->hof);
    return ND_OK;
}

static void island_label(void *ctx, size_t i, char *buf, size_t cap)
{
    (void)ctx;
    snprintf(buf, cap, "symreg island %zu", i + 1);
}

/* Runs one epoch of every island (on this rank's threads, or over the ranks) and gives
   every rank every island's hall of fame and evaluation count. An island another rank
   evolved keeps a stale population here, which is never used: it stays that rank's. */
static nd_status epoch(search *s, nd_pool_job *job, double *recs, nd_error *err)
{
    nd_status st = nd_pool_run_dist(job, nd_dist_current(), island_label, NULL, recs, NULL,
                                    NULL, err);
    for (unsigned i = 0; i < s->nisl; i++) {
        const double *r = recs + (size_t)i * REC_SIZE;
        if (isnan(r[0])) continue;   /* not finished (an interrupt): kept as it was */
        s->isl[i].evals = (long)r[0];
        memcpy(&s->isl[i].hof, r + REC_HOF, sizeof s->isl[i].hof);
    }
    return st;
}

static nd_status check(const nd_symreg_options *o, size_t rows, size_t nvars, nd_error *err)
{
    if (o->maxsize < 3 || o->maxsize > ND_SYMREG_MAX_SIZE)
        return nd_error_fail(err, ND_EVALUE, "maxsize must be from 3 to %d nodes",
                             ND_SYMREG_MAX_SIZE);
    if (o->iters < 1 || o->islands < 1 || o->islands > 256 || o->population < 4 ||
        o->population > 100000 || o->migrate_every < 1)
        return nd_error_fail(err, ND_EVALUE, "iters, islands (1..256), population (>= 4) and "
                             "migrate_every must be positive");
    if (!(o->parsimony >= 0) || !(o->stop_error >= 0))
        return nd_error_fail(err, ND_EVALUE, "parsimony and stop_error must be >= 0");
    if (nvars < 1 || nvars > ND_SYMREG_MAX_VARS)
        return nd_error_fail(err, ND_EVALUE, "symreg needs 1 to %d inputs, not %zu",
                             ND_SYMREG_MAX_VARS, nvars);
    if (rows < 5)
        return nd_error_fail(err, ND_EVALUE, "too few samples: %zu rows (at least 5)", rows);
    return ND_OK;
}

/* The search rows: all of them, or max_rows evenly spaced; X column-major. */
static nd_status pick_rows(search *s, const double *X, const double *y, size_t rows,
                           size_t nvars, size_t max_rows, double **Xc, double **yc,
                           nd_error *err)
{
    size_t m = max_rows && rows > max_rows ? max_rows : rows;
    *Xc = malloc(m * nvars * sizeof(double));
    *yc = malloc(m * sizeof(double));
    if (!*Xc || !*yc) return nd_error_fail(err, ND_ENOMEM, "out of memory");
    double mean = 0, var = 0;
    for (size_t k = 0; k < m; k++) {
        size_t r = m == rows ? k : (size_t)((double)k * (double)rows / (double)m);
        for (size_t j = 0; j < nvars; j++) (*Xc)[j * m + k] = X[r * nvars + j];
        (*yc)[k] = y[r];
        mean += y[r];
    }
    mean /= (double)m;
    for (size_t k = 0; k < m; k++) var += ((*yc)[k] - mean) * ((*yc)[k] - mean);
    s->w.rows = m;
    s->w.var_y = fmax(var / (double)m, 1e-300);
    return ND_OK;
}

/* Every one-argument model function at every input, over the search rows. */
static int cache_functions(sr_world *w, double **store)
{
    size_t n = (size_t)w->ops.nop * w->nvars;
    w->fncache = calloc(n, sizeof *w->fncache);
    *store = malloc(n * w->rows * sizeof(double));
    if (!w->fncache || !*store) return -1;
    for (int j = 0; j < w->ops.nop; j++) {
        const sr_op *op = &w->ops.op[j];
        if (op->code != SR_FN || op->arity != 1) continue;
        for (size_t v = 0; v < w->nvars; v++) {
            double *col = *store + ((size_t)j * w->nvars + v) * w->rows;
            for (size_t i = 0; i < w->rows; i++) {
                double out[2];
                nd_code_eval(op->fn, &w->X[v * w->rows + i], out);
                col[i] = out[0];
            }
            w->fncache[(size_t)j * w->nvars + v] = col;
        }
    }
    return 0;
}

/* Merges every island's hall of fame into h, in island order, and prunes the exact
   expressions (relative error below 1e-9) on the calling thread. */
static void merge(const search *s, sr_hof *h, sr_scratch *scratch)
{
    for (unsigned i = 0; i < s->nisl; i++)
        for (int k = 1; k <= s->w.o->maxsize; k++) sr_hof_offer(h, &s->isl[i].hof.best[k]);
    for (int k = 1; k <= s->w.o->maxsize; k++) {
        sr_tree t = h->best[k];
        if (!t.n || !(t.loss < 1e-18 * s->w.var_y)) continue;
        sr_prune(&s->w, &t, scratch);
        sr_hof_offer(h, &t);
    }
}

enum { PATIENCE = 5 };

/* 1 when an expression below stop_error has existed for PATIENCE migrations without a
   smaller one below it appearing (so the search gets to shrink a bloated exact form). */
static int reached(const search *s, const sr_hof *h, int *smallest, int *waited)
{
    if (s->w.o->stop_error <= 0) return 0;
    int k = 1;
    while (k <= s->w.o->maxsize &&
           !(h->best[k].n && sqrt(h->best[k].loss / s->w.var_y) < s->w.o->stop_error))
        k++;
    if (k > s->w.o->maxsize) return 0;
    if (k < *smallest) {
        *smallest = k;
        *waited = 0;
        return 0;
    }
    return ++*waited >= PATIENCE;
}

nd_symreg_result *nd_symreg_run(const double *X, const double *y, size_t rows,
                                const char *const *vars, size_t nvars,
                                const nd_symreg_options *o, nd_error *err)
{
    if (check(o, rows, nvars, err) != ND_OK) return NULL;
    for (size_t i = 0; i < rows * nvars; i++)
        if (!isfinite(X[i])) {
            nd_error_fail(err, ND_EVALUE, "input %s is not finite at row %zu", vars[i % nvars],
                          i / nvars + 1);
            return NULL;
        }
    for (size_t i = 0; i < rows; i++)
        if (!isfinite(y[i])) {
            nd_error_fail(err, ND_EVALUE, "the target is not finite at row %zu", i + 1);
            return NULL;
        }
    search s;
    memset(&s, 0, sizeof s);
    sr_scratch scratch = {0};
    s.w.o = o;
    s.w.vars = vars;
    s.w.nvars = nvars;
    s.interrupt = o->interrupt;
    if (sr_ops_build(&s.w.ops, o, err) != ND_OK) return NULL;
    sr_dim dims[ND_SYMREG_MAX_VARS];
    if (o->units) {
        sr_dims_from_units(o->units, nvars, dims);
        s.w.dims = dims;
    }
    double *Xc = NULL, *yc = NULL, *fnstore = NULL, t0 = now();
    nd_symreg_result *res = NULL;
    sr_hof *h = malloc(sizeof *h);
    sr_tree *pool_trees = NULL;
    s.nisl = o->islands;
    s.isl = calloc(s.nisl, sizeof *s.isl);
    pool_trees = calloc(s.nisl * o->population, sizeof(sr_tree));
    if (!h || !s.isl || !pool_trees) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        goto done;
    }
    if (pick_rows(&s, X, y, rows, nvars, o->max_rows, &Xc, &yc, err) != ND_OK) goto done;
    s.w.X = Xc;
    s.w.y = yc;
    if (cache_functions(&s.w, &fnstore) != 0 || sr_scratch_init(&scratch, s.w.rows) != 0) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        goto done;
    }
    scratch.fncache = s.w.fncache;
    scratch.nvars = nvars;
    for (unsigned i = 0; i < s.nisl; i++) {
        s.isl[i].pop = pool_trees + (size_t)i * o->population;
        s.isl[i].npop = o->population;
    }
    sr_hof_clear(h);
    double *recs = malloc((size_t)s.nisl * REC_SIZE * sizeof(double));
    nd_pool_job job = {.npoints = s.nisl, .nout = REC_SIZE, .threads = o->threads,
                       .worker_new = worker_new, .worker_free = worker_free,
                       .eval = island_eval, .ctx = &s};
    long done_gens = 0;
    int interrupted = 0, early = 0, smallest = ND_SYMREG_MAX_SIZE + 1, waited = 0;
    nd_status st = recs ? epoch(&s, &job, recs, err)
                        : nd_error_fail(err, ND_ENOMEM, "out of memory");
    s.started = 1;
    if (st == ND_OK) merge(&s, h, &scratch);
    while (st == ND_OK && done_gens < o->iters && !(early = reached(&s, h, &smallest, &waited))) {
        s.gens = (int)(o->iters - done_gens < o->migrate_every ? o->iters - done_gens
                                                                 : o->migrate_every);
        job.interrupt = o->interrupt;
        st = epoch(&s, &job, recs, err);
        merge(&s, h, &scratch);
        if (st == ND_EINTERRUPT || (o->interrupt && atomic_load(o->interrupt))) {
            interrupted = 1;
            st = ND_OK;
            break;
        }
        if (st != ND_OK) break;
        done_gens += s.gens;
        for (unsigned i = 0; i < s.nisl; i++) sr_island_migrate(&s.w, &s.isl[i], h);
        if (o->progress) {
            nd_symreg_result *snap = sr_result_build(&s.w, h, NULL, NULL, 0);
            if (snap) o->progress(o->progress_ctx, snap, done_gens, o->iters);
            nd_symreg_result_free(snap);
        }
    }
    free(recs);
    if (st != ND_OK) goto done;
    if (!(res = sr_result_build(&s.w, h, X, y, rows))) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        goto done;
    }
    res->generations = done_gens;
    for (unsigned i = 0; i < s.nisl; i++) res->evaluations += s.isl[i].evals;
    res->interrupted = interrupted;
    res->stopped_early = early;
    res->seconds = now() - t0;
done:
    sr_ops_free(&s.w.ops);
    free(Xc), free(yc), free(h), free(s.isl), free(pool_trees), free(fnstore);
    free(s.w.fncache);
    sr_scratch_free(&scratch);
    return res;
}
