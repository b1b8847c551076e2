/* Running compiled expressions: the interpreter loop, and the repair of removable
   singularities (0/0 replaced by the mean of the values at nearby inputs). A program with
   a native body (native.c) runs that instead, and comes back here only when an output is
   nan: the interpreter is what notices a 0/0 on the way, and its values equal the
   native ones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "vm.h"

/* Register files up to this size live on the stack; larger ones are allocated per call. */
enum { STACK_REGS = 512 };

/* Dispatch: with GCC or Clang every handler jumps straight to the next one through a
   table of label addresses ("threaded code"), which the branch predictor follows far
   better than the single jump of a switch; other compilers get the switch. */
#if defined(__GNUC__)
#define VM_THREADED 1
#define CASE(op) L_##op:
#define NEXT() do { p++; goto *labels[p->op]; } while (0)
#else
#define CASE(op) case op:
#define NEXT() do { p++; goto dispatch; } while (0)
#endif

/* Notes a 0/0 (or inf/inf) when checking: nan out of operands that were not nan. */
#define CHECK_DIV(v, x, y) \
    do { if (zerodiv && isnan(v) && !isnan(x) && !isnan(y)) *zerodiv = 1; } while (0)

/* exp(z) - 1 loses digits to cancellation only for |z| below ln 2 (there it takes the
   slower expm1); elsewhere it is within two ulps and costs one fast exp. */
static inline double expm1_where_needed(double z)
{
    return fabs(z) < 0.7 ? expm1(z) : exp(z) - 1.0;
}

/* Runs the program; zerodiv == NULL on the fast path, else it is set by a 0/0. */
static void run(const nd_code *c, const double *slots, double *r, double *out, int *zerodiv)
{
#ifdef VM_THREADED
    static const void *const labels[VM_NOPS] = {
        [VM_END] = &&L_VM_END, [VM_CONST] = &&L_VM_CONST, [VM_NEG] = &&L_VM_NEG,
        [VM_NOT] = &&L_VM_NOT, [VM_ADD] = &&L_VM_ADD, [VM_SUB] = &&L_VM_SUB,
        [VM_MUL] = &&L_VM_MUL, [VM_DIV] = &&L_VM_DIV, [VM_ADDK] = &&L_VM_ADDK,
        [VM_MULK] = &&L_VM_MULK, [VM_DIVK] = &&L_VM_DIVK, [VM_KSUB] = &&L_VM_KSUB,
        [VM_KDIV] = &&L_VM_KDIV, [VM_ADDMULK] = &&L_VM_ADDMULK, [VM_ADDDIVK] = &&L_VM_ADDDIVK,
        [VM_EXPM1R] = &&L_VM_EXPM1R, [VM_MULADD] = &&L_VM_MULADD, [VM_MULSUB] = &&L_VM_MULSUB,
        [VM_NMULADD] = &&L_VM_NMULADD, [VM_POW] = &&L_VM_POW, [VM_POWK] = &&L_VM_POWK,
        [VM_EXP] = &&L_VM_EXP, [VM_EXPM1] = &&L_VM_EXPM1, [VM_LOG] = &&L_VM_LOG,
        [VM_SQRT] = &&L_VM_SQRT, [VM_FN1] = &&L_VM_FN1, [VM_FN2] = &&L_VM_FN2,
        [VM_LT] = &&L_VM_LT, [VM_LE] = &&L_VM_LE, [VM_GT] = &&L_VM_GT, [VM_GE] = &&L_VM_GE,
        [VM_EQ] = &&L_VM_EQ, [VM_NE] = &&L_VM_NE, [VM_AND] = &&L_VM_AND, [VM_OR] = &&L_VM_OR,
    };
#endif
    for (size_t i = 0; i < c->nin; i++) r[c->in_reg[i]] = slots[c->in_slot[i]];
    const vm_ins *p = c->ins;
    double v;
#ifdef VM_THREADED
    goto *labels[p->op];
#else
dispatch:
    switch ((vm_op)p->op) {
#endif
    CASE(VM_CONST)   r[p->d] = p->k; NEXT();
    CASE(VM_NEG)     r[p->d] = -r[p->a]; NEXT();
    CASE(VM_NOT)     r[p->d] = r[p->a] == 0; NEXT();
    CASE(VM_ADD)     r[p->d] = r[p->a] + r[p->b]; NEXT();
    CASE(VM_SUB)     r[p->d] = r[p->a] - r[p->b]; NEXT();
    CASE(VM_MUL)     r[p->d] = r[p->a] * r[p->b]; NEXT();
    CASE(VM_DIV)     v = r[p->a] / r[p->b]; CHECK_DIV(v, r[p->a], r[p->b]); r[p->d] = v; NEXT();
    CASE(VM_ADDK)    r[p->d] = r[p->a] + p->k; NEXT();
    CASE(VM_MULK)    r[p->d] = r[p->a] * p->k; NEXT();
    CASE(VM_DIVK)    v = r[p->a] / p->k; CHECK_DIV(v, r[p->a], p->k); r[p->d] = v; NEXT();
    CASE(VM_KSUB)    r[p->d] = p->k - r[p->a]; NEXT();
    CASE(VM_KDIV)    v = p->k / r[p->a]; CHECK_DIV(v, p->k, r[p->a]); r[p->d] = v; NEXT();
    CASE(VM_ADDMULK) r[p->d] = (r[p->a] + p->k) * p->u.k2; NEXT();
    CASE(VM_ADDDIVK) {
        double x = r[p->a] + p->k;
        v = x / p->u.k2;
        CHECK_DIV(v, x, p->u.k2);
        r[p->d] = v;
        NEXT();
    }
    CASE(VM_MULADD)  r[p->d] = r[p->a] * r[p->b] + r[p->c]; NEXT();
    CASE(VM_MULSUB)  r[p->d] = r[p->a] * r[p->b] - r[p->c]; NEXT();
    CASE(VM_NMULADD) r[p->d] = r[p->c] - r[p->a] * r[p->b]; NEXT();
    CASE(VM_POW)     r[p->d] = pow(r[p->a], r[p->b]); NEXT();
    CASE(VM_POWK)    r[p->d] = pow(r[p->a], p->k); NEXT();
    CASE(VM_EXP)     r[p->d] = exp(r[p->a]); NEXT();
    CASE(VM_EXPM1)   r[p->d] = expm1(r[p->a]); NEXT();
    CASE(VM_EXPM1R) r[p->d] = expm1_where_needed(r[p->a]); NEXT();
    CASE(VM_LOG)     r[p->d] = log(r[p->a]); NEXT();
    CASE(VM_SQRT)    r[p->d] = sqrt(r[p->a]); NEXT();
    CASE(VM_FN1)     r[p->d] = p->u.f->eval(&r[p->a], 1); NEXT();
    CASE(VM_FN2) {
        double args[2] = {r[p->a], r[p->b]};
        r[p->d] = p->u.f->eval(args, 2);
        NEXT();
    }
    CASE(VM_LT)      r[p->d] = r[p->a] < r[p->b]; NEXT();
    CASE(VM_LE)      r[p->d] = r[p->a] <= r[p->b]; NEXT();
    CASE(VM_GT)      r[p->d] = r[p->a] > r[p->b]; NEXT();
    CASE(VM_GE)      r[p->d] = r[p->a] >= r[p->b]; NEXT();
    CASE(VM_EQ)      r[p->d] = r[p->a] == r[p->b]; NEXT();
    CASE(VM_NE)      r[p->d] = r[p->a] != r[p->b]; NEXT();
    CASE(VM_AND)     r[p->d] = r[p->a] != 0 && r[p->b] != 0; NEXT();
    CASE(VM_OR)      r[p->d] = r[p->a] != 0 || r[p->b] != 0; NEXT();
    CASE(VM_END)     goto done;
#ifndef VM_THREADED
    default: goto done;
    }
#endif
done:
    for (size_t k = 0; k < c->nout; k++) out[k] = r[c->out_reg[k]];
}

