/* The network commands end to end: ude, node, train (stages, live display, interrupt,
   errors), plot NET DATA, plot NET.TERM, simulate NET, stim NET, show NET, save/load. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "../../lib/language/objects.h"
#include "../../lib/language/workspace.h"
#include "../../lib/learn/ude.h"
#include "rec_sink.h"
#include "tempdir.h"

/* Oscillating FitzHugh–Nagumo (I = 0.5), v observed: small and fast to fit. */
#define SETUP "use fhn\nset I = 0.5\ndata = simulate t=20 sample=0.5 observe=v\n"

static nd_ude *net(rec_fixture *f, const char *name)
{
    return nd_value_as_ude(nd_ws_get(nd_interp_workspace(f->in), name));
}

static size_t history_len(rec_fixture *f, const char *name)
{
    size_t n = 0;
    nd_ude *u = net(f, name);
    if (u) nd_ude_history(u, &n);
    return n;
}

/* The last recorded event of kind "display" whose JSON contains needle, or NULL. */
static const rec_event *display_json(const rec_fixture *f, const char *needle)
{
    for (int i = f->r.n - 1; i >= 0; i--)
        if (strcmp(f->r.ev[i].kind, "display") == 0 && f->r.ev[i].json &&
            strstr(f->r.ev[i].json, needle))
            return &f->r.ev[i];
    return NULL;
}

