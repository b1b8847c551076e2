/* The ABF2 header: a fixed part, then a table of sections (block index, bytes per entry,
   entry count) pointing at the protocol, the ADC and DAC channels, the epoch table, the
   strings, the samples and the sweep table. Field offsets within each entry follow the
   layouts neo and pyABF document; every entry is checked to lie inside the file. */
#include "abf_info.h"

#include <stdio.h>
#include <string.h>

#define SECTION_TABLE 76   /* byte offset of the section table */
#define HEADER_BYTES (SECTION_TABLE + 18 * 16)

enum { S_PROTOCOL = 0, S_ADC = 1, S_DAC = 2, S_EPOCH_PER_DAC = 5, S_STRINGS = 9,
       S_DATA = 10, S_SYNCH = 15 };

static const char *const section_names[] = {
    [S_PROTOCOL] = "protocol", [S_ADC] = "ADC", [S_DAC] = "DAC",
    [S_EPOCH_PER_DAC] = "epoch table"};

/* Entry sizes read from each section (the writer's bytes per entry may be larger). */
#define PROTOCOL_BYTES 208
#define ADC_BYTES 82
#define DAC_BYTES 256
#define EPOCH_BYTES 48

typedef struct section {
    size_t off, stride;   /* first entry's byte offset; bytes from one entry to the next */
    size_t count;
} section;

/* Reads section s and checks that count entries of need bytes each lie in the file. */
static int read_section(const abf_buf *b, int s, size_t need, section *out)
{
    size_t at = SECTION_TABLE + (size_t)s * 16;
    uint32_t block = abf_u32(b, at), stride = abf_u32(b, at + 4);
    int64_t count = abf_i64(b, at + 8);
    out->off = (size_t)block * ABF_BLOCK;   /* < 2^41: no overflow in a 64-bit size_t */
    out->stride = stride;
    if (count < 0)
        return abf_fail(b, "ABF2 header: the %s section has %lld entries", section_names[s],
                        (long long)count);
    out->count = (size_t)count;
    if (out->count == 0) return 0;
    /* entries may not overlap: that bounds the count by the file's size */
    if (out->count > 1 && out->stride < need)
        return abf_fail(b, "ABF2 header: the %s section has %zu entries of %zu bytes, fewer "
                        "than the %zu of one entry", section_names[s], out->count, out->stride,
                        need);
    size_t span;
    int ok = abf_mul(out->count - 1, out->stride, &span) == 0 && span <= SIZE_MAX - need &&
             abf_fits(b, out->off, span + need, 1);
    if (!ok)
        return abf_fail(b, "ABF2 header: the %s section at byte %zu (%zu × %zu bytes) runs "
                        "past the end of the %zu-byte file", section_names[s],
                        out->off, out->count, out->stride ? out->stride : need, b->len);
    return 0;
}

/* The strings section: NUL-separated strings referred to by 1-based index, counted from
   the creator's name (the bytes before it are a binary preamble; neo and pyABF find the
   start the same way). */
typedef struct strings {
    size_t start, end;   /* byte range of the indexed strings; start == end when absent */
} strings;

static void find_strings(const abf_buf *b, const section *sec, strings *st)
{
    static const char *const creators[] = {"AXENGN", "clampex", "Clampex", "EDR3", "CLAMPEX",
                                           "axoscope", "AxoScope", "Clampfit"};
    st->start = st->end = 0;
    if (sec->count == 0 || !abf_fits(b, sec->off, sec->stride, 1)) return;
    const unsigned char *p = b->p + sec->off;
    size_t n = sec->stride;
    for (size_t c = 0; c < sizeof creators / sizeof *creators; c++) {
        size_t k = strlen(creators[c]);
        for (size_t i = 0; i + k < n; i++)
            if (p[i] == '\0' && memcmp(p + i + 1, creators[c], k) == 0) {
                st->start = sec->off + i + 1;
                st->end = sec->off + n;
                return;
            }
    }
}

