/* lib/data: the recording container and a sweep as a dataset. */
#include "test.h"

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

TEST(rec_sweep_dataset_has_time_channels_and_meta)
{
    nd_recording *rec = two_sweeps();
    nd_error err;
    nd_dataset *ds = nd_rec_sweep_dataset(rec, 1, &err);
    CHECK(ds != NULL);
    CHECK_INT(nd_ds_cols(ds), 3);
    CHECK_INT(nd_ds_rows(ds), 3);
    CHECK_STR(nd_ds_name(ds, 2), "Cmd 0");
    CHECK(nd_ds_col(ds, 0)[2] == 0.1);
    CHECK(nd_ds_col(ds, 2)[1] == 75);
    CHECK_STR(nd_ds_meta(ds, "protocol"), "AP gain");
    CHECK_STR(nd_ds_meta(ds, "sweep"), "1");
    CHECK_STR(nd_ds_meta(ds, "t0"), "3000");
    nd_ds_free(ds);
    nd_rec_free(rec);
}
