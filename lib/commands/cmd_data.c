/* Commands that move datasets (CSV), recordings (ABF, NWB) and networks (JSON) between the
   workspace and files, and write figures (SVG, PNG): save, load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/atomicfile.h"
#include "../learn/ude_extra.h"

#include "../data/rec_load.h"
#include "../data/sniff.h"
#include "../plot/figure.h"

#include "../language/args.h"
#include "../language/figure_value.h"
#include "../language/exec.h"
#include "adapt_args.h"
#include "modules.h"
#include "../language/objects.h"
#include "../language/target.h"

/* Finds what to save in the first argument's value (a name, or an expression such as
   ens.members[2]): a figure (a figure value, or a result shown with one), a network or a
   dataset; *holder keeps it alive. */
static nd_status save_source(const nd_cmd_ctx *ctx, const nd_bundle **fig, nd_ude **net,
                             nd_value **holder, nd_dataset **ds, nd_error *err)
{
    const nd_arg *a = nd_arg_pos(ctx, 0);
    nd_status st = nd_arg_value(ctx, a, holder, err);
    if (st != ND_OK) return st;
    if ((*fig = nd_value_figure(*holder)) || (*net = nd_value_as_ude(*holder)) ||
        (*ds = nd_value_as_dataset(*holder)))
        return ND_OK;
    char kind[64];
    st = nd_arg_error(a, err, ND_ETYPE, "'save' expects a dataset, a network or a figure here, "
                      "not %s", nd_value_a_type(*holder, kind, sizeof kind));
    nd_value_unref(*holder);
    *holder = NULL;
    return st;
}

static nd_status run_save(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 2, 2, err);
    if (st != ND_OK) return st;
    const nd_bundle *fig = NULL;
    nd_ude *net = NULL;
    nd_value *holder = NULL;
    nd_dataset *ds = NULL;
    if ((st = save_source(ctx, &fig, &net, &holder, &ds, err)) != ND_OK) return st;
    int meta = 1;
    const nd_arg *meta_arg = nd_arg_opt(ctx, "meta");
    if ((st = nd_arg_opt_bool(ctx, "meta", 1, &meta, err)) == ND_OK && meta_arg && !ds)
        st = nd_arg_error(meta_arg, err, ND_EVALUE, "meta= applies to datasets (CSV files) only");
    char *path = NULL;
    if (st == ND_OK) st = nd_arg_string(ctx, nd_arg_pos(ctx, 1), &path, err);
    if (st == ND_OK) st = nd_file_check_regular(path, "write", err);
    if (st == ND_OK)
        st = fig   ? nd_fig_save(fig, path, err)
             : net ? nd_ude_save(net, path, err)
                   : nd_ds_save_csv_until(ds, path, meta ? 0 : ND_CSV_NO_META,
                                          ctx->exec->interrupt, err);
    if (st == ND_OK) {
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, "saved ");
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, path);
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, "\n");
    } else if (path) {
        nd_target_locate(err, nd_arg_pos(ctx, 1));
    }
    free(path);
    nd_value_unref(holder);
    return st;
}

