/* A DAC's command waveform rebuilt from its epoch table, the way Clampex plays it and
   pyABF and neo describe it: each sweep starts with a "first holding" of 1/64 of the sweep
   at the holding level (or, when the DAC keeps its last level between sweeps, at the level
   the previous sweep ended on), then the epochs follow one another, each lasting its
   first duration plus the per-sweep increment times the sweep number, at its first level
   plus the per-sweep increment times the sweep number; after the last epoch the output
   returns to the holding level (or stays at the last level). A step holds its level; a
   ramp goes linearly from the previous level to its own, reaching it on its last sample;
   a pulse train sits at the previous level with pulses of the given width at its level
   every period. Off epochs take no time. */
#include "abf_info.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_EPOCH_SAMPLES ((int64_t)1 << 40)

/* Why an epoch of this type cannot be rebuilt (ABF1 stores no train period or width). */
static const char *unsupported(int type, int major)
{
    switch (type) {
    case ABF_EPOCH_PULSE:
        return major == 1 ? "a pulse train (ABF1 stores no train period)"
                          : "a pulse train without a period";
    case 4: return "a triangle-train epoch, which is not rebuilt";
    case 5: return "a cosine-train epoch, which is not rebuilt";
    case 7: return "a biphasic-train epoch, which is not rebuilt";
    }
    return "an epoch of unknown type";
}

int abf_command_usable(const abf_info *info, size_t d, const char **why)
{
    const abf_dac *dac = &info->dac[d];
    *why = NULL;
    if (dac->from_file) {
        *why = "its waveform comes from a stimulus file, which is not read";
        return 0;
    }
    int epochs = 0;
    for (int k = 0; dac->waveform && k < dac->nepochs; k++) {
        const abf_epoch *e = &dac->epochs[k];
        if (e->type == ABF_EPOCH_OFF) continue;
        epochs++;
        if (!isfinite(dac->holding) || !isfinite(e->level) || !isfinite(e->level_inc)) {
            *why = "its epoch table holds a level that is not a number";
            return 0;
        }
        int pulse_ok = e->type == ABF_EPOCH_PULSE && e->period > 0 && e->width >= 0;
        if (e->type != ABF_EPOCH_STEP && e->type != ABF_EPOCH_RAMP && !pulse_ok) {
            *why = unsupported(e->type, info->major);
            return 0;
        }
    }
    return epochs > 0;
}

/* base + inc * sweep, saturated instead of overflowing. */
static int64_t grown(int64_t base, int64_t inc, int64_t sweep)
{
    int64_t step, total;
    if (__builtin_mul_overflow(inc, sweep, &step) || __builtin_add_overflow(base, step, &total))
        return inc > 0 ? INT64_MAX : INT64_MIN;
    return total;
}

/* Fills out[from, to) clipped to [0, n) with level: one sample, then copies of what is
   filled, doubling (memcpy's wide stores outrun a loop of single ones several times, and
   filling is the waveform's whole cost). */
static void fill(double *out, size_t n, int64_t from, int64_t to, double level)
{
    size_t a = from < 0 ? 0 : (size_t)from, b = to < 0 ? 0 : (uint64_t)to < n ? (size_t)to : n;
    if (a >= b) return;
    out[a] = level;
    for (size_t done = 1; done < b - a; done *= 2)
        memcpy(out + a + done, out + a, (done < b - a - done ? done : b - a - done) * sizeof *out);
}

/* One epoch of dur samples starting at sample p1 (both >= 0). */
static void epoch(const abf_epoch *e, double before, double level, int64_t p1, int64_t dur,
                  size_t n, double *out)
{
    if (e->type == ABF_EPOCH_STEP) {
        fill(out, n, p1, p1 + dur, level);
    } else if (e->type == ABF_EPOCH_RAMP) {
        /* numpy.linspace(before, level, dur), as pyABF draws it */
        double step = dur > 1 ? (level - before) / (double)(dur - 1) : 0;
        for (int64_t i = 0; i < dur && (uint64_t)(p1 + i) < n; i++)
            out[p1 + i] = i == dur - 1 && dur > 1 ? level : (double)i * step + before;
    } else {
        fill(out, n, p1, p1 + dur, before);
        for (int64_t k = 0; k < dur / e->period && (uint64_t)(p1 + k * e->period) < n; k++) {
            int64_t a = p1 + k * e->period, w = e->width < dur - k * e->period
                                                     ? e->width : dur - k * e->period;
            fill(out, n, a, a + w, level);
        }
    }
}

void abf_command_sweep(const abf_info *info, size_t d, int64_t sweep, size_t n,
                       double *carry, double *out)
{
    const abf_dac *dac = &info->dac[d];
    int64_t pos = (int64_t)(n / 64);
    fill(out, n, 0, pos, *carry);
    double before = *carry, last = dac->holding;
    for (int k = 0; k < dac->nepochs; k++) {
        const abf_epoch *e = &dac->epochs[k];
        if (e->type == ABF_EPOCH_OFF) continue;
        /* an epoch may run past the sweep's end (only its start is drawn, with the slope
           of its full length); the bound keeps positions far from overflow */
        int64_t dur = grown(e->dur, e->dur_inc, sweep);
        if (dur < 0) dur = 0;
        if (dur > MAX_EPOCH_SAMPLES) dur = MAX_EPOCH_SAMPLES;
        double level = e->level + e->level_inc * (double)sweep;
        epoch(e, before, level, pos, dur, n, out);
        pos += dur;
        before = last = level;
    }
    *carry = dac->keep_last ? last : dac->holding;
    fill(out, n, pos, (int64_t)n, *carry);
}
