/* Results as values: fields by dot, indexing, reductions, element-wise arithmetic, for
   loops, tables (row, table), and what computing commands bind. Expected values are
   computed here independently (by hand, from the dataset's own column, or from the
   literature as docs/science.md states). */
#include "test.h"
#include "../../lib/commands/modules.h"

#include <math.h>
#include <stdlib.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"

/* Runs code in a fresh interpreter; returns what the last `print` wrote (without the
   newline), or "Name: message" of the error. */
static const char *printed(const char *code)
{
    static char out[2048];
    rec_fixture f;
    rec_fixture_setup(&f);
    out[0] = '\0';
    if (rec_fixture_run(&f, code) != ND_OK) {
        snprintf(out, sizeof out, "%s: %s", nd_status_name(f.e.code), f.e.msg);
    } else {
        for (int i = f.r.n - 1; i >= 0; i--)
            if (strcmp(f.r.ev[i].kind, "out") == 0) {
                snprintf(out, sizeof out, "%s", f.r.ev[i].text);
                size_t n = strlen(out);
                if (n && out[n - 1] == '\n') out[n - 1] = '\0';
                break;
            }
    }
    rec_fixture_teardown(&f);
    return out;
}

static double ws_number(nd_interp *in, const char *name)
{
    nd_value *v = nd_ws_get(nd_interp_workspace(in), name);
    return v && v->kind == ND_VAL_NUMBER ? v->as.num : NAN;
}

static const nd_dataset *ws_dataset(nd_interp *in, const char *name)
{
    return nd_value_as_dataset(nd_ws_get(nd_interp_workspace(in), name));
}

TEST(values_indexing_is_one_based_and_negative_from_the_end)
{
    CHECK_STR(printed("x = [10, 20, 30]\nprint x[1], x[3], x[-1], x[-3]"), "10 30 30 10");
    CHECK_STR(printed("v = [10, 20, 30] * 1\nprint v[2], v[-2]"), "20 20");
    CHECK_STR(printed("x = [[1, 2], [3]]\nprint x[1][2], x[-1]"), "2 [3]");
    CHECK_STR(printed("x = [10, 20]\nprint x[3]"),
              "ValueError: index 3 is out of range for a list of 2 items (indices run from 1 "
              "to 2, or from -1 backwards)");
    CHECK_CONTAINS(printed("x = [10, 20]\nprint x[0]"), "the first item is [1]");
    CHECK_CONTAINS(printed("x = [10, 20] * 1\nprint x[-3]"),
                   "index -3 is out of range for a vector of 2 numbers");
    CHECK_STR(printed("x = [10, 20]\nprint x[1.5]"),
              "ValueError: an index must be a whole number, not 1.5");
    CHECK_STR(printed("x = [10, 20]\nprint x[\"a\"]"),
              "TypeError: an index must be a number, not a string");
    CHECK_CONTAINS(printed("x = 3\nprint x[1]"), "TypeError: cannot index a number");
    /* The error points at the index. */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = [1]\nprint x[2 + 1]"), ND_EVALUE);
    CHECK_INT(f.e.line, 2);
    CHECK_INT(f.e.col, 9);
    CHECK_INT(f.e.span, 5);
    rec_fixture_teardown(&f);
}

TEST(values_reductions_match_hand_computed_values)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "x = [1, 2, 3, 4]\ns = std(x)\nm = mean(x)\nt = sum(x)\n"
                                  "n = len(x)\na = min(x)\nb = max(x * -1)\n"
                                  "c = max(2, 5)\nz = sum([])\nl = len([\"a\", [1, 2]])"), ND_OK);
    /* Sample standard deviation of 1..4: deviations ±1.5, ±0.5, sum of squares 5, n-1 = 3. */
    CHECK_NEAR(ws_number(f.in, "s"), sqrt(5.0 / 3.0), 1e-15);
    CHECK_NEAR(ws_number(f.in, "m"), 2.5, 0);
    CHECK_NEAR(ws_number(f.in, "t"), 10, 0);
    CHECK_NEAR(ws_number(f.in, "n"), 4, 0);
    CHECK_NEAR(ws_number(f.in, "a"), 1, 0);
    CHECK_NEAR(ws_number(f.in, "b"), -1, 0);
    CHECK_NEAR(ws_number(f.in, "c"), 5, 0);
    CHECK_NEAR(ws_number(f.in, "z"), 0, 0);
    CHECK_NEAR(ws_number(f.in, "l"), 2, 0);
    rec_fixture_teardown(&f);
    CHECK_STR(printed("print max([1, nan, 3]), min([2, 0/0])"), "nan nan");
    CHECK_STR(printed("print mean([])"), "ValueError: mean() needs at least one number, got 0");
    CHECK_STR(printed("print std([1])"), "ValueError: std() needs at least two numbers, got 1");
    CHECK_STR(printed("print sum([1, \"a\"])"),
              "TypeError: sum() takes a vector or a list of numbers, not a list");
    CHECK_STR(printed("print mean(1, 2)"), "TypeError: mean() takes 1 argument (2 given)");
}

