/* One island's evolution: tournament selection, a varied child (mutation or crossover),
   simplified and its constants fitted, replacing the oldest member (regularised
   evolution, as in SymbolicRegression.jl); the hall of fame keeps the best of each size.
   An island touches only its own state and random stream, so islands run on any thread. */
#include <math.h>
#include <string.h>

#include "symreg_impl.h"

enum { TOURNAMENT = 4, FIT_ITERS = 10, TRIES = 8, INIT_SIZE = 7 };

void sr_hof_clear(sr_hof *h)
{
    for (int k = 0; k <= ND_SYMREG_MAX_SIZE; k++) {
        h->best[k].n = 0;
        h->best[k].loss = NAN;
    }
}

void sr_hof_offer(sr_hof *h, const sr_tree *t)
{
    if (!isfinite(t->loss) || t->n < 1 || t->n > ND_SYMREG_MAX_SIZE) return;
    sr_tree *b = &h->best[t->n];
    if (isnan(b->loss) || t->loss < b->loss) *b = *t;
}

void sr_score(const sr_world *w, sr_tree *t)
{
    double nmse = t->loss / w->var_y;
    t->score = isfinite(nmse) ? log(fmax(nmse, 1e-20)) + w->o->parsimony * t->n : INFINITY;
}

/* A fitted constant that comes out as rounding noise (|c| < 1e-6) is set to 0 and the
   tree simplified and refitted, kept when the error does not grow: the exact form
   (q*Ef + B*v*q*sin(theta) rather than that plus 1e-17 terms) is then found at its size. */
static void snap(const sr_world *w, sr_island *isl, sr_tree *t, sr_scratch *s)
{
    int at = -1;
    for (int i = 0; i < t->n; i++)
        if (t->nodes[i].kind == SR_CONST && fabs(t->nodes[i].c) < 1e-6 &&
            (at < 0 || fabs(t->nodes[i].c) < fabs(t->nodes[at].c)))
            at = i;
    if (at < 0) return;
    sr_tree u = *t;
    u.nodes[at].c = 0;
    if (sr_simplify(&u, &w->ops, w->vars, w->nvars, w->o->maxsize) != 0 || u.n >= t->n ||
        !sr_units_ok(&u, &w->ops, w->dims))   /* c·V + n with c = 0 is V + n */
        return;
    isl->evals += sr_fit(&u, &w->ops, w->X, w->y, s, FIT_ITERS) > 0;
    if (u.loss <= t->loss * (1 + 1e-9) + 1e-30 * w->var_y) *t = u;
}

/* Simplifies and fits t, scores it, and offers it to the island's hall of fame. */
static void finish(const sr_world *w, sr_island *isl, sr_tree *t, sr_scratch *s)
{
    sr_simplify(t, &w->ops, w->vars, w->nvars, w->o->maxsize);
    if (!sr_units_ok(t, &w->ops, w->dims)) {   /* refused: never scored, never kept */
        t->loss = t->score = INFINITY;
        return;
    }
    isl->evals += sr_fit(t, &w->ops, w->X, w->y, s, FIT_ITERS) > 0;
    for (int k = 0; k < 3 && isfinite(t->loss); k++) {
        int n = t->n;
        snap(w, isl, t, s);
        if (t->n == n) break;
    }
    sr_score(w, t);
    sr_hof_offer(&isl->hof, t);
}

void sr_island_init(const sr_world *w, sr_island *isl, uint64_t seed, sr_scratch *s)
{
    nd_rng_seed(&isl->rng, seed);
    sr_hof_clear(&isl->hof);
    isl->clock = isl->evals = 0;
    int max = w->o->maxsize < INIT_SIZE ? w->o->maxsize : INIT_SIZE;
    for (size_t k = 0; k < isl->npop; k++) {
        sr_tree *t = &isl->pop[k];
        for (int tries = 0; tries < 20; tries++) {
            t->n = sr_random(&w->ops, (int)w->nvars, &isl->rng, max, t->nodes);
            if (sr_nesting_ok(t, &w->ops) && sr_units_ok(t, &w->ops, w->dims)) break;
        }
        t->birth = isl->clock++;
        finish(w, isl, t, s);
    }
}

static const sr_tree *tournament(sr_island *isl)
{
    const sr_tree *best = NULL;
    for (int k = 0; k < TOURNAMENT; k++) {
        const sr_tree *c = &isl->pop[nd_rng_next(&isl->rng) % isl->npop];
        if (!best || c->score < best->score) best = c;
    }
    return best;
}

static sr_tree *oldest(sr_island *isl)
{
    sr_tree *o = &isl->pop[0];
    for (size_t k = 1; k < isl->npop; k++)
        if (isl->pop[k].birth < o->birth) o = &isl->pop[k];
    return o;
}

int sr_island_run(const sr_world *w, sr_island *isl, int gens, sr_scratch *s,
                  const atomic_int *interrupt)
{
    sr_tree child;
    for (int g = 0; g < gens; g++) {
        if (interrupt && atomic_load(interrupt)) return 1;
        for (size_t k = 0; k < isl->npop; k++) {
            const sr_tree *parent = tournament(isl), *other = tournament(isl);
            int ok = 0;
            for (int tries = 0; tries < TRIES && !ok; tries++)
                ok = sr_vary(&w->ops, (int)w->nvars, w->o->maxsize, &isl->rng, parent, other,
                             &child) == 0;
            if (!ok) continue;
            finish(w, isl, &child, s);
            if (!isfinite(child.score)) continue;
            child.birth = isl->clock++;
            *oldest(isl) = child;
        }
    }
    return 0;
}

void sr_island_migrate(const sr_world *w, sr_island *isl, const sr_hof *h)
{
    const sr_tree *cand[ND_SYMREG_MAX_SIZE];
    int n = 0;
    double best = INFINITY;
    for (int k = 1; k <= w->o->maxsize; k++)
        if (h->best[k].n && h->best[k].loss < best) {
            best = h->best[k].loss;
            cand[n++] = &h->best[k];
        }
    if (!n) return;
    size_t m = isl->npop / 8 + 1;
    for (size_t j = 0; j < m; j++) {
        sr_tree t = *cand[nd_rng_next(&isl->rng) % (uint64_t)n];
        sr_score(w, &t);
        t.birth = isl->clock++;
        *oldest(isl) = t;
    }
}
