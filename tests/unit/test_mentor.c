/* The mentor through the interpreter: each situation's answer carries the category a
   reviewer expects (written here, not read from the table) and the numbers of the cell
   that triggered it; guesses far, near and right of the literature's values; hint levels;
   the event the mentor's own commands leave alone. */
#include "test.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rec_sink.h"

json_t *mentor_json(const rec_fixture *f);   /* test_mentor_table.c */

/* Everything the answer says, as one string (why, lead, questions, hint, command). */
static char *said(json_t *j)
{
    static const char *const keys[] = {"lead", "why", "hint", "value", "command"};
    size_t cap = 8192, len = 0;
    char *s = calloc(cap, 1);
    for (size_t k = 0; s && k < 5; k++) {
        const char *t = json_string_value(json_object_get(j, keys[k]));
        if (t) len += (size_t)snprintf(s + len, cap - len, "%s\n", t);
    }
    json_t *q = json_object_get(j, "questions");
    for (size_t i = 0; s && i < json_array_size(q) && len < cap; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s\n", json_string_value(json_array_get(q, i)));
    return s;
}

typedef struct case_ {
    const char *cells;      /* run one line at a time */
    const char *id, *category;
    const char *numbers[3]; /* the trigger's own numbers, as the answer must quote them */
} case_;

static const case_ cases[] = {
    {"use hh\nset I = 10\nsimulate t=100 method=rk4 dt=0.1", "solver-blowup", "math",
     {"dt = 0.1", "t = 2.6", "rk4"}},
    {"use hh\nset I = 10\nsimulate t=50 method=euler dt=0.05", "coarse-step", "math",
     {"dt = 0.05", "euler", NULL}},
    {"use hh\nset I = 0.003\ns = simulate t=100\nspikes s", "units-current", "concept",
     {"I = 0.003", NULL, NULL}},
    {"use hh\nset I = 10\ns = simulate t=2\nspikes s", "units-time", "concept", {"t = 2", NULL, NULL}},
    {"use hh\nset I = 12, ENa = 0.055\ns = simulate t=100\nspikes s", "units-voltage", "concept",
     {"ENa = 0.055", NULL, NULL}},
    {"use hh\nset I = 10\ns = simulate t=100\nspikes s threshold=-75", "threshold-below-rest",
     "implementation", {"-75 mV", NULL, NULL}},
    {"use hh\nset I = 10\ns = simulate t=100\nspikes s threshold=55", "threshold-too-high",
     "implementation", {"55 mV", "plot s V", NULL}},
    {"use hh\nset I = 3\ns = simulate t=100\nspikes s", "below-rheobase", "concept",
     {"I = 3", "stable", "100 ms"}},
    {"use hh\nsimulte t=10", "parse-error", "implementation", {"unexpected", NULL, NULL}},
    {"use hh\nsimulate t=10 bogus=2", "unknown-option", "implementation", {"bogus", "simulate", NULL}},
    {"use hh\nset gNaa = 1", "unknown-parameter", "implementation", {"gNaa", "hh", NULL}},
    {"z = w * 2", "unknown-name", "implementation", {"'w'", NULL, NULL}},
    {"use fhn\nset I = 0.5\nd = simulate t=300 sample=0.1\neq = sindy d library=[poly(3)] threshold=30",
     "sindy-lost-every-term", "math", {"threshold = 30", "threshold is 30", NULL}},
    {"use fhn\nset I = 0.5\nd = simulate t=300 sample=0.1\neq = sindy d library=[poly(3)] threshold=0.0002",
     "sindy-keeps-everything", "math", {"threshold 0.0002", "of the 10 terms", NULL}},
    {"use fhn\nset I = 0.5\nd = simulate t=300 sample=0.1 noise=0.05 seed=3\n"
     "eq = sindy d library=[poly(3)] threshold=0.02 deriv=fd", "sindy-noise", "math", {"R²", NULL, NULL}},
    {"use fhn\nset I = 0.5\nd = simulate t=300 sample=0.1\n"
     "eq = sindy d library=[poly(3)] normalize=false threshold=0.2", "feature-scaling", "math",
     {"threshold of 0.2", NULL, NULL}},
    {"use hh\nset I = 10\nd = simulate t=50 sample=0.1 observe=V\neq = sindy d library=[poly(3)] threshold=0.001",
     "hidden-states", "concept", {"hh", NULL, NULL}},
    {"use fhn\nset I = 0.5\nd = simulate t=300 sample=0.1\nnet = ude replace=v inputs=v,w hidden=8\n"
     "tr = train net d adam lr=0.01 iters=10", "train-failed", "math", {"NOT a good fit", "10 iterations", NULL}},
    {"use hh\nset I = 10\na = simulate t=100\nset I = 20\nb = simulate t=100\ncompare a b",
     "overfitting", "concept", {"Γ = ", NULL, NULL}},
    {"use hh\ncontinue I 0..20 maxpoints=4", "continuation-stopped", "math", {"maximum number of points", NULL, NULL}},
    {"use hh\ncontinue I 0..20", "hopf-subcritical", "concept", {"I = 9.775", NULL, NULL}},
    {"use hh\ncontinue I 120..180", "hopf-supercritical", "concept", {"I = 154.5", NULL, NULL}},
    {"use hh\nfi I 0..20 step=1", "bistability", "concept", {"I = 7 and 9", NULL, NULL}},
    {"use wb\nfi I 0..3 step=1", "fi-onset-resolution", "math", {"every 1", NULL, NULL}},
    /* a model is current, but the trace is not its simulation */
    {"use hh\nrec = table t=[0, 1, 2, 3] V=[-71, -70, -71, -70.5]\nspikes rec", "recording-no-spikes", "concept",
     {"plot rec V", NULL, NULL}},
    {"use hh\nd = simulate t=20 sample=0.1 observe=V noise=0.01 seed=2\nf = fit hh d params=[gNa, gK]",
     "fit-not-identifiable", "concept", {"gNa and gK trade off", "fit hh d params=[gL]", NULL}},
    {"use hh\nset gK = 28\nstim step at=2 dur=20 amp=9\nd = simulate t=30 sample=0.1 observe=V noise=0.01 seed=4\n"
     "set gK = 36\nstim none\nf = fit hh d params=[EL]", "fit-misfit", "concept", {"times the noise", "1 of them", NULL}},
};

/* Runs the lines of cells one cell each (most are meant to fail). */
static void run_cells(rec_fixture *f, const char *cells)
{
    char *copy = strdup(cells), *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        rec_fixture_run(f, line);
    free(copy);
}

TEST(mentor_stuck_names_the_category_and_the_cells_own_numbers)
{
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rec_fixture f;
        rec_fixture_setup(&f);
        run_cells(&f, cases[c].cells);
        CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);
        json_t *j = mentor_json(&f);
        const char *id = j ? json_string_value(json_object_get(j, "situation")) : NULL;
        if (!id || strcmp(id, cases[c].id) != 0) {
            nd_test_fail(__FILE__, __LINE__, "case %zu: situation %s, expected %s", c,
                         id ? id : "(none)", cases[c].id);
        } else {
            CHECK_STR(json_string_value(json_object_get(j, "category")), cases[c].category);
            /* level 1 asks; it never gives the fix */
            CHECK(json_object_get(j, "command") == NULL && json_object_get(j, "hint") == NULL);
            char *text = said(j);
            for (int k = 0; k < 3 && cases[c].numbers[k]; k++) {
                /* a later level may be the one that quotes the command */
                if (!strstr(text, cases[c].numbers[k])) {
                    json_t *deeper = NULL;
                    for (int h = 0; h < 3 && !strstr(text, cases[c].numbers[k]); h++) {
                        rec_fixture_run(&f, "hint");
                        json_decref(deeper);
                        deeper = mentor_json(&f);
                        free(text);
                        text = said(deeper);
                    }
                    json_decref(deeper);
                }
                if (!strstr(text, cases[c].numbers[k]))
                    nd_test_fail(__FILE__, __LINE__, "%s: \"%s\" not in %s", cases[c].id,
                                 cases[c].numbers[k], text);
            }
            free(text);
        }
        json_decref(j);
        rec_fixture_teardown(&f);
    }
}

