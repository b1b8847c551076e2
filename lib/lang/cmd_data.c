/* Commands that move datasets (CSV) and networks (JSON) between the workspace and files:
   save, load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../learn/ude_extra.h"

#include "args.h"
#include "exec.h"
#include "modules.h"
#include "objects.h"
#include "target.h"

static nd_status run_save(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 2, 2, err);
    if (st != ND_OK) return st;
    nd_value *holder = NULL;
    nd_dataset *ds = NULL;
    nd_ude *net = nd_target_ude(ctx, nd_arg_pos(ctx, 0));
    if (!net &&
        (st = nd_target_dataset(ctx, nd_arg_pos(ctx, 0), &holder, &ds, err)) != ND_OK) {
        char *here = st == ND_ETYPE ? strstr(err->msg, " here, not ") : NULL;
        if (here) {   /* "… expects a dataset or a network here, not a number" */
            char rest[sizeof err->msg];
            snprintf(rest, sizeof rest, "%s", here);
            snprintf(here, sizeof err->msg - (size_t)(here - err->msg), " or a network%s", rest);
        }
        return st;
    }
    char *path = NULL;
    st = nd_arg_string(ctx, nd_arg_pos(ctx, 1), &path, err);
    /* the file is written under a temporary name and renamed over the path: that would
       replace a device (/dev/null, /dev/full) or a pipe by a plain file, so refuse those */
    struct stat sb;
    if (st == ND_OK && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        st = nd_error_fail(err, ND_EIO, "cannot write '%s': it is %s, not a regular file", path,
                           S_ISDIR(sb.st_mode) ? "a directory" : "a device or pipe");
    if (st == ND_OK)
        st = net ? nd_ude_save(net, path, err)
                 : nd_ds_save_csv_until(ds, path, ctx->exec->interrupt, err);
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
    "save", "write a dataset to a CSV file, or a network to a JSON file",
    "save DATASET \"file.csv\" | save NET \"file.json\"",
    "Writes the dataset as CSV: '# key: value' lines with its metadata (model, method, "
    "stimulus ...), a header row with each column's name and unit (\"V [mV]\"), and the "
    "numbers in the shortest form that reads back to the same bits, so `load` gives the "
    "identical dataset. The file is written whole or not at all (under a temporary name "
    "next to it, then renamed), and only to the path named: a relative path is relative "
    "to the kernel's working directory (the notebook's folder under Jupyter), and a path "
    "that is a directory, device or pipe is refused.\n\n"
    "A network (from `ude` or `node`) is written as JSON: the model's text and values, "
    "the architecture, the weights and scaling (exact to the bit), the stimulus and the "
    "training history, so that `load` gives it back ready to plot or to train further.",
    NULL, "sim = simulate t=50\nsave sim \"sim.csv\"\nsave net \"net.json\"", 0, run_save
};

static nd_status run_load(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    if (st != ND_OK) return st;
    char *path = NULL;
    const nd_arg *a = nd_arg_pos(ctx, 0);
    if ((st = nd_arg_string(ctx, a, &path, err)) != ND_OK) return st;
    /* a device (/dev/zero, /dev/urandom) never ends and a pipe blocks the kernel: files only */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        st = nd_error_fail(err, ND_EIO, "cannot read '%s': it is %s, not a regular file", path,
                           S_ISDIR(sb.st_mode) ? "a directory" : "a device or pipe");
        free(path);
        nd_target_locate(err, a);
        return st;
    }
    size_t len = strlen(path);
    if (len > 5 && strcmp(path + len - 5, ".json") == 0) {
        nd_ude *u = nd_ude_load(path, err);
        free(path);
        if (!u) {
            nd_target_locate(err, a);
            return err ? err->code : ND_EIO;
        }
        *result = nd_value_ude(u);
        return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
    }
    nd_dataset *ds = nd_ds_load_csv_until(path, ctx->exec->interrupt, err);
    free(path);
    if (!ds) {
        nd_target_locate(err, a);
        return err ? err->code : ND_EIO;
    }
    *result = nd_value_dataset(ds);
    return *result ? ND_OK : nd_error_fail(err, ND_ENOMEM, "out of memory");
}

static const nd_command cmd_load = {
    "load", "read a dataset from a CSV file, or a network from a JSON file",
    "NAME = load \"file.csv\" | NAME = load \"file.json\"",
    "Reads a CSV file with a header row into a dataset: files written by `save` (with "
    "their metadata and units) and plain CSV files alike. Errors name the line and column "
    "of the first problem in the file. A file ending in .json is a network saved by "
    "`save NET \"file.json\"` and loads as one.",
    NULL, "data = load \"sim.csv\"\nnet2 = load \"net.json\"", 0, run_load
};

nd_status nd_cmd_register_data(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_save, &cmd_load};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
