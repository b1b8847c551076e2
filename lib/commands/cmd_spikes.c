/* Spike-train commands: spikes (what fired, when) and compare (how well one train or
   trace reproduces another). Both return records; the science and the views are in
   lib/analysis (spikes.h, compare.h, spikes_view.h). */
#include <math.h>
#include <string.h>

#include "../analysis/compare_sides.h"
#include "../language/args.h"
#include "../language/fields_value.h"
#include "modules.h"
#include "../language/objects.h"
#include "../language/target.h"

/* ---- spikes ---- */

/* The column of ds that the optional argument va names (default V, else the first). */
static nd_status pick_column(const nd_cmd_ctx *ctx, const nd_dataset *ds, const nd_arg *dsa,
                             const nd_arg *va, int *col, nd_error *err)
{
    const char *var = NULL;
    nd_status st = va ? nd_arg_name(ctx, va, &var, err) : ND_OK;
    if (st != ND_OK) return st;
    if ((*col = nd_spikes_column(ds, var)) >= 1) return ND_OK;
    return va ? nd_arg_error(va, err, ND_ENAME, "the dataset has no variable '%s'", var)
              : nd_arg_error(dsa, err, ND_EVALUE, "the dataset has no variable");
}

/* The rule: the default for the column, or a plain crossing of threshold=; hysteresis=
   overrides either. */
static nd_status pick_rule(const nd_cmd_ctx *ctx, const nd_dataset *ds, int col,
                           nd_spikes_rule *rule, nd_error *err)
{
    const nd_arg *ta = nd_arg_opt(ctx, "threshold"), *ha = nd_arg_opt(ctx, "hysteresis");
    double thr, hys;
    nd_status st;
    if ((ta && (st = nd_arg_number(ctx, ta, &thr, err)) != ND_OK) ||
        (ha && (st = nd_arg_number(ctx, ha, &hys, err)) != ND_OK))
        return st;
    nd_error e;
    if ((st = nd_spikes_rule_with(ds, (size_t)col, ta ? &thr : NULL, ha ? &hys : NULL, rule,
                                  &e)) != ND_OK)
        return nd_arg_error(ha, err, st, "%s", e.msg);   /* only a hysteresis is refused */
    return ND_OK;
}

static nd_status run_spikes(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, 2, err);
    if (st != ND_OK) return st;
    nd_value *holder;
    nd_dataset *ds;
    if ((st = nd_target_dataset(ctx, nd_arg_pos(ctx, 0), &holder, &ds, err)) != ND_OK) return st;
    int col = -1;
    nd_spikes_rule rule;
    nd_spikes s = {0};
    s.block_start = NAN;
    if ((st = pick_column(ctx, ds, nd_arg_pos(ctx, 0), nd_arg_pos(ctx, 1), &col, err)) == ND_OK &&
        (st = pick_rule(ctx, ds, col, &rule, err)) == ND_OK &&
        (st = nd_spikes_dataset(ds, (size_t)col, &rule, &s, NULL, err)) != ND_OK)
        nd_target_locate(err, nd_arg_opt(ctx, "threshold") ? nd_arg_opt(ctx, "threshold")
                                                            : nd_arg_pos(ctx, 0));
    if (st == ND_OK) {
        nd_spikes_report r;
        nd_spikes_report_of(ds, (size_t)col, &s, &rule, &r);
        st = nd_cmd_give(ctx, nd_record_of_fields(nd_spikes_fields(&r), nd_spikes_bundle(&r)),
                         result, err);
    }
    nd_spikes_clear(&s);
    nd_value_unref(holder);
    return st;
}

