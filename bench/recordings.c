/* Recordings timing (issue 14): read the fast-spiking interneuron's ABF file (17 sweeps of
   60,000 samples) and measure every feature `features rec` reports: the protocol's window,
   spikes and per-sweep features of each sweep, the cell's rheobase, input resistance, tau,
   sag and F–I slope. Prints one JSON line for bench/recordings.py: the median times of the
   read alone and of read + features, and the numbers, so the peer can be checked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "../lib/analysis/ephys.h"
#include "../lib/data/abf.h"

#define REPEATS 21

/* One full run: read, window, sweeps, cell; the cell's values in out[5] and the spike
   total in *spikes. */
static int run(const char *path, int features, double *out, size_t *spikes)
{
    nd_error err;
    nd_recording *rec = nd_abf_load(path, &err);
    if (!rec) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    int rc = 0;
    if (features) {
        double start, end;
        nd_ephys_sweep *s = NULL;
        nd_ephys_cell cell;
        size_t n = nd_rec_sweeps(rec);
        /* channel 0 is IN 0 (mV), channel 1 the command Cmd 0 (pA) */
        rc = nd_ephys_protocol_window(rec, 1, &start, &end, &err) != ND_OK ||
             nd_ephys_recording(rec, 0, 1, start, end, NULL, &s, &err) != ND_OK ||
             nd_ephys_cell_analyze(s, n, &cell, &err) != ND_OK;
        if (rc) {
            fprintf(stderr, "%s\n", err.msg);
        } else {
            out[0] = cell.rheobase;
            out[1] = cell.input_resistance;
            out[2] = cell.tau;
            out[3] = cell.sag;
            out[4] = cell.fi_slope;
            *spikes = 0;
            for (size_t k = 0; k < n; k++) *spikes += s[k].n_spikes;
            nd_ephys_cell_clear(&cell);
        }
        nd_ephys_sweeps_free(s, n);
    }
    nd_rec_free(rec);
    return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/recordings/2019_07_24_0055_fsi.abf";
    double read_t[REPEATS], all_t[REPEATS], cell[5] = {0};
    size_t spikes = 0;
    for (int r = 0; r < REPEATS; r++) {
        double t0 = bench_now();
        if (run(path, 0, cell, &spikes) != 0) return 1;
        double t1 = bench_now();
        if (run(path, 1, cell, &spikes) != 0) return 1;
        read_t[r] = t1 - t0;
        all_t[r] = bench_now() - t1;
    }
    qsort(read_t, REPEATS, sizeof *read_t, bench_cmp);
    qsort(all_t, REPEATS, sizeof *all_t, bench_cmp);
    printf("{\"read_s\": %.9g, \"features_s\": %.9g, \"rheobase\": %.17g, "
           "\"input_resistance\": %.17g, \"tau\": %.17g, \"sag\": %.17g, \"fi_slope\": %.17g, "
           "\"spikes\": %zu}\n", read_t[REPEATS / 2], all_t[REPEATS / 2], cell[0], cell[1],
           cell[2], cell[3], cell[4], spikes);
    return 0;
}
