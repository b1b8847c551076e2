/* Units of terms derived from the sums and comparisons they appear in (model_units.c). */
#include "test.h"

#include <stdlib.h>

#include "../../lib/models/model.h"

static const char *term_unit(const nd_model *m, const char *name)
{
    int i = nd_model_index(m, ND_MODEL_TERM, name);
    return i < 0 ? "(no such term)" : nd_model_item_at(m, ND_MODEL_TERM, (size_t)i)->unit;
}

TEST(model_units_of_builtin_currents)
{
    nd_error err;
    /* dV/dt = (I - INa - IK - IL)/C with I in uA/cm^2 */
    nd_model *hh = nd_model_builtin("hh", &err);
    CHECK_STR(term_unit(hh, "INa"), "uA/cm^2");
    CHECK_STR(term_unit(hh, "IK"), "uA/cm^2");
    CHECK_STR(term_unit(hh, "IL"), "uA/cm^2");
    char *text = nd_model_explain(hh, "INa");
    CHECK_CONTAINS(text, "in uA/cm^2");
    free(text);
    nd_model_free(hh);
    nd_model *ml = nd_model_builtin("ml", &err);
    CHECK_STR(term_unit(ml, "ICa"), "uA/cm^2");
    nd_model_free(ml);
    /* h = 0.89 - 1.1*n: a number adapts, so h has n's unit; m = mInf(V) says nothing */
    nd_model *rz = nd_model_builtin("hh_rinzel", &err);
    CHECK_STR(term_unit(rz, "h"), "1");
    CHECK_STR(term_unit(rz, "m"), "");
    nd_model_free(rz);
}

TEST(model_units_chains_and_comparisons)
{
    static const char text[] =
        "dv/dt = (Iext - Itot)/C\n"
        "Itot = Ia + Ib\n"              /* gets Iext's unit from the equation ... */
        "Ia = g*v\n"                    /* ... and passes it on to its summands */
        "Ib = -2*Ix\n"                  /* a multiple of a term: Ix too */
        "Ix = g*v/3\n"
        "Ic = g*v\n"
        "Iz = g*v\n"                    /* used nowhere: stays without a unit */
        "when Ic >= Imax { v = 0 }\n"   /* compared with Imax: nA */
        "par Iext = 1 pA, C = 1 pF, g = 1 nS, Imax = 5 nA\n"
        "init v = 0 mV\n";
    nd_error err;
    nd_model *m = nd_model_parse("chain", text, sizeof text - 1, 1, 1, &err);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_STR(term_unit(m, "Itot"), "pA");
    CHECK_STR(term_unit(m, "Ia"), "pA");
    CHECK_STR(term_unit(m, "Ib"), "pA");
    CHECK_STR(term_unit(m, "Ix"), "pA");
    CHECK_STR(term_unit(m, "Ic"), "nA");
    CHECK_STR(term_unit(m, "Iz"), "");
    nd_model_free(m);
}
