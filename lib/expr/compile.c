/* The compiler of model expressions.

   Design. All expressions of a model (every right-hand side, every term) are lowered
   into ONE directed acyclic graph of operations, hash-consed: a node is looked up before
   it is made, so a subexpression that occurs twice, in one expression or across outputs
   (V + 65 in three HH rates), exists once and is computed once. Commutative operands are
   ordered by node id so that a + b and b + a meet. Operands always exist before the node
   that reads them, so id order is an evaluation order.

   While lowering, local rewrites pick cheaper operations without changing any result
   (IEEE double, the same libm calls as the tree evaluator treeval.c, which the unit tests
   compare against bit for bit):
     - constants fold with the tree evaluator's own arithmetic;
     - an operation with one constant operand becomes an immediate form (x + k, x * k,
       x / k, k - x, k / x), and (x + k) * k2, (x + k) / k2 take one instruction (the
       argument of nearly every rate function: exp(-(V + 65) / 18));
     - x - k is x + (-k); x / 2^n is x * 2^-n; -(x) * k is x * (-k); x / -y is -x / y
       when x can absorb the sign; x * 1 is x, x * -1 is -x, -(-x) is x; a + (-b) is
       a - b: all exact identities;
     - x^n for an integer |n| <= 16 is a chain of multiplications (squaring), which may
       differ from pow() in the last bit or two;
     - 1 - exp(z) becomes -(exp(z) - 1) and exp(z) - 1 is computed by expm1 where |z| <
       0.7: this changes the value, on purpose, where the naive form cancels (HH's
       alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10)) near V = -40); elsewhere it
       is the naive value exactly, at the cost of one exp (libm's expm1 is 4x slower).
   After lowering, a product read only by one sum or difference is fused with it
   (a * b + c, a * b - c, c - a * b; still two roundings, so still exact), and only the
   nodes reachable from the outputs are kept. They are then ordered by depth (longest
   path from the inputs) so that independent chains interleave and the CPU overlaps a
   slow division or exp with the next chain's work. Registers are assigned by a linear
   scan that reuses a register once its value's last reader has run, so the register
   file of a large model stays small and hot in cache.

   The program is a flat array of 32-byte instructions (op, destination, up to three
   operand registers, two immediates or a function), preceded by a gather of the input
   slots into registers and followed by a scatter of the outputs. vm.c runs it with
   threaded dispatch over a register file on the stack: no allocation and no mutable
   state in nd_code, so many threads may evaluate one program. A 0/0 met at run time is
   repaired there, off the fast path (see vm.c).

   Native code. The same instruction list is then printed as C, built by the system's cc
   and loaded (native.c): nd_code_eval runs that machine code instead of the loop, with
   bit-identical results, and falls back to the loop when no compiler is at hand. */
#include "compile.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "functions.h"
#include "native.h"
#include "vm.h"

enum { OP_INPUT = VM_NOPS };    /* a node reading slot `slot` (loaded by the prologue) */

/* Integer powers up to this exponent become multiplications. */
enum { MAX_POWI = 16 };

typedef struct dnode {
    int op;
    int a, b, c;                /* operand node ids, -1 when unused */
    double k, k2;
    const nd_func *f;
    int slot;
} dnode;

typedef struct builder {
    dnode *nodes;
    size_t n, cap;
    int *hash;                  /* open addressing over node ids, -1 = empty */
    size_t hcap;
    nd_resolve_fn resolve;
    void *ctx;
    nd_error *err;
} builder;

/* ---- the hash-consed node table ---- */

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t node_hash(const dnode *d)
{
    uint64_t kb, kb2;
    memcpy(&kb, &d->k, sizeof kb);
    memcpy(&kb2, &d->k2, sizeof kb2);
    uint64_t h = mix(kb2, (uint64_t)d->op);
    h = mix(h, (uint64_t)(uint32_t)d->a);
    h = mix(h, (uint64_t)(uint32_t)d->b);
    h = mix(h, (uint64_t)(uint32_t)d->c);
    h = mix(h, kb);
    h = mix(h, (uint64_t)(uintptr_t)d->f);
    return mix(h, (uint64_t)(uint32_t)d->slot);
}

static int node_equal(const dnode *x, const dnode *y)
{
    return x->op == y->op && x->a == y->a && x->b == y->b && x->c == y->c &&
           memcmp(&x->k, &y->k, sizeof x->k) == 0 && memcmp(&x->k2, &y->k2, sizeof x->k2) == 0 &&
           x->f == y->f && x->slot == y->slot;
}