TEST(mentor_rk4_blowup_compares_dt_with_the_rest_states_stability_limit)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    run_cells(&f, "use hh\nset I = 10\nsimulate t=100 method=rk4 dt=0.1");
    CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);
    json_t *j = mentor_json(&f);
    char *text = j ? said(j) : NULL;
    /* Literature: tau_m at rest about 0.24 ms (Hodgkin & Huxley 1952, 1/(alpha+beta)); the
       fastest eigenvalue of the linearisation is of that order, and rk4's real-axis limit
       2.785 |lambda|^-1 puts the stability limit at rest above 0.1 ms: the blow-up is a
       property of the spike, which is what the question leads to. */
    const char *at = text ? strstr(text, "rest (") : NULL;
    double tau = at ? atof(at + 6) : NAN;
    CHECK(tau > 0.15 && tau < 0.3);
    const char *lim = text ? strstr(text, "up to dt = ") : NULL;
    double dtl = lim ? atof(lim + 11) : NAN;
    CHECK(fabs(dtl - 2.785 * tau) < 0.3 * tau);   /* |lambda|max >= |Re|max: dt_limit <= 2.785 tau */
    CHECK(dtl <= 2.785 * tau * 1.0001);
    free(text);
    json_decref(j);
    rec_fixture_teardown(&f);
}

