/* The options columns=, time=, area=, capacitance= as load and sweep read them: one
   reader, the conversion itself in data/ds_adapt.h (nd_ds_adapted). */
#ifndef ND_COMMANDS_ADAPT_ARGS_H
#define ND_COMMANDS_ADAPT_ARGS_H

#include "../data/ds_adapt.h"
#include "../language/commands.h"

#define ND_ADAPT_MAX_COLUMNS 64

/* The option rows of columns=, area= and capacitance=, for the option table of a command
   that reads them (load adds time=). */
#define ND_ADAPT_OPTION_ROWS \
    {"columns", NULL, "columns kept, in order, time first: [t, V, \"I=Iinj\"] (\"new=old\" " \
                      "renames)"}, \
    {"area", NULL, "membrane area in cm²: currents become densities in µA/cm²"}, \
    {"capacitance", NULL, "cell capacitance in pF (area at 1 µF/cm²): currents become µA/cm²"}, \
    {"window", "all", "keep the rows with t (ms) in START..END"}, \
    {"every", "1", "keep every K-th row (of the window)"}

/* What was read: the conversion, and the names it points to (borrowed from the call or
   held here). */
typedef struct nd_adapt_args {
    nd_ds_adapt a;
    const char *old[ND_ADAPT_MAX_COLUMNS], *new[ND_ADAPT_MAX_COLUMNS];
    char *held[ND_ADAPT_MAX_COLUMNS];   /* "V=Vm_mV" strings cut in two */
    char *time_unit;
    int given;                          /* any of the options given */
} nd_adapt_args;

/* Reads the options into *out (zeroed first): columns=[t, V, "I=Iinj"] (a name keeps a
   column, "new=old" renames it; the first is time), time=s|ms|us, area= (cm²) or
   capacitance= (pF, at 1 µF/cm²), window=START..END (ms) and every=K (rows kept). A located error for a malformed entry, both area and
   capacitance, or a value that is not positive. Free with nd_adapt_args_free. */
nd_status nd_adapt_args_read(const nd_cmd_ctx *ctx, nd_adapt_args *out, nd_error *err);

/* Releases what nd_adapt_args_read held. */
void nd_adapt_args_free(nd_adapt_args *aa);

/* Replaces *ds by its adapted copy when aa holds options (the old one freed); a located
   error at the command otherwise. */
nd_status nd_adapt_args_apply(const nd_cmd_ctx *ctx, const nd_adapt_args *aa, nd_dataset **ds,
                              nd_error *err);

#endif
