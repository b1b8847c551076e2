/* An ABF file as a recording: checks the layout the header describes against the file,
   splits the samples into sweeps, scales them, adds the command waveforms of the DACs
   whose epoch tables can be rebuilt, and the metadata. */
#include "abf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abf_info.h"

typedef struct sweep_span {
    size_t start, n;   /* first sample (all channels counted) and samples per channel */
    double t0;         /* ms */
} sweep_span;

static const char *mode_name(int mode)
{
    switch (mode) {
    case 1: return "event-driven (variable length)";
    case 2: return "event-driven (fixed length)";
    case 3: return "gap-free";
    case 5: return "episodic";
    }
    return NULL;
}

/* Checks mode, sampling and data section, then reads the sweep table into *out (one sweep
   of everything when the table is empty); returns the sweep count, 0 with b->err set. */
static size_t read_sweeps(const abf_buf *b, const abf_info *info, sweep_span **out)
{
    int v = info->major;
    *out = NULL;
    if (!mode_name(info->mode)) {
        abf_fail(b, "ABF%d header: operation mode %d is not read (1, 2, 3 and 5 are)", v,
                 info->mode);
        return 0;
    }
    if (!(info->dt_us > 0 && info->dt_us < 1e9)) {
        abf_fail(b, "ABF%d header: a sample interval of %g µs", v, info->dt_us);
        return 0;
    }
    if (!abf_fits(b, info->data_off, info->data_count, info->item)) {
        abf_fail(b, "ABF%d header: data section at byte %zu + %zu samples runs past the end "
                 "of the %zu-byte file", v, info->data_off, info->data_count, b->len);
        return 0;
    }
    if (info->synch_count && !abf_fits(b, info->synch_off, info->synch_count, 8)) {
        abf_fail(b, "ABF%d header: sweep table at byte %zu + %zu sweeps × 8 bytes runs past the "
                 "end of the %zu-byte file", v, info->synch_off, info->synch_count, b->len);
        return 0;
    }
    size_t count = info->synch_count ? info->synch_count : 1;
    sweep_span *sw = malloc(count * sizeof *sw);
    if (!sw) {
        nd_error_fail(b->err, ND_ENOMEM, "%s: out of memory for %zu sweeps", b->name, count);
        return 0;
    }
    double dt_ms = info->dt_us / 1000;
    size_t pos = 0;
    for (size_t s = 0; s < count; s++) {
        int64_t start = 0, len = (int64_t)info->data_count;
        if (info->synch_count) {
            start = abf_i32(b, info->synch_off + 8 * s);
            len = abf_i32(b, info->synch_off + 8 * s + 4);
        }
        if (len <= 0 || (uint64_t)len % info->nadc != 0 ||
            (uint64_t)len > info->data_count - pos) {
            abf_fail(b, "ABF%d sweep table: sweep %zu has %lld samples, %s", v, s,
                     (long long)len, len <= 0 ? "not a positive count"
                     : (uint64_t)len % info->nadc ? "not a whole number per channel"
                     : "more than the data section holds");
            free(sw);
            return 0;
        }
        /* start times: in units of fSynchTimeUnit µs, or in samples when it is 0 */
        double t0 = info->synch_unit != 0 ? (double)start * info->synch_unit / 1000
                                           : (double)start * dt_ms;
        sw[s] = (sweep_span){pos, (size_t)len / info->nadc, t0};
        pos += (size_t)len;
    }
    *out = sw;
    return count;
}

/* Adds a channel under name, or name_2, name_3 ... when it is taken; -1 on ENOMEM. */
static int add_channel(nd_recording *rec, const char *name, const char *unit, nd_chan_kind kind)
{
    char alt[80];
    snprintf(alt, sizeof alt, "%s", *name ? name : "channel");
    for (int k = 2; k < 100; k++) {
        int c = nd_rec_add_channel(rec, alt, unit, kind);
        if (c >= 0 || nd_rec_find_channel(rec, alt) < 0) return c;
        snprintf(alt, sizeof alt, "%s_%d", *name ? name : "channel", k);
    }
    return -1;
}