/* The lead of the last guess answer. */
static const char *lead(json_t *j)
{
    const char *s = j ? json_string_value(json_object_get(j, "lead")) : NULL;
    return s ? s : "";
}

TEST(mentor_guess_says_far_near_right_then_brackets_then_reveals)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* Rinzel & Miller 1980: the Hopf point of HH near I = 9.78 uA/cm^2 */
    CHECK_INT(rec_fixture_run(&f, "guess hh_hopf_current = 5"), ND_OK);
    json_t *j = mentor_json(&f);
    CHECK_CONTAINS(lead(j), "below");
    CHECK_CONTAINS(lead(j), "far off");
    CHECK(json_object_get(j, "value") == NULL);
    CHECK_CONTAINS(json_string_value(json_array_get(json_object_get(j, "questions"), 0)), "I = 5");
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "guess hh_hopf_current = 10.5"), ND_OK);
    j = mentor_json(&f);
    CHECK_CONTAINS(lead(j), "above");
    CHECK_CONTAINS(lead(j), "close");
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "guess hh_hopf_current = 9.78"), ND_OK);
    j = mentor_json(&f);
    CHECK_CONTAINS(lead(j), "right");
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "guess hh_hopf_current"), ND_OK);
    j = mentor_json(&f);
    CHECK_INT(json_integer_value(json_object_get(j, "level")), 2);
    CHECK_CONTAINS(json_string_value(json_object_get(j, "hint")), "between 9 and 10");
    CHECK(json_object_get(j, "value") == NULL);
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "hint"), ND_OK);
    j = mentor_json(&f);
    CHECK_INT(json_integer_value(json_object_get(j, "level")), 3);
    const char *v = json_string_value(json_object_get(j, "value"));
    CHECK_NEAR(v ? atof(v) : NAN, 9.78, 0.01);
    const char *cmd = json_string_value(json_object_get(j, "command"));
    char *copy = cmd ? strdup(cmd) : NULL;
    json_decref(j);
    CHECK(copy != NULL);
    if (copy) CHECK_INT(rec_fixture_run(&f, copy), ND_OK);   /* the command that computes it runs */
    free(copy);
    rec_fixture_teardown(&f);
}

