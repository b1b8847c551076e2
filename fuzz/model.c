/* Fuzz target: the model-language compiler (lib/models: nd_model_parse reads, checks,
   differentiates and compiles a model; lib/expr underneath). Native code is off
   (NEURODYN_NATIVE=0), so no C compiler runs; the compiled programs run on the
   interpreter. A model that compiles is then used the way the commands use it: its
   right-hand side, Jacobians, terms and events are evaluated once at its initial values,
   every reset is applied, and its equations, tables and explanations are rendered.
   A model that does not compile must say why (a located error). Nothing may leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/models/model.h"
#include "common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("NEURODYN_NATIVE", "0", 1);
    return 0;
}

/* A zeroed array of n doubles (at least one, so that malloc(0) never counts as OOM). */
static double *values(size_t n)
{
    double *v = calloc(n ? n : 1, sizeof *v);
    if (!v) abort();
    return v;
}

static void use(nd_model *m)
{
    size_t n = nd_model_count(m, ND_MODEL_STATE), np = nd_model_count(m, ND_MODEL_PAR);
    size_t nt = nd_model_count(m, ND_MODEL_TERM), nw = nd_model_nwhens(m);
    double *y = values(n), *p = values(np), *dydt = values(n), *J = values(n * n);
    double *Jp = values(n * np), *terms = values(nt), *g = values(nw);
    memcpy(y, nd_model_inits(m), n * sizeof *y);
    if (np) memcpy(p, nd_model_pars(m), np * sizeof *p);
    if (nd_model_rhs(m, 0.0, y, p, dydt) != 0) abort();
    if (nd_model_has_jac(m)) {
        if (nd_model_jac(m, 0.0, y, p, J) != 0 || nd_model_jacp(m, 0.0, y, p, Jp) != 0)
            abort();
    }
    nd_model_terms(m, 0.0, y, p, terms);
    nd_model_events(m, 0.0, y, p, g);
    for (size_t k = 0; k < nw; k++) {
        nd_model_apply_reset(m, k, 0.0, y, p);
        if (!nd_model_when_text(m, k)) abort();
    }
    free(y), free(p), free(dydt), free(J), free(Jp), free(terms), free(g);

    free(nd_model_latex(m));
    nd_bundle_free(nd_model_table(m, ND_MODEL_STATE));
    nd_bundle_free(nd_model_table(m, ND_MODEL_PAR));
    for (int kind = 0; kind < 4; kind++)
        for (size_t i = 0; i < nd_model_count(m, (nd_model_kind)kind); i++) {
            const nd_model_item *it = nd_model_item_at(m, (nd_model_kind)kind, i);
            if (!it || nd_model_find(m, it->name, NULL) == NULL) abort();
            free(nd_model_explain(m, it->name));
        }
    nd_stim *s = nd_model_stim(m);
    if (s) nd_stim_free(s);

    nd_model *copy = nd_model_copy(m);
    if (!copy) abort();
    nd_model_reset_values(copy);
    nd_model_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    nd_error err;
    nd_error_clear(&err);
    nd_model *m = nd_model_parse("fuzz", text, size, 1, 1, &err);
    if (m) {
        use(m);
        nd_model_free(m);
    } else {
        if (err.code == ND_OK || !err.msg[0]) abort();
        char *traceback = nd_error_traceback(&err, text);
        if (!traceback) abort();
        free(traceback);
    }
    free(text);
    return 0;
}