static void run_fast(const nd_code *c, const double *slots, double *r, double *out)
{
    run(c, slots, r, out, NULL);
}

static int run_checked(const nd_code *c, const double *slots, double *r, double *out)
{
    int zerodiv = 0;
    run(c, slots, r, out, &zerodiv);
    return zerodiv;
}

/* Outputs that came out nan because of a 0/0 get the mean of the values at all inputs
   moved by +delta and by -delta, delta = 1e-6 max(1, |x|): the first-order terms cancel,
   so a removable singularity such as x / (1 - exp(-x)) at 0 is repaired to O(delta^2). */
static void repair(const nd_code *c, const double *slots, double *r, double *out)
{
    double *plus = malloc((2 * c->nout + 2 * c->nslots) * sizeof *plus);
    if (!plus) return;                      /* nan stays: no worse than IEEE */
    double *minus = plus + c->nout, *hi = minus + c->nout, *lo = hi + c->nslots;
    if (run_checked(c, slots, r, plus)) {
        for (size_t i = 0; i < c->nslots; i++) {
            double delta = 1e-6 * fmax(1.0, fabs(slots[i]));
            hi[i] = slots[i] + delta;
            lo[i] = slots[i] - delta;
        }
        run_fast(c, hi, r, plus);
        run_fast(c, lo, r, minus);
        for (size_t k = 0; k < c->nout; k++)
            if (isnan(out[k])) out[k] = 0.5 * (plus[k] + minus[k]);
    }
    free(plus);
}

/* The interpreter's path, with the repair. Kept out of line so that the native fast path
   has no 4 KB register file. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void eval_vm(const nd_code *c, const double *slots, double *out)
{
    double stack[STACK_REGS];
    double *r = c->nregs <= STACK_REGS ? stack : malloc(c->nregs * sizeof *r);
    if (!r) {
        for (size_t k = 0; k < c->nout; k++) out[k] = NAN;
        return;
    }
    run_fast(c, slots, r, out);
    for (size_t k = 0; k < c->nout; k++)
        if (isnan(out[k])) {
            repair(c, slots, r, out);
            break;
        }
    if (r != stack) free(r);
}

/* A nan out of native code sends the whole evaluation to the interpreter: it gives the
   same values, notices a 0/0 on the way and repairs it (and it stands in when a large
   native body could not allocate its array of values). Rare, so not worth a shortcut. */
void nd_code_eval(const nd_code *c, const double *slots, double *out)
{
    if (c->native) {
        c->native(slots, out);
        for (size_t k = 0; k < c->nout; k++)
            if (isnan(out[k])) {
                eval_vm(c, slots, out);
                return;
            }
        return;
    }
    eval_vm(c, slots, out);
}

void nd_vm_run_raw(const nd_code *c, const double *slots, double *out)
{
    double stack[STACK_REGS];
    double *r = c->nregs <= STACK_REGS ? stack : malloc(c->nregs * sizeof *r);
    if (!r) {
        for (size_t k = 0; k < c->nout; k++) out[k] = NAN;
        return;
    }
    run_fast(c, slots, r, out);
    if (r != stack) free(r);
}