static const nd_option spikes_options[] = {
    {"threshold", "-20 for mV; mid-range for dimensionless", "a spike starts where the trace "
     "crosses it upwards (given: no minimum amplitude)"},
    {"hysteresis", "10 mV; else a tenth of the range", "how far below the threshold a spike "
     "must fall back to end"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_spikes = {
    "spikes", "spike times, intervals, rate and peaks of a trace",
    "[NAME =] spikes DATASET [VAR] [threshold= hysteresis=]",
    "Finds the spikes of VAR (default V) in a dataset. For a membrane potential in mV a "
    "spike crosses −20 mV upwards, falls back below −30 mV and rises at least 30 mV above "
    "the trough before it, so a resting, drifting, noisy or subthreshold trace has none. "
    "For a dimensionless variable (fhn's v) the threshold is the mid-range and a spike must "
    "rise at least max(1, half the range): an order-one excursion, which a flat or slowly "
    "drifting trace does not make. In a model that resets (lif, izh) each reset is a spike. "
    "threshold= (and hysteresis=, default a tenth of the range) replace the rule by a plain "
    "crossing. A trace that rises and never comes back down is a depolarisation block, "
    "reported but not counted.\n\n"
    "On a simulation, crossings and peaks come from the solver's continuous solution, so "
    "they do not depend on sample=; on loaded or noisy data, from the samples (the peak "
    "by a parabola through the highest sample and its neighbours). The rate is 1000/mean "
    "ISI (Hz for a millisecond time axis), shown beside the count over the window. "
    "`s = spikes …` binds a record: s.count, s.times, s.peak_times, s.peaks, s.isi, "
    "s.rate, s.count_rate, s.isi_mean, s.isi_cv, s.threshold, s.variable, s.block_start, "
    "s.t_start, s.t_end.",
    spikes_options, "sim = simulate hh t=100\nspikes sim\ns = spikes sim V threshold=0", 0,
    run_spikes
};

/* ---- compare ---- */

/* One side as read: the train, and the value that holds it. */
typedef struct side {
    nd_value *holder;
    nd_compare_side c;
} side;

static nd_status record_number(const nd_value *rec, const char *name, double *x,
                               const nd_arg *a, nd_error *err)
{
    const nd_value *v = nd_record_get(rec, name);
    if (!v || v->kind != ND_VAL_NUMBER)
        return nd_arg_error(a, err, ND_ETYPE, "this spike record has no number '%s'", name);
    *x = v->as.num;
    return ND_OK;
}

/* Reads argument a as a spike record or a dataset (whose spikes of var are found with the
   default rule). */
static nd_status read_side(nd_cmd_ctx *ctx, const nd_arg *a, const nd_arg *va, side *sd,
                           nd_error *err)
{
    nd_status st = nd_arg_value(ctx, a, &sd->holder, err);
    if (st != ND_OK) return st;
    const nd_value *v = sd->holder;
    nd_compare_side *c = &sd->c;
    if (v->kind == ND_VAL_RECORD && strcmp(v->as.rec.type, "spikes") == 0) {
        const nd_value *tv = nd_record_get(v, "times");
        if (!tv || tv->kind != ND_VAL_VECTOR)
            return nd_arg_error(a, err, ND_ETYPE, "this spike record has no times");
        c->times = tv->as.vec.x;
        c->n = tv->as.vec.n;
        if ((st = record_number(v, "t_start", &c->t0, a, err))) return st;
        return record_number(v, "t_end", &c->t1, a, err);
    }
    const nd_dataset *ds = nd_value_as_dataset(v);
    if (!ds) {
        char buf[48];
        return nd_arg_error(a, err, ND_ETYPE, "compare takes datasets or spike records "
                            "(s = spikes …), not %s", nd_value_a_type(v, buf, sizeof buf));
    }
    int col;
    if ((st = pick_column(ctx, ds, a, va, &col, err)) != ND_OK) return st;
    if ((st = nd_compare_side_dataset(ds, col, c, err)) != ND_OK) nd_target_locate(err, a);
    return st;
}

static void side_clear(side *sd)
{
    nd_compare_side_clear(&sd->c);
    nd_value_unref(sd->holder);
}

static nd_status run_compare(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 3, err);
    if (st != ND_OK) return st;
    double delta;
    if ((st = nd_arg_opt_number(ctx, "delta", 2, &delta, err)) != ND_OK) return st;
    if (!(delta > 0) || !isfinite(delta))
        return nd_arg_error(nd_arg_opt(ctx, "delta"), err, ND_EVALUE,
                            "delta must be a positive time (ms)");
    side a = {0}, b = {0};
    const nd_arg *va = nd_arg_pos(ctx, 2);
    if ((st = read_side(ctx, nd_arg_pos(ctx, 0), va, &a, err)) == ND_OK)
        st = read_side(ctx, nd_arg_pos(ctx, 1), va, &b, err);
    if (st == ND_OK && va && !a.c.ds && !b.c.ds)
        st = nd_arg_error(va, err, ND_EVALUE, "a variable is only compared between datasets");
    nd_compare c = {0};
    nd_compare_report r;
    if (st == ND_OK && (st = nd_compare_sides(&a.c, &b.c, delta, &c, &r, err)) != ND_OK &&
        st != ND_ENOMEM)
        nd_target_locate(err, nd_arg_pos(ctx, 1));
    if (st == ND_OK) st = nd_cmd_give(ctx, nd_record_of_fields(nd_compare_fields(&r), nd_compare_bundle(&r)),
                                       result, err);
    nd_compare_clear(&c);
    side_clear(&a);
    side_clear(&b);
    return st;
}

static const nd_option compare_options[] = {
    {"delta", "2", "coincidence window: spikes closer than this (ms) are the same spike"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_compare = {
    "compare", "how well one spike train or trace reproduces another",
    "[NAME =] compare A B [VAR] [delta=2]",
    "Compares B (a prediction: a model's or network's simulation, or a spike record) with "
    "the reference A (data). Spikes are found in datasets as `spikes` finds them (in VAR, "
    "default V). In A's order, each spike of A is matched to the nearest spike of B not yet "
    "matched, within delta ms; the rest are missing (in A only) or extra (in B only). "
    "Shows the matched errors tB − tA, and the coincidence factor "
    "Γ = (N_coinc − 2νΔ·N_A) / (½(N_A + N_B)(1 − 2νΔ)), ν = N_B/T (Kistler et al. 1997; "
    "Jolivet et al. 2008): 1 for identical trains, about 0 for chance coincidences, "
    "negative for fewer than chance. For two datasets, also the RMS of VAR over the common "
    "time window (B interpolated onto A's times). `c = compare …` binds a record: "
    "c.gamma, c.matched, c.missing, c.extra, c.dt_mean, c.dt_max, c.dt, c.times_a, "
    "c.times_b (the two trains), c.rms, c.delta.",
    compare_options,
    "use hh\nset I = 10\na = simulate t=200\nset I = 10.5\nb = simulate t=200\ncompare a b\n"
    "sa = spikes a\nsb = spikes b\nc = compare sa sb delta=1",
    0, run_compare
};

nd_status nd_cmd_register_spikes(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_spikes, &cmd_compare};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
