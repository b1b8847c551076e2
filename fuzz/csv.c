/* Fuzz target: the CSV/TSV table reader (lib/data/csv_load.c: nd_ds_parse_csv) and the
   unit conversion `load` applies after it (nd_ds_adapted), on arbitrary bytes. A table that
   reads must be consistent (a named first column, every column as long as the others);
   one that does not must say why. Nothing may leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/data/dataset.h"
#include "../lib/data/ds_adapt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nd_error err;
    nd_error_clear(&err);
    nd_dataset *ds = nd_ds_parse_csv((const char *)data, size, "fuzz.csv", &err);
    if (!ds) {
        if (err.code == ND_OK || !err.msg[0]) abort();
        return 0;
    }
    if (nd_ds_cols(ds) == 0 || !nd_ds_name(ds, 0)[0]) abort();
    /* every column converted as `load … area=` would: time to ms, potentials to mV,
       currents to densities */
    nd_ds_adapt a = {.area_cm2 = 1e-4};
    nd_dataset *out = nd_ds_adapted(ds, &a, &err);
    if (out && (nd_ds_rows(out) != nd_ds_rows(ds) || nd_ds_cols(out) != nd_ds_cols(ds))) abort();
    nd_ds_free(out);
    nd_ds_free(ds);
    return 0;
}
