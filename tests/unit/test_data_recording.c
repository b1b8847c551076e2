/* lib/data: the recording container and a sweep as a dataset. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "../../lib/data/rec_view.h"
#include "../../lib/data/recording.h"

static nd_recording *two_sweeps(void)
{
    nd_recording *rec = nd_rec_create("abf 2.6");
    CHECK_INT(nd_rec_add_channel(rec, "IN 0", "mV", ND_CHAN_RECORDED), 0);
    CHECK_INT(nd_rec_add_channel(rec, "Cmd 0", "pA", ND_CHAN_COMMAND), 1);
    double v[3] = {-70, -69, -68}, i0[3] = {0, 50, 50}, i1[3] = {0, 75, 75};
    const double *s0[] = {v, i0}, *s1[] = {v, i1};
    CHECK_INT(nd_rec_add_sweep(rec, 0, 0.05, 3, s0), 0);
    CHECK_INT(nd_rec_add_sweep(rec, 3000, 0.05, 3, s1), 0);
    CHECK_INT(nd_rec_set_meta(rec, "protocol", "AP gain"), ND_OK);
    return rec;
}

TEST(rec_channels_sweeps_and_data)
{
    nd_recording *rec = two_sweeps();
    CHECK_INT(nd_rec_channels(rec), 2);
    CHECK_INT(nd_rec_sweeps(rec), 2);
    CHECK_STR(nd_rec_format(rec), "abf 2.6");
    CHECK_STR(nd_rec_channel_unit(rec, 1), "pA");
    CHECK(nd_rec_channel_kind(rec, 1) == ND_CHAN_COMMAND);
    CHECK_INT(nd_rec_find_channel(rec, "Cmd 0"), 1);
    CHECK_INT(nd_rec_find_channel(rec, "Cmd"), -1);
    CHECK(nd_rec_data(rec, 1, 1)[2] == 75);
    CHECK(nd_rec_sweep_t0(rec, 1) == 3000);
    /* channels come before sweeps, names are unique */
    CHECK_INT(nd_rec_add_channel(rec, "late", NULL, ND_CHAN_RECORDED), -1);
    nd_recording *r2 = nd_rec_create("csv");
    CHECK_INT(nd_rec_add_channel(r2, "V", NULL, ND_CHAN_RECORDED), 0);
    CHECK_INT(nd_rec_add_channel(r2, "V", NULL, ND_CHAN_RECORDED), -1);
    CHECK_INT(nd_rec_add_channel(r2, "", NULL, ND_CHAN_RECORDED), -1);
    double x = 1;
    const double *d[] = {&x};
    CHECK_INT(nd_rec_add_sweep(r2, 0, 0, 1, d), -1);
    CHECK_INT(nd_rec_add_sweep(r2, 0, 1, 0, d), -1);
    nd_rec_free(r2);
    nd_rec_free(rec);
}

TEST(rec_sweeps_in_one_adopted_block_are_used_in_place)
{
    nd_recording *rec = nd_rec_create("abf 2.6");
    CHECK_INT(nd_rec_add_channel(rec, "IN 0", "mV", ND_CHAN_RECORDED), 0);
    CHECK_INT(nd_rec_add_channel(rec, "Cmd 0", "pA", ND_CHAN_COMMAND), 1);
    /* two sweeps back to back: 3 then 2 samples per channel */
    double *block = malloc(10 * sizeof *block);
    for (int k = 0; k < 10; k++) block[k] = k;
    CHECK_INT(nd_rec_adopt(rec, block), 0);
    CHECK_INT(nd_rec_add_sweep_at(rec, 0, 0.05, 3, block), 0);
    CHECK_INT(nd_rec_add_sweep_at(rec, 100, 0.05, 2, block + 6), 0);
    CHECK(nd_rec_data(rec, 0, 1) == block + 3);   /* not copied */
    CHECK(nd_rec_data(rec, 1, 0)[1] == 7 && nd_rec_data(rec, 1, 1)[0] == 8);
    CHECK_INT(nd_rec_sweep_len(rec, 1), 2);
    CHECK(nd_rec_sweep_t0(rec, 1) == 100);
    /* the same checks as nd_rec_add_sweep; the block stays the recording's */
    CHECK_INT(nd_rec_add_sweep_at(rec, 0, 0, 1, block), -1);
    CHECK_INT(nd_rec_add_sweep_at(rec, 0, 0.05, 0, block), -1);
    CHECK_INT(nd_rec_sweeps(rec), 2);
    /* copied sweeps and adopted ones mix */
    double v[2] = {-70, -71}, i[2] = {5, 6};
    const double *d[] = {v, i};
    CHECK_INT(nd_rec_add_sweep(rec, 200, 0.05, 2, d), 0);
    CHECK(nd_rec_data(rec, 2, 1)[1] == 6);
    nd_rec_free(rec);   /* frees the block once (ASan checks) */
}