TEST(values_elementwise_arithmetic)
{
    CHECK_STR(printed("print [1, 2, 3] - 10, 2 * [1, 2], [1, 2] / [4, 8], [2, 3]^2"),
              "[-9, -8, -7] [2, 4] [0.25, 0.25] [4, 9]");
    CHECK_STR(printed("a = [1, 2] * 1\nprint -a, sqrt([4, 9]), max([1, 5], 3)"),
              "[-1, -2] [2, 3] [3, 5]");
    /* mean((a - b)^2) by hand: differences 1, -2, 3 -> squares 1, 4, 9 -> 14/3. */
    CHECK_STR(printed("a = [2, 0, 6]\nb = [1, 2, 3]\nprint mean((a - b)^2) == 14/3"), "true");
    CHECK_STR(printed("print [1, 2] + [1, 2, 3]"),
              "ValueError: element-wise arithmetic needs equal lengths: 2 and 3 numbers");
    CHECK_STR(printed("print atan2([1, 2], [1])"),
              "ValueError: element-wise arithmetic needs equal lengths: 2 and 1 numbers");
}

TEST(values_fields_of_tables_and_their_errors)
{
    CHECK_STR(printed("tab = table n=[600, 300] err=[0.1, 0.2]\nprint tab.err, tab.n[2], "
                      "max(tab.err)"), "[0.1, 0.2] 300 0.2");
    CHECK_STR(printed("tab = table n=[1] err=[2]\nprint tab.er"),
              "NameError: tab (a dataset) has no field 'er'; did you mean 'err'? (fields: n, err)");
    CHECK_STR(printed("x = 1\nprint x.a"), "NameError: x is a number, which has no fields (no 'a')");
    CHECK_STR(printed("print nothing.a"), "NameError: name 'nothing' is not defined");
    CHECK_STR(printed("tab = table n=[1] err=[2]\nprint [tab][1].err"), "[2]");
    /* A missing field is located at its own letters. */
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "tab = table n=[1]\nprint 1 + tab.nope"), ND_ENAME);
    CHECK_INT(f.e.line, 2);
    CHECK_INT(f.e.col, 15);
    CHECK_INT(f.e.span, 4);
    rec_fixture_teardown(&f);
}

TEST(values_table_needs_equal_lengths_and_numbers)
{
    CHECK_STR(printed("t = table a=[1, 2] b=[1]"),
              "ValueError: column b has 1 numbers, column a has 2: the columns of a table "
              "have equal lengths");
    CHECK_STR(printed("t = table a=\"x\""),
              "TypeError: column a must be a vector or a list of numbers, not a string");
    CHECK_STR(printed("row t n=1\nrow t m=2"),
              "ValueError: table t has no column 'm' (its columns: n)");
    CHECK_STR(printed("row t n=1 m=2\nrow t n=2"),
              "ValueError: the row gives no value for column 'm' of table t");
    CHECK_STR(printed("t = 3\nrow t n=1"),
              "TypeError: t is a number, not a table: row adds to a dataset, or makes one "
              "under a new name");
    CHECK_STR(printed("row t n=1 m=2\nrow t m=4 n=3\nprint t.m, t.n"), "[2, 4] [1, 3]");
}

/* plot tab n err: a table's first column named first is the x axis (as plot tab err vs n). */
TEST(values_plot_of_a_table_against_its_first_column)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "tab = table n=[600, 300, 150] err=[0.1, 0.2, 0.4]\n"
                                  "plot tab n err"), ND_OK);
    const char *fig = f.r.n ? f.r.ev[f.r.n - 1].text : "";
    CHECK_CONTAINS(fig, "y err, x n");
    CHECK_CONTAINS(fig, "3 points, x 150..600, y 0.1..0.4");
    CHECK_INT(rec_fixture_run(&f, "plot tab n"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "'n' is the x axis of tab; name what to plot against it");
    rec_fixture_teardown(&f);
}

