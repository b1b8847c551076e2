/* A model: ODEs, named terms, parameters, functions, resets and a default stimulus, read
   from the model language (docs/models.md), compiled once, and evaluated with its
   symbolic Jacobians. The object is opaque; copies share the compiled code and differ
   only in their parameter and initial values. */
#ifndef ND_MODELS_MODEL_H
#define ND_MODELS_MODEL_H

#include <stddef.h>

#include "../base/bundle.h"
#include "../base/error.h"
#include "../expr/ast.h"
#include "../ode/problem.h"
#include "../ode/stim.h"

typedef struct nd_model nd_model;

/* The kinds of named things a model defines. */
typedef enum nd_model_kind {
    ND_MODEL_STATE,   /* a state variable X with dX/dt = ... */
    ND_MODEL_PAR,     /* a parameter (par) */
    ND_MODEL_TERM,    /* a named intermediate term NAME = ... */
    ND_MODEL_FN       /* a user function fn f(a, b) = ... */
} nd_model_kind;

/* What a model says about one of its names (read-only; valid while the model lives). */
typedef struct nd_model_item {
    nd_model_kind kind;
    const char *name;
    const char *unit;     /* "" when none was written (states take theirs from init) */
    const char *summary;  /* the short description string on the definition, or "" */
    const char *doc;      /* the paragraphs of its doc statements, or "" */
    const char *text;     /* the definition as written: a state's right-hand side, a term's
                             expression, "f(a, b) = body" for a function, "" for a parameter */
    const char *latex;    /* the same in LaTeX (state: "\frac{dV}{dt} = ...") */
    const nd_expr *expr;  /* the parsed definition (state RHS, term, fn body), NULL for a par */
    const char *const *params;  /* a function's parameter names */
    size_t nparams;
    int line, col;        /* where it is defined in the parsed text */
} nd_model_item;

/* Parses and compiles the model-language text[0..len) whose first byte sits at (line,
   col) of the cell; NULL with a located error (SyntaxError, NameError, ValueError). */
nd_model *nd_model_parse(const char *name, const char *text, size_t len, int line, int col,
                         nd_error *err);

/* Returns the i-th keyword that starts a model statement ("par", "init", "fn" ...), or
   NULL past the last (for highlighters and completion). */
const char *nd_model_keyword(size_t i);

/* Returns a new copy of the built-in model called name, or NULL with a NameError. */
nd_model *nd_model_builtin(const char *name, nd_error *err);

/* Returns the number of built-in models. */
size_t nd_model_builtin_count(void);

/* Returns built-in model i's name (i < count), or NULL. */
const char *nd_model_builtin_name(size_t i);

/* Returns the source text of the built-in model called name, or NULL. */
const char *nd_model_builtin_text(const char *name);

/* Returns a copy sharing the compiled code, with its own parameter and initial values;
   NULL on ENOMEM. */
nd_model *nd_model_copy(const nd_model *m);

/* Returns a variant of m in which each of names[0..n) — a term, or a state variable meaning
   its right-hand side — is defined as a new parameter instead (named NAME_net, made unique
   with underscores; appended after m's parameters in the order given, value 0), keeping m's
   current parameter and initial values; NULL with a NameError for a name that is neither,
   ValueError for a repeated name, or ENOMEM. */
nd_model *nd_model_open(const nd_model *m, const char *const *names, size_t n, nd_error *err);

/* Returns a variant of m in which each of names[0..n) — a term, or a state variable meaning
   its right-hand side — is defined by exprs[i] (written over m's names: states, parameters,
   terms, functions), re-read from m's text and compiled like it, keeping m's current
   parameter and initial values; NULL with a NameError for a name that is neither (or an
   unknown name inside an expression), ValueError for a repeated name, or ENOMEM. */
nd_model *nd_model_redefine(const nd_model *m, const char *const *names,
                            const nd_expr *const *exprs, size_t n, nd_error *err);

/* nd_model_redefine, the variant called name and described by doc (NULL: m's). */
nd_model *nd_model_redefine_named(const nd_model *m, const char *name, const char *doc,
                                  const char *const *names, const nd_expr *const *exprs,
                                  size_t n, nd_error *err);

/* Frees the model; NULL is allowed. */
void nd_model_free(nd_model *m);

/* Returns the model's name. */
const char *nd_model_name(const nd_model *m);

/* Returns the unit of time the model declares (`time ms`), or "" when it declares none. */
const char *nd_model_time_unit(const nd_model *m);

