/* Trees in prefix order and the variations of genetic programming: random growth, point
   mutation, subtree replacement, insertion and deletion of a node, constant perturbation
   and subtree crossover (Koza 1992); and two structural moves, wrapping a subtree in an
   operator and its inverse and distributing a one-argument operator over a sum. */
#include <math.h>
#include <string.h>

#include "symreg_impl.h"

int sr_subtree_end(const sr_tree *t, int i)
{
    int need = 1;
    while (need > 0) need += t->nodes[i++].arity - 1;
    return i;
}

int sr_nconsts(const sr_tree *t)
{
    int k = 0;
    for (int i = 0; i < t->n; i++) k += t->nodes[i].kind == SR_CONST;
    return k;
}

int sr_splice(sr_tree *t, int i, int end, const sr_node *src, int n, int max)
{
    int newn = t->n - (end - i) + n;
    if (newn > max || newn < 1) return -1;
    memmove(&t->nodes[i + n], &t->nodes[end], (size_t)(t->n - end) * sizeof(sr_node));
    memcpy(&t->nodes[i], src, (size_t)n * sizeof(sr_node));
    t->n = newn;
    return 0;
}

static sr_node leaf(int nvars, nd_rng *rng)
{
    sr_node nd = {0};
    if (nvars > 0 && nd_rng_uniform(rng) < 0.6) {
        nd.kind = SR_VAR;
        nd.var = (uint16_t)(nd_rng_next(rng) % (uint64_t)nvars);
    } else {
        nd.kind = SR_CONST;
        nd.c = nd_rng_normal(rng);
    }
    return nd;
}

static int pick_op(const sr_ops *ops, nd_rng *rng, int want_arity)
{
    int cand[ND_SYMREG_MAX_OPS], n = 0;
    for (int k = 0; k < ops->nallowed; k++)
        if (want_arity == 0 || ops->op[ops->allowed[k]].arity == want_arity)
            cand[n++] = ops->allowed[k];
    return n ? cand[nd_rng_next(rng) % (uint64_t)n] : -1;
}

/* Grows a tree of at most max nodes by recursive descent, stopping at leaves with a
   probability that rises as the budget shrinks. */
static int grow(const sr_ops *ops, int nvars, nd_rng *rng, int max, sr_node *out)
{
    if (max < 2 || nd_rng_uniform(rng) < 2.0 / (max + 1)) {
        out[0] = leaf(nvars, rng);
        return 1;
    }
    int j = pick_op(ops, rng, max >= 3 ? 0 : 1);
    if (j < 0) {
        out[0] = leaf(nvars, rng);
        return 1;
    }
    out[0] = (sr_node){.kind = SR_OP, .op = (uint8_t)j, .arity = (uint8_t)ops->op[j].arity};
    int used = 1;
    int ar = ops->op[j].arity;
    for (int k = 0; k < ar; k++) {
        int budget = (max - used) - (ar - 1 - k);    /* room for the remaining leaves */
        if (ar == 2 && k == 0) budget = 1 + (int)(nd_rng_next(rng) % (uint64_t)budget);
        used += grow(ops, nvars, rng, budget, out + used);
    }
    return used;
}

int sr_random(const sr_ops *ops, int nvars, nd_rng *rng, int max, sr_node *out)
{
    return grow(ops, nvars, rng, max < 1 ? 1 : max, out);
}

static int random_node(const sr_tree *t, nd_rng *rng)
{
    return (int)(nd_rng_next(rng) % (uint64_t)t->n);
}

/* Changes one node into another of the same arity (operator, variable or constant). */
static int point(const sr_ops *ops, int nvars, nd_rng *rng, sr_tree *t)
{
    int i = random_node(t, rng);
    sr_node *nd = &t->nodes[i];
    if (nd->kind == SR_OP) {
        int j = pick_op(ops, rng, ops->op[nd->op].arity);
        if (j < 0) return -1;
        nd->op = (uint8_t)j;
    } else {
        *nd = leaf(nvars, rng);
    }
    return 0;
}

static int perturb(nd_rng *rng, sr_tree *t)
{
    int idx[ND_SYMREG_MAX_SIZE], n = 0;
    for (int i = 0; i < t->n; i++)
        if (t->nodes[i].kind == SR_CONST) idx[n++] = i;
    if (!n) return -1;
    sr_node *nd = &t->nodes[idx[nd_rng_next(rng) % (uint64_t)n]];
    double f = 1 + 0.5 * nd_rng_normal(rng);
    nd->c = nd_rng_uniform(rng) < 0.1 ? -nd->c : nd->c * f + 0.1 * nd_rng_normal(rng);
    return 0;
}

static int replace_subtree(const sr_ops *ops, int nvars, int maxsize, nd_rng *rng, sr_tree *t)
{
    int i = random_node(t, rng), end = sr_subtree_end(t, i);
    int room = maxsize - (t->n - (end - i));
    sr_node sub[ND_SYMREG_MAX_SIZE];
    int n = grow(ops, nvars, rng, room < 7 ? room : 7, sub);
    return sr_splice(t, i, end, sub, n, maxsize);
}