TEST(values_for_loop_builds_a_table_over_four_values)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "for n in [600, 300, 150, 75] {\n"
                                  "  r = sqrt(n)\n"
                                  "  row tab n=n root=r\n"
                                  "}"), ND_OK);
    const nd_dataset *ds = ws_dataset(f.in, "tab");
    CHECK(ds != NULL);
    if (ds) {
        static const double n[] = {600, 300, 150, 75};
        CHECK_INT(nd_ds_rows(ds), 4);
        CHECK_INT(nd_ds_cols(ds), 2);
        CHECK_STR(nd_ds_name(ds, 0), "n");
        CHECK_STR(nd_ds_name(ds, 1), "root");
        for (size_t i = 0; i < 4; i++) {
            CHECK_NEAR(nd_ds_col(ds, 0)[i], n[i], 0);
            CHECK_NEAR(nd_ds_col(ds, 1)[i], sqrt(n[i]), 0);
        }
    }
    /* The loop variable stays bound to the last value. */
    CHECK_NEAR(ws_number(f.in, "n"), 75, 0);
    /* A table bound under a second name is copied, not changed behind its back. */
    CHECK_INT(rec_fixture_run(&f, "old = tab\nrow tab n=1 root=1\na = len(old.n)\n"
                                  "b = len(tab.n)"), ND_OK);
    CHECK_NEAR(ws_number(f.in, "a"), 4, 0);
    CHECK_NEAR(ws_number(f.in, "b"), 5, 0);
    rec_fixture_teardown(&f);
}

TEST(values_for_over_ranges_and_vectors)
{
    CHECK_STR(printed("s = 0\nfor i in 1..4 {\n  s = s + i\n}\nprint s"), "10");
    CHECK_STR(printed("for x in 0..1 step=0.25 {\n  row t x=x\n}\nprint t.x"),
              "[0, 0.25, 0.5, 0.75, 1]");
    /* 0.1 steps land on 1 only up to rounding: the end is still included (11 values). */
    CHECK_STR(printed("for x in 0..1 step=0.1 {\n  row t x=x\n}\nprint len(t.x)"), "11");
    CHECK_STR(printed("for i in 3..1 {\n  row t i=i\n}\nprint t.i"), "[3, 2, 1]");
    CHECK_STR(printed("v = [5, 6] * 1\nfor x in v {\n  row t x=x\n}\nprint t.x"), "[5, 6]");
    CHECK_STR(printed("for x in [\"a\", \"b\"] {\n  print x\n}"), "b");
    CHECK_STR(printed("for x in 1..2 step=-1 { }"),
              "ValueError: step must be a finite number, not 0, going from 1 towards 2");
    CHECK_STR(printed("for x in [1] step=2 { }"),
              "ValueError: step= is for a range (for x in 0..1 step=0.25)");
    CHECK_STR(printed("for x of [1] { }"),
              "SyntaxError: expected 'in' (for NAME in VALUES { … })");
    CHECK_STR(printed("for x in 3 { }"),
              "TypeError: for runs over a list, a vector or a range lo..hi, not a number");
    CHECK_STR(printed("for print in [1] { }"),
              "SyntaxError: cannot bind 'print': it is the name of a command");
}

TEST(values_error_in_iteration_three_keeps_earlier_rows)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    nd_status st = rec_fixture_run(&f, "x = [10, 20]\n"
                                       "for i in 1..4 {\n"
                                       "  row tab i=i x=x[i]\n"
                                       "}");
    CHECK_INT(st, ND_EVALUE);
    /* Located in the cell: line 3, at the index of x[i]. */
    CHECK_INT(f.e.line, 3);
    CHECK_INT(f.e.col, 19);
    CHECK_CONTAINS(f.e.msg, "index 3 is out of range");
    const nd_dataset *ds = ws_dataset(f.in, "tab");
    CHECK(ds && nd_ds_rows(ds) == 2);
    if (ds) {
        CHECK_NEAR(nd_ds_col(ds, 1)[0], 10, 0);
        CHECK_NEAR(nd_ds_col(ds, 1)[1], 20, 0);
    }
    CHECK_NEAR(ws_number(f.in, "i"), 3, 0);
    rec_fixture_teardown(&f);
}

/* A sink that interrupts the interpreter when the cell has printed `after` times. */
typedef struct interrupting {
    rec_sink rec;
    nd_interp *in;
    int prints, after;
    nd_sink inner;
} interrupting;

static void count_and_interrupt(void *ctx, nd_stream which, const char *text)
{
    interrupting *s = ctx;
    s->inner.stream(s->inner.ctx, which, text);
    if (++s->prints == s->after) nd_interp_interrupt(s->in);
}

