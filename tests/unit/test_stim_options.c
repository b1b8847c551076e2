/* `stim`'s options: the model language's names (ramp t0= t1= a0= a1=), old names as
   aliases, each component's own options, and suggestions that never invert meaning. */
#include "test.h"

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

/* The stimulus column I of dataset name at the row whose time is t. */
static double input_at(rec_fixture *f, const char *name, double t)
{
    const nd_dataset *ds = nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f->in), name));
    int j = ds ? nd_ds_find(ds, "I") : -1;
    for (size_t i = 0; j >= 0 && i < nd_ds_rows(ds); i++)
        if (nd_ds_col(ds, 0)[i] == t) return nd_ds_col(ds, (size_t)j)[i];
    return NAN;
}

TEST(stim_ramp_takes_the_model_languages_names)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* linear from a0 = 0 at t0 = 10 to a1 = 20 at t1 = 30: 10 at t = 20, 0 outside */
    CHECK_INT(rec_fixture_run(&f, "use hh\nstim ramp t0=10 t1=30 a0=0 a1=20\n"
                                  "a = simulate t=40 sample=1"), ND_OK);
    CHECK_NEAR(input_at(&f, "a", 20), 10, 1e-12);
    CHECK_NEAR(input_at(&f, "a", 25), 15, 1e-12);
    CHECK_NEAR(input_at(&f, "a", 5), 0, 1e-12);
    /* the model language's ramp(t0, t1, a0, a1) gives the same protocol */
    CHECK_INT(rec_fixture_run(&f, "model r {\n dV/dt = -V + I\n par I = 0\n"
                                  " stim I = ramp(t0=10, t1=30, a0=0, a1=20)\n}\n"
                                  "b = simulate t=40 sample=1"), ND_OK);
    CHECK_NEAR(input_at(&f, "b", 20), 10, 1e-12);
    /* from= and to= still work, as the old names of t0= and t1= */
    CHECK_INT(rec_fixture_run(&f, "use hh\nstim ramp from=10 to=30 a0=0 a1=20\n"
                                  "c = simulate t=40 sample=1"), ND_OK);
    CHECK_NEAR(input_at(&f, "c", 25), 15, 1e-12);
    CHECK_INT(rec_fixture_run(&f, "stim ramp t0=0 from=1"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "from= is another name for t0=");
    rec_fixture_teardown(&f);
}

TEST(stim_options_of_another_component_and_suggestions)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh"), ND_OK);
    /* an option of another component is not silently ignored */
    CHECK_INT(rec_fixture_run(&f, "stim ramp at=5"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "at= is an option of stim step, not of stim ramp (ramp takes "
                            "t0= t1= a0= a1=)");
    CHECK_INT(f.e.line, 1);
    CHECK_INT(rec_fixture_run(&f, "stim step t0=3"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "t0= is an option of stim ramp, not of stim step");
    /* a typo gets a suggestion of the same digits ... */
    CHECK_INT(rec_fixture_run(&f, "stim ramp T0=0"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "did you mean 't0'?");
    /* ... never a name with other digits (t1 is the end, to the old end) ... */
    CHECK_INT(rec_fixture_run(&f, "stim ramp t2=0"), ND_ENAME);
    CHECK(!strstr(f.e.msg, "did you mean"));
    /* ... and never an option of another component (amp belongs to step and pulses) */
    CHECK_INT(rec_fixture_run(&f, "stim ramp ap=5"), ND_ENAME);
    CHECK(!strstr(f.e.msg, "did you mean"));
    CHECK_INT(rec_fixture_run(&f, "stim step ampl=5"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "did you mean 'amp'?");
    rec_fixture_teardown(&f);
}