/* Wraps node i's subtree in a new operator: op(x) or op(x, leaf) / op(leaf, x). */
static int insert(const sr_ops *ops, int nvars, int maxsize, nd_rng *rng, sr_tree *t)
{
    int i = random_node(t, rng), end = sr_subtree_end(t, i);
    int j = pick_op(ops, rng, 0);
    if (j < 0) return -1;
    sr_node buf[ND_SYMREG_MAX_SIZE + 2];
    int n = 0, len = end - i;
    buf[n++] = (sr_node){.kind = SR_OP, .op = (uint8_t)j, .arity = (uint8_t)ops->op[j].arity};
    int leaf_first = ops->op[j].arity == 2 && nd_rng_uniform(rng) < 0.5;
    if (leaf_first) buf[n++] = leaf(nvars, rng);
    memcpy(buf + n, &t->nodes[i], (size_t)len * sizeof(sr_node));
    n += len;
    if (ops->op[j].arity == 2 && !leaf_first) buf[n++] = leaf(nvars, rng);
    return sr_splice(t, i, end, buf, n, maxsize);
}

/* Replaces an operator node by one of its operands. */
static int delete(const sr_ops *ops, nd_rng *rng, sr_tree *t)
{
    int idx[ND_SYMREG_MAX_SIZE], n = 0;
    for (int i = 0; i < t->n; i++)
        if (t->nodes[i].kind == SR_OP) idx[n++] = i;
    if (!n) return -1;
    int i = idx[nd_rng_next(rng) % (uint64_t)n], end = sr_subtree_end(t, i);
    int child = i + 1;
    if (ops->op[t->nodes[i].op].arity == 2 && nd_rng_uniform(rng) < 0.5)
        child = sr_subtree_end(t, child);
    int cend = sr_subtree_end(t, child);
    sr_node keep[ND_SYMREG_MAX_SIZE];
    memcpy(keep, &t->nodes[child], (size_t)(cend - child) * sizeof(sr_node));
    return sr_splice(t, i, end, keep, cend - child, ND_SYMREG_MAX_SIZE);
}

/* Replaces an operator's subtree by a constant (then fitted): removes what cancels out,
   am(V)/am(V) or x - x, which the simplifier leaves alone. */
static int collapse(nd_rng *rng, sr_tree *t)
{
    int idx[ND_SYMREG_MAX_SIZE], n = 0;
    for (int i = 0; i < t->n; i++)
        if (t->nodes[i].kind == SR_OP) idx[n++] = i;
    if (!n) return -1;
    int i = idx[nd_rng_next(rng) % (uint64_t)n];
    sr_node one = {.kind = SR_CONST, .c = 1};
    return sr_splice(t, i, sr_subtree_end(t, i), &one, 1, ND_SYMREG_MAX_SIZE);
}

/* The pairs f(g(x)) = x (for x where both are defined) that wrap can insert, outer first.
   Only sqrt(x^2): the other pairs do not survive to be distributed — the simplifier folds
   -(-x) at once, 1/(1/x) becomes a division, which distribute does not enter, and
   log(exp(x)) breaks the nesting rule. */
static const int inverse_pair[][2] = {{SR_SQRT, SR_POW2}};

static int allowed_code(const sr_ops *ops, int code)
{
    for (int k = 0; k < ops->nallowed; k++)
        if (ops->op[ops->allowed[k]].code == code) return ops->allowed[k];
    return -1;
}

/* Wraps a random node's subtree x in an operator and its inverse, f(g(x)), which leaves
   the value unchanged (for x ≥ 0): a neutral step after which distribute can move g inside
   x (x + y → sqrt((x + y)^2) → sqrt(x^2 + y^2)), a change no single mutation makes and
   whose intermediate forms are far less accurate than either end. */
static int wrap(const sr_ops *ops, int maxsize, nd_rng *rng, sr_tree *t)
{
    int pairs[sizeof inverse_pair / sizeof inverse_pair[0]][2], np = 0;
    for (size_t k = 0; k < sizeof inverse_pair / sizeof inverse_pair[0]; k++) {
        int f = allowed_code(ops, inverse_pair[k][0]), g = allowed_code(ops, inverse_pair[k][1]);
        if (f >= 0 && g >= 0) pairs[np][0] = f, pairs[np++][1] = g;
    }
    if (!np) return -1;
    int k = (int)(nd_rng_next(rng) % (uint64_t)np);
    int i = random_node(t, rng), end = sr_subtree_end(t, i), len = end - i;
    sr_node buf[ND_SYMREG_MAX_SIZE + 2];
    for (int j = 0; j < 2; j++)
        buf[j] = (sr_node){.kind = SR_OP, .op = (uint8_t)pairs[k][j], .arity = 1};
    memcpy(buf + 2, &t->nodes[i], (size_t)len * sizeof(sr_node));
    return sr_splice(t, i, end, buf, len + 2, maxsize);
}

/* Moves a one-argument operator into a sum or difference: g(a ± b) → g(a) ± g(b). Not an
   identity: a structural step (with wrap, how a norm sqrt(x^2 + y^2) grows from x + y). */
