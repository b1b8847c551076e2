/* Batched evaluation of a tree over all rows at once, node by node (one pass over the
   prefix array from the right, a stack of columns), with forward-mode derivatives by the
   constants carried alongside: each stack entry knows which constants it depends on, so
   a subtree without constants costs no derivative work. Constants stay scalars until
   they meet a column. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "symreg_impl.h"

typedef struct entry {
    int scalar;
    double s, ds[SR_MAX_CONSTS];     /* scalar value and derivatives */
    double *v;                       /* column value (rows) */
    double *d;                       /* column derivatives: constant k at d + k*rows */
    uint32_t dep;                    /* constants it depends on */
} entry;

int sr_scratch_init(sr_scratch *s, size_t rows)
{
    memset(s, 0, sizeof *s);
    s->rows = rows;
    s->buf = malloc((size_t)ND_SYMREG_MAX_SIZE * (1 + SR_MAX_CONSTS) * rows * sizeof(double));
    s->jac = malloc(SR_MAX_CONSTS * rows * sizeof(double));
    s->pred = malloc(rows * sizeof(double));
    s->tmp = malloc(4 * rows * sizeof(double));
    if (!s->buf || !s->jac || !s->pred || !s->tmp) {
        sr_scratch_free(s);
        return -1;
    }
    return 0;
}

void sr_scratch_free(sr_scratch *s)
{
    free(s->buf), free(s->jac), free(s->pred), free(s->tmp);
    memset(s, 0, sizeof *s);
}

/* f(a, b) with its partial derivatives (pa, pb) for the built-in operators. */
static double apply(const sr_op *op, double a, double b, double *pa, double *pb)
{
    double r;
    switch (op->code) {
    case SR_ADD: *pa = 1, *pb = 1; return a + b;
    case SR_SUB: *pa = 1, *pb = -1; return a - b;
    case SR_MUL: *pa = b, *pb = a; return a * b;
    case SR_DIV: r = a / b; *pa = 1 / b, *pb = -r / b; return r;
    case SR_POW: r = pow(a, b); *pa = b * pow(a, b - 1); *pb = r * log(a); return r;
    case SR_NEG: *pa = -1; return -a;
    case SR_EXP: r = exp(a); *pa = r; return r;
    case SR_LOG: *pa = 1 / a; return log(a);
    case SR_SQRT: r = sqrt(a); *pa = 0.5 / r; return r;
    case SR_SIN: *pa = cos(a); return sin(a);
    case SR_COS: *pa = -sin(a); return cos(a);
    case SR_TANH: r = tanh(a); *pa = 1 - r * r; return r;
    case SR_ABS: *pa = a < 0 ? -1 : 1; return fabs(a);
    case SR_INV: r = 1 / a; *pa = -r * r; return r;
    case SR_POW2: *pa = 2 * a; return a * a;
    case SR_POW3: *pa = 3 * a * a; return a * a * a;
    default: {
        double in[2] = {a, b}, out[3] = {0, 0, 0};
        nd_code_eval(op->fn, in, out);
        *pa = out[1];
        *pb = out[2];
        return out[0];
    }
    }
}

static double val(const entry *e, size_t i) { return e->scalar ? e->s : e->v[i]; }

static double der(const entry *e, int k, size_t i, size_t rows)
{
    if (!(e->dep >> k & 1)) return 0;
    return e->scalar ? e->ds[k] : e->d[(size_t)k * rows + i];
}

/* r = op(a, b) elementwise over n rows with the partials pa, pb (when jac); r may be a or
   b (each row is read before it is written). */
static void kernel(const sr_op *op, const double *a, const double *b, double *r, double *pa,
                   double *pb, size_t n, int jac)
{
    switch (op->code) {
    case SR_ADD:
        for (size_t i = 0; i < n; i++) r[i] = a[i] + b[i];
        if (jac) for (size_t i = 0; i < n; i++) pa[i] = 1, pb[i] = 1;
        return;
    case SR_SUB:
        for (size_t i = 0; i < n; i++) r[i] = a[i] - b[i];
        if (jac) for (size_t i = 0; i < n; i++) pa[i] = 1, pb[i] = -1;
        return;
    case SR_MUL:
        if (jac) for (size_t i = 0; i < n; i++) pa[i] = b[i], pb[i] = a[i];
        for (size_t i = 0; i < n; i++) r[i] = a[i] * b[i];
        return;
    case SR_DIV:
        for (size_t i = 0; i < n; i++) {
            double q = a[i] / b[i];
            if (jac) pa[i] = 1 / b[i], pb[i] = -q / b[i];
            r[i] = q;
        }
        return;
    case SR_POW2:
        if (jac) for (size_t i = 0; i < n; i++) pa[i] = 2 * a[i];
        for (size_t i = 0; i < n; i++) r[i] = a[i] * a[i];
        return;
    case SR_EXP:
        for (size_t i = 0; i < n; i++) r[i] = exp(a[i]);
        if (jac) memcpy(pa, r, n * sizeof *r);
        return;
    default:
        for (size_t i = 0; i < n; i++) {
            double p1 = 0, p2 = 0, v = apply(op, a[i], b ? b[i] : 0, &p1, &p2);
            if (jac) pa[i] = p1, pb[i] = p2;
            r[i] = v;
        }
    }
}

