/* Fuzz target: the Axon Binary Format reader (lib/data/abf*.c: nd_abf_read) on arbitrary
   bytes. The fuzzer's buffer is its own allocation, so any read past the file's end is an
   ASan finding. A file that reads must give a consistent recording (every sweep has
   samples, a positive interval, finite values; a sweep converts to a dataset unless a
   channel is called "t"); one that does not must say why. Nothing may leak. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/data/abf.h"

static void use(const nd_recording *rec)
{
    size_t nc = nd_rec_channels(rec), ns = nd_rec_sweeps(rec);
    if (nc == 0 || ns == 0) abort();
    for (size_t c = 0; c < nc; c++)
        if (!nd_rec_channel_name(rec, c)[0]) abort();
    for (size_t s = 0; s < ns; s++) {
        size_t n = nd_rec_sweep_len(rec, s);
        if (n == 0 || !(nd_rec_sweep_dt(rec, s) > 0)) abort();
        for (size_t c = 0; c < nc; c++) {
            const double *v = nd_rec_data(rec, s, c);
            for (size_t i = 0; i < n; i++)
                if (!isfinite(v[i]) && nd_rec_channel_kind(rec, c) == ND_CHAN_COMMAND) abort();
        }
    }
    for (size_t i = 0; i < nd_rec_meta_count(rec); i++)
        if (!nd_rec_meta_key(rec, i)[0] || !nd_rec_meta_value(rec, i)) abort();
    nd_error err;
    nd_dataset *ds = nd_rec_sweep_dataset(rec, 0, &err);
    if (!ds && nd_rec_find_channel(rec, "t") < 0) abort();
    nd_ds_free(ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nd_error err;
    nd_error_clear(&err);
    nd_recording *rec = nd_abf_read(data, size, "fuzz.abf", &err);
    if (rec) {
        use(rec);
        nd_rec_free(rec);
    } else if (err.code == ND_OK || !err.msg[0]) {
        abort();
    }
    return 0;
}
