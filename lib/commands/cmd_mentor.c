/* stuck, hint, guess, reveal: the mentor (lib/analysis/mentor.h) talking about the last
   event the interpreter recorded (lib/language/event.h). These only read their arguments,
   gather the facts and show what the library answers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../analysis/mentor.h"
#include "../language/args.h"
#include "../language/exec.h"
#include "../language/objects.h"
#include "modules.h"

static nd_status show(const nd_cmd_ctx *ctx, nd_mentor_answer *a, nd_error *err)
{
    nd_bundle *b = nd_mentor_bundle(a);
    nd_mentor_answer_clear(a);
    return nd_cmd_display(ctx, b, err);
}

static nd_status no_event(const nd_cmd_ctx *ctx, nd_error *err)
{
    return nd_error_set(err, ND_EVALUE, ctx->call->line, ctx->call->col,
                        (int)strlen(ctx->call->name), "'%s' works in a cell, not in an interact",
                        ctx->call->name);
}

/* The event's facts plus what the current model says about its rest state. */
static nd_status gather(const nd_cmd_ctx *ctx, nd_mentor_facts *f, nd_error *err)
{
    nd_mentor_facts_init(f);
    if (nd_event_facts(ctx->exec->event, ctx->ws, f) != 0)
        return nd_error_fail(err, ND_ENOMEM, "out of memory");
    const nd_model *m = nd_ws_model(ctx->ws);
    return m ? nd_mentor_model_facts(m, nd_model_pars(m), f, err) : ND_OK;
}

/* Shows level of the situation the last event matches, remembering it for `hint`. */
static nd_status situation(nd_cmd_ctx *ctx, int next, nd_error *err)
{
    nd_event *ev = ctx->exec->event;
    if (!ev) return no_event(ctx, err);
    if (ev->facts.n == 0) return nd_cmd_display(ctx, nd_mentor_bundle_unmatched(&ev->facts), err);
    nd_mentor_facts f;
    nd_status st = gather(ctx, &f, err);
    const nd_mentor_table *t = nd_mentor_builtin("situations");
    const nd_mentor_row *row = st == ND_OK && t ? nd_mentor_match(t, &f) : NULL;
    int facts = 0;
    if (st == ND_OK) st = nd_arg_opt_bool(ctx, "facts", 0, &facts, err);
    if (st == ND_OK && facts) st = nd_cmd_display(ctx, nd_mentor_facts_bundle(&f), err);
    if (st == ND_OK && !row) {
        st = nd_cmd_display(ctx, nd_mentor_bundle_unmatched(&f), err);
    } else if (st == ND_OK) {
        nd_mentor_answer a;
        st = nd_mentor_talk_situation(&ev->talk, row, &f, next, &a, err);
        if (st == ND_OK) st = show(ctx, &a, err);
    }
    nd_mentor_facts_clear(&f);
    return st;
}

static nd_status run_stuck(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    return st == ND_OK ? situation(ctx, 0, err) : st;
}

/* The guess row called by arg's bare name; NameError listing the names otherwise. */
static nd_status guess_row(const nd_arg *arg, const char *name,
                           const nd_mentor_row **row, nd_error *err)
{
    const nd_mentor_table *t = nd_mentor_builtin("guesses");
    *row = t ? nd_mentor_table_find(t, name) : NULL;
    if (*row) return ND_OK;
    char names[512];
    nd_mentor_table_ids(t, names, sizeof names);
    return nd_arg_error(arg, err, ND_ENAME, "nothing to guess called '%s' (try: %s)", name, names);
}

/* Shows level of guess row (x: the new guess, NAN to keep the last one). */
static nd_status guess_level(nd_cmd_ctx *ctx, const nd_mentor_row *row, double x, int level,
                             nd_error *err)
{
    nd_mentor_answer a;
    nd_status st = nd_mentor_talk_guess(&ctx->exec->event->talk, row, x, level, &a, err);
    return st == ND_OK ? show(ctx, &a, err) : st;
}