TEST(rec_sweep_dataset_has_time_channels_and_meta)
{
    nd_recording *rec = two_sweeps();
    nd_error err;
    nd_dataset *ds = nd_rec_sweep_dataset(rec, 1, &err);
    CHECK(ds != NULL);
    CHECK_INT(nd_ds_cols(ds), 3);
    CHECK_INT(nd_ds_rows(ds), 3);
    CHECK_STR(nd_ds_name(ds, 1), "V");
    CHECK_STR(nd_ds_name(ds, 2), "I");
    CHECK_STR(nd_ds_unit(ds, 2), "pA");
    CHECK_STR(nd_ds_meta(ds, "channels"), "V=IN 0, I=Cmd 0");
    CHECK(nd_ds_col(ds, 0)[2] == 0.1);
    CHECK(nd_ds_col(ds, 2)[1] == 75);
    CHECK_STR(nd_ds_meta(ds, "protocol"), "AP gain");
    CHECK_STR(nd_ds_meta(ds, "sweep"), "2");
    CHECK_STR(nd_ds_meta(ds, "t0"), "3000");
    nd_ds_free(ds);
    nd_rec_free(rec);
}

/* Names a recording's channels get, checked one by one. */
static void check_names(const char *const *names, const char *const *units,
                        const nd_chan_kind *kinds, size_t n, const char *const *expect)
{
    nd_recording *rec = nd_rec_create("test");
    for (size_t c = 0; c < n; c++) CHECK_INT(nd_rec_add_channel(rec, names[c], units[c], kinds[c]), (long)c);
    for (size_t c = 0; c < n; c++) {
        char *got = nd_rec_column_name(rec, c);
        CHECK_STR(got, expect[c]);
        free(got);
    }
    nd_rec_free(rec);
}

TEST(rec_column_names_follow_the_quantities)
{
    /* ABF1 gap-free: two recorded channels, a current in nA and a potential in mV */
    const char *n1[] = {"Imemb", "10_Vm"}, *u1[] = {"nA", "mV"}, *e1[] = {"I", "V"};
    const nd_chan_kind k1[] = {ND_CHAN_RECORDED, ND_CHAN_RECORDED};
    check_names(n1, u1, k1, 2, e1);
    /* voltage clamp: the recorded current is I, the command potential V */
    const char *n2[] = {"IN 0", "Cmd 0"}, *u2[] = {"pA", "mV"}, *e2[] = {"I", "V"};
    const nd_chan_kind k2[] = {ND_CHAN_RECORDED, ND_CHAN_COMMAND};
    check_names(n2, u2, k2, 2, e2);
    /* current clamp with a recorded current monitor: the command is I */
    const char *n3[] = {"IN 0", "IN 1", "Cmd 0", "2 aux", "t"};
    const char *u3[] = {"mV", "pA", "pA", NULL, "s"};
    const char *e3[] = {"V", "IN_1", "I", "_2_aux", "t_2"};
    const nd_chan_kind k3[] = {ND_CHAN_RECORDED, ND_CHAN_RECORDED, ND_CHAN_COMMAND,
                               ND_CHAN_RECORDED, ND_CHAN_RECORDED};
    check_names(n3, u3, k3, 5, e3);
}

TEST(rec_view_summary_and_table)
{
    nd_recording *rec = two_sweeps();
    char *s = nd_rec_summary(rec);
    CHECK_STR(s, "recording (abf 2.6): 2 sweeps of 0.15 ms at 20 kHz; V [mV] (IN 0), "
                 "I [pA] (Cmd 0, command); protocol AP gain");
    free(s);
    nd_bundle *b = nd_rec_bundle(rec);
    CHECK(b != NULL);
    const char *plain = nd_bundle_get(b, "text/plain");
    CHECK(strstr(plain, "sweep  start (s)  ms    V [mV]     I [pA]") != NULL);
    CHECK(strstr(plain, "2      3          0.15  -70 … -68  0 … 75") != NULL);
    const char *json = nd_bundle_get(b, ND_MIME_JSON);
    CHECK(strstr(json, "\"channels\":[{\"name\":\"IN 0\",\"column\":\"V\",\"unit\":\"mV\","
                       "\"kind\":\"recorded\"}") != NULL);
    CHECK(strstr(json, "{\"sweep\":2,\"t0\":3000.0,\"dt\":0.050000000000000003,\"samples\":3}") != NULL);
    nd_bundle_free(b);
    nd_rec_free(rec);
}