/* Copies string number index (1-based) into out, or fallback when there is none. */
static void indexed(const abf_buf *b, const strings *st, int32_t index, int unit, int squeeze,
                    const char *fallback, char *out, size_t cap)
{
    size_t at = st->start;
    for (int32_t i = 1; i < index && at < st->end; i++) {
        const unsigned char *nul = memchr(b->p + at, '\0', st->end - at);
        at = nul ? (size_t)(nul - b->p) + 1 : st->end;
    }
    if (index < 1 || at >= st->end) {
        snprintf(out, cap, "%s", fallback);
        return;
    }
    if (unit) abf_unit(b, at, st->end - at, out, cap);
    else abf_text(b, at, st->end - at, squeeze, out, cap);
}

static int read_adcs(const abf_buf *b, const section *sec, const strings *st,
                     size_t protocol, abf_info *info)
{
    if (sec->count < 1 || sec->count > ABF_MAX_ADC)
        return abf_fail(b, "ABF2 header: %zu ADC channels (1 to %d are possible)", sec->count,
                        ABF_MAX_ADC);
    info->nadc = sec->count;
    for (size_t i = 0; i < sec->count; i++) {
        size_t e = sec->off + i * sec->stride;
        abf_adc *adc = &info->adc[i];
        char fallback[32];
        snprintf(fallback, sizeof fallback, "IN%d", abf_i16(b, e));
        indexed(b, st, abf_i32(b, e + 74), 0, 1, fallback, adc->name, sizeof adc->name);
        indexed(b, st, abf_i32(b, e + 78), 1, 1, "", adc->unit, sizeof adc->unit);
        int telegraph = abf_i16(b, e + 2) != 0;
        adc->telegraph_mode = telegraph ? abf_i16(b, e + 18) : -1;
        abf_gains g = {abf_f32(b, protocol + 110), abf_i32(b, protocol + 118),
                       abf_f32(b, e + 40), abf_f32(b, e + 48), abf_f32(b, e + 28),
                       telegraph, abf_f32(b, e + 6), abf_f32(b, e + 44), abf_f32(b, e + 52)};
        if (info->item == 2 && abf_adc_scale(b, (int)i, &g, adc) != 0) return -1;
    }
    return 0;
}

static int read_dacs(const abf_buf *b, const section *sec, const strings *st, abf_info *info)
{
    if (sec->count > ABF_MAX_DAC)
        return abf_fail(b, "ABF2 header: %zu DAC channels (at most %d)", sec->count,
                        ABF_MAX_DAC);
    info->ndac = sec->count;
    for (size_t i = 0; i < sec->count; i++) {
        size_t e = sec->off + i * sec->stride;
        abf_dac *dac = &info->dac[i];
        char fallback[32];
        snprintf(fallback, sizeof fallback, "Cmd %zu", i);
        indexed(b, st, abf_i32(b, e + 24), 0, 0, fallback, dac->name, sizeof dac->name);
        indexed(b, st, abf_i32(b, e + 28), 1, 0, "", dac->unit, sizeof dac->unit);
        dac->holding = abf_f32(b, e + 12);
        int enabled = abf_i16(b, e + 40) != 0, source = abf_i16(b, e + 42);
        dac->waveform = enabled && source == 1;
        dac->from_file = enabled && source == 2;
        dac->keep_last = abf_i16(b, e + 44) != 0;
    }
    return 0;
}

/* Each entry of the epoch table is one epoch of one DAC, in any order. */
static int read_epochs(const abf_buf *b, const section *sec, abf_info *info)
{
    for (size_t i = 0; i < sec->count; i++) {
        size_t e = sec->off + i * sec->stride;
        int num = abf_i16(b, e), d = abf_i16(b, e + 2);
        if (num < 0 || num >= ABF_MAX_EPOCH || d < 0 || (size_t)d >= info->ndac)
            return abf_fail(b, "ABF2 epoch table: entry %zu is epoch %d of DAC %d (the file "
                            "has %zu DACs and at most %d epochs each)", i, num, d, info->ndac,
                            ABF_MAX_EPOCH);
        abf_dac *dac = &info->dac[d];
        dac->epochs[num] = (abf_epoch){abf_i16(b, e + 4), abf_f32(b, e + 6),
                                       abf_f32(b, e + 10), abf_i32(b, e + 14),
                                       abf_i32(b, e + 18), abf_i32(b, e + 22),
                                       abf_i32(b, e + 26)};
        if (num + 1 > dac->nepochs) dac->nepochs = num + 1;
    }
    return 0;
}