static int oom(builder *B)
{
    nd_error_fail(B->err, ND_ENOMEM, "out of memory while compiling");
    return -1;
}

static int rehash(builder *B)
{
    size_t cap = B->hcap ? 2 * B->hcap : 256;
    int *h = malloc(cap * sizeof *h);
    if (!h) return -1;
    for (size_t i = 0; i < cap; i++) h[i] = -1;
    for (size_t id = 0; id < B->n; id++) {
        size_t i = node_hash(&B->nodes[id]) & (cap - 1);
        while (h[i] >= 0) i = (i + 1) & (cap - 1);
        h[i] = (int)id;
    }
    free(B->hash);
    B->hash = h;
    B->hcap = cap;
    return 0;
}

static int is_commutative(int op)
{
    return op == VM_ADD || op == VM_MUL || op == VM_EQ || op == VM_NE || op == VM_AND ||
           op == VM_OR;
}

/* Returns the id of the node equal to d, making it if needed; -1 on ENOMEM. */
static int intern(builder *B, dnode d)
{
    if (is_commutative(d.op) && d.a > d.b) {
        int t = d.a;
        d.a = d.b;
        d.b = t;
    }
    if (2 * (B->n + 1) > B->hcap && rehash(B)) return oom(B);
    size_t i = node_hash(&d) & (B->hcap - 1);
    for (; B->hash[i] >= 0; i = (i + 1) & (B->hcap - 1))
        if (node_equal(&B->nodes[B->hash[i]], &d)) return B->hash[i];
    if (B->n == B->cap) {
        size_t cap = B->cap ? 2 * B->cap : 64;
        dnode *nodes = realloc(B->nodes, cap * sizeof *nodes);
        if (!nodes) return oom(B);
        B->nodes = nodes;
        B->cap = cap;
    }
    if (B->n >= INT_MAX / 2) return oom(B);
    B->nodes[B->n] = d;
    B->hash[i] = (int)B->n;
    return (int)B->n++;
}

static int mk(builder *B, int op, int a, int b, int c, double k, const nd_func *f)
{
    dnode d = {op, a, b, c, k, 0, f, -1};
    return intern(B, d);
}

/* (x + k) op k2 */
static int mk_affine(builder *B, int op, int x, double k, double k2)
{
    dnode d = {op, x, -1, -1, k, k2, NULL, -1};
    return x < 0 ? -1 : intern(B, d);
}

static int mk_const(builder *B, double k) { return mk(B, VM_CONST, -1, -1, -1, k, NULL); }
static int mk1(builder *B, int op, int a) { return a < 0 ? -1 : mk(B, op, a, -1, -1, 0, NULL); }
static int mkk(builder *B, int op, int a, double k) { return a < 0 ? -1 : mk(B, op, a, -1, -1, k, NULL); }

static int mk2(builder *B, int op, int a, int b)
{
    return a < 0 || b < 0 ? -1 : mk(B, op, a, b, -1, 0, NULL);
}

static int mk_input(builder *B, int slot)
{
    dnode d = {OP_INPUT, -1, -1, -1, 0, 0, NULL, slot};
    return intern(B, d);
}

static const dnode *N(const builder *B, int id) { return &B->nodes[id]; }

static int is_const(const builder *B, int id, double *k)
{
    if (N(B, id)->op != VM_CONST) return 0;
    *k = N(B, id)->k;
    return 1;
}

static int is_op(const builder *B, int id, int op) { return N(B, id)->op == op; }

/* ---- rewriting constructors (see the design note at the top) ---- */

static int neg(builder *B, int x);
static int mulk(builder *B, int x, double k);

static int addk(builder *B, int x, double k)
{
    if (k == -1 && is_op(B, x, VM_EXP)) return mk1(B, VM_EXPM1R, N(B, x)->a);
    return mkk(B, VM_ADDK, x, k);
}

static int ksub(builder *B, double k, int x)
{
    if (k == 1 && is_op(B, x, VM_EXP)) return neg(B, mk1(B, VM_EXPM1R, N(B, x)->a));
    return mkk(B, VM_KSUB, x, k);
}

/* Can -x be had without an instruction of its own (by flipping a constant)? */
static int absorbs_negation(const builder *B, int x)
{
    switch (N(B, x)->op) {
    case VM_CONST: case VM_NEG: case VM_MULK: case VM_DIVK: case VM_KDIV:
    case VM_ADDMULK: case VM_ADDDIVK:
        return 1;
    default:
        return 0;
    }
}

