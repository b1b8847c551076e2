/* row and table: results collected into a dataset, the project's table, so that `plot`,
   `save` and fields (tab.err) work on them as on any dataset. The first column is the one
   named first; `plot tab err` draws err against it. */
#include <stdlib.h>
#include <string.h>

#include "../data/select.h"
#include "../language/args.h"
#include "modules.h"
#include "../language/objects.h"
#include "../language/vecops.h"

/* The options of the call, in order: the table's column names. */
static size_t option_names(const nd_cmd_ctx *ctx, const char **names)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->call->nargs; i++)
        if (ctx->call->args[i].key) names[n++] = ctx->call->args[i].key;
    return n;
}

static nd_status no_columns(const nd_cmd_ctx *ctx, nd_error *err)
{
    return nd_error_set(err, ND_ESYNTAX, ctx->call->line, ctx->call->col,
                        (int)strlen(ctx->call->name), "%s needs columns as NAME=VALUE (%s)",
                        ctx->call->name, ctx->cmd->usage);
}

/* ---- row ---- */

/* Checks that the row names the table's columns, each once; fills where[j] = the option
   for column j. */
static nd_status match_columns(const nd_cmd_ctx *ctx, const char *tname, const nd_dataset *ds,
                               const nd_arg **where, nd_error *err)
{
    size_t ncols = nd_ds_cols(ds);
    for (size_t j = 0; j < ncols; j++) where[j] = nd_arg_opt(ctx, nd_ds_name(ds, j));
    for (size_t i = 0; i < ctx->call->nargs; i++) {
        const nd_arg *a = &ctx->call->args[i];
        if (!a->key) continue;
        if (nd_ds_find(ds, a->key) < 0) {
            nd_sb cols;
            nd_sb_init(&cols);
            for (size_t j = 0; j < ncols; j++)
                nd_sb_printf(&cols, "%s%s", j ? ", " : "", nd_ds_name(ds, j));
            nd_status st = nd_error_set(err, ND_EVALUE, a->line, a->col, a->span,
                                        "table %s has no column '%s' (its columns: %s)", tname,
                                        a->key, nd_sb_str(&cols));
            nd_sb_free(&cols);
            return st;
        }
    }
    for (size_t j = 0; j < ncols; j++)
        if (!where[j])
            return nd_error_set(err, ND_EVALUE, ctx->call->line, ctx->call->col,
                                (int)strlen(ctx->call->name), "the row gives no value for "
                                "column '%s' of table %s", nd_ds_name(ds, j), tname);
    return ND_OK;
}

/* Appends row to the table bound to tname (held, or NULL: a new table of these columns).
   The table is extended in place when the workspace holds its only reference: nothing
   else can see the change, and a study does not copy its table for every row. */
static nd_status append_row(const nd_cmd_ctx *ctx, const char *tname, nd_value *held,
                            const char **names, size_t ncols, const double *row, nd_error *err)
{
    nd_dataset *ds = nd_value_as_dataset(held);
    if (ds && held->refs == 1)
        return nd_ds_append(ds, row) == 0 ? ND_OK
                                          : nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_dataset *copy = ds ? nd_ds_copy(ds) : nd_ds_create(ncols, names, NULL);
    nd_value *fresh = copy ? nd_value_dataset(copy) : NULL;
    nd_status st = ND_OK;
    if (!fresh || nd_ds_append(copy, row) != 0 || nd_ws_set(ctx->ws, tname, fresh) != 0)
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    nd_value_unref(fresh);
    return st;
}

static nd_status run_row(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    (void)result;
    nd_status st = nd_arg_expect(ctx, 1, 1, err);
    const nd_arg *ta = nd_arg_pos(ctx, 0);
    const char *tname;
    if (st == ND_OK) st = nd_arg_name(ctx, ta, &tname, err);
    if (st == ND_OK)
        st = nd_cmd_check_bind_name(ctx->registry, tname, ta->line, ta->col, ta->span, err);
    if (st != ND_OK) return st;
    size_t n = ctx->call->nargs;
    const char **names = calloc(n ? n : 1, sizeof *names);
    const nd_arg **where = calloc(n ? n : 1, sizeof *where);
    double *row = calloc(n ? n : 1, sizeof *row);
    size_t ncols = names ? option_names(ctx, names) : 0;
    if (!names || !where || !row) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    else if (ncols == 0) st = no_columns(ctx, err);

    nd_value *held = nd_ws_get(ctx->ws, tname);
    const nd_dataset *ds = nd_value_as_dataset(held);
    if (st == ND_OK && held && !ds) {
        char t[64];
        st = nd_arg_error(ta, err, ND_ETYPE, "%s is %s, not a table: row adds to a dataset, "
                          "or makes one under a new name", tname,
                          nd_value_a_type(held, t, sizeof t));
    }
    if (st == ND_OK && ds) st = match_columns(ctx, tname, ds, where, err);
    if (st == ND_OK && !ds)
        for (size_t j = 0; j < ncols; j++) where[j] = nd_arg_opt(ctx, names[j]);
    for (size_t j = 0; st == ND_OK && j < ncols; j++)
        st = nd_arg_number(ctx, where[j], &row[j], err);

    if (st == ND_OK) st = append_row(ctx, tname, held, names, ncols, row, err);
    free(names);
    free(where);
    free(row);
    return st;
}