/* Returns the factor from events per time unit to events per second (Hz): 1000 for a
   millisecond model, else 1 (the rate stays per time unit). */
double nd_model_rate_scale(const nd_model *m);

/* Returns the text m was read from (*len bytes) and where it started in its cell (for
   rebuilding it elsewhere with nd_model_parse). */
const char *nd_model_source(const nd_model *m, size_t *len, int *line, int *col);

/* Returns the model-level description (its unnamed doc statements), or "". */
const char *nd_model_doc(const nd_model *m);

/* Returns notes from reading the model, one per line ("init of n defaults to 0"), or "". */
const char *nd_model_notes(const nd_model *m);

/* Returns how many names of the kind the model defines. */
size_t nd_model_count(const nd_model *m, nd_model_kind kind);

/* Returns item i (i < count) of the kind, in order of definition, or NULL. */
const nd_model_item *nd_model_item_at(const nd_model *m, nd_model_kind kind, size_t i);

/* Finds name among states, parameters, terms and functions; returns the item (with
   *index set when index is not NULL) or NULL. */
const nd_model_item *nd_model_find(const nd_model *m, const char *name, size_t *index);

/* Returns the index of state/parameter/term name, or -1. */
int nd_model_index(const nd_model *m, nd_model_kind kind, const char *name);

/* Returns the current parameter values (npar of them, in definition order). */
const double *nd_model_pars(const nd_model *m);

/* Returns the current initial values (nstates of them). */
const double *nd_model_inits(const nd_model *m);

/* Sets parameter name to value; ND_OK or a NameError (with a suggestion). */
nd_status nd_model_set_par(nd_model *m, const char *name, double value, nd_error *err);

/* Sets the initial value of state name; ND_OK or a NameError. */
nd_status nd_model_set_init(nd_model *m, const char *name, double value, nd_error *err);

/* Returns the parameters whose value differs from the model text's, as "I = 10, gNa = 100"
   ("" when none), in definition order; caller frees; NULL on ENOMEM. */
char *nd_model_changed_pars(const nd_model *m);

/* Restores every parameter and initial value to what the model text says. */
void nd_model_reset_values(nd_model *m);

/* Returns the number of named parameter sets. */
size_t nd_model_nsets(const nd_model *m);

/* Returns set i's name, description ("" when none) and its assignments as text
   ("gCa = 4, phi = 1/15"); NULL for i out of range. */
const char *nd_model_set_name(const nd_model *m, size_t i);
const char *nd_model_set_summary(const nd_model *m, size_t i);
const char *nd_model_set_text(const nd_model *m, size_t i);

/* Applies the named parameter set (its values replace the current ones); ND_OK or a
   NameError listing the sets. */
nd_status nd_model_apply_set(nd_model *m, const char *name, nd_error *err);

/* Returns the number of `when` resets (events). */
size_t nd_model_nwhens(const nd_model *m);

/* Returns `when` k as text ("when v >= 30 { v = c; u = u + d }"), or NULL. */
const char *nd_model_when_text(const nd_model *m, size_t k);

/* Returns the parameter index the default stimulus drives, or -1 when there is none. */
int nd_model_stim_par(const nd_model *m);

/* Returns the default stimulus as written ("step(at=10, dur=50, amp=10)"), or NULL. */
const char *nd_model_stim_text(const nd_model *m);

/* Returns a new stimulus built from the model's default protocol (caller frees), or NULL
   when the model has none or memory runs out. */
nd_stim *nd_model_stim(const nd_model *m);

/* The compiled evaluations. y has nstates values, p has npar values (p[i] of the driven
   parameter is the input's value at t). Each returns 0 (values may be non-finite; solvers
   judge them), or -1 when the model has no such code (jac/jacp: see nd_model_has_jac). */

/* Writes dy/dt at (t, y) into dydt. Thread-safe. */
int nd_model_rhs(const nd_model *m, double t, const double *y, const double *p, double *dydt);

/* Writes the Jacobian df/dy, row-major n x n (J[i*n + j] = dfi/dyj). */
int nd_model_jac(const nd_model *m, double t, const double *y, const double *p, double *J);

/* Writes df/dp, row-major n x npar (Jp[i*npar + k] = dfi/dpk). */
int nd_model_jacp(const nd_model *m, double t, const double *y, const double *p, double *Jp);

/* Returns 1 when the symbolic Jacobians were compiled (0: a function in the model could
   not be differentiated; nd_model_notes says which). */
int nd_model_has_jac(const nd_model *m);