/* "current" or "voltage" clamp from the amplifier's telegraph, else from the unit of the
   first DAC that plays a waveform (a current command means current clamp); NULL. */
static const char *clamp_mode(const abf_info *info)
{
    for (size_t c = 0; c < info->nadc; c++)
        if (info->adc[c].telegraph_mode >= 0)
            return info->adc[c].telegraph_mode == 0 ? "voltage"
                   : info->adc[c].telegraph_mode <= 2 ? "current" : NULL;
    for (size_t d = 0; d < info->ndac; d++) {
        size_t n = strlen(info->dac[d].unit);
        if (!info->dac[d].waveform || !n) continue;
        char last = info->dac[d].unit[n - 1];
        return last == 'A' ? "current" : last == 'V' ? "voltage" : NULL;
    }
    return NULL;
}

/* The protocol file's name without folder and extension, into out. */
static void protocol_name(const char *path, char *out, size_t cap)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    snprintf(out, cap, "%s", base);
    char *dot = strrchr(out, '.');
    if (dot && dot != out) *dot = '\0';
}

static int set_meta(nd_recording *rec, const abf_info *info, const char *name,
                    const char *omitted)
{
    char format[32], protocol[256];
    snprintf(format, sizeof format, "ABF %s", info->version);
    protocol_name(info->protocol, protocol, sizeof protocol);
    const char *keys[] = {"format", "file", "mode", "protocol", "clamp", "date",
                          "command_omitted"};
    const char *values[] = {format, name, mode_name(info->mode), protocol, clamp_mode(info),
                            info->date, omitted};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        nd_status st = !values[i] || !*values[i] ? ND_OK
                       : i == 1 ? nd_rec_set_file(rec, values[i])
                                : nd_rec_set_meta(rec, keys[i], values[i]);
        if (st == ND_ENOMEM) return -1;
    }
    return 0;
}

/* The DACs whose command is rebuilt (cmd[0..*ncmd)), and in omitted why others are not. */
static void pick_commands(const abf_info *info, const sweep_span *sw, size_t nsweep,
                          size_t *cmd, size_t *ncmd, char *omitted, size_t cap)
{
    *ncmd = 0;
    omitted[0] = '\0';
    int fixed = info->mode == 2 || info->mode == 5;
    for (size_t s = 0; s < nsweep; s++)
        if ((int64_t)sw[s].n != info->episode_samples) fixed = 0;
    for (size_t d = 0; d < info->ndac; d++) {
        const char *why;
        int usable = abf_command_usable(info, d, &why);
        /* gap-free recording plays no waveform: nothing is omitted */
        if (usable && !fixed)
            why = info->mode == 3 ? NULL : "the sweeps are not the protocol's fixed length";
        if (usable && fixed) cmd[(*ncmd)++] = d;
        else if (why) {
            size_t k = strlen(omitted);
            snprintf(omitted + k, cap - k, "%s%s: %s", k ? "; " : "", info->dac[d].name, why);
        }
    }
}

/* Fills sweep s's values (the scaled ADC channels, then the rebuilt commands, n samples
   each; carry as abf_command_sweep). */
static void sweep_values(const abf_buf *b, const abf_info *info, const sweep_span *sw,
                         size_t s, const size_t *cmd, size_t ncmd, double *carry,
                         double *values)
{
    size_t n = sw[s].n;
    for (size_t c = 0; c < info->nadc; c++)
        abf_column(b, info->data_off + (sw[s].start + c) * info->item, info->nadc * info->item,
                   n, info->item, info->adc[c].gain, info->adc[c].offset, values + c * n);
    for (size_t k = 0; k < ncmd; k++)
        abf_command_sweep(info, cmd[k], (int64_t)s, n, &carry[k],
                          values + (info->nadc + k) * n);
}

/* One block for the values of every sweep, cols channels each, owned by rec; NULL on
   ENOMEM or a size that overflows. */
