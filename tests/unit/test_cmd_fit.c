/* `fit` through the interpreter: two sweeps simulated with their own stimuli and noise
   (the stimulus attached by `simulate`), the estimates against the known truth, the bound
   model and its fields, the profile, and located errors. */
#include "test.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/value.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

#define SWEEPS                                                                        \
    "use hh\nset gNa=100 gK=30\n"                                                     \
    "stim step at=2 dur=20 amp=8\ns1 = simulate t=30 sample=0.1 observe=V noise=0.01 seed=1\n" \
    "stim step at=2 dur=20 amp=15\ns2 = simulate t=30 sample=0.1 observe=V noise=0.01 seed=2\n" \
    "set gNa=120 gK=36\nstim none\n"

static json_t *fit_json(const rec_fixture *f)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (f->r.ev[i].json && strstr(f->r.ev[i].json, "\"type\":\"fit\""))
            return json_loads(f->r.ev[i].json, 0, NULL);
    return NULL;
}

static double par_field(json_t *j, size_t i, const char *key)
{
    json_t *p = json_array_get(json_object_get(j, "parameters"), i);
    return json_number_value(json_object_get(p, key));
}

TEST(cmd_fit_two_sweeps_recover_the_truth)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SWEEPS "fitted = fit hh s1 s2 params=[gNa, gK] method=lm shoot=3 "
                                  "profile=gK"), ND_OK);
    json_t *j = fit_json(&f);
    CHECK(j != NULL);
    const double truth[] = {100, 30};
    for (size_t i = 0; j && i < 2; i++) {
        double est = par_field(j, i, "estimate"), se = par_field(j, i, "se");
        CHECK(fabs(est - truth[i]) < 0.02 * truth[i]);
        CHECK(fabs(est - truth[i]) <= 2 * se);
        CHECK(se > 0);
    }
    CHECK(j && json_integer_value(json_object_get(j, "datasets")) == 2);
    json_t *p = j ? json_object_get(j, "profile") : NULL;
    CHECK(p && json_number_value(json_object_get(p, "lo")) < par_field(j, 1, "estimate"));
    CHECK(p && json_number_value(json_object_get(p, "hi")) > par_field(j, 1, "estimate"));
    /* The bound model carries the estimates and the fit. */
    nd_model_obj *mo = nd_value_as_model(nd_ws_get(nd_interp_workspace(f.in), "fitted"));
    CHECK(mo != NULL && mo->fit != NULL);
    if (mo && j) {
        int k = nd_model_index(mo->model, ND_MODEL_PAR, "gNa");
        CHECK_NEAR(nd_model_pars(mo->model)[k], par_field(j, 0, "estimate"), 1e-12);
        nd_value *se = nd_record_get(mo->fit, "se");
        CHECK(se && se->kind == ND_VAL_VECTOR && se->as.vec.n == 2);
    }
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "use fitted\nsim = simulate t=30"), ND_OK);
    rec_fixture_teardown(&f);
}

TEST(cmd_fit_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SWEEPS), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "fit hh s1 params=[gNaa]"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "did you mean 'gNa'");
    CHECK_INT(rec_fixture_run(&f, "fit hh s1 params=[gNa] observe=n"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "no column 'n'");
    CHECK_INT(rec_fixture_run(&f, "fit hh s1 params=[gNa] shoot=0"), ND_EVALUE);
    CHECK_INT(f.e.col, 30);   /* at the value */
    CHECK_INT(rec_fixture_run(&f, "fit hh s1 params=[gNa, gK] lower=[1]"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "2 numbers");
    CHECK_INT(rec_fixture_run(&f, "fit hh s1 params=[gNa] lower=[130]"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "inside its bounds");
    rec_fixture_teardown(&f);
}
