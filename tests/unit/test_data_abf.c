/* lib/data/abf: synthetic ABF2 and ABF1 files written byte by byte here, from the field
   offsets of the format (pyABF's and neo's layouts), read back to the samples their raw
   values and gains define and to the command their epoch tables define; and truncated or
   lying files, which must give an error and never read outside the buffer (run under ASan). */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "../../lib/data/abf.h"

/* --- a little-endian writer ------------------------------------------------------------ */

static void w16(unsigned char *p, size_t at, int v)
{
    p[at] = (unsigned char)(v & 0xFF);
    p[at + 1] = (unsigned char)((v >> 8) & 0xFF);
}

static void w32(unsigned char *p, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[at + i] = (unsigned char)(v >> (8 * i));
}

static void wf(unsigned char *p, size_t at, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    w32(p, at, u);
}

static void w64(unsigned char *p, size_t at, int64_t v)
{
    w32(p, at, (uint32_t)((uint64_t)v & 0xFFFFFFFFu));
    w32(p, at + 4, (uint32_t)((uint64_t)v >> 32));
}

/* ABF2 section s: block, bytes per entry, entries. */
static void section(unsigned char *p, int s, uint32_t block, uint32_t bytes, int64_t count)
{
    w32(p, 76 + 16 * (size_t)s, block);
    w32(p, 76 + 16 * (size_t)s + 4, bytes);
    w64(p, 76 + 16 * (size_t)s + 8, count);
}

/* An epoch of the ABF2 epoch table (section 5), entry i at block 4. */
static void epoch2(unsigned char *p, int i, int num, int type, float level, float inc, int dur,
                   int dur_inc)
{
    size_t e = 4 * 512 + 48 * (size_t)i;
    w16(p, e, num);
    w16(p, e + 2, 0);
    w16(p, e + 4, type);
    wf(p, e + 6, level);
    wf(p, e + 10, inc);
    w32(p, e + 14, (uint32_t)dur);
    w32(p, e + 18, (uint32_t)dur_inc);
}

#define N2 128            /* samples per channel and sweep of the synthetic ABF2 */
#define ABF2_LEN (9 * 512)
#define ABF2_END (8 * 512 + 16)   /* the end of the sweep table, the last part read */

static int16_t raw2(int sweep, int c, int i) { return (int16_t)(c ? -7 * i : 1000 * sweep + i - 64); }

/* Two sweeps of 128 samples, channels "IN 0" (mV, telegraphed) and "I mon" (µA), 10 kHz,
   DAC "Cmd 0" (pA, holding -70) playing epochs A (step -10 pA + 5 per sweep, 20 samples
   + 10 per sweep), B (ramp to 40 pA over 30 samples) and C (Off, 99 samples). */
