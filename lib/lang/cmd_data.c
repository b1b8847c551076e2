/* Commands that move datasets between the workspace and files: save, load. */
#include <stdlib.h>

#include "args.h"
#include "modules.h"
#include "objects.h"
#include "target.h"

static nd_status run_save(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 2, 2, err);
    if (st != ND_OK) return st;
    nd_value *holder;
    nd_dataset *ds;
    if ((st = nd_target_dataset(ctx, nd_arg_pos(ctx, 0), &holder, &ds, err)) != ND_OK) return st;
    char *path = NULL;
    st = nd_arg_string(ctx, nd_arg_pos(ctx, 1), &path, err);
    if (st == ND_OK) st = nd_ds_save_csv(ds, path, err);
    if (st == ND_OK) {
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, "saved ");
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, path);
        ctx->sink->stream(ctx->sink->ctx, ND_STREAM_OUT, "\n");
    } else {
        nd_target_locate(err, nd_arg_pos(ctx, 1));
    }
    free(path);
    nd_value_unref(holder);
    return st;
}

static const nd_command cmd_save = {
    "save", "write a dataset to a CSV file", "save DATASET \"file.csv\"",
    "Writes the dataset as CSV: '# key: value' lines with its metadata (model, method, "
    "stimulus ...), a header row with each column's name and unit (\"V [mV]\"), and the "
    "numbers in the shortest form that reads back to the same bits, so `load` gives the "
    "identical dataset. The file is written whole or not at all.",
    NULL, "sim = simulate t=50\nsave sim \"sim.csv\"", 0, run_save
};

static nd_status run_load(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    char *path = NULL;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if ((st = nd_arg_string(ctx, a, &path, err)) != ND_OK) return st;
    nd_dataset *ds = nd_ds_load_csv(path, err);
    free(path);
    if (!ds) {
        nd_target_locate(err, a);
        return err ? err->code : ND_EIO;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static const nd_command cmd_load = {
    "load", "read a dataset from a CSV file", "NAME = load \"file.csv\"",
    "Reads a CSV file with a header row into a dataset: files written by `save` (with "
    "their metadata and units) and plain CSV files alike. Errors name the line and column "
    "of the first problem in the file.",
    NULL, "data = load \"sim.csv\"", 0, run_load
};

nd_status nd_cmd_register_data(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_save, &cmd_load};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