TEST(cmd_learn_ude_and_node_describe_and_bind)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "n1 = ude replace=v inputs=v,w hidden=8 seed=3"), ND_OK);
    nd_ude *u = net(&f, "n1");
    CHECK(u != NULL);
    if (u) {
        CHECK_INT(nd_ude_is_node(u), 0);
        CHECK_INT(nd_ude_ninputs(u), 2);
        CHECK_INT(nd_mlp_nparams(nd_ude_net(u)), 2 * 8 + 8 + 8 + 1);
        CHECK_INT(nd_mlp_seed(nd_ude_net(u)), 3);
    }
    const rec_event *d = display_json(&f, "\"type\":\"network\"");
    CHECK(d != NULL);
    if (d) {
        CHECK_CONTAINS(d->text, "universal differential equation of fhn");
        CHECK_CONTAINS(d->text, "2 → 8 → 1");
        CHECK_CONTAINS(d->text, "parameters: 33");
        CHECK_CONTAINS(d->json, "\"replace\":[\"v\"]");
    }
    /* Defaults: every state as input, 16,16 tanh. */
    CHECK_INT(rec_fixture_run(&f, "n2 = node fhn"), ND_OK);
    u = net(&f, "n2");
    CHECK(u && nd_ude_is_node(u));
    if (u) {
        CHECK_INT(nd_ude_ninputs(u), 2);
        CHECK_INT(nd_mlp_nhidden(nd_ude_net(u)), 2);
        CHECK_INT(nd_mlp_hidden(nd_ude_net(u), 1), 16);
        CHECK_INT(nd_mlp_act(nd_ude_net(u)), ND_ACT_TANH);
    }
    CHECK_INT(rec_fixture_run(&f, "vars"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "node of fhn");
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_ude_errors_are_located)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh_rinzel"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "n = ude replace=INaa inputs=V"), ND_ENAME);
    CHECK_INT(f.e.col, 17);
    CHECK_CONTAINS(f.e.msg, "INaa");
    CHECK_INT(rec_fixture_run(&f, "n = ude replace=INa inputs=V,q"), ND_ENAME);
    CHECK_INT(f.e.col, 30);
    CHECK_INT(rec_fixture_run(&f, "n = ude replace=INa act=bogus"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "tanh");
    CHECK_CONTAINS(f.e.msg, "swish");
    CHECK_INT(f.e.col, 25);
    CHECK_INT(rec_fixture_run(&f, "n = ude replace=INa hidden=0"), ND_EVALUE);
    CHECK_INT(f.e.col, 28);
    CHECK_INT(rec_fixture_run(&f, "n = ude inputs=V"), ND_ESYNTAX);
    CHECK_CONTAINS(f.e.msg, "replace=");
    CHECK_INT(rec_fixture_run(&f, "n = ude replace=INa bogus=1"), ND_ENAME);
    CHECK(nd_ws_get(nd_interp_workspace(f.in), "n") == NULL);
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_train_stages_decrease_the_loss_in_one_display)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=8"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "train net data adam lr=0.01 iters=20 then lbfgs iters=10"),
              ND_OK);
    CHECK_INT(history_len(&f, "net"), 30);
    nd_ude *u = net(&f, "net");
    if (u) {
        size_t n;
        const double *h = nd_ude_history(u, &n);
        CHECK(n == 30 && h[29] < h[0]);
        CHECK_INT(nd_ude_nstages(u), 2);
    }
    /* The progress display: created once, then only updated, all under one id. */
    int created = 0, updates = 0;
    const char *id = NULL;
    for (int i = 0; i < f.r.n; i++) {
        const rec_event *e = &f.r.ev[i];
        if (strcmp(e->kind, "display") != 0 || !e->id[0]) continue;
        if (!id) id = e->id;
        CHECK_STR(e->id, id);
        if (e->update) updates++;
        else created++;
    }
    CHECK_INT(created, 1);
    CHECK(updates >= 1);
    const rec_event *last = NULL;
    for (int i = 0; i < f.r.n; i++)
        if (f.r.ev[i].id[0]) last = &f.r.ev[i];
    if (last) {
        CHECK_CONTAINS(last->text, "stage lbfgs · iteration 10/10 · loss");
        CHECK_CONTAINS(last->text, "done");
        CHECK_CONTAINS(last->json, "\"type\":\"figure\"");
        /* each stage its own series (20 and 10 points: the boundary shows), and the
           verdict on the figure, as the summary says it */
        CHECK_CONTAINS(last->json, "{\"label\":\"adam\",\"n\":20,");
        CHECK_CONTAINS(last->json, "{\"label\":\"lbfgs\",\"n\":10,");
    }
    const rec_event *verdict = display_json(&f, "\"type\":\"training\"");
    if (last && verdict)
        CHECK_CONTAINS(last->text, strstr(verdict->text, "NOT a good fit") ? "· NOT a good fit"
                                                                          : "· good fit");
    const rec_event *sum = display_json(&f, "\"type\":\"training\"");
    CHECK(sum != NULL);
    if (sum) {
        CHECK_CONTAINS(sum->text, "adam");
        CHECK_CONTAINS(sum->text, "lbfgs");
        CHECK_CONTAINS(sum->text, "iteration limit");
        CHECK_CONTAINS(sum->json, "\"history\":[");
        CHECK_CONTAINS(sum->json, "\"iterations\":30");
        CHECK_CONTAINS(sum->json, "\"stage\":\"lbfgs\",\"colloc\":false,\"segments\":1,"
                                  "\"attempt\":0,\"iterations\":10");
    }
    /* Training again continues the history; a derivative-matching stage first. */
    CHECK_INT(rec_fixture_run(&f, "train net data adam colloc=true iters=5 then adamw "
                                  "iters=5 wd=0.001"), ND_OK);
    CHECK_INT(history_len(&f, "net"), 40);
    last = NULL;
    for (int i = 0; i < f.r.n; i++)
        if (f.r.ev[i].id[0]) last = &f.r.ev[i];
    CHECK(last != NULL);
    if (last) CHECK_CONTAINS(last->json, "{\"label\":\"earlier training\",\"n\":30,");
    sum = display_json(&f, "\"type\":\"training\"");
    if (sum) {
        CHECK_CONTAINS(sum->text, "adam (colloc)");
        CHECK_CONTAINS(sum->json, "\"stage\":\"adam\",\"colloc\":true");
    }
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_train_errors_leave_the_workspace)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=8\n"
                                        "wonly = simulate t=20 sample=0.5 observe=w"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "train net wonly observe=v adam iters=5"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "no column 'v'");
    CHECK_INT(f.e.col, 11);
    CHECK_INT(history_len(&f, "net"), 0);
    CHECK(net(&f, "net") != NULL);
    CHECK_INT(rec_fixture_run(&f, "train net data lr=0.1 adam"), ND_ESYNTAX);
    CHECK_INT(f.e.col, 19);
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=5 lbfgs"), ND_ESYNTAX);
    CHECK_CONTAINS(f.e.msg, "then");
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=5 then"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=5 iters=6"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "train net data lbfgs lr=0.1"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=0"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "train net data sgd"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "train data net"), ND_ETYPE);
    CHECK_INT(rec_fixture_run(&f, "train net fhn"), ND_ETYPE);
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=5 then adam continuity=2"),
              ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=5 segments=0"), ND_EVALUE);
    CHECK_INT(rec_fixture_run(&f, "train net data collocation=-1"), ND_EVALUE);
    CHECK_INT(history_len(&f, "net"), 0);
    rec_fixture_teardown(&f);
}