/* f (n values), then J (n², row-major), then the parameter Jacobian (n·npar) into out, in
   one evaluation that computes their shared subexpressions (the rate functions) once:
   for solvers that need all three at every step. Compiled on first use; 0, or -1 when the
   model has no symbolic Jacobian. */
int nd_model_rhs_jac(const nd_model *m, double t, const double *y, const double *p, double *out);

/* Writes the value of every term (nd_model_count(TERM) of them) at (t, y). */
int nd_model_terms(const nd_model *m, double t, const double *y, const double *p,
                   double *terms);

/* Writes each `when`'s event function g_k (g crosses zero upward at the event). */
int nd_model_events(const nd_model *m, double t, const double *y, const double *p, double *g);

/* Applies `when` k's assignments to y in place, all computed from the pre-reset values. */
int nd_model_apply_reset(const nd_model *m, size_t k, double t, double *y, const double *p);

/* Returns 1 when every when's event function and reset values were differentiated
   symbolically (so nd_model_event_grad and nd_model_reset_jac work), else 0. */
int nd_model_has_event_derivs(const nd_model *m);

/* Writes the gradient of when k's event function g_k at (t, y, p): dg[0] = ∂g/∂t,
   dg[1 + i] = ∂g/∂y_i, dg[1 + n + j] = ∂g/∂p_j. Returns 0, or -1 when not available. */
int nd_model_event_grad(const nd_model *m, size_t k, double t, const double *y, const double *p,
                        double *dg);

/* Writes the derivatives of when k's reset map y⁺ = h(t, y⁻, p) at the pre-reset state:
   row i (1 + n + npar values, laid out as in nd_model_event_grad) is ∂h_i; a state the
   reset does not assign has the identity row. Returns 0, or -1 when not available. */
int nd_model_reset_jac(const nd_model *m, size_t k, double t, const double *y, const double *p,
                       double *D);

/* Returns a new tree for e (written over the model's names) with the model's functions
   and constants inlined and every term replaced by its definition except those named in
   keep[0..nkeep); NULL with a located error when e calls an unknown function or an
   argument count is wrong. Names that are not terms stay names. */
nd_expr *nd_model_inline(const nd_model *m, const nd_expr *e, const char *const *keep,
                         size_t nkeep, nd_error *err);

/* Returns the equations as a LaTeX aligned block: the ODEs, the terms, the resets; caller
   frees; NULL on ENOMEM. */
char *nd_model_latex(const nd_model *m);

/* Returns a table bundle of the parameters (name, value, unit, description) or, for
   ND_MODEL_STATE, of the states (name, initial value, unit, description); NULL on
   ENOMEM or for another kind. */
nd_bundle *nd_model_table(const nd_model *m, nd_model_kind kind);

/* Returns the equations of m as text/plain ("model hh", its doc, "  dV/dt = …", the terms,
   the resets, "  stimulus on I: …" when stim (may be NULL) has components, par the
   parameter it drives) and text/latex ($$…$$); each state or term named in
   learned[0..nlearned) reads learned_as ("network(V, n)") instead of its equation.
   NULL on ENOMEM. */
nd_bundle *nd_model_equations(const nd_model *m, const nd_stim *stim, int par,
                              const char *const *learned, size_t nlearned,
                              const char *learned_as);

/* Returns "model hh: 4 states (V, m, h, n), 24 parameters", the one-line summary of a
   model in the workspace; caller frees; NULL on ENOMEM. */
char *nd_model_summary(const nd_model *m);

/* Returns "using hh: The Hodgkin–Huxley model (4 states, 24 parameters)\n": the name,
   what the doc says it is (up to its first ':', '.', '(' or line end) and its size, as
   `use` says it; caller frees; NULL on ENOMEM. */
char *nd_model_using(const nd_model *m);

/* Returns a plain-text explanation of name (kind, value or definition, unit, summary,
   doc), caller frees; NULL when the model has no such name. */
char *nd_model_explain(const nd_model *m, const char *name);

/* Returns nd_model_explain's text as a text/plain bundle (what `explain` and the
   inspector show); NULL when the model has no such name, or on ENOMEM. */
nd_bundle *nd_model_explain_bundle(const nd_model *m, const char *name);

/* Returns "note (model NAME): …\n" with what reading the model noticed (nd_model_notes),
   as `model` warns it; NULL when there is nothing to note, or on ENOMEM. Caller frees. */
char *nd_model_notes_text(const nd_model *m);

#endif
