/* symreg end to end through the interpreter: hh_rinzel's true INa along a spiking run with
   mInf as a primitive (the law recovered, its coefficient gNa·1.1 = 132 read from the JSON
   text, the bound model simulated), the fit bound without a model, and located errors. */
#include "test.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rec_sink.h"

#define RINZEL "use hh_rinzel\nstim step at=5 dur=50 amp=10\n" \
               "ina = simulate t=60 sample=0.1 terms=true\n"

static json_t *symreg_json(const rec_fixture *f)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, "\"type\":\"symreg\""))
            return json_loads(f->r.ev[i].json, 0, NULL);
    return NULL;
}

TEST(cmd_symreg_recovers_rinzel_ina_and_binds_its_model)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    nd_status st = rec_run(f.in, RINZEL "eq = symreg ina INa V n functions=[mInf] "
                           "ops=[add, sub, mul, pow3] seed=2", &f.r, &f.e);
    CHECK_INT(st, ND_OK);
    json_t *j = symreg_json(&f);
    CHECK(j != NULL);
    if (j) {
        const char *eq = json_string_value(json_object_get(j, "equation"));
        /* 1.1·gNa with gNa = 120, and 0.89/1.1, as the fitted constants */
        CHECK_CONTAINS(eq, "132");
        CHECK_CONTAINS(eq, "0.8090909091");
        CHECK_CONTAINS(eq, "mInf(V)^3");
        CHECK_STR(json_string_value(json_object_get(j, "model")), "eq");
        CHECK_STR(json_string_value(json_object_get(j, "source")), "dataset");
        CHECK(json_is_true(json_object_get(j, "stopped_early")));
        json_decref(j);
    }
    st = rec_run(f.in, "back = simulate eq t=60 sample=0.1\neq.size", &f.r, &f.e);
    CHECK_INT(st, ND_OK);
    CHECK(f.r.n > 0 && f.r.ev[f.r.n - 1].text && strcmp(f.r.ev[f.r.n - 1].text, "13") == 0);
    rec_fixture_teardown(&f);
}

TEST(cmd_symreg_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    nd_status st = rec_run(f.in, RINZEL "eq = symreg ina INa V n ops=[add, frob]", &f.r, &f.e);
    CHECK_INT(st, ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "unknown operator 'frob'");
    st = rec_run(f.in, "eq = symreg ina Q V", &f.r, &f.e);
    CHECK_INT(st, ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "no column 'Q'");
    CHECK_INT(f.e.line, 1);
    CHECK_INT(f.e.col, 17);   /* the Q */
    st = rec_run(f.in, "eq = symreg ina", &f.r, &f.e);
    CHECK_INT(st, ND_ESYNTAX);
    CHECK_CONTAINS(f.e.msg, "usage: symreg DATA Y");
    st = rec_run(f.in, "eq = symreg ina INa V ops=[\"+\", 3]", &f.r, &f.e);
    CHECK_INT(st, ND_ESYNTAX);
    st = rec_run(f.in, "eq = symreg ina INa V maxsize=2", &f.r, &f.e);
    CHECK_INT(st, ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "maxsize");
    rec_fixture_teardown(&f);
}