/* The block offset and entry count of section s as the table states them (checked by the
   caller, which knows the entries' size). */
static int64_t raw_section(const abf_buf *b, int s, size_t *off)
{
    *off = (size_t)abf_u32(b, SECTION_TABLE + (size_t)s * 16) * ABF_BLOCK;
    return abf_i64(b, SECTION_TABLE + (size_t)s * 16 + 8);
}

int abf2_header(const abf_buf *b, abf_info *info)
{
    memset(info, 0, sizeof *info);
    if (b->len < HEADER_BYTES)
        return abf_fail(b, "ABF2 header: the file has %zu bytes, fewer than the %d of the "
                        "header", b->len, HEADER_BYTES);
    info->major = 2;
    const unsigned char *v = b->p + 4;   /* build, bugfix, minor, major */
    if (v[1] || v[0])
        snprintf(info->version, sizeof info->version, "%u.%u.%u.%u", v[3], v[2], v[1], v[0]);
    else
        snprintf(info->version, sizeof info->version, "%u.%u", v[3], v[2]);

    uint16_t format = abf_u16(b, 30);
    if (format > 1)
        return abf_fail(b, "ABF2 header: data format %u (0 int16 and 1 float32 are known)",
                        format);
    info->item = format == 0 ? 2 : 4;   /* float32 samples are stored in their unit */

    section protocol, adcs, dacs, epochs, strs;
    if (read_section(b, S_PROTOCOL, PROTOCOL_BYTES, &protocol) != 0 ||
        read_section(b, S_ADC, ADC_BYTES, &adcs) != 0 ||
        read_section(b, S_DAC, DAC_BYTES, &dacs) != 0 ||
        read_section(b, S_EPOCH_PER_DAC, EPOCH_BYTES, &epochs) != 0)
        return -1;
    if (protocol.count == 0)
        return abf_fail(b, "ABF2 header: there is no protocol section");
    size_t p = protocol.off;
    info->mode = abf_i16(b, p);
    info->dt_us = abf_f32(b, p + 2);
    info->synch_unit = abf_f32(b, p + 14);

    /* The strings section's entry count counts strings; its "bytes" are the whole text. */
    strs.count = raw_section(b, S_STRINGS, &strs.off) > 0;
    strs.stride = abf_u32(b, SECTION_TABLE + S_STRINGS * 16 + 4);
    if (strs.count && !abf_fits(b, strs.off, strs.stride, 1))
        return abf_fail(b, "ABF2 header: the strings section at byte %zu (%zu bytes) runs "
                        "past the end of the %zu-byte file", strs.off, strs.stride, b->len);
    strings st;
    find_strings(b, &strs, &st);
    if (read_adcs(b, &adcs, &st, p, info) != 0 || read_dacs(b, &dacs, &st, info) != 0 ||
        read_epochs(b, &epochs, info) != 0)
        return -1;
    info->episode_samples = abf_i32(b, p + 22) / (int64_t)info->nadc;

    /* The data section counts samples (their size comes from the data format; neo too
       ignores the section's entry size); the caller checks both against the file. */
    int64_t samples = raw_section(b, S_DATA, &info->data_off);
    int64_t sweeps = raw_section(b, S_SYNCH, &info->synch_off);
    if (samples < 0 || sweeps < 0)
        return abf_fail(b, "ABF2 header: the %s section has %lld entries",
                        samples < 0 ? "data" : "sweep table",
                        (long long)(samples < 0 ? samples : sweeps));
    info->data_count = (size_t)samples;
    info->synch_count = (size_t)sweeps;

    indexed(b, &st, abf_i32(b, 72), 0, 0, "", info->protocol, sizeof info->protocol);
    abf_date(abf_u32(b, 16), abf_u32(b, 20), info->date, sizeof info->date);
    return 0;
}