TEST(mentor_reveal_gives_the_literatures_resting_potential)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* Hodgkin & Huxley 1952 in the modern convention: rest near -65.0 mV */
    CHECK_INT(rec_fixture_run(&f, "reveal hh_rest_v"), ND_OK);
    json_t *j = mentor_json(&f);
    const char *v = j ? json_string_value(json_object_get(j, "value")) : NULL;
    CHECK_NEAR(v ? atof(v) : NAN, -65.0, 0.01);
    CHECK(json_object_get(j, "lead") == NULL);   /* nothing was guessed */
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "guess hh_rest_v = -65"), ND_OK);
    j = mentor_json(&f);
    CHECK_CONTAINS(lead(j), "right");
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "guess nothing_like_this = 1"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "hh_hopf_current");
    CHECK_INT(rec_fixture_run(&f, "guess"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "hh_rest_v");
    rec_fixture_teardown(&f);
}

TEST(mentor_without_an_event_says_so_and_its_own_commands_leave_the_event)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "Nothing has run yet");
    json_t *j = mentor_json(&f);
    CHECK_STR(json_string_value(json_object_get(j, "kind")), "none");
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "use hh"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "ran without a problem");
    run_cells(&f, "set I = 10\nsimulate t=100 method=rk4 dt=0.1");
    CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "guess hh_rest_v = -60"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "stuck"), ND_OK);    /* still the blow-up, level 1 */
    j = mentor_json(&f);
    CHECK_STR(json_string_value(json_object_get(j, "situation")), "solver-blowup");
    CHECK_INT(json_integer_value(json_object_get(j, "level")), 1);
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "hint"), ND_OK);
    j = mentor_json(&f);
    CHECK_INT(json_integer_value(json_object_get(j, "level")), 2);
    CHECK(f.r.ev[0].html && strstr(f.r.ev[0].html, "nd-mentor"));
    json_decref(j);
    CHECK_INT(rec_fixture_run(&f, "stuck extra"), ND_ESYNTAX);
    rec_fixture_teardown(&f);
}

TEST(mentor_stuck_facts_shows_what_the_rows_test)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    run_cells(&f, "use hh\nset I = 10\nsimulate t=100 method=rk4 dt=0.1");
    CHECK_INT(rec_fixture_run(&f, "stuck facts=true"), ND_OK);
    const char *json = NULL;
    for (int i = 0; i < f.r.n; i++)
        if (f.r.ev[i].json && strstr(f.r.ev[i].json, "\"mentor facts\"")) json = f.r.ev[i].json;
    CHECK_NEAR(rec_json_number(json, "\"opt.dt\":"), 0.1, 1e-12);
    CHECK_NEAR(rec_json_number(json, "\"msg.t\":"), 2.6, 1e-12);
    CHECK_NEAR(rec_json_number(json, "\"par.I\":"), 10, 1e-12);
    CHECK_CONTAINS(json, "\"opt.method\":\"rk4\"");
    CHECK_CONTAINS(json, "\"error\":\"SolverError\"");
    rec_fixture_teardown(&f);
}

TEST(mentor_a_guess_outlives_other_statements_but_hint_follows_the_newest_topic)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "guess hh_rest_v = -80"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "use hh"), ND_OK);              /* checking something */
    CHECK_INT(rec_fixture_run(&f, "guess hh_rest_v"), ND_OK);     /* the guess goes on */
    json_t *j = mentor_json(&f);
    CHECK_INT(json_integer_value(json_object_get(j, "level")), 2);
    CHECK_CONTAINS(lead(j), "Your guess -80");
    json_decref(j);
    rec_fixture_run(&f, "simulate t=10 method=rk4 dt=0.1 bogus=1");
    CHECK_INT(rec_fixture_run(&f, "hint"), ND_OK);                /* the newest topic: the error */
    j = mentor_json(&f);
    CHECK_STR(json_string_value(json_object_get(j, "situation")), "unknown-option");
    json_decref(j);
    rec_fixture_teardown(&f);
}