static unsigned char *abf2_file(void)
{
    unsigned char *p = calloc(1, ABF2_LEN);
    memcpy(p, "ABF2", 4);
    p[6] = 6, p[7] = 2;                       /* version 2.6 */
    w32(p, 16, 20240102);                     /* 2024-01-02 */
    w32(p, 20, 3723004);                      /* 01:02:03.004 */
    w16(p, 30, 0);                            /* int16 */
    w32(p, 72, 2);                            /* protocol path: string 2 */
    section(p, 0, 1, 512, 1);                 /* protocol */
    section(p, 1, 2, 128, 2);                 /* ADC */
    section(p, 2, 3, 256, 1);                 /* DAC */
    section(p, 5, 4, 48, 3);                  /* epochs per DAC */
    section(p, 9, 5, 200, 9);                 /* strings */
    section(p, 10, 6, 2, 2 * 2 * N2);         /* data: 2 sweeps x 2 channels */
    section(p, 15, 8, 8, 2);                  /* sweep table */

    size_t pr = 512;
    w16(p, pr, 5);                            /* episodic */
    wf(p, pr + 2, 100);                       /* µs per sample */
    wf(p, pr + 14, 10);                       /* sweep starts in 10 µs units */
    w32(p, pr + 22, 2 * N2);                  /* samples per episode, all channels */
    wf(p, pr + 110, 10);                      /* ADC range, V */
    w32(p, pr + 118, 32768);                  /* ADC resolution */

    size_t a0 = 2 * 512, a1 = a0 + 128;
    w16(p, a0 + 2, 1);                        /* telegraph on */
    wf(p, a0 + 6, 5);                         /* telegraph gain */
    w16(p, a0 + 18, 1);                       /* current clamp */
    wf(p, a0 + 28, 1);                        /* programmable gain */
    wf(p, a0 + 40, 0.01f);                    /* instrument scale factor */
    wf(p, a0 + 44, 1.5f);                     /* instrument offset */
    wf(p, a0 + 48, 2);                        /* signal gain */
    wf(p, a0 + 52, 0.5f);                     /* signal offset */
    w32(p, a0 + 74, 3), w32(p, a0 + 78, 4);
    w16(p, a1, 1);
    wf(p, a1 + 28, 1), wf(p, a1 + 40, 1), wf(p, a1 + 48, 1);
    w32(p, a1 + 74, 5), w32(p, a1 + 78, 6);

    size_t d = 3 * 512;
    wf(p, d + 12, -70);                       /* holding */
    w32(p, d + 24, 7), w32(p, d + 28, 8);
    w16(p, d + 40, 1), w16(p, d + 42, 1);     /* waveform from epochs */
    epoch2(p, 0, 0, 1, -10, 5, 20, 10);
    epoch2(p, 1, 1, 2, 40, 0, 30, 0);
    epoch2(p, 2, 2, 0, 99, 0, 99, 0);

    static const char strings[] = "SSCH\0\0\0\0Clampex\0C:\\protocols\\my steps.pro\0IN 0\0mV\0"
                                  "I mon\0\xB5" "A\0Cmd 0\0pA";
    memcpy(p + 5 * 512, strings, sizeof strings);

    for (int s = 0; s < 2; s++)
        for (int i = 0; i < N2; i++)
            for (int c = 0; c < 2; c++)
                w16(p, 6 * 512 + 2 * (size_t)((s * N2 + i) * 2 + c), raw2(s, c, i));
    w32(p, 8 * 512, 0), w32(p, 8 * 512 + 4, 2 * N2);
    w32(p, 8 * 512 + 8, 300000), w32(p, 8 * 512 + 12, 2 * N2);   /* 3 s */
    return p;
}

/* The command the epoch table above defines, written out by hand. */
static double command2(int s, int i)
{
    int pre = N2 / 64, a = 20 + 10 * s;
    double level = -10 + 5 * s;
    if (i < pre) return -70;
    if (i < pre + a) return level;
    if (i < pre + a + 30) return level + (40 - level) * (i - pre - a) / 29.0;
    return -70;
}

TEST(abf2_synthetic_samples_command_and_metadata)
{
    unsigned char *p = abf2_file();
    nd_error err;
    nd_recording *rec = nd_abf_read(p, ABF2_LEN, "dir/synthetic.abf", &err);
    CHECK(rec != NULL);
    if (!rec) {
        fprintf(stderr, "%s\n", err.msg);
        free(p);
        return;
    }
    CHECK_STR(nd_rec_format(rec), "abf 2.6");
    CHECK_INT(nd_rec_channels(rec), 3);
    CHECK_STR(nd_rec_channel_name(rec, 0), "IN0");
    CHECK_STR(nd_rec_channel_name(rec, 1), "Imon");
    CHECK_STR(nd_rec_channel_unit(rec, 1), "uA");
    CHECK_STR(nd_rec_channel_name(rec, 2), "Cmd 0");
    CHECK_STR(nd_rec_channel_unit(rec, 2), "pA");
    CHECK(nd_rec_channel_kind(rec, 2) == ND_CHAN_COMMAND);
    CHECK_INT(nd_rec_sweeps(rec), 2);
    CHECK(nd_rec_sweep_dt(rec, 1) == 0.1);
    CHECK(nd_rec_sweep_t0(rec, 1) == 3000);
    /* 10 V over 32768 counts, through scale 0.01 V/mV, signal gain 2, telegraph gain 5 */
    double gain0 = 10.0 / (double)0.01f / 2 / 1 / 32768 / 5, gain1 = 10.0 / 32768;
    double offset0 = (double)1.5f - (double)0.5f;
    int bad = 0, badcmd = 0;
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < N2; i++) {
            bad += nd_rec_data(rec, s, 0)[i] != raw2(s, 0, i) * gain0 + offset0;
            bad += nd_rec_data(rec, s, 1)[i] != raw2(s, 1, i) * gain1;
            badcmd += fabs(nd_rec_data(rec, s, 2)[i] - command2(s, i)) > 1e-12;
        }
    CHECK_INT(bad, 0);
    CHECK_INT(badcmd, 0);
    CHECK(nd_rec_data(rec, 1, 2)[2 + 30 + 29] == 40);   /* the ramp ends on its level */
    CHECK_STR(nd_rec_meta(rec, "format"), "ABF 2.6");
    CHECK_STR(nd_rec_meta(rec, "file"), "synthetic.abf");
    CHECK_STR(nd_rec_meta(rec, "protocol"), "my steps");
    CHECK_STR(nd_rec_meta(rec, "clamp"), "current");
    CHECK_STR(nd_rec_meta(rec, "date"), "2024-01-02T01:02:03.004");
    CHECK_STR(nd_rec_meta(rec, "mode"), "episodic");
    CHECK(nd_rec_meta(rec, "command_omitted") == NULL);
    nd_rec_free(rec);
    free(p);
}

