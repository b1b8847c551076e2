/* The ABF1 header: every field at a fixed byte offset of a 2048-byte header, extended to
   6144 bytes from version 1.6 on (telegraphs, the DAC epoch tables, the protocol path).
   Offsets as neo and pyABF document them. Arrays of 16 entries are indexed by physical
   ADC number, which the sampling sequence lists in acquisition order. */
#include "abf_info.h"

#include <stdio.h>
#include <string.h>

#define OLD_HEADER 2048
#define EXTENDED_HEADER 6144
#define ABF1_DACS 2          /* epoch tables exist for DAC 0 and 1 only */
#define ABF1_EPOCHS 10       /* per DAC */

static void read_version(const abf_buf *b, abf_info *info)
{
    snprintf(info->version, sizeof info->version, "%.3f", abf_f32(b, 4));
    char *end = info->version + strlen(info->version);
    while (end > info->version + 3 && end[-1] == '0') *--end = '\0';
}

static int read_adcs(const abf_buf *b, int extended, abf_info *info)
{
    int n = abf_i16(b, 120);
    if (n < 1 || n > ABF_MAX_ADC)
        return abf_fail(b, "ABF1 header: %d ADC channels (1 to %d are possible)", n,
                        ABF_MAX_ADC);
    info->nadc = (size_t)n;
    for (int i = 0; i < n; i++) {
        int ch = abf_i16(b, 410 + 2 * (size_t)i);
        if (ch < 0 || ch >= ABF_MAX_ADC)
            return abf_fail(b, "ABF1 header: the sampling sequence names ADC %d at place %d",
                            ch, i);
        size_t c = (size_t)ch;
        abf_adc *adc = &info->adc[i];
        abf_text(b, 442 + 10 * c, 10, 1, adc->name, sizeof adc->name);
        if (!adc->name[0]) snprintf(adc->name, sizeof adc->name, "IN%d", ch);
        abf_unit(b, 602 + 8 * c, 8, adc->unit, sizeof adc->unit);
        /* neo divides by the telegraph gain only when the flag is exactly 1 */
        int telegraph = extended && abf_i16(b, 4512 + 2 * c) == 1;
        adc->telegraph_mode = telegraph ? abf_i16(b, 4768 + 2 * c) : -1;
        abf_gains g = {abf_f32(b, 244), abf_i32(b, 252), abf_f32(b, 922 + 4 * c),
                       abf_f32(b, 1050 + 4 * c), abf_f32(b, 730 + 4 * c), telegraph,
                       abf_f32(b, 4576 + 4 * c), abf_f32(b, 986 + 4 * c),
                       abf_f32(b, 1114 + 4 * c)};
        if (info->item == 2 && abf_adc_scale(b, i, &g, adc) != 0) return -1;
    }
    return 0;
}

/* DAC 0 and 1 with their ten epochs each (extended header only). */
static void read_dacs(const abf_buf *b, abf_info *info)
{
    info->ndac = ABF1_DACS;
    for (size_t d = 0; d < ABF1_DACS; d++) {
        abf_dac *dac = &info->dac[d];
        abf_text(b, 1306 + 10 * d, 10, 0, dac->name, sizeof dac->name);
        if (!dac->name[0]) snprintf(dac->name, sizeof dac->name, "Cmd %zu", d);
        abf_unit(b, 1346 + 8 * d, 8, dac->unit, sizeof dac->unit);
        dac->holding = abf_f32(b, 1394 + 4 * d);
        int enabled = abf_i16(b, 2296 + 2 * d) != 0, source = abf_i16(b, 2300 + 2 * d);
        dac->waveform = enabled && source == 1;
        dac->from_file = enabled && source == 2;
        dac->keep_last = abf_i16(b, 2304 + 2 * d) != 0;
        dac->nepochs = ABF1_EPOCHS;
        for (size_t k = 0; k < ABF1_EPOCHS; k++) {
            size_t j = d * ABF1_EPOCHS + k;
            /* ABF1 stores no train period or width: a pulse epoch cannot be rebuilt */
            dac->epochs[k] = (abf_epoch){abf_i16(b, 2308 + 2 * j), abf_f32(b, 2348 + 4 * j),
                                         abf_f32(b, 2428 + 4 * j), abf_i32(b, 2508 + 4 * j),
                                         abf_i32(b, 2588 + 4 * j), 0, 0};
        }
    }
}

int abf1_header(const abf_buf *b, abf_info *info)
{
    memset(info, 0, sizeof *info);
    if (b->len < OLD_HEADER)
        return abf_fail(b, "ABF1 header: the file has %zu bytes, fewer than the %d of the "
                        "header", b->len, OLD_HEADER);
    info->major = 1;
    read_version(b, info);
    int extended = abf_f32(b, 4) >= 1.6f;
    if (extended && b->len < EXTENDED_HEADER)
        return abf_fail(b, "ABF1 header: a version %s file has a %d-byte header, but the file "
                        "has %zu bytes", info->version, EXTENDED_HEADER, b->len);
    info->mode = abf_i16(b, 8);
    int16_t format = abf_i16(b, 100);
    if (format != 0 && format != 1)
        return abf_fail(b, "ABF1 header: data format %d (0 int16 and 1 float32 are known)",
                        format);
    info->item = format == 0 ? 2 : 4;
    if (read_adcs(b, extended, info) != 0) return -1;
    info->dt_us = (double)abf_f32(b, 122) * (double)info->nadc;
    info->synch_unit = abf_f32(b, 130);
    info->episode_samples = abf_i32(b, 138) / (int64_t)info->nadc;

    int32_t block = abf_i32(b, 40), length = abf_i32(b, 10), ignored = abf_i16(b, 14);
    int32_t synch_block = abf_i32(b, 92), synch_count = abf_i32(b, 96);
    if (block < 0 || length < 0 || ignored < 0 || synch_block < 0 || synch_count < 0)
        return abf_fail(b, "ABF1 header: negative data layout (data block %ld, %ld samples, "
                        "%ld ignored; sweep table block %ld, %ld sweeps)", (long)block,
                        (long)length, (long)ignored, (long)synch_block, (long)synch_count);
    info->data_off = (size_t)block * ABF_BLOCK + (size_t)ignored * info->item;
    info->data_count = (size_t)length;
    info->synch_off = (size_t)synch_block * ABF_BLOCK;
    info->synch_count = (size_t)synch_count;

    if (extended) {
        read_dacs(b, info);
        abf_text(b, 4898, 256, 0, info->protocol, sizeof info->protocol);
    }
    uint64_t ms = (uint64_t)(uint32_t)abf_i32(b, 24) * 1000 + (uint16_t)abf_i16(b, 366);
    abf_date((uint32_t)abf_i32(b, 20), ms, info->date, sizeof info->date);
    return 0;
}