static int neg(builder *B, int x)
{
    if (x < 0) return -1;
    const dnode *d = N(B, x);
    switch (d->op) {
    case VM_CONST: return mk_const(B, -d->k);
    case VM_NEG:   return d->a;
    case VM_MULK:  return mkk(B, VM_MULK, d->a, -d->k);
    case VM_DIVK:  return mkk(B, VM_DIVK, d->a, -d->k);
    case VM_KDIV:  return mkk(B, VM_KDIV, d->a, -d->k);
    case VM_ADDMULK:
    case VM_ADDDIVK: return mk_affine(B, d->op, d->a, d->k, -d->k2);
    default:       return mk1(B, VM_NEG, x);
    }
}

static int mulk(builder *B, int x, double k)
{
    if (k == 1) return x;
    if (k == -1) return neg(B, x);
    if (is_op(B, x, VM_NEG)) return mulk(B, N(B, x)->a, -k);
    if (is_op(B, x, VM_ADDK)) return mk_affine(B, VM_ADDMULK, N(B, x)->a, N(B, x)->k, k);
    return mkk(B, VM_MULK, x, k);
}

/* Division by a power of two is multiplication by its exact reciprocal. */
static int divk(builder *B, int x, double k)
{
    int e;
    double r = 1.0 / k;
    if (isnormal(k) && isnormal(r) && frexp(fabs(k), &e) == 0.5) return mulk(B, x, r);
    if (is_op(B, x, VM_NEG)) return divk(B, N(B, x)->a, -k);
    if (is_op(B, x, VM_ADDK)) return mk_affine(B, VM_ADDDIVK, N(B, x)->a, N(B, x)->k, k);
    return mkk(B, VM_DIVK, x, k);
}

/* x^n by squaring. */
static int powi(builder *B, int x, int n)
{
    if (n < 0) return mkk(B, VM_KDIV, powi(B, x, -n), 1.0);
    if (n == 0) return mk_const(B, 1.0);
    if (n == 1) return x;
    if (n % 2 == 0) {
        int h = powi(B, x, n / 2);
        return mk2(B, VM_MUL, h, h);
    }
    return mk2(B, VM_MUL, powi(B, x, n - 1), x);
}

static int binary(builder *B, nd_binop op, int x, int y)
{
    static const int direct[] = {
        [ND_OP_LT] = VM_LT, [ND_OP_LE] = VM_LE, [ND_OP_GT] = VM_GT, [ND_OP_GE] = VM_GE,
        [ND_OP_EQ] = VM_EQ, [ND_OP_NE] = VM_NE, [ND_OP_AND] = VM_AND, [ND_OP_OR] = VM_OR,
    };
    double kx, ky;
    if (x < 0 || y < 0) return -1;
    int cx = is_const(B, x, &kx), cy = is_const(B, y, &ky);
    if (cx && cy) return mk_const(B, nd_num_binop(op, kx, ky));
    switch (op) {
    case ND_OP_ADD:
        if (cx || cy) return addk(B, cx ? y : x, cx ? kx : ky);
        if (is_op(B, y, VM_NEG)) return mk2(B, VM_SUB, x, N(B, y)->a);
        if (is_op(B, x, VM_NEG)) return mk2(B, VM_SUB, y, N(B, x)->a);
        return mk2(B, VM_ADD, x, y);
    case ND_OP_SUB:
        if (cy) return addk(B, x, -ky);
        if (cx) return ksub(B, kx, y);
        if (is_op(B, y, VM_NEG)) return mk2(B, VM_ADD, x, N(B, y)->a);
        return mk2(B, VM_SUB, x, y);
    case ND_OP_MUL:
        if (cx || cy) return mulk(B, cx ? y : x, cx ? kx : ky);
        return mk2(B, VM_MUL, x, y);
    case ND_OP_DIV:
        if (cy) return divk(B, x, ky);
        if (cx) return mkk(B, VM_KDIV, y, kx);
        /* x / -y is -x / y, free when x can take the sign */
        if (is_op(B, y, VM_NEG) && absorbs_negation(B, x)) return mk2(B, VM_DIV, neg(B, x), N(B, y)->a);
        return mk2(B, VM_DIV, x, y);
    case ND_OP_POW:
        if (cy && ky == rint(ky) && fabs(ky) <= MAX_POWI) return powi(B, x, (int)ky);
        if (cy) return mkk(B, VM_POWK, x, ky);
        return mk2(B, VM_POW, x, y);
    default:
        return mk2(B, direct[op], x, y);
    }
}

