/* Recording commands: sweep (one sweep of a recording as a dataset). */
#include <math.h>
#include <stdlib.h>

#include "../data/recording.h"
#include "../language/args.h"
#include "../language/target.h"
#include "adapt_args.h"
#include "modules.h"

static nd_status run_sweep(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 2, 2, err);
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
    {"columns", NULL, "columns kept, in order, time first: [t, V] (\"new=old\" renames)"},
    {"area", NULL, "membrane area in cm²: the current becomes a density in µA/cm²"},
    {"capacitance", NULL, "cell capacitance in pF (area at 1 µF/cm²): the current in µA/cm²"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_sweep = {
    "sweep", "one sweep of a recording as a dataset",
    "[NAME =] sweep RECORDING N [columns=[…] area= capacitance=]",
    "Returns sweep N of a recording (`rec = load \"cell.abf\"`; sweeps are counted from 1, as "
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
    sweep_options, "rec = load \"data/recordings/2019_07_24_0055_fsi.abf\"\ns = sweep rec 13\nspikes s",
    0, run_sweep
};

nd_status nd_cmd_register_rec(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_sweep};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