/* A sink that interrupts the interpreter at the first in-place progress update, i.e.
   after at least one training iteration, however slow the build. */
static nd_interp *to_interrupt;
static void (*recorded_display)(void *, const nd_bundle *, const char *, int);

static void display_then_interrupt(void *ctx, const nd_bundle *b, const char *id, int update)
{
    recorded_display(ctx, b, id, update);
    if (update) nd_interp_interrupt(to_interrupt);
}

TEST(cmd_learn_train_interrupt_keeps_the_best_parameters)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=8"), ND_OK);
    to_interrupt = f.in;
    recorded_display = f.r.sink.display;
    f.r.sink.display = display_then_interrupt;
    nd_status st = rec_fixture_run(&f, "train net data adam iters=100000000");
    f.r.sink.display = recorded_display;
    CHECK_INT(st, ND_EINTERRUPT);
    CHECK_CONTAINS(f.e.msg, "interrupted at iteration");
    CHECK_CONTAINS(f.e.msg, "keeps the best parameters");
    CHECK_CONTAINS(f.e.msg, "run train again to continue");
    size_t n = history_len(&f, "net");
    CHECK(n > 0);
    const rec_event *sum = display_json(&f, "\"type\":\"training\"");
    CHECK(sum != NULL);
    if (sum) CHECK_CONTAINS(sum->text, "interrupted");
    nd_interp_clear_interrupt(f.in);
    CHECK_INT(rec_fixture_run(&f, "train net data adam iters=3"), ND_OK);
    CHECK_INT(history_len(&f, "net"), n + 3);
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_plot_fit_and_learned_term)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=8\n"
                                        "train net data adam iters=10"), ND_OK);
    CHECK_INT(rec_fixture_run(&f, "plot net data"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    CHECK_CONTAINS(f.r.ev[0].json, "\"type\":\"figure\"");
    CHECK_CONTAINS(f.r.ev[0].json, "\"fit\":{\"network\":\"net\",\"rms\":{\"v\":");
    CHECK_CONTAINS(f.r.ev[0].text, "v RMS error");
    /* A hidden state: its prediction alone, in its own panel. */
    CHECK_INT(rec_fixture_run(&f, "plot net data v w"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "panel 2: y w");
    CHECK_CONTAINS(f.r.ev[0].json, "\"rms\":{\"v\":");
    CHECK_INT(rec_fixture_run(&f, "plot net.v vs v v=-2..2 w=0.5"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].json, "\"rms_over_range\":");
    CHECK_CONTAINS(f.r.ev[0].text, "RMS difference");
    CHECK_CONTAINS(f.r.ev[0].text, "401 points, x -2..2");   /* regression pin: the default grid */
    CHECK_INT(rec_fixture_run(&f, "truth = simulate t=20 sample=0.5\nplot net.v truth"), ND_OK);
    CHECK_CONTAINS(f.r.ev[0].text, "along the trajectory");
    CHECK_INT(rec_fixture_run(&f, "plot net.w vs v v=-2..2"), ND_ENAME);
    CHECK_INT(rec_fixture_run(&f, "plot net.v vs v q=-2..2"), ND_ENAME);
    CHECK_INT(rec_fixture_run(&f, "plot net.v vs v w=1"), ND_ESYNTAX);
    CHECK_INT(rec_fixture_run(&f, "plot net.v data"), ND_EVALUE);   /* no w column */
    CHECK_INT(rec_fixture_run(&f, "plot net"), ND_ESYNTAX);
    /* Ordinary plots still check their options. */
    CHECK_INT(rec_fixture_run(&f, "plot data v v=1"), ND_ENAME);
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_simulate_stim_and_show)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=8\n"
                                        "s = simulate net t=30 terms=true\nspikes s"), ND_OK);
    const nd_dataset *ds = nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f.in), "s"));
    CHECK(ds != NULL);
    if (ds) {
        CHECK_STR(nd_ds_meta(ds, "network"), "net");
        CHECK(nd_ds_find(ds, "v") > 0 && nd_ds_find(ds, "w") > 0);
    }
    CHECK_INT(rec_fixture_run(&f, "stim net step at=5 dur=10 amp=1\ns2 = simulate net t=30"),
              ND_OK);
    ds = nd_value_as_dataset(nd_ws_get(nd_interp_workspace(f.in), "s2"));
    CHECK(ds && nd_ds_find(ds, "I") > 0);
    CHECK_INT(rec_fixture_run(&f, "show net"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display|display");
    CHECK_CONTAINS(f.r.ev[0].text, "dv/dt = network(v, w)");
    CHECK_CONTAINS(f.r.ev[0].text, "stimulus on I: step");
    CHECK_CONTAINS(f.r.ev[1].json, "\"type\":\"network\"");
    CHECK_INT(rec_fixture_run(&f, "stim net none\nstim net bogus"), ND_ENAME);
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_save_load_round_trip)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    char dir[64], code[1024];
    CHECK(nd_tempdir_make(dir) == 0);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=8\n"
                                        "train net data adam iters=5"), ND_OK);
    snprintf(code, sizeof code, "save net \"%s/net.json\"\nnet2 = load \"%s/net.json\"", dir,
             dir);
    CHECK_INT(rec_fixture_run(&f, code), ND_OK);
    nd_ude *a = net(&f, "net"), *b = net(&f, "net2");
    CHECK(a && b);
    if (a && b) {
        size_t n = nd_mlp_nparams(nd_ude_net(a));
        CHECK_INT(nd_mlp_nparams(nd_ude_net(b)), n);
        if (nd_mlp_nparams(nd_ude_net(b)) == n)
            CHECK(memcmp(nd_mlp_params(nd_ude_net(a)), nd_mlp_params(nd_ude_net(b)),
                         n * sizeof(double)) == 0);
        CHECK_INT(history_len(&f, "net2"), 5);
    }
    snprintf(code, sizeof code, "x = load \"%s/missing.json\"", dir);
    CHECK_INT(rec_fixture_run(&f, code), ND_EIO);
    CHECK_INT(rec_fixture_run(&f, "save 3 \"x.json\""), ND_ETYPE);
    CHECK_CONTAINS(f.e.msg, "a dataset, a network or a figure here, not a number");
    /* a network reached by an expression (as an ensemble's members[k]) saves the same */
    snprintf(code, sizeof code, "nets = [net, net2]\nsave nets[2] \"%s/n3.json\"\n"
                                "net3 = load \"%s/n3.json\"", dir, dir);
    CHECK_INT(rec_fixture_run(&f, code), ND_OK);
    nd_ude *c = net(&f, "net3");
    CHECK(a && c && memcmp(nd_mlp_params(nd_ude_net(a)), nd_mlp_params(nd_ude_net(c)),
                           nd_mlp_nparams(nd_ude_net(a)) * sizeof(double)) == 0);
    nd_tempdir_remove(dir);
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_train_stage_segments_and_the_default_recipe)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=6 seed=2"), ND_OK);
    /* Each stage may cut the data differently: one fit per stage. */
    CHECK_INT(rec_fixture_run(&f, "train net data lbfgs segments=8 iters=5 then lbfgs iters=5"),
              ND_OK);
    const rec_event *sum = display_json(&f, "\"type\":\"training\"");
    CHECK(sum != NULL);
    if (sum) {
        CHECK_CONTAINS(sum->text, "lbfgs ×8");
        CHECK_CONTAINS(sum->json, "\"segments\":8");
        CHECK_CONTAINS(sum->json, "\"segments\":1");
    }
    /* No stage: collocation, then 4 and 1 segments on these 41 samples; the summary gives
       the verdict: this noise-free fit is judged against 1 % of the data's range. */
    CHECK_INT(rec_fixture_run(&f, "net2 = ude fhn replace=v inputs=v,w hidden=6 seed=2\n"
                                  "train net2 data"), ND_OK);
    sum = display_json(&f, "\"recipe\":");
    CHECK(sum != NULL);
    if (sum) {
        CHECK_CONTAINS(sum->text, "lbfgs (colloc)");
        /* regression pin: the recipe's choices (4 segments for 41 samples, one attempt
           enough), not a truth; the fit itself is judged by the verdict below. */
        CHECK_CONTAINS(sum->text, "lbfgs ×4");
        CHECK_CONTAINS(sum->text, "default recipe: 1 attempt, attempt 1 kept");
        CHECK_CONTAINS(sum->text, "good fit: v residual RMS");
        CHECK_CONTAINS(sum->json, "\"verdict\":{\"ok\":true");
    }
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_eval_gives_the_learned_term_as_a_dataset)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "truth = simulate t=20 sample=0.5\n"
                                  "net = ude replace=v inputs=v,w hidden=4 seed=3\n"
                                  "y = eval net.v vs v truth"), ND_OK);
    nd_ws *ws = nd_interp_workspace(f.in);
    nd_dataset *y = nd_value_as_dataset(nd_ws_get(ws, "y"));
    nd_dataset *tr = nd_value_as_dataset(nd_ws_get(ws, "truth"));
    nd_ude *u = net(&f, "net");
    CHECK(y && tr && u);
    if (y && tr && u) {
        CHECK_INT((int)nd_ds_cols(y), 3);
        CHECK_STR(nd_ds_name(y, 1), "dv/dt");
        CHECK_STR(nd_ds_name(y, 2), "true dv/dt");
        CHECK_INT((int)nd_ds_rows(y), (int)nd_ds_rows(tr));
        /* The truth, from FitzHugh–Nagumo's dv/dt = v - v³/3 - w + I written here, and the
           network evaluated directly at each row's (v, w). */
        const double *v = nd_ds_col(tr, (size_t)nd_ds_find(tr, "v"));
        const double *w = nd_ds_col(tr, (size_t)nd_ds_find(tr, "w"));
        double worst_true = 0, worst_net = 0;
        for (size_t r = 0; r < nd_ds_rows(y); r++) {
            double want = v[r] - v[r] * v[r] * v[r] / 3 - w[r] + 0.5, x[2] = {v[r], w[r]}, z;
            nd_ude_net_eval(u, x, 1, &z, NULL);
            worst_true = fmax(worst_true, fabs(nd_ds_col(y, 2)[r] - want));
            worst_net = fmax(worst_net, fabs(nd_ds_col(y, 1)[r] - z));
        }
        CHECK(worst_true < 1e-12);
        CHECK(worst_net < 1e-12);
    }
    /* The network reads w, which the observed data lack; a term it does not learn. */
    CHECK_INT(rec_fixture_run(&f, "eval net.v data"), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "the dataset has no column 'w': the network needs");
    CHECK_INT(rec_fixture_run(&f, "eval net.q truth"), ND_ENAME);
    CHECK_CONTAINS(f.e.msg, "does not learn 'q' (it learns: v)");
    CHECK_INT(rec_fixture_run(&f, "eval net truth"), ND_ETYPE);
    rec_fixture_teardown(&f);
}

