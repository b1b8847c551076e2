/* The inside of a model, shared by the files of lib/models (not a public header). A model
   is a refcounted immutable definition (names, trees, compiled code) plus its own
   parameter and initial values, so copies are cheap and never recompile. */
#ifndef ND_MODELS_MODEL_IMPL_H
#define ND_MODELS_MODEL_IMPL_H

#include <stdatomic.h>

#include "../expr/compile.h"
#include "../expr/lexer.h"
#include "model.h"

/* How deep a definition may nest once its terms and functions are expanded (tree levels
   plus the term and function references followed): checking, inlining, differentiating
   and compiling recurse that deep, and hostile text must not exhaust the C stack. */
enum { MD_MAX_NESTING = 2000 };

/* How many definitions of each kind (states, parameters, terms, functions) a model may
   have: the Jacobians are states x states and states x parameters. */
enum { MD_MAX_ITEMS = 1000 };

/* One named definition with its owned strings (the public item points into them). */
typedef struct md_item {
    nd_model_item pub;
    char *name, *unit, *summary, *doc, *text, *latex;
    nd_expr *expr;
    char **params;
    size_t nparams;
    double value;       /* a parameter's value, a state's initial value */
    int has_init;       /* a state whose init statement was seen */
} md_item;

typedef struct md_list {
    md_item *items;
    size_t count, cap;
} md_list;

/* `when COND { X = e; ... }`: the event g = hi - lo crosses zero upward. */
typedef struct md_when {
    nd_expr *hi, *lo;   /* borrowed from cond */
    nd_expr *cond;
    size_t nassign;
    char **target;      /* state names */
    size_t *state;      /* their indices (after checking) */
    nd_expr **value;
    int *line, *col, *span;  /* where each target is written */
    char *text;
    nd_code *reset;     /* nassign outputs */
    nd_code *dg;        /* ∂g/∂[t, states, pars]; NULL when g cannot be differentiated */
    nd_code *dreset;    /* nassign rows of the same; NULL likewise */
} md_when;

/* `set NAME { p = v, ... } "summary"`. */
typedef struct md_set {
    char *name, *summary, *text;
    size_t n;
    char **par;
    size_t *index;
    double *value;
    int *line, *col, *span;
} md_set;

/* One component of a `stim` protocol: its form and arguments in the form's order. */
typedef struct md_stim_part {
    const nd_stim_form *form;
    double arg[ND_STIM_FORM_ARGS];
} md_stim_part;

/* A statement naming something defined elsewhere, resolved once the whole text is read. */
typedef struct md_ref {
    char *name;
    int line, col, span;
    double value;       /* init */
    char *unit, *summary;
    char *text;         /* doc */
} md_ref;

typedef struct md_refs {
    md_ref *items;
    size_t count, cap;
} md_refs;

typedef struct md_def {
    atomic_int refs;
    int line, col;        /* where the text starts in the cell */
    char *name;
    char *doc;            /* unnamed doc statements */
    char *notes;
    md_list list[4];      /* indexed by nd_model_kind */
    md_when *whens;
    size_t nwhens;
    md_set *sets;
    size_t nsets;
    char *time_unit;      /* `time UNIT`, or NULL */
    char *source;         /* the text the model was read from, so variants can re-read it */
    size_t source_len;
    char *stim_target, *stim_text;
    int stim_line, stim_col, stim_span, stim_par;
    md_stim_part *stim;
    size_t nstim;
    md_refs inits, docs;  /* resolved by md_check */
    /* compiled code; slots are [t, y0..y(n-1), p0..p(np-1)] */
    nd_code *rhs, *jac, *jacp, *terms, *events;
    _Atomic(nd_code *) fused;   /* [f, J, Jp] in one program, built on first use */
} md_def;

struct nd_model {
    md_def *def;
    double *pars, *inits;
};

/* Changes a freshly parsed definition before it is checked and compiled (a variant). */
typedef nd_status (*md_edit)(md_def *def, void *ctx, nd_error *err);

/* nd_model_parse with edit (NULL: none) applied between parsing and checking. */
nd_model *md_parse_with(const char *name, const char *text, size_t len, int line, int col,
                        md_edit edit, void *edit_ctx, nd_error *err);

/* Builds def from the tokens of a model text (statements only, no checks across them);
   ND_OK or a located error. */
nd_status md_parse(md_def *def, const nd_tokens *toks, nd_error *err);

/* Resolves names across statements and checks the model: unknown names, cycles of terms,
   recursive functions, inits/docs/whens/sets/stim targets; ND_OK or a located error. */
nd_status md_check(md_def *def, nd_error *err);

/* Compiles rhs, Jacobians, terms, events and resets; ND_OK or an error. */
nd_status md_build(md_def *def, nd_error *err);

/* Compiles f, the Jacobian and the parameter Jacobian (as rhs, jac, jacp) into one
   program, so that they share their subexpressions; NULL when the model has no symbolic
   Jacobian or on failure. */
nd_code *md_build_fused(md_def *def);

/* Evaluates code over the slots [t, y, p] of m into out; 0, or -1 when code is NULL or
   memory runs out. */
int md_run(const nd_model *m, const nd_code *code, double t, const double *y, const double *p,
           double *out);

/* Compiles the derivatives of every when's inlined event function g[k] (model_events.c),
   leaving a when's dg NULL when one cannot be taken; ND_OK or ND_ENOMEM. */
nd_status md_event_derivs(md_def *def, nd_expr *const *g, nd_error *err);

/* The same for when w's inlined reset values v (its dreset). */
nd_status md_reset_derivs(md_def *def, md_when *w, nd_expr *const *v, nd_error *err);

/* Returns a new tree for e with functions, constants and terms (except keep) inlined;
   NULL with an error. */
nd_expr *md_inline(const md_def *def, const nd_expr *e, const char *const *keep, size_t nkeep,
                   nd_error *err);

/* Evaluates a constant expression (numbers, pi/inf/nan, math functions); ND_OK or a
   located error naming what is not constant. */
nd_status md_const_eval(const nd_expr *e, const char *what, double *out, nd_error *err);

/* Resolver over the slots [t, states, pars] for nd_code_compile (ctx is the md_def). */
int md_resolve(void *ctx, const char *name);

/* Returns the index of name in list kind of def, or -1. */
int md_index(const md_def *def, nd_model_kind kind, const char *name);

/* Gives terms without a unit the unit of what they are added to or compared with, and of
   their summands (model_units.c); ND_OK or ND_ENOMEM. Runs on a checked definition. */
nd_status md_infer_units(md_def *def, nd_error *err);

/* Finds name in any list: returns the item and sets *kind, or NULL. */
md_item *md_lookup(const md_def *def, const char *name, nd_model_kind *kind);

/* Appends a zeroed item to list kind; NULL on ENOMEM. */
md_item *md_add_item(md_def *def, nd_model_kind kind);

/* Appends to a ref list; NULL on ENOMEM. */
md_ref *md_add_ref(md_refs *refs);

/* Frees the definition's contents and the definition. */
void md_def_free(md_def *def);

/* Returns 1 for the words of the model language that cannot name anything. */
int md_is_reserved(const char *name);

/* Appends the LaTeX of a name, the way expressions render it. */
void md_latex_name(const char *name, nd_sb *sb);

/* Builds each item's public text and LaTeX. */
nd_status md_render_items(md_def *def, nd_error *err);

#endif