TEST(values_interrupt_stops_a_loop_between_iterations)
{
    interrupting s = {0};
    rec_init(&s.rec);
    s.in = nd_interp_create(nd_cmd_register_all);
    s.after = 3;
    s.inner = s.rec.sink;
    nd_sink sink = s.rec.sink;
    sink.ctx = &s;
    sink.stream = count_and_interrupt;
    s.inner.ctx = &s.rec;
    nd_error err;
    nd_status st = nd_interp_exec(s.in, "for i in 1..1000000 {\n  print i\n  row t i=i\n}",
                                  &sink, &err);
    CHECK_INT(st, ND_EINTERRUPT);
    /* The interrupt came during iteration 3, so iteration 3's row is not added. */
    CHECK_INT(s.prints, 3);
    CHECK_NEAR(ws_number(s.in, "i"), 3, 0);
    const nd_dataset *ds = ws_dataset(s.in, "t");
    CHECK(ds && nd_ds_rows(ds) == 2);
    nd_interp_free(s.in);
    rec_clear(&s.rec);
}

TEST(values_max_of_a_simulated_column_equals_the_column_max)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nset I = 10\nsim = simulate t=30\n"
                                  "m = max(sim.V)\nlo = min(sim.V)\nn = len(sim.t)\n"
                                  "first = sim.V[1]\nlast = sim.V[-1]\n"
                                  "d = max(sim.V - 10)"), ND_OK);
    const nd_dataset *ds = ws_dataset(f.in, "sim");
    CHECK(ds != NULL);
    if (ds) {
        int j = nd_ds_find(ds, "V");
        const double *V = nd_ds_col(ds, (size_t)j);
        size_t n = nd_ds_rows(ds);
        double mx = -INFINITY, mn = INFINITY;
        for (size_t i = 0; i < n; i++) mx = fmax(mx, V[i]), mn = fmin(mn, V[i]);
        CHECK_NEAR(ws_number(f.in, "m"), mx, 0);
        CHECK_NEAR(ws_number(f.in, "lo"), mn, 0);
        CHECK_NEAR(ws_number(f.in, "n"), (double)n, 0);
        CHECK_NEAR(ws_number(f.in, "first"), V[0], 0);
        CHECK_NEAR(ws_number(f.in, "last"), V[n - 1], 0);
        CHECK_NEAR(ws_number(f.in, "d"), mx - 10, 0);
        /* A spiking HH neuron overshoots 0 mV. */
        CHECK(mx > 20);
    }
    rec_fixture_teardown(&f);
}