TEST(cmd_learn_train_binds_its_record)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, SETUP "net = ude replace=v inputs=v,w hidden=4 seed=3\n"
                                  "t = train net data lbfgs iters=5"), ND_OK);
    nd_value *t = nd_ws_get(nd_interp_workspace(f.in), "t");
    CHECK(t && t->kind == ND_VAL_RECORD);
    if (t && t->kind == ND_VAL_RECORD) {
        nd_value *ok = nd_record_get(t, "ok"), *h = nd_record_get(t, "history");
        nd_value *loss = nd_record_get(t, "loss"), *verdict = nd_record_get(t, "verdict");
        CHECK(ok && ok->kind == ND_VAL_BOOL);
        CHECK(h && h->kind == ND_VAL_VECTOR && h->as.vec.n == history_len(&f, "net"));
        CHECK(loss && h && h->as.vec.n && loss->as.num == h->as.vec.x[h->as.vec.n - 1]);
        CHECK(verdict && verdict->kind == ND_VAL_STRING);
        /* 5 iterations cannot fit: the verdict says so */
        CHECK(ok && !ok->as.truth);
        CHECK(verdict && strncmp(verdict->as.str, "NOT a good fit", 14) == 0);
        CHECK(nd_record_get(t, "noise") && nd_record_get(t, "residual_rms"));
        nd_value *st = nd_record_get(t, "stages");
        CHECK(st && st->kind == ND_VAL_LIST && st->as.list.n == 1);
    }
    rec_fixture_teardown(&f);
}