/* ---- lowering the tree ---- */

static int lower(builder *B, const nd_expr *e);

static int lower_name(builder *B, const nd_expr *e)
{
    int slot = B->resolve ? B->resolve(B->ctx, e->str) : -1;
    double k;
    if (slot >= 0) return mk_input(B, slot);
    if (nd_const_find(e->str, &k)) return mk_const(B, k);
    nd_error_set(B->err, ND_ENAME, e->line, e->col, (int)strlen(e->str),
                 "name '%s' is not defined", e->str);
    return -1;
}

static int lower_call(builder *B, const nd_expr *e)
{
    const nd_func *f = nd_func_find(e->str);
    if (!f) {
        nd_error_set(B->err, ND_ENAME, e->line, e->col, (int)strlen(e->str),
                     "unknown function '%s'", e->str);
        return -1;
    }
    if (!nd_func_accepts(f, (int)e->nitems)) {
        nd_error_set(B->err, ND_ETYPE, e->line, e->col, e->span,
                     "%s() does not take %zu argument%s", f->name, e->nitems,
                     e->nitems == 1 ? "" : "s");
        return -1;
    }
    int args[2];
    int all_const = 1;
    double k[16];
    for (size_t i = 0; i < e->nitems; i++) {
        int a = lower(B, e->items[i]);
        if (a < 0) return -1;
        if (i < 2) args[i] = a;
        if (!(i < 16 && is_const(B, a, &k[i]))) all_const = 0;
    }
    if (all_const) return mk_const(B, f->eval(k, (int)e->nitems));
    if (!strcmp(f->name, "pow")) return binary(B, ND_OP_POW, args[0], args[1]);
    if (f->max_args < 0) {   /* min, max: a left fold of the two-argument form */
        int acc = mk(B, VM_FN2, args[0], args[1], -1, 0, f);
        for (size_t i = 2; i < e->nitems && acc >= 0; i++) {
            int x = lower(B, e->items[i]);     /* already made above: found, not remade */
            acc = x < 0 ? -1 : mk(B, VM_FN2, acc, x, -1, 0, f);
        }
        return acc;
    }
    static const struct { const char *name; int op; } direct[] = {
        {"exp", VM_EXP}, {"expm1", VM_EXPM1}, {"log", VM_LOG}, {"sqrt", VM_SQRT},
    };
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
        if (!strcmp(f->name, direct[i].name)) return mk1(B, direct[i].op, args[0]);
    if (e->nitems == 1) return mk(B, VM_FN1, args[0], -1, -1, 0, f);
    return mk(B, VM_FN2, args[0], args[1], -1, 0, f);
}

static int lower(builder *B, const nd_expr *e)
{
    switch (e->kind) {
    case ND_EXPR_NUMBER: return mk_const(B, e->num);
    case ND_EXPR_NAME:   return lower_name(B, e);
    case ND_EXPR_NEG:    return neg(B, lower(B, e->a));
    case ND_EXPR_NOT: {
        int x = lower(B, e->a);
        double k;
        if (x >= 0 && is_const(B, x, &k)) return mk_const(B, nd_num_not(k));
        return mk1(B, VM_NOT, x);
    }
    case ND_EXPR_BINARY: {
        int x = lower(B, e->a);
        return x < 0 ? -1 : binary(B, e->op, x, lower(B, e->b));
    }
    case ND_EXPR_CALL:   return lower_call(B, e);
    default:
        nd_error_set(B->err, ND_ETYPE, e->line, e->col, e->span,
                     "expected a number, found %s", nd_expr_kind_noun(e->kind));
        return -1;
    }
}

/* ---- from the graph to a program ---- */

typedef struct plan {
    char *live;        /* reachable from an output and not fused into its reader */
    int *uses;         /* number of live readers (an output counts as one) */
    int *order;        /* the live non-input nodes in execution order */
    size_t norder;
    int *last_use;     /* position in order of the last reader; INT_MAX for outputs */
    int *level;
    int *reg;
} plan;

static const int *operands(const dnode *d) { return &d->a; }