static int distribute(const sr_ops *ops, int maxsize, nd_rng *rng, sr_tree *t)
{
    int idx[ND_SYMREG_MAX_SIZE], n = 0;
    for (int i = 0; i + 1 < t->n; i++) {
        const sr_node *g = &t->nodes[i], *c = &t->nodes[i + 1];
        if (g->kind == SR_OP && g->arity == 1 && c->kind == SR_OP &&
            (ops->op[c->op].code == SR_ADD || ops->op[c->op].code == SR_SUB))
            idx[n++] = i;
    }
    if (!n) return -1;
    int i = idx[nd_rng_next(rng) % (uint64_t)n], end = sr_subtree_end(t, i);
    int a = i + 2, b = sr_subtree_end(t, a);
    sr_node buf[ND_SYMREG_MAX_SIZE + 1];
    int m = 0;
    buf[m++] = t->nodes[i + 1];
    buf[m++] = t->nodes[i];
    memcpy(buf + m, &t->nodes[a], (size_t)(b - a) * sizeof(sr_node));
    m += b - a;
    buf[m++] = t->nodes[i];
    memcpy(buf + m, &t->nodes[b], (size_t)(end - b) * sizeof(sr_node));
    m += end - b;
    return sr_splice(t, i, end, buf, m, maxsize);
}

static int crossover(int maxsize, nd_rng *rng, sr_tree *t, const sr_tree *other)
{
    int i = random_node(t, rng), end = sr_subtree_end(t, i);
    int j = random_node(other, rng), jend = sr_subtree_end(other, j);
    return sr_splice(t, i, end, &other->nodes[j], jend - j, maxsize);
}

/* exp, log, sqrt, sin, cos, tanh, pow and a model's functions: the operators that may not
   appear inside one another (exp(exp(x)), mInf(bm(V))), a restriction physics formulas
   rarely break that keeps the search from composing primitives into curve fitters. */
static int transcendental(const sr_node *nd, const sr_ops *ops)
{
    if (nd->kind != SR_OP) return 0;
    int c = ops->op[nd->op].code;
    return c == SR_FN || c == SR_EXP || c == SR_LOG || c == SR_SQRT || c == SR_SIN ||
           c == SR_COS || c == SR_TANH || c == SR_POW;
}

int sr_nesting_ok(const sr_tree *t, const sr_ops *ops)
{
    for (int i = 0; i < t->n; i++) {
        if (!transcendental(&t->nodes[i], ops)) continue;
        int end = sr_subtree_end(t, i);
        if (end - i - 1 > SR_MAX_ARG * t->nodes[i].arity) return 0;
        for (int j = i + 1; j < end; j++)
            if (transcendental(&t->nodes[j], ops)) return 0;
    }
    return 1;
}

int sr_vary(const sr_ops *ops, int nvars, int maxsize, nd_rng *rng, const sr_tree *parent,
            const sr_tree *other, sr_tree *t)
{
    *t = *parent;
    t->loss = t->score = NAN;
    double u = nd_rng_uniform(rng);
    int rc;
    if (other && u < 0.15) rc = crossover(maxsize, rng, t, other);
    else if (u < 0.35) rc = perturb(rng, t);
    else if (u < 0.55) rc = point(ops, nvars, rng, t);
    else if (u < 0.70) rc = insert(ops, nvars, maxsize, rng, t);
    else if (u < 0.78) rc = delete(ops, rng, t);
    else if (u < 0.86) rc = collapse(rng, t);
    else if (u < 0.90) rc = wrap(ops, maxsize, rng, t);
    else if (u < 0.94) rc = distribute(ops, maxsize, rng, t);
    else rc = replace_subtree(ops, nvars, maxsize, rng, t);
    return rc == 0 && sr_nesting_ok(t, ops) ? 0 : -1;
}

static int same_subtree(const sr_tree *t, int a, int b)
{
    int n = sr_subtree_end(t, a) - a;
    if (sr_subtree_end(t, b) - b != n) return 0;
    for (int k = 0; k < n; k++) {
        const sr_node *x = &t->nodes[a + k], *y = &t->nodes[b + k];
        if (x->kind != y->kind) return 0;
        if (x->kind == SR_CONST && x->c != y->c) return 0;
        if (x->kind == SR_VAR && x->var != y->var) return 0;
        if (x->kind == SR_OP && x->op != y->op) return 0;
    }
    return 1;
}

int sr_cancel(sr_tree *t, const sr_ops *ops)
{
    int done = 0;
    for (int i = 0; i < t->n; i++) {
        if (t->nodes[i].kind != SR_OP || t->nodes[i].arity != 2) continue;
        int code = ops->op[t->nodes[i].op].code;
        if (code != SR_DIV && code != SR_SUB) continue;
        int b = sr_subtree_end(t, i + 1);
        if (!same_subtree(t, i + 1, b)) continue;
        sr_node c = {.kind = SR_CONST, .c = code == SR_DIV ? 1 : 0};
        sr_splice(t, i, sr_subtree_end(t, i), &c, 1, ND_SYMREG_MAX_SIZE);
        done++;
    }
    return done;
}