#define N1 64
#define ABF1_LEN (14 * 512 + 16)

/* ABF 1.83: two sweeps of 64 float32 samples of physical channels 3 ("Vm", mV) and 1 ("Im",
   pA), 20 kHz; DAC 0 ("Cmd 0", nA, holding 0) plays A (step 1.5 nA + 0.5 per sweep, 10
   samples) and B (step -2 nA, 8 samples + 2 per sweep) and keeps its last level. */
static unsigned char *abf1_file(void)
{
    unsigned char *p = calloc(1, ABF1_LEN);
    memcpy(p, "ABF ", 4);
    wf(p, 4, 1.83f);
    w16(p, 8, 5);
    w32(p, 10, 2 * 2 * N1);                   /* samples, all channels */
    w32(p, 20, 20231231), w32(p, 24, 86399), w16(p, 366, 999);
    w32(p, 40, 12);                           /* data block */
    w32(p, 92, 14), w32(p, 96, 2);            /* sweep table */
    w16(p, 100, 1);                           /* float32 */
    w16(p, 120, 2);
    wf(p, 122, 25);                           /* µs per sample of any channel */
    w32(p, 138, 2 * N1);
    w16(p, 410, 3), w16(p, 412, 1);
    memcpy(p + 442 + 30, "Vm        ", 10), memcpy(p + 602 + 24, "mV      ", 8);
    memcpy(p + 442 + 10, "Im        ", 10), memcpy(p + 602 + 8, "pA      ", 8);
    memcpy(p + 1306, "Cmd 0     ", 10), memcpy(p + 1346, "nA      ", 8);
    w16(p, 2296, 1), w16(p, 2300, 1), w16(p, 2304, 1);
    w16(p, 2308, 1), wf(p, 2348, 1.5f), wf(p, 2428, 0.5f), w32(p, 2508, 10);
    w16(p, 2310, 1), wf(p, 2352, -2), w32(p, 2512, 8), w32(p, 2592, 2);
    memcpy(p + 4898, "C:\\p\\ramp test.pro", 18);
    for (int k = 0; k < 2 * N1 * 2; k++) wf(p, 12 * 512 + 4 * (size_t)k, 0.25f * (float)k - 3);
    w32(p, 14 * 512, 0), w32(p, 14 * 512 + 4, 2 * N1);
    w32(p, 14 * 512 + 8, 1000), w32(p, 14 * 512 + 12, 2 * N1);   /* 1000 samples: 50 ms */
    return p;
}

static double command1(int s, int i)
{
    if (i < 1) return s == 0 ? 0 : -2;        /* the first holding carries the last level */
    if (i < 11) return 1.5 + 0.5 * s;
    return -2;
}

TEST(abf1_synthetic_float_samples_command_and_metadata)
{
    unsigned char *p = abf1_file();
    nd_error err;
    nd_recording *rec = nd_abf_read(p, ABF1_LEN, "old.abf", &err);
    CHECK(rec != NULL);
    if (!rec) {
        fprintf(stderr, "%s\n", err.msg);
        free(p);
        return;
    }
    CHECK_STR(nd_rec_format(rec), "abf 1.83");
    CHECK_INT(nd_rec_channels(rec), 3);
    CHECK_STR(nd_rec_channel_name(rec, 0), "Vm");
    CHECK_STR(nd_rec_channel_unit(rec, 1), "pA");
    CHECK_STR(nd_rec_channel_name(rec, 2), "Cmd 0");
    CHECK_INT(nd_rec_sweeps(rec), 2);
    CHECK(nd_rec_sweep_dt(rec, 0) == 0.05);
    CHECK_NEAR(nd_rec_sweep_t0(rec, 1), 50, 1e-12);
    int bad = 0;
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < N1; i++) {
            int k = (s * N1 + i) * 2;
            bad += nd_rec_data(rec, s, 0)[i] != 0.25 * k - 3;
            bad += nd_rec_data(rec, s, 1)[i] != 0.25 * (k + 1) - 3;
            bad += nd_rec_data(rec, s, 2)[i] != command1(s, i);
        }
    CHECK_INT(bad, 0);
    CHECK_STR(nd_rec_meta(rec, "protocol"), "ramp test");
    CHECK_STR(nd_rec_meta(rec, "clamp"), "current");
    CHECK_STR(nd_rec_meta(rec, "date"), "2023-12-31T23:59:59.999");
    nd_rec_free(rec);
    free(p);
}