/* Marks the nodes reachable from the outputs and counts their readers. */
static void mark_live(builder *B, plan *P, const int *outs, size_t nouts)
{
    memset(P->live, 0, B->n);
    memset(P->uses, 0, B->n * sizeof *P->uses);
    for (size_t k = 0; k < nouts; k++) {
        P->live[outs[k]] = 1;
        P->uses[outs[k]]++;
    }
    for (size_t id = B->n; id-- > 0;) {
        if (!P->live[id]) continue;
        const int *ops = operands(N(B, (int)id));
        for (int j = 0; j < 3; j++)
            if (ops[j] >= 0) {
                P->live[ops[j]] = 1;
                P->uses[ops[j]]++;
            }
    }
}

/* A product read only by one sum or difference (and not an output) joins it. */
static void fuse(builder *B, plan *P, const int *outs, size_t nouts)
{
    for (size_t id = 0; id < B->n; id++) {
        dnode *d = &B->nodes[id];
        if (!P->live[id] || (d->op != VM_ADD && d->op != VM_SUB)) continue;
        for (int side = 0; side < 2; side++) {
            int m = side ? d->b : d->a, other = side ? d->a : d->b;
            if (!is_op(B, m, VM_MUL) || P->uses[m] != 1) continue;   /* outputs count as uses */
            int op = d->op == VM_ADD ? VM_MULADD : side ? VM_NMULADD : VM_MULSUB;
            *d = (dnode){op, N(B, m)->a, N(B, m)->b, other, 0, 0, NULL, -1};
            break;
        }
    }
    mark_live(B, P, outs, nouts);
}

/* Orders the work by depth (longest path from the inputs), so that independent chains
   interleave: a slow division or exp then overlaps with the next chain's work instead
   of stalling the one after it. Within a depth, creation order is kept. */
static void schedule(builder *B, plan *P)
{
    int maxlevel = 0;
    for (size_t id = 0; id < B->n; id++) {
        const int *ops = operands(N(B, (int)id));
        int lv = 0;
        for (int j = 0; j < 3; j++)
            if (ops[j] >= 0 && P->level[ops[j]] + 1 > lv) lv = P->level[ops[j]] + 1;
        P->level[id] = lv;
        if (P->live[id] && lv > maxlevel) maxlevel = lv;
    }
    P->norder = 0;
    for (int lv = 1; lv <= maxlevel; lv++)      /* inputs (level 0) go in the prologue */
        for (size_t id = 0; id < B->n; id++)
            if (P->live[id] && P->level[id] == lv && B->nodes[id].op != OP_INPUT)
                P->order[P->norder++] = (int)id;
    /* constants have level 0 too but are instructions: put them first */
    size_t nconst = 0;
    for (size_t id = 0; id < B->n; id++)
        if (P->live[id] && P->level[id] == 0 && B->nodes[id].op != OP_INPUT) nconst++;
    memmove(P->order + nconst, P->order, P->norder * sizeof *P->order);
    for (size_t id = 0, i = 0; id < B->n; id++)
        if (P->live[id] && P->level[id] == 0 && B->nodes[id].op != OP_INPUT)
            P->order[i++] = (int)id;
    P->norder += nconst;
}

/* Registers by linear scan over the order; inputs first, since the prologue loads them
   all up front. A register is reused once its value's last reader has run. */
static size_t allocate(builder *B, plan *P, const int *outs, size_t nouts, int *free_regs)
{
    size_t nregs = 0, nfree = 0;
    for (size_t id = 0; id < B->n; id++) P->last_use[id] = -1;
    for (size_t i = 0; i < P->norder; i++) {
        const int *ops = operands(N(B, P->order[i]));
        for (int j = 0; j < 3; j++)
            if (ops[j] >= 0) P->last_use[ops[j]] = (int)i;
    }
    for (size_t k = 0; k < nouts; k++) P->last_use[outs[k]] = INT_MAX;
    for (size_t id = 0; id < B->n; id++)
        if (P->live[id] && B->nodes[id].op == OP_INPUT) P->reg[id] = (int)nregs++;
    for (size_t i = 0; i < P->norder; i++) {
        int id = P->order[i];
        const int *ops = operands(N(B, id));
        for (int j = 0; j < 3; j++) {
            int o = ops[j];
            int dup = (j > 0 && ops[0] == o) || (j > 1 && ops[1] == o);
            if (o >= 0 && !dup && P->last_use[o] == (int)i) free_regs[nfree++] = P->reg[o];
        }
        P->reg[id] = nfree ? free_regs[--nfree] : (int)nregs++;
    }
    return nregs;
}