static const nd_option save_options[] = {
    {"meta", "true", "CSV: begin with the '# key: value' metadata lines (false: the header "
                     "row comes first, for readers that do not skip comments)"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_save = {
    "save", "write a dataset to a CSV file, a network to a JSON file, a figure to SVG or PNG",
    "save DATASET \"file.csv\" [meta=false] | save NET \"file.json\" | "
    "save FIG \"file.svg\"|\"file.png\"",
    "Writes the dataset as CSV: '# key: value' lines with its metadata (model, method, "
    "stimulus ...; left out with meta=false), a header row with each column's name and unit "
    "(\"V [mV]\"), and the numbers in the shortest form that reads back to the same bits, so "
    "`load` gives the identical dataset. Times on a decimal grid are written as the grid's "
    "values (0.3, not the 0.30000000000000004 that 3 × 0.1 gives in binary). Every file is "
    "written whole or not at all (under a temporary name next to it, then renamed), and only "
    "to the path named: a relative path is relative to the kernel's working directory (the "
    "notebook's folder under Jupyter), and a path that is a directory, device or pipe is "
    "refused.\n\n"
    "A network (from `ude` or `node`) is written as JSON: the model's text and values, "
    "the architecture, the weights and scaling (exact to the bit), the stimulus and the "
    "training history, so that `load` gives it back ready to plot or to train further.\n\n"
    "A figure (`fig = plot sim V`, or any result bound by name that is shown as a figure) "
    "is written as the image the cell showed: .svg gives a standalone SVG document, .png the "
    "PNG; any other extension is an error.",
    save_options,
    "sim = simulate t=50\nsave sim \"sim.csv\"\nsave sim \"plain.csv\" meta=false\n"
    "save net \"net.json\"\nfig = plot sim V\nsave fig \"v.svg\"\nsave fig \"v.png\"",
    0, run_save
};

/* The table in a text file, adapted as the options say. */
static nd_status load_table(nd_cmd_ctx *ctx, const char *path, nd_value **result, nd_error *err)
{
    nd_adapt_args aa;
    nd_status st = nd_adapt_args_read(ctx, &aa, err);
    nd_dataset *ds = st == ND_OK ? nd_ds_load_csv_until(path, ctx->exec->interrupt, err) : NULL;
    if (st == ND_OK && !ds) st = err ? err->code : ND_EIO;
    if (st == ND_OK) st = nd_adapt_args_apply(ctx, &aa, &ds, err);
    nd_adapt_args_free(&aa);
    if (st != ND_OK) {
        nd_ds_free(ds);
        return st;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

/* Options that convert a table; a recording's sweeps take them through `sweep`. */
static const char *const table_options[] = {"columns", "time", "area", "capacitance"};

static nd_status load_object(nd_cmd_ctx *ctx, const char *path, nd_file_format f,
                             nd_value **result, nd_error *err)
{
    for (size_t i = 0; i < sizeof table_options / sizeof table_options[0]; i++) {
        const nd_arg *o = nd_arg_opt(ctx, table_options[i]);
        if (o)
            return nd_arg_error(o, err, ND_EVALUE, "%s= converts a table; '%s' is %s (give "
                                "%s= to `sweep` or to `load` of a CSV file)", o->key, path,
                                nd_file_format_name(f), o->key);
    }
    if (f == ND_FILE_JSON) {
        nd_ude *u = nd_ude_load(path, err);
        *result = u ? nd_value_ude(u) : NULL;
    } else {
        nd_recording *rec = nd_rec_load(path, f, ctx->exec->interrupt, err);
        *result = rec ? nd_value_recording(rec) : NULL;
    }
    return *result ? ND_OK : err && err->code ? err->code : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static nd_status run_load(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    char *path = NULL;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if ((st = nd_arg_string(ctx, a, &path, err)) != ND_OK) return st;
    nd_file_format f = ND_FILE_ERROR;
    st = nd_file_check_regular(path, "read", err);
    if (st != ND_OK || (f = nd_file_sniff(path, err)) == ND_FILE_ERROR)
        st = st != ND_OK ? st : err ? err->code : ND_EIO;
    else if (f == ND_FILE_BINARY)
        st = nd_error_fail(err, ND_EVALUE, "'%s' is %s: load reads CSV or TSV tables, ABF "
                           "(pCLAMP) and NWB (HDF5) recordings, and networks saved as JSON",
                           path, nd_file_format_name(f));
    else
        st = f == ND_FILE_TEXT ? load_table(ctx, path, result, err)
                               : load_object(ctx, path, f, result, err);
    free(path);
    if (st != ND_OK) nd_target_locate(err, a);
    return st;
}

static const nd_option load_options[] = {
    ND_ADAPT_OPTION_ROWS,
    {"time", NULL, "the unit of the time column when the header does not say it (s, ms, us)"},
    {NULL, NULL, NULL}
};

static const nd_command cmd_load = {
    "load", "read a table (CSV, TSV), a recording (ABF, NWB) or a network (JSON)",
    "NAME = load \"FILE\" [columns=[…] time= area= capacitance=]",
    "Reads the file at FILE; what it holds is told from its content, not its name.\n\n"
    "A CSV or TSV file with a header row becomes a dataset: files written by `save` (with "
    "their metadata and units) and plain files alike; errors name the line and column of "
    "the first problem. The first column is time. Units written in the header as "
    "`name [unit]` are converted to the models' own: time to ms, potentials (V, mV, µV) to "
    "mV, and, given the membrane `area=` (cm²) or `capacitance=` (pF, at 1 µF/cm²), "
    "currents (A … pA) to densities in µA/cm². `time=s` states the time unit when the "
    "header does not; `columns=[t, V, \"I=Iinj\"]` keeps those columns in that order and "
    "renames Iinj to I. The dataset's metadata `converted` says what was converted.\n\n"
    "An ABF file (Axon Binary Format 1 or 2, what pCLAMP writes) or an NWB file (NWB 2, "
    "and the Allen Cell Types NWB 1 layout) becomes a recording: its sweeps, channels, "
    "units, sampling and protocol, shown as a table of sweeps; `sweep REC N` or "
    "`REC.sweeps[N]` gives one sweep as a dataset (docs/recordings.md).\n\n"
    "A JSON file is a network saved by `save NET \"file.json\"`.",
    load_options, "data = load \"sim.csv\"\nrec = load \"data/recordings/2019_07_24_0055_fsi.abf\"\n"
    "lab = load \"lab.tsv\" columns=[time, \"V=Vm\", \"I=Iinj\"] time=s capacitance=100\n"
    "net2 = load \"net.json\"", 0, run_load
};

nd_status nd_cmd_register_data(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_save, &cmd_load};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
