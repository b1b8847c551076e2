/* The instruction set and layout of compiled expressions, shared by the compiler
   (compile.c) and the interpreter loop (vm.c). Private to lib/expr. */
#ifndef ND_EXPR_VM_H
#define ND_EXPR_VM_H

#include <stddef.h>
#include <stdint.h>

#include "functions.h"

/* r[] is the register file. k is the instruction's immediate constant. */
typedef enum vm_op {
    VM_END,                              /* the last instruction of every program */
    VM_CONST,                            /* r[d] = k */
    VM_NEG, VM_NOT,                      /* -r[a]; r[a] == 0 */
    VM_ADD, VM_SUB, VM_MUL, VM_DIV,      /* r[a] op r[b] */
    VM_ADDK, VM_MULK, VM_DIVK,           /* r[a] op k */
    VM_KSUB, VM_KDIV,                    /* k op r[a] */
    VM_ADDMULK, VM_ADDDIVK,              /* (r[a] + k) * k2; (r[a] + k) / k2 */
    VM_MULADD, VM_MULSUB, VM_NMULADD,    /* r[a]*r[b] + r[c]; r[a]*r[b] - r[c]; r[c] - r[a]*r[b] */
    VM_POW, VM_POWK,                     /* pow(r[a], r[b]); pow(r[a], k) */
    VM_EXP, VM_EXPM1, VM_LOG, VM_SQRT,   /* of r[a] */
    VM_EXPM1R,                           /* exp(r[a]) - 1, by expm1 only where it cancels */
    VM_FN1, VM_FN2,                      /* f(r[a]); f(r[a], r[b]) through the functions table */
    VM_LT, VM_LE, VM_GT, VM_GE, VM_EQ, VM_NE, VM_AND, VM_OR,  /* 1 or 0 */
    VM_NOPS
} vm_op;

typedef struct vm_ins {
    uint16_t op, d, a, b, c;
    double k;
    union {
        double k2;
        const nd_func *f;
    } u;
} vm_ins;

/* Registers are 16-bit indices; programs needing more are refused at compile time. */
enum { VM_MAX_REGS = 65535 };

struct nd_code {
    vm_ins *ins;
    size_t nins;
    uint16_t *in_reg;      /* prologue: r[in_reg[i]] = slots[in_slot[i]] */
    int *in_slot;
    size_t nin;
    uint16_t *out_reg;     /* epilogue: out[k] = r[out_reg[k]] */
    size_t nout;
    size_t nregs;
    size_t nslots;         /* highest slot read + 1 */
    /* The same program as machine code (native.c), or NULL to run on the loop above. */
    void (*native)(const double *slots, double *out);
    void *dl;              /* the dlopen handle native came from, closed with the code */
    char backend[256];     /* "native", or "vm: " and why not */
};

/* Runs c on the interpreter loop alone, without the 0/0 repair (for tests and native.c). */
void nd_vm_run_raw(const nd_code *c, const double *slots, double *out);

#endif