static nd_code *emit(builder *B, plan *P, const int *outs, size_t nouts, size_t nregs)
{
    nd_code *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    size_t nin = 0;
    for (size_t id = 0; id < B->n; id++) nin += P->live[id] && B->nodes[id].op == OP_INPUT;
    c->ins = calloc(P->norder + 1, sizeof *c->ins);      /* + VM_END, all zero */
    c->in_reg = calloc(nin ? nin : 1, sizeof *c->in_reg);
    c->in_slot = calloc(nin ? nin : 1, sizeof *c->in_slot);
    c->out_reg = calloc(nouts ? nouts : 1, sizeof *c->out_reg);
    if (!c->ins || !c->in_reg || !c->in_slot || !c->out_reg) {
        nd_code_free(c);
        return NULL;
    }
    for (size_t id = 0; id < B->n; id++) {
        const dnode *d = N(B, (int)id);
        if (!P->live[id] || d->op != OP_INPUT) continue;
        c->in_reg[c->nin] = (uint16_t)P->reg[id];
        c->in_slot[c->nin++] = d->slot;
        if ((size_t)d->slot + 1 > c->nslots) c->nslots = (size_t)d->slot + 1;
    }
    for (size_t i = 0; i < P->norder; i++) {
        int id = P->order[i];
        const dnode *d = N(B, id);
        vm_ins *in = &c->ins[c->nins++];
        in->op = (uint16_t)d->op;
        in->d = (uint16_t)P->reg[id];
        /* unused operands read register 0, which always exists: the loop loads freely */
        in->a = (uint16_t)(d->a >= 0 ? P->reg[d->a] : 0);
        in->b = (uint16_t)(d->b >= 0 ? P->reg[d->b] : 0);
        in->c = (uint16_t)(d->c >= 0 ? P->reg[d->c] : 0);
        in->k = d->k;
        if (d->f) in->u.f = d->f;
        else in->u.k2 = d->k2;
    }
    for (size_t k = 0; k < nouts; k++) c->out_reg[k] = (uint16_t)P->reg[outs[k]];
    c->nout = nouts;
    c->nregs = nregs ? nregs : 1;
    return c;
}

static nd_code *assemble(builder *B, const int *outs, size_t nouts)
{
    size_t n = B->n + 1;
    plan P = {calloc(n, 1), malloc(n * sizeof(int)), malloc(n * sizeof(int)), 0,
              malloc(n * sizeof(int)), malloc(n * sizeof(int)), malloc(n * sizeof(int))};
    int *free_regs = malloc(3 * n * sizeof(int));
    nd_code *c = NULL;
    if (P.live && P.uses && P.order && P.last_use && P.level && P.reg && free_regs) {
        mark_live(B, &P, outs, nouts);
        fuse(B, &P, outs, nouts);
        schedule(B, &P);
        size_t nregs = allocate(B, &P, outs, nouts, free_regs);
        if (nregs > VM_MAX_REGS)
            nd_error_fail(B->err, ND_ENOMEM, "model too large to compile (%zu registers)", nregs);
        else if (!(c = emit(B, &P, outs, nouts, nregs)))
            oom(B);
        else
            nd_native_attach(c);
    } else {
        oom(B);
    }
    free(P.live);
    free(P.uses);
    free(P.order);
    free(P.last_use);
    free(P.level);
    free(P.reg);
    free(free_regs);
    return c;
}

nd_code *nd_code_compile(const nd_expr *const *exprs, size_t nexprs, nd_resolve_fn resolve,
                         void *ctx, nd_error *err)
{
    builder B = {0};
    B.resolve = resolve;
    B.ctx = ctx;
    B.err = err;
    int *outs = malloc((nexprs ? nexprs : 1) * sizeof *outs);
    nd_code *c = NULL;
    if (!outs) {
        oom(&B);
        return NULL;
    }
    size_t k = 0;
    for (; k < nexprs; k++)
        if ((outs[k] = lower(&B, exprs[k])) < 0) break;
    if (k == nexprs) c = assemble(&B, outs, nexprs);
    free(outs);
    free(B.nodes);
    free(B.hash);
    return c;
}

size_t nd_code_nslots_used(const nd_code *c)
{
    return c->nslots;
}

size_t nd_code_size(const nd_code *c)
{
    return c->nins;
}

const char *nd_code_backend(const nd_code *c)
{
    return c->backend;
}

void nd_code_free(nd_code *c)
{
    if (!c) return;
    nd_native_release(c);
    free(c->ins);
    free(c->in_reg);
    free(c->in_slot);
    free(c->out_reg);
    free(c);
}
