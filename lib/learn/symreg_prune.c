/* Pruning of exact expressions: genetic operators find an exact form often in a disguise
   the simplifier cannot see through (am(V)/am(V), V/V + V - 1); greedily replacing a
   subtree by one of its operands or by a fitted constant, kept while the error stays at
   rounding level, shrinks it to the plain form. */
#include <math.h>

#include "symreg_impl.h"

/* t with the subtree at i replaced by nodes src[0..n), simplified and fitted, into *out;
   0 when it is smaller than t and still exact. */
static int try_variant(const sr_world *w, const sr_tree *t, int i, const sr_node *src, int n,
                       double tol, sr_scratch *s, sr_tree *out)
{
    *out = *t;
    if (sr_splice(out, i, sr_subtree_end(t, i), src, n, ND_SYMREG_MAX_SIZE) != 0) return -1;
    sr_simplify(out, &w->ops, w->vars, w->nvars, w->o->maxsize);
    if (out->n >= t->n || !sr_nesting_ok(out, &w->ops) || !sr_units_ok(out, &w->ops, w->dims))
        return -1;
    sr_fit(out, &w->ops, w->X, w->y, s, 20);
    return out->loss <= tol ? 0 : -1;
}

void sr_prune(const sr_world *w, sr_tree *t, sr_scratch *s)
{
    /* Exact: a relative RMS error below 1e-9, as the default stop_error. */
    double tol = fmax(t->loss * 4, 1e-18 * w->var_y);
    sr_tree v;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < t->n && !changed; i++) {
            if (t->nodes[i].kind != SR_OP) continue;
            sr_node one = {.kind = SR_CONST, .c = 1};
            changed = try_variant(w, t, i, &one, 1, tol, s, &v) == 0;
            for (int c = i + 1, k = 0; !changed && k < t->nodes[i].arity; k++) {
                int end = sr_subtree_end(t, c);
                changed = try_variant(w, t, i, &t->nodes[c], end - c, tol, s, &v) == 0;
                c = end;
            }
            if (changed) {
                sr_score(w, &v);
                v.birth = t->birth;
                *t = v;
            }
        }
    }
}