static nd_status run_guess(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    if (!ctx->exec->event) return no_event(ctx, err);
    if (ctx->call->nargs == 0)
        return nd_cmd_display(ctx, nd_mentor_bundle_guesses(nd_mentor_builtin("guesses")), err);
    if (ctx->call->nargs > 1)
        return nd_arg_error(&ctx->call->args[1], err, ND_ESYNTAX,
                            "guess takes one NAME = VALUE (or NAME)");
    const nd_arg *a = &ctx->call->args[0];
    const nd_mentor_row *row;
    if (a->key) {
        double x;
        nd_status st = guess_row(a, a->key, &row, err);
        if (st == ND_OK) st = nd_arg_number(ctx, a, &x, err);
        if (st != ND_OK) return st;
        return guess_level(ctx, row, x, nd_mentor_talk_guess_level(&ctx->exec->event->talk,
                                                                    a->key, 0), err);
    }
    const char *name;
    nd_status st = nd_arg_name(ctx, a, &name, err);
    if (st == ND_OK) st = guess_row(a, name, &row, err);
    if (st != ND_OK) return st;
    return guess_level(ctx, row, NAN, nd_mentor_talk_guess_level(&ctx->exec->event->talk, name, 1),
                       err);
}

static nd_status run_reveal(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    if (!ctx->exec->event) return no_event(ctx, err);
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    const char *name;
    const nd_mentor_row *row;
    if (st == ND_OK) st = nd_arg_name(ctx, nd_arg_pos(ctx, 0), &name, err);
    if (st == ND_OK) st = guess_row(nd_arg_pos(ctx, 0), name, &row, err);
    return st == ND_OK ? guess_level(ctx, row, NAN, 3, err) : st;
}

static nd_status run_hint(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    if (st != ND_OK) return st;
    const nd_mentor_row *row = ctx->exec->event ? nd_mentor_talk_hint_guess(&ctx->exec->event->talk)
                                                : NULL;
    return row ? guess_level(ctx, row, NAN, ctx->exec->event->talk.guess_level + 1, err)
               : situation(ctx, 1, err);
}

static const nd_option stuck_options[] = {
    {"facts", "false", "also show the facts of the last statement the situations are matched on"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_stuck = {
    "stuck", "ask the mentor about what just happened", "stuck",
    "Looks at the last statement (its command, options, error message, or the record it "
    "gave: a spikes count of 0, a training verdict, a SINDy fit, a continuation) and at the "
    "current model's rest state, finds the situation it matches in the mentor's table "
    "(docs/mentor.md), and answers in three parts: which kind of trouble it most likely is "
    "(concept, math or implementation) and why; two or three questions with the situation's "
    "own numbers; and where to read. It never gives the fix: `hint` does, one level at a "
    "time.\n\n"
    "`stuck facts=true` also shows the facts the mentor matched (what a row's when: of "
    "lib/analysis/mentor/situations.md tests).",
    stuck_options, "use hh\nset I = 10\nsimulate t=100 method=rk4 dt=0.1\nstuck\nhint",
    ND_CMD_MENTOR, run_stuck
};

static const nd_command cmd_hint = {
    "hint", "the mentor's next, more direct level of help", "hint",
    "Gives the next level for what the mentor last talked about: after `stuck`, the hints "
    "of that situation, the last one with a command that works; after `guess`, a bracket "
    "around the value and then the value itself. Without either, it starts with the "
    "diagnosis `stuck` gives.",
    NULL, "stuck\nhint\nhint", ND_CMD_MENTOR, run_hint
};

static const nd_command cmd_guess = {
    "guess", "guess a quantity the notebooks ask about; the mentor says how far off",
    "guess [NAME = VALUE | NAME]",
    "Compares VALUE with what the library computes for NAME (the rest potential of hh, its "
    "Hopf current, where it starts firing …: `guess` alone lists them) and says how far off "
    "it is (percentage and direction) with the question that explains the difference, "
    "without giving the number. `guess NAME` again (or `hint`) brackets it; `reveal NAME` "
    "gives it with the command that computes it.",
    NULL, "guess\nguess hh_hopf_current = 5\nguess hh_hopf_current\nreveal hh_hopf_current",
    ND_CMD_MENTOR | ND_CMD_ANY_OPTIONS, run_guess
};

static const nd_command cmd_reveal = {
    "reveal", "the value of a guessable quantity and the command that computes it",
    "reveal NAME",
    "Shows what the library computes for NAME (see `guess`), the last level of the guess, "
    "with the command that reproduces it.",
    NULL, "reveal hh_rest_v", ND_CMD_MENTOR, run_reveal
};

nd_status nd_cmd_register_mentor(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_stuck, &cmd_hint, &cmd_guess, &cmd_reveal};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
