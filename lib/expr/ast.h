/* Expression trees shared by the command language and the model language. */
#ifndef ND_EXPR_AST_H
#define ND_EXPR_AST_H

#include <stddef.h>
#include "../base/strbuf.h"

typedef enum nd_expr_kind {
    ND_EXPR_NUMBER,
    ND_EXPR_STRING,
    ND_EXPR_NAME,
    ND_EXPR_NEG,      /* -a */
    ND_EXPR_NOT,      /* not a */
    ND_EXPR_BINARY,   /* a op b */
    ND_EXPR_CALL,     /* name(items...) */
    ND_EXPR_LIST,     /* [items...] */
    ND_EXPR_RANGE,    /* a .. b */
    ND_EXPR_INDEX,    /* a[b]: command language only (the model compiler refuses it) */
    ND_EXPR_FIELD     /* a.str after an index or a bracket (c.hopf[1].I); a dotted name
                         such as sim.V stays one NAME */
} nd_expr_kind;

typedef enum nd_binop {
    ND_OP_ADD, ND_OP_SUB, ND_OP_MUL, ND_OP_DIV, ND_OP_POW,
    ND_OP_LT, ND_OP_LE, ND_OP_GT, ND_OP_GE, ND_OP_EQ, ND_OP_NE,
    ND_OP_AND, ND_OP_OR
} nd_binop;

typedef struct nd_expr nd_expr;
struct nd_expr {
    nd_expr_kind kind;
    int line, col;       /* where the expression starts */
    int span;            /* columns it covers on that line (at least 1) */
    double num;          /* NUMBER */
    char *str;           /* STRING value, NAME or CALL name, FIELD name */
    nd_binop op;         /* BINARY */
    nd_expr *a, *b;      /* operands: NEG/NOT/FIELD use a; RANGE is a..b; INDEX is a[b] */
    nd_expr **items;     /* CALL arguments, LIST elements */
    size_t nitems;
};

/* Returns a zeroed node of the given kind located at (line, col), or NULL on ENOMEM. */
nd_expr *nd_expr_new(nd_expr_kind kind, int line, int col, int span);

/* Frees e and its children; NULL is allowed. */
void nd_expr_free(nd_expr *e);

/* Returns the operator's spelling ("+", "<=", "and"). */
const char *nd_expr_op_name(nd_binop op);

/* Names what a non-numeric node is, for the errors of numeric-only consumers (model
   compiler, differentiation): "a string", "a list", "a range", "an index x[i] (indexing is
   for results in the command language)", "a field access (...)"; "an expression" else. */
const char *nd_expr_kind_noun(nd_expr_kind kind);

/* Appends a fully parenthesised rendering of e, e.g. "(1 + (2 * x))" (tests, messages). */
void nd_expr_format(const nd_expr *e, nd_sb *sb);

/* Returns a deep copy of e (locations included), or NULL on ENOMEM or when e is NULL. */
nd_expr *nd_expr_copy(const nd_expr *e);

/* Returns a deep copy of e in which every NAME equal to names[i] is replaced by a copy of
   repl[i] (the first match wins; call names are left alone), or NULL on ENOMEM. */
nd_expr *nd_expr_subst(const nd_expr *e, const char *const *names,
                       const nd_expr *const *repl, size_t n);

/* The two renderers below live in render.c. */

/* Appends e as infix text with only the parentheses its structure needs ("3 * x^2"). */
void nd_expr_text(const nd_expr *e, nd_sb *sb);

/* Appends e as LaTeX: \frac for division, x^{2}, \exp\left(...\right), g_{\mathrm{Na}}
   for gNa, \alpha for alpha. */
void nd_expr_latex(const nd_expr *e, nd_sb *sb);

#endif