/* out = op(a[, b]); out may share storage with a (unary) or b (binary, the lower slot).
   tmp holds 4 × rows doubles. */
static void combine(const sr_op *op, const entry *a, const entry *b, entry *out, size_t rows,
                    int jac, double *tmp)
{
    uint32_t dep = jac ? a->dep | (b ? b->dep : 0) : 0;
    if (a->scalar && (!b || b->scalar)) {
        double pa = 0, pb = 0, r = apply(op, a->s, b ? b->s : 0, &pa, &pb);
        for (int k = 0; k < SR_MAX_CONSTS; k++)
            if (dep >> k & 1)
                out->ds[k] = pa * (a->dep >> k & 1 ? a->ds[k] : 0) +
                             (b && b->dep >> k & 1 ? pb * b->ds[k] : 0);
        out->scalar = 1;
        out->s = r;
        out->dep = dep;
        return;
    }
    double *av = tmp, *bv = tmp + rows, *pa = tmp + 2 * rows, *pb = tmp + 3 * rows;
    const double *x = a->v, *y = b ? b->v : NULL;
    if (a->scalar) {
        for (size_t i = 0; i < rows; i++) av[i] = a->s;
        x = av;
    }
    if (b && b->scalar) {
        for (size_t i = 0; i < rows; i++) bv[i] = b->s;
        y = bv;
    }
    kernel(op, x, y, out->v, pa, pb, rows, dep != 0);
    for (int k = 0; k < SR_MAX_CONSTS; k++) {
        if (!(dep >> k & 1)) continue;
        double *d = out->d + (size_t)k * rows;
        int ina = a->dep >> k & 1, inb = b && (b->dep >> k & 1);
        const double *da = ina && !a->scalar ? a->d + (size_t)k * rows : NULL;
        const double *db = inb && !b->scalar ? b->d + (size_t)k * rows : NULL;
        double sa = ina && a->scalar ? a->ds[k] : 0, sb = inb && b->scalar ? b->ds[k] : 0;
        for (size_t i = 0; i < rows; i++) {
            double ga = da ? da[i] : sa, gb = db ? db[i] : sb;
            d[i] = (ina ? pa[i] * ga : 0) + (inb ? pb[i] * gb : 0);
        }
    }
    out->scalar = 0;
    out->dep = dep;
}

int sr_eval(const sr_tree *t, const sr_ops *ops, const double *X, sr_scratch *s, int jac)
{
    size_t rows = s->rows, slot = (1 + SR_MAX_CONSTS) * rows;
    entry st[ND_SYMREG_MAX_SIZE], tmp;
    int cidx[ND_SYMREG_MAX_SIZE], nc = 0, sp = 0;
    for (int i = 0; i < t->n; i++) cidx[i] = t->nodes[i].kind == SR_CONST ? nc++ : -1;
    for (int i = t->n - 1; i >= 0; i--) {
        const sr_node *nd = &t->nodes[i];
        entry *e = &st[sp];
        e->v = s->buf + (size_t)sp * slot;
        e->d = e->v + rows;
        if (nd->kind == SR_CONST) {
            int k = cidx[i];
            e->scalar = 1;
            e->s = nd->c;
            e->dep = k < SR_MAX_CONSTS ? 1u << k : 0;
            if (k < SR_MAX_CONSTS) e->ds[k] = 1;
            sp++;
        } else if (nd->kind == SR_VAR) {
            e->scalar = 0;
            e->dep = 0;
            memcpy(e->v, X + (size_t)nd->var * rows, rows * sizeof(double));
            sp++;
        } else if (nd->arity == 1 && s->fncache && nd[1].kind == SR_VAR &&
                   s->fncache[(size_t)nd->op * s->nvars + nd[1].var]) {
            memcpy(st[sp - 1].v, s->fncache[(size_t)nd->op * s->nvars + nd[1].var],
                   rows * sizeof(double));
        } else if (nd->arity == 1) {
            /* In place: the operand is the top entry. */
            tmp = st[sp - 1];
            combine(&ops->op[nd->op], &tmp, NULL, &st[sp - 1], rows, jac, s->tmp);
        } else {
            /* First operand on top, second below; the result takes the lower slot. */
            tmp = st[sp - 1];
            entry *b = &st[sp - 2];
            entry bcopy = *b;
            combine(&ops->op[nd->op], &tmp, &bcopy, b, rows, jac, s->tmp);
            sp--;
        }
    }
    const entry *r = &st[0];
    for (size_t i = 0; i < rows; i++) {
        s->pred[i] = val(r, i);
        if (!isfinite(s->pred[i])) return -1;
    }
    if (jac)
        for (int k = 0; k < nc && k < SR_MAX_CONSTS; k++)
            for (size_t i = 0; i < rows; i++) {
                double d = der(r, k, i, rows);
                if (!isfinite(d)) return -1;
                s->jac[(size_t)k * rows + i] = d;
            }
    return 0;
}
