/* Recording commands: sweep (one sweep of a recording as a dataset), features
   (electrophysiology features of a recording or a trace). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../analysis/ephys_source.h"
#include "../analysis/ephys_view.h"
#include "../language/objects.h"

#include "../data/recording.h"
#include "../language/args.h"
#include "../language/fields_value.h"
#include "../language/target.h"
#include "adapt_args.h"
#include "modules.h"
#include "psweep_cmd.h"

static const nd_option rec_sweep_options[] = {
    ND_ADAPT_OPTION_ROWS,
    {NULL, NULL, NULL}
};

/* sweep REC N or, when the call starts with NAME=values, a parameter grid. The command
   takes any option name (the swept parameters), so the recording form checks its own. */
static nd_status run_sweep(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    if (nd_psweep_cmd_is_grid(ctx)) return nd_psweep_cmd_run(ctx, result, err);
    nd_command strict = *ctx->cmd;
    strict.flags &= ~(unsigned)ND_CMD_ANY_OPTIONS;
    strict.options = rec_sweep_options;
    nd_status st = nd_cmd_check_call(&strict, ctx->call, err);
    if (st == ND_OK) st = nd_arg_expect(ctx, 2, 2, err);
    if (st != ND_OK) return st;
    nd_value *holder;
    nd_recording *rec;
    const nd_arg *ra = nd_arg_pos(ctx, 0), *na = nd_arg_pos(ctx, 1);
    if ((st = nd_target_recording(ctx, ra, &holder, &rec, err)) != ND_OK) return st;
    double k;
    size_t n = nd_rec_sweeps(rec);
    if ((st = nd_arg_number(ctx, na, &k, err)) == ND_OK && !(k == floor(k) && k >= 1 && k <= (double)n))
        st = nd_arg_error(na, err, ND_EVALUE, "the recording has sweeps 1 … %zu; %g is not one of "
                          "them (sweeps are counted from 1, as Clampfit shows them)", n, k);
    nd_dataset *ds = st == ND_OK ? nd_rec_sweep_dataset(rec, (size_t)k - 1, err) : NULL;
    nd_value_unref(holder);
    if (st != ND_OK) return st;
    if (!ds) return err ? err->code : ND_ENOMEM;
    nd_adapt_args aa;
    if ((st = nd_adapt_args_read(ctx, &aa, err)) == ND_OK)
        st = nd_adapt_args_apply(ctx, &aa, &ds, err);
    nd_adapt_args_free(&aa);
    if (st != ND_OK) {
        nd_ds_free(ds);
        return st;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static const nd_option sweep_options[] = {
    ND_ADAPT_OPTION_ROWS,
    ND_PSWEEP_OPTION_ROWS,
    {NULL, NULL, NULL}
};

static const nd_command cmd_sweep = {
    "sweep", "one sweep of a recording, or a model over a grid of parameter values",
    "[NAME =] sweep RECORDING N [columns=[…] area= capacitance=] | "
    "[NAME =] sweep PAR=a..b [step=|n=] [PAR=a..b [step=|n=] …] [model= measure= var= t= "
    "transient= threads= bound= plot=]",
    "Parameter grids: `sweep I=0..20 step=0.5` simulates the model (default: the "
    "current one; `model=`) at each value of I, every point from the model's initial "
    "state with the parameter held constant (the stimulus protocol is not applied), and "
    "returns a table: the swept values as the first columns, then what `measure=` asks "
    "for. Several names make a grid (`sweep I=0..20 n=41 gK=20..50 n=31`: 41 × 31 points, "
    "the first name varying fastest); a state's name sweeps its initial value. A range "
    "takes its resolution from the `step=` or `n=` right after it (default n=21); `I=5` "
    "and `I=[1, 2, 5]` give values directly. At most 100000 points.\n\n"
    "Measures, after a `transient` (default 200) over `t` (default 1000) on `var` "
    "(default V): `rate` (default), the steady firing rate (1/mean interval of the spikes "
    "found by the `spikes` rule; 0 below two spikes or when firing stopped; Hz for a ms "
    "model); `spikes`: spikes, rate, isi_mean, isi_cv, peak_mean; `features`: what "
    "`features` measures on a recording, over the window (mV and ms; the first spike's "
    "threshold, peak, half_width, ahp_depth); `fixed`: the number of "
    "equilibria, how many are stable, and var at the lowest stable one (no simulation); "
    "`max`, `min`: the extremes of var. A point where the solver fails, or whose state "
    "leaves ±`bound` (default 1e6: a diverging point stops at once instead of after ten "
    "million ever smaller steps), is nan; the summary counts them and gives the first "
    "one's error (metadata `failed`, `failure`).\n\n"
    "The points run on every core (`threads=`; one BLAS thread each) and the table is "
    "the same with any number of threads. In a script run by `mpirun -np N neurodyn run` "
    "the points are also spread over the N ranks, with the same table (docs/mpi.md). "
    "Progress shows for long sweeps; an interrupt "
    "keeps the points finished (the rest nan, metadata `done`). One parameter is drawn as "
    "a curve, two as a heatmap; `plot TABLE rate` draws them again (metadata "
    "`grid_shape` marks a two-parameter grid).\n\n"
    "Recordings: returns sweep N of a recording (`rec = load \"cell.abf\"`; sweeps are counted from 1, as "
    "Clampfit shows them) as a dataset: `t` in ms from the sweep's start, the membrane "
    "potential as `V` and the current as `I` (in current clamp the injected command, in "
    "voltage clamp the recorded current), other channels under their names made "
    "identifiers. The metadata keep the recording's (file, format, protocol), the sweep "
    "number, its start `t0` (ms from the file's start) and `channels` (which channel each "
    "column holds). So `spikes`, `plot`, `deriv`, `sindy`, `stim data … I`, `train` and "
    "`compare` take a sweep as they take a simulation. `rec.sweeps[N]` is the same dataset.\n\n"
    "Given the membrane `area=` (cm²) or the cell's `capacitance=` (pF, at 1 µF/cm²), the "
    "current becomes a density in µA/cm², the models' unit, so that a model can be driven "
    "by the recorded stimulus (`stim data s I`); `columns=` keeps and renames columns as "
    "for `load`.",
    sweep_options, "rec = load \"data/recordings/2019_07_24_0055_fsi.abf\"\ns = sweep rec 13\nspikes s\n"
    "use hh\nfi1 = sweep I=0..20 step=0.5\nmap = sweep I=0..20 n=21 gK=20..50 n=16 t=500\n"
    "plot map rate\neq = sweep I=0..20 measure=fixed",
    ND_CMD_ANY_OPTIONS | ND_CMD_GROUPS, run_sweep
};

/* ---- features ---- */

static nd_status recording_features(nd_cmd_ctx *ctx, const nd_recording *rec, double start,
                                    double end, int plot, nd_value **result, nd_error *err)
{
    nd_ephys_sweep *s;
    nd_ephys_cell cell;
    const char *unit;
    nd_figure *fig;
    nd_status st = nd_ephys_of_recording(rec, start, end, &s, &cell, &unit, plot ? &fig : NULL,
                                         err);
    if (st != ND_OK) return st;
    size_t n = nd_rec_sweeps(rec);
    nd_bundle *b = NULL;
    if (plot && fig && (st = nd_fig_render_take(fig, &b, err)) == ND_OK)
        st = nd_cmd_display(ctx, b, err);
    if (st == ND_OK)
        st = nd_cmd_give(ctx, nd_record_of_fields(nd_ephys_fields(s, n, &cell), nd_ephys_bundle(s, n, &cell, unit)),
                         result, err);
    nd_ephys_cell_clear(&cell);
    nd_ephys_sweeps_free(s, n);
    return st;
}

static nd_status dataset_features(nd_cmd_ctx *ctx, const nd_dataset *ds, double start,
                                  double end, nd_value **result, nd_error *err)
{
    nd_ephys_sweep s;
    const char *unit;
    nd_status st = nd_ephys_of_dataset(ds, start, end, &s, &unit, err);
    if (st != ND_OK) return st;
    st = nd_cmd_give(ctx, nd_record_of_fields(nd_ephys_fields(&s, 1, NULL), nd_ephys_bundle(&s, 1, NULL, unit)),
                     result, err);
    nd_ephys_sweep_clear(&s);
    return st;
}

static nd_status run_features(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    double start = NAN, end = NAN;
    int plot;
    if (nd_arg_opt(ctx, "window") &&
        (st = nd_arg_opt_range(ctx, "window", NAN, NAN, &start, &end, err)) != ND_OK)
        return st;
    if ((st = nd_arg_opt_bool(ctx, "plot", 1, &plot, err)) != ND_OK) return st;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    nd_value *holder;
    if ((st = nd_arg_value(ctx, a, &holder, err)) != ND_OK) return st;
    const nd_recording *rec = nd_value_as_recording(holder);
    const nd_dataset *ds = nd_value_as_dataset(holder);
    char kind[64];
    if (rec) st = recording_features(ctx, rec, start, end, plot, result, err);
    else if (ds) st = dataset_features(ctx, ds, start, end, result, err);
    else st = nd_arg_error(a, err, ND_ETYPE, "features expects a recording or a dataset, not %s",
                           nd_value_a_type(holder, kind, sizeof kind));
    nd_value_unref(holder);
    nd_target_locate(err, a);
    return st;
}

static const nd_option features_options[] = {
    {"window", NULL, "the stimulus window START..END in ms (default: found in the current)"},
    {"plot", "true", "show the F–I curve of a recording"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_features = {
    "features", "electrophysiology features of a recording's sweeps, or of one trace",
    "[NAME =] features RECORDING|DATASET [window=START..END plot=]",
    "Measures the features electrophysiologists report, with the definitions of the Allen "
    "Institute's ipfx (docs/features.md): per sweep the step amplitude, spike count, rate "
    "in the stimulus window, first-spike latency, the first spike's threshold (where dV/dt "
    "passes 5 % of the mean upstroke), peak, half-width and fast AHP, the ISI adaptation "
    "index, and below threshold the sag and the membrane time constant; for a recording of "
    "steps also the cell's rheobase, input resistance, time constant, sag and the F–I "
    "curve with its slope, plotted.\n\n"
    "The stimulus window is found in the current: for a recording, the step of the sweep "
    "whose step is largest, shared by every sweep of the protocol; `window=` gives it. A "
    "dataset needs a column V in mV and a column I (else the stimulus it was simulated "
    "under). A feature that cannot be measured is shown as – and the reason is given.",
    features_options,
    "rec = load \"data/recordings/2019_07_24_0055_fsi.abf\"\nf = features rec\nprint f.rheobase",
    0, run_features
};

nd_status nd_cmd_register_rec(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_sweep, &cmd_features};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