/* Every prefix of buf shorter than len fails with a message (and ASan sees no bad read:
   each prefix is its own allocation, so a read past it is caught). */
static int every_prefix_fails(const unsigned char *buf, size_t len, size_t upto)
{
    int failures = 0;
    for (size_t n = 0; n < upto && n < len; n++) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, buf, n);
        nd_error err;
        nd_error_clear(&err);
        nd_recording *rec = nd_abf_read(copy, n, "cut.abf", &err);
        if (rec || err.code != ND_EVALUE || strncmp(err.msg, "cut.abf: ", 9) != 0) failures++;
        nd_rec_free(rec);
        free(copy);
    }
    return failures;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(*len);
    if (fread(buf, 1, *len, f) != *len) *len = 0;
    fclose(f);
    return buf;
}

TEST(abf_truncated_files_fail_cleanly)
{
    unsigned char *p2 = abf2_file(), *p1 = abf1_file();
    CHECK_INT(every_prefix_fails(p2, ABF2_LEN, ABF2_END), 0);
    CHECK_INT(every_prefix_fails(p1, ABF1_LEN, ABF1_LEN), 0);
    free(p2), free(p1);
    /* the real headers: every prefix up to the first samples and somewhat beyond */
    static const char *const files[] = {"data/recordings/2019_07_24_0055_fsi.abf",
                                        "data/recordings/18425108_abf1.abf"};
    for (size_t f = 0; f < 2; f++) {
        size_t len = 0;
        unsigned char *buf = slurp(files[f], &len);
        CHECK(buf != NULL && len > 10000);
        if (buf) CHECK_INT(every_prefix_fails(buf, len, 8192), 0);
        free(buf);
    }
}

static void expect_error(const unsigned char *p, size_t len, const char *part)
{
    nd_error err;
    nd_error_clear(&err);
    nd_recording *rec = nd_abf_read(p, len, "bad.abf", &err);
    CHECK(rec == NULL);
    nd_rec_free(rec);
    CHECK_CONTAINS(err.msg, part);
}

TEST(abf_lying_headers_are_named)
{
    unsigned char *p = abf2_file();
    section(p, 10, 6, 2, INT64_MAX / 2);
    expect_error(p, ABF2_LEN, "data section at byte 3072 + 4611686018427387903 samples runs "
                 "past the end of the 4608-byte file");
    section(p, 10, 0xFFFFFFFFu, 2, 4);
    expect_error(p, ABF2_LEN, "runs past the end");
    free(p);

    p = abf2_file();
    section(p, 1, 2, 128, 20);
    expect_error(p, ABF2_LEN, "20 ADC channels");
    section(p, 5, 4, 0, INT64_MAX);            /* overlapping entries, endless without a bound */
    expect_error(p, ABF2_LEN, "the epoch table section has 9223372036854775807 entries of 0 "
                 "bytes, fewer than the 48 of one entry");
    section(p, 1, 2, 128, 2);
    section(p, 1, 2, 0xFFFFFFFFu, 3);
    expect_error(p, ABF2_LEN, "the ADC section at byte 1024");
    free(p);

    p = abf2_file();
    w32(p, 8 * 512 + 4, 2 * N2 + 1);           /* half a sample of channel 1 */
    expect_error(p, ABF2_LEN, "sweep 0 has 257 samples, not a whole number per channel");
    w32(p, 8 * 512 + 4, 0x7FFFFFFE);
    expect_error(p, ABF2_LEN, "more than the data section holds");
    free(p);

    p = abf2_file();
    wf(p, 2 * 512 + 40, 0);                    /* instrument scale factor 0 */
    expect_error(p, ABF2_LEN, "ADC channel 0 (IN0): a zero divisor");
    free(p);

    p = abf2_file();
    w16(p, 512, 4);
    expect_error(p, ABF2_LEN, "operation mode 4");
    free(p);

    p = abf2_file();
    w16(p, 4 * 512 + 2, 3);                    /* an epoch of DAC 3 of 1 */
    expect_error(p, ABF2_LEN, "epoch 0 of DAC 3");
    free(p);

    p = abf1_file();
    w16(p, 410, 16);
    expect_error(p, ABF1_LEN, "sampling sequence names ADC 16");
    free(p);
}