TEST(values_continue_exposes_the_hopf_point_of_hh)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nc = continue I 0..20\nI1 = c.hopf[1].I\n"
                                  "V1 = c.hopf[1].V\nn = len(c.hopf)\nw = c.hopf[1].omega\n"
                                  "k = c.hopf[-1].kind == \"hopf\"\n"
                                  "sub = c.hopf[1].criticality == \"subcritical\"\n"
                                  "nb = len(c.branches[1].I)"), ND_OK);
    /* Hodgkin & Huxley 1952 at the −65 mV convention: the rest state loses stability in
       a subcritical Hopf bifurcation at I ≈ 9.78 µA/cm² (docs/science.md: ±0.01), with
       ω between 0.5 and 0.7 rad/ms. */
    CHECK_NEAR(ws_number(f.in, "I1"), 9.78, 0.01 / 9.78);
    CHECK(ws_number(f.in, "V1") > -65 && ws_number(f.in, "V1") < -55);
    CHECK_NEAR(ws_number(f.in, "n"), 1, 0);
    CHECK(ws_number(f.in, "w") > 0.5 && ws_number(f.in, "w") < 0.7);
    nd_value *k = nd_ws_get(nd_interp_workspace(f.in), "k");
    nd_value *sub = nd_ws_get(nd_interp_workspace(f.in), "sub");
    CHECK(k && k->kind == ND_VAL_BOOL && k->as.truth);
    CHECK(sub && sub->kind == ND_VAL_BOOL && sub->as.truth);
    CHECK(ws_number(f.in, "nb") > 2);
    CHECK_INT(rec_fixture_run(&f, "print c.hopf[1].Ix"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "c.hopf[1] (a special point) has no field 'Ix'; did you mean 'I'?");
    /* Unbound, the diagram is shown once, as before. */
    CHECK_INT(rec_fixture_run(&f, "continue I 0..20"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    rec_fixture_teardown(&f);
}

TEST(values_fixed_and_stability_bind_records)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    /* FitzHugh–Nagumo at I = 0 (a = 0.7, b = 0.8, ε = 0.08): its one equilibrium lies on
       both nullclines, v − v³/3 − w = 0 and w = (v + a)/b. */
    CHECK_INT(rec_fixture_run(&f, "use fhn\nf = fixed\nn = f.count\nv = f.points[1].v\n"
                                  "w = f.points[1].w\nre = f.points[1].re[1]\n"
                                  "st = stability at v=0 w=0\nre0 = st.re[1]\nr = st.max_rate"),
             ND_OK);
    CHECK_NEAR(ws_number(f.in, "n"), 1, 0);
    double v = ws_number(f.in, "v"), w = ws_number(f.in, "w");
    CHECK_NEAR(v - v * v * v / 3 - w, 0, 1e-9);
    CHECK_NEAR(w, (v + 0.7) / 0.8, 1e-9);
    CHECK(ws_number(f.in, "re") < 0);
    /* At (0, 0) the Jacobian is [[1, −1], [ε, −εb]]: trace 1 − εb, determinant ε − εb,
       real eigenvalues; and dw/dt = ε(v + a − bw) = εa = 0.056 is the largest rate. */
    double eps = 0.08, b = 0.8, tr = 1 - eps * b, det = -eps * b + eps;
    double lead = (tr + sqrt(tr * tr - 4 * det)) / 2;
    CHECK_NEAR(ws_number(f.in, "re0"), lead, 1e-9);
    CHECK_NEAR(ws_number(f.in, "r"), 0.056, 1e-9);
    /* Unbound, `fixed` shows its table once, as before. */
    CHECK_INT(rec_fixture_run(&f, "fixed"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_CONTAINS(f.r.ev[0].json, "\"type\":\"equilibria\"");
    rec_fixture_teardown(&f);
}

TEST(values_sindy_fit_is_read_from_the_model)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use fhn\nset I = 0.5\ndata = simulate t=300 sample=0.1\n"
                                  "eq = sindy data library=[poly(3)] threshold=0.05\n"
                                  "c1 = eq.coefficients.v[1]\ncv = eq.coefficients.v[2]\n"
                                  "cw = eq.coefficients.v[3]\ncv3 = eq.coefficients.v[7]\n"
                                  "t7 = eq.library[7] == \"v^3\"\nr2 = eq.r2.v"), ND_OK);
    /* dv/dt = v − v³/3 − w + I with I = 0.5; central differences at dt = 0.1 leave a
       small bias, so 1 % is the check. */
    CHECK_NEAR(ws_number(f.in, "c1"), 0.5, 0.01);
    CHECK_NEAR(ws_number(f.in, "cv"), 1, 0.01);
    CHECK_NEAR(ws_number(f.in, "cw"), -1, 0.01);
    CHECK_NEAR(ws_number(f.in, "cv3"), -1.0 / 3, 0.01);
    CHECK(ws_number(f.in, "r2") > 0.999);
    nd_value *t7 = nd_ws_get(nd_interp_workspace(f.in), "t7");
    CHECK(t7 && t7->kind == ND_VAL_BOOL && t7->as.truth);
    rec_fixture_teardown(&f);
}

TEST(values_vars_show_and_completion_list_fields)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "tab = table n=[1, 2] err=[3, 4]\nvars"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].json, "\"name\":\"tab\",\"type\":\"dataset\"");
    CHECK_CONTAINS(f.r.ev[0].json, "\"fields\":[\"n\",\"err\"]");
    CHECK_CONTAINS(f.r.ev[0].text, "fields");
    CHECK_INT(rec_fixture_run(&f, "show tab"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "tab (dataset) — fields:");
    CHECK_CONTAINS(f.r.ev[0].json, "{\"name\":\"err\",\"type\":\"vector\",\"summary\":\"[3, 4]\"}");
    CHECK_INT(rec_fixture_run(&f, "help tab.err"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "tab.err: vector");
    CHECK_CONTAINS(f.r.ev[0].text, "[3, 4]");
    CHECK_INT(rec_fixture_run(&f, "help tab"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "fields: tab.n, tab.err");
    nd_completion c;
    CHECK_INT(nd_interp_complete(f.in, "print tab.e", 11, &c), ND_OK);
    CHECK_INT(c.count, 1);
    if (c.count == 1) CHECK_STR(c.matches[0], "tab.err");
    CHECK_INT(c.start, 6);
    nd_completion_free(&c);
    CHECK_INT(nd_interp_complete(f.in, "x = tab.", 8, &c), ND_OK);
    CHECK_INT(c.count, 2);
    nd_completion_free(&c);
    rec_fixture_teardown(&f);
}