static double *values_block(nd_recording *rec, const sweep_span *sw, size_t nsweep,
                            size_t cols)
{
    size_t cells = 0, sweep_cells;
    for (size_t s = 0; s < nsweep; s++) {
        if (abf_mul(cols, sw[s].n, &sweep_cells) != 0 || sweep_cells > SIZE_MAX / 8 - cells)
            return NULL;
        cells += sweep_cells;
    }
    double *block = malloc(cells * sizeof *block);
    return block && nd_rec_adopt(rec, block) == 0 ? block : NULL;
}

static nd_recording *assemble(const abf_buf *b, const abf_info *info, const sweep_span *sw,
                              size_t nsweep)
{
    char format[32], omitted[512];
    size_t cmd[ABF_MAX_DAC], ncmd;
    snprintf(format, sizeof format, "abf %s", info->version);
    pick_commands(info, sw, nsweep, cmd, &ncmd, omitted, sizeof omitted);
    nd_recording *rec = nd_rec_create(format);
    int ok = rec != NULL;
    for (size_t c = 0; ok && c < info->nadc; c++)
        ok = add_channel(rec, info->adc[c].name, info->adc[c].unit, ND_CHAN_RECORDED) >= 0;
    for (size_t k = 0; ok && k < ncmd; k++)
        ok = add_channel(rec, info->dac[cmd[k]].name, info->dac[cmd[k]].unit,
                         ND_CHAN_COMMAND) >= 0;
    ok = ok && set_meta(rec, info, b->name, omitted) == 0;

    size_t cols = info->nadc + ncmd;
    double *values = ok ? values_block(rec, sw, nsweep, cols) : NULL;
    double carry[ABF_MAX_DAC];
    for (size_t k = 0; k < ncmd; k++) carry[k] = info->dac[cmd[k]].holding;
    ok = values != NULL;
    for (size_t s = 0; ok && s < nsweep; s++) {
        sweep_values(b, info, sw, s, cmd, ncmd, carry, values);
        ok = nd_rec_add_sweep_at(rec, sw[s].t0, info->dt_us / 1000, sw[s].n, values) == 0;
        values += cols * sw[s].n;
    }
    if (ok) return rec;
    nd_rec_free(rec);
    nd_error_fail(b->err, ND_ENOMEM, "%s: out of memory for %zu sweeps of %zu channels", b->name,
                  nsweep, cols);
    return NULL;
}

nd_recording *nd_abf_read(const unsigned char *buf, size_t len, const char *name,
                          nd_error *err)
{
    abf_buf b = {buf, len, name && *name ? name : "ABF file", err};
    int v1 = len >= 4 && memcmp(buf, "ABF ", 4) == 0;
    int v2 = len >= 4 && memcmp(buf, "ABF2", 4) == 0;
    if (!v1 && !v2) {
        abf_fail(&b, "not an Axon Binary Format file (it does not start with \"ABF \" or "
                 "\"ABF2\")");
        return NULL;
    }
    abf_info *info = malloc(sizeof *info);
    if (!info) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    nd_recording *rec = NULL;
    sweep_span *sw = NULL;
    size_t nsweep = 0;
    if ((v1 ? abf1_header(&b, info) : abf2_header(&b, info)) == 0 &&
        (nsweep = read_sweeps(&b, info, &sw)) > 0)
        rec = assemble(&b, info, sw, nsweep);
    free(sw);
    free(info);
    return rec;
}

nd_recording *nd_abf_load(const char *path, nd_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        nd_error_fail(err, ND_EIO, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    unsigned char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    int ok = size >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
             (buf = malloc(size ? (size_t)size : 1)) != NULL &&
             fread(buf, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    nd_recording *rec = NULL;
    if (ok) rec = nd_abf_read(buf, (size_t)size, path, err);
    else nd_error_fail(err, size >= 0 && !buf ? ND_ENOMEM : ND_EIO, "cannot read '%s'", path);
    free(buf);
    return rec;
}
