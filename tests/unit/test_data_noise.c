/* lib/data: seeded measurement noise relative to a column's range. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/data/noise.h"

static nd_dataset *ramp(size_t n)
{
    const char *names[] = {"t", "V", "c"};
    const char *units[] = {"ms", "mV", NULL};
    nd_dataset *ds = nd_ds_create(3, names, units);
    for (size_t i = 0; i < n; i++) {
        double row[3] = {(double)i, -80.0 + 120.0 * (double)i / (double)(n - 1), 2.0};
        nd_ds_append(ds, row);
    }
    return ds;
}

TEST(noise_sigma_is_fraction_of_range)
{
    size_t n = 200000;
    nd_dataset *ds = ramp(n), *clean = nd_ds_copy(ds);
    CHECK_INT(nd_ds_add_noise(ds, "V", 0.05, 42, NULL), ND_OK);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = nd_ds_col(ds, 1)[i] - nd_ds_col(clean, 1)[i];
        sum += d;
        sum2 += d * d;
    }
    double mean = sum / (double)n, sd = sqrt(sum2 / (double)n - mean * mean);
    CHECK_NEAR(sd, 0.05 * 120.0, 0.01);        /* 5 % of the 120 mV range */
    CHECK(fabs(mean) < 0.05);
    CHECK(nd_ds_col(ds, 0)[7] == 7.0);          /* other columns untouched */
    CHECK_STR(nd_ds_meta(ds, "noise"), "V: sigma 0.05 × range = 6 mV, seed 42");
    nd_ds_free(ds);
    nd_ds_free(clean);
}

TEST(noise_is_deterministic_from_seed)
{
    nd_dataset *a = ramp(1000), *b = ramp(1000), *c = ramp(1000);
    nd_ds_add_noise(a, "V", 0.1, 7, NULL);
    nd_ds_add_noise(b, "V", 0.1, 7, NULL);
    nd_ds_add_noise(c, "V", 0.1, 8, NULL);
    CHECK(memcmp(nd_ds_col(a, 1), nd_ds_col(b, 1), 1000 * sizeof(double)) == 0);
    CHECK(memcmp(nd_ds_col(a, 1), nd_ds_col(c, 1), 1000 * sizeof(double)) != 0);
    /* regression pin: the same on every machine (xoshiro256** + polar normals) */
    CHECK_NEAR(nd_ds_col(a, 1)[0] - (-80.0), 11.57234223270622, 1e-12);
    nd_ds_free(a);
    nd_ds_free(b);
    nd_ds_free(c);
}

TEST(noise_keeps_gaps_and_constant_columns)
{
    nd_dataset *ds = ramp(10);
    nd_ds_col_mut(ds, 1)[3] = NAN;
    CHECK_INT(nd_ds_add_noise(ds, "V", 0.5, 1, NULL), ND_OK);
    CHECK(isnan(nd_ds_col(ds, 1)[3]));
    CHECK_INT(nd_ds_add_noise(ds, "c", 0.5, 1, NULL), ND_OK);   /* zero range: no noise */
    CHECK(nd_ds_col(ds, 2)[5] == 2.0);
    CHECK_CONTAINS(nd_ds_meta(ds, "noise"), "; c: sigma 0.5 × range = 0, seed 1");
    nd_ds_free(ds);
}

TEST(noise_rejects_bad_arguments)
{
    nd_dataset *ds = ramp(10);
    nd_error err;
    CHECK_INT(nd_ds_add_noise(ds, "W", 0.1, 1, &err), ND_ENAME);
    CHECK_STR(err.msg, "the dataset has no column 'W'");
    CHECK_INT(nd_ds_add_noise(ds, "V", -0.1, 1, &err), ND_EVALUE);
    CHECK_INT(nd_ds_add_noise(ds, "V", NAN, 1, &err), ND_EVALUE);
    CHECK(nd_ds_meta(ds, "noise") == NULL);
    nd_ds_free(ds);
}