TEST(abf2_pulse_train_epoch)
{
    unsigned char *p = abf2_file();
    epoch2(p, 1, 1, 3, 40, 0, 30, 0);          /* B: a pulse train to 40 pA ... */
    w32(p, 4 * 512 + 48 + 22, 10);             /* ... every 10 samples ... */
    w32(p, 4 * 512 + 48 + 26, 3);              /* ... 3 samples wide */
    nd_error err;
    nd_recording *rec = nd_abf_read(p, ABF2_LEN, "pulses.abf", &err);
    CHECK(rec != NULL);
    int bad = 0;
    for (int s = 0; rec && s < 2; s++) {
        int b = 2 + 20 + 10 * s;               /* epoch B's first sample */
        for (int i = 0; i < N2; i++) {
            double want = command2(s, i);
            if (i >= b && i < b + 30) want = (i - b) % 10 < 3 ? 40 : -10 + 5 * s;
            bad += nd_rec_data(rec, s, 2)[i] != want;
        }
    }
    CHECK_INT(bad, 0);
    nd_rec_free(rec);
    free(p);
}

TEST(abf_command_omitted_for_unrebuilt_epochs)
{
    unsigned char *p = abf2_file();
    epoch2(p, 1, 1, 5, 40, 0, 30, 0);          /* a cosine train */
    nd_error err;
    nd_recording *rec = nd_abf_read(p, ABF2_LEN, "cos.abf", &err);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_INT(nd_rec_channels(rec), 2);
        CHECK_STR(nd_rec_meta(rec, "command_omitted"),
                  "Cmd 0: a cosine-train epoch, which is not rebuilt");
    }
    nd_rec_free(rec);
    free(p);
}

TEST(abf_gap_free_is_one_sweep_without_command)
{
    unsigned char *p = abf2_file();
    w16(p, 512, 3);                            /* gap-free */
    section(p, 15, 0, 0, 0);                   /* no sweep table */
    nd_error err;
    nd_recording *rec = nd_abf_read(p, ABF2_LEN, "gapfree.abf", &err);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_INT(nd_rec_sweeps(rec), 1);
        CHECK_INT(nd_rec_sweep_len(rec, 0), 2 * N2);
        CHECK(nd_rec_sweep_t0(rec, 0) == 0);
        CHECK_INT(nd_rec_channels(rec), 2);
        CHECK_STR(nd_rec_meta(rec, "mode"), "gap-free");
        CHECK(nd_rec_meta(rec, "command_omitted") == NULL);
        /* the second sweep's samples follow the first's */
        CHECK(nd_rec_data(rec, 0, 1)[N2 + 3] == raw2(1, 1, 3) * (10.0 / 32768));
    }
    nd_rec_free(rec);
    w16(p, 512, 1);                            /* variable-length sweeps: no command */
    section(p, 15, 8, 8, 2);
    rec = nd_abf_read(p, ABF2_LEN, "varlen.abf", &err);
    CHECK(rec != NULL);
    if (rec) CHECK_STR(nd_rec_meta(rec, "command_omitted"),
                       "Cmd 0: the sweeps are not the protocol's fixed length");
    nd_rec_free(rec);
    free(p);
}

TEST(abf_load_reads_a_file_and_names_a_missing_one)
{
    nd_error err;
    nd_recording *rec = nd_abf_load("data/recordings/17o05027_ic_ramp.abf", &err);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_INT(nd_rec_sweeps(rec), 2);
        CHECK_INT(nd_rec_sweep_len(rec, 0), 20000);
        CHECK_STR(nd_rec_meta(rec, "file"), "17o05027_ic_ramp.abf");
    }
    nd_rec_free(rec);
    CHECK(nd_abf_load("data/recordings/none.abf", &err) == NULL);
    CHECK(err.code == ND_EIO);
    CHECK_CONTAINS(err.msg, "cannot open 'data/recordings/none.abf'");
}