static const nd_command cmd_row = {
    "row", "add a row of numbers to a table (a dataset), making it on first use",
    "row TABLE NAME=VALUE [NAME=VALUE …]",
    "Appends one row to the dataset TABLE. The first time (TABLE not bound) it makes the "
    "table with one column per NAME, in the order given; afterwards every row must give "
    "the same columns (in any order), each a number. The first column is what `plot "
    "TABLE COLUMN` draws against; `save TABLE \"x.csv\"` writes it, and TABLE.COLUMN is "
    "its column as a vector. Made for loops: a study is one cell.",
    NULL, "for n in [600, 300, 150, 75] {\n  row tab n=n root=sqrt(n)\n}\nplot tab root",
    ND_CMD_ANY_OPTIONS, run_row
};

/* ---- table ---- */

static nd_status run_table(nd_cmd_ctx *ctx, nd_value **result, nd_error *err)
{
    nd_status st = nd_arg_expect(ctx, 0, 0, err);
    if (st != ND_OK) return st;
    size_t n = ctx->call->nargs;
    if (n == 0) return no_columns(ctx, err);
    const char **names = calloc(n, sizeof *names);
    nd_value **vals = calloc(n, sizeof *vals);
    nd_numview *views = calloc(n, sizeof *views);
    if (!names || !vals || !views) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    size_t rows = 0;
    for (size_t j = 0; st == ND_OK && j < n; j++) {
        const nd_arg *a = &ctx->call->args[j];
        names[j] = a->key;
        if ((st = nd_arg_value(ctx, a, &vals[j], err)) != ND_OK) break;
        int r = nd_numview_of(vals[j], &views[j]);
        char t[64];
        if (r < 0) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
        else if (r == 0)
            st = nd_arg_error(a, err, ND_ETYPE, "column %s must be a vector or a list of "
                              "numbers, not %s", a->key, nd_value_a_type(vals[j], t, sizeof t));
        else if (j > 0 && views[j].n != rows)
            st = nd_arg_error(a, err, ND_EVALUE, "column %s has %zu numbers, column %s has "
                              "%zu: the columns of a table have equal lengths", a->key,
                              views[j].n, names[0], rows);
        rows = views[j].n;
    }
    const double **cols = st == ND_OK ? malloc(n * sizeof *cols) : NULL;
    if (st == ND_OK && !cols) st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; st == ND_OK && j < n; j++) cols[j] = views[j].x;
    nd_dataset *ds = st == ND_OK ? nd_ds_from_columns(n, names, cols, rows) : NULL;
    free(cols);
    if (st == ND_OK && !ds)
        st = nd_error_set(err, ND_EVALUE, ctx->call->line, ctx->call->col,
                          (int)strlen(ctx->call->name), "cannot make a table of these columns "
                          "(names must differ)");
    if (st == ND_OK && !(*result = nd_value_dataset(ds)))
        st = nd_error_fail(err, ND_ENOMEM, "out of memory");
    for (size_t j = 0; vals && views && j < n; j++) {
        nd_numview_free(&views[j]);
        nd_value_unref(vals[j]);
    }
    free(names);
    free(vals);
    free(views);
    return st;
}

static const nd_command cmd_table = {
    "table", "a table (dataset) from columns of equal length",
    "[NAME =] table COLUMN=VALUES [COLUMN=VALUES …]",
    "Makes a dataset whose columns are the given vectors or lists of numbers, in the "
    "order given; all must have the same length. The first column is what `plot NAME "
    "COLUMN` draws against.",
    NULL, "tab = table n=[600, 300, 150, 75] err=[0.01, 0.02, 0.05, 0.2]\nplot tab err",
    ND_CMD_ANY_OPTIONS, run_table
};

nd_status nd_cmd_register_table(nd_cmd_registry *reg, nd_error *err)
{
    static const nd_command *const all[] = {&cmd_row, &cmd_table};
    return nd_cmd_register_list(reg, all, sizeof all / sizeof all[0], err);
}
