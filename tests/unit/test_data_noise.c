/* lib/data: seeded measurement noise relative to a column's range, or in its units. */
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

/* A resting trace: "1 % noise" of a range of microvolts is no noise; noise_sd is in mV. */
static nd_dataset *resting(size_t n)
{
    const char *names[] = {"t", "V", "n", "I"};
    const char *units[] = {"ms", "mV", NULL, "uA/cm2"};
    nd_dataset *ds = nd_ds_create(4, names, units);
    for (size_t i = 0; i < n; i++) {
        double row[4] = {(double)i, -65.0 + 1e-6 * (double)(i % 7), 0.3177, 0.0};
        nd_ds_append(ds, row);
    }
    return ds;
}

static double sd_of_change(const nd_dataset *a, const nd_dataset *b, size_t j)
{
    size_t n = nd_ds_rows(a);
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = nd_ds_col(a, j)[i] - nd_ds_col(b, j)[i];
        s += d;
        s2 += d * d;
    }
    return sqrt(s2 / (double)n - (s / (double)n) * (s / (double)n));
}

TEST(noise_sd_is_in_the_units_and_the_flat_columns_are_named)
{
    size_t n = 100000;
    nd_dataset *ds = resting(n), *clean = nd_ds_copy(ds);
    char warn[512];
    nd_error e;
    nd_noise rel = {.rel = 0.01, .seed = 3};
    CHECK_INT(nd_ds_add_noise_all(ds, &rel, "I", warn, sizeof warn, &e), ND_OK);
    CHECK_STR(warn, "noise=0.01 is a fraction of each variable's range, and V and n barely "
                    "changed over the run (by less than 0.01 %): they have almost no noise; "
                    "noise_sd= gives it in the variables' units");
    CHECK(sd_of_change(ds, clean, 1) < 1e-7);
    nd_ds_free(ds);

    ds = nd_ds_copy(clean);
    double one[1] = {0.5};
    nd_noise abs1 = {.sd = one, .nsd = 1, .seed = 3};
    CHECK_INT(nd_ds_add_noise_all(ds, &abs1, "I", warn, sizeof warn, &e), ND_OK);
    CHECK_STR(warn, "");
    CHECK_NEAR(sd_of_change(ds, clean, 1), 0.5, 0.005);      /* 0.5 mV, 1 % at n = 1e5 */
    CHECK_NEAR(sd_of_change(ds, clean, 2), 0.5, 0.005);
    CHECK(sd_of_change(ds, clean, 3) == 0);                  /* the input: untouched */
    CHECK_STR(nd_ds_meta(ds, "noise"), "V: sd 0.5 mV, seed 4; n: sd 0.5, seed 5");
    nd_ds_free(ds);

    /* one each, the same draws as relative noise of the same size and seed */
    ds = nd_ds_copy(clean);
    double each[2] = {0.5, 0.01};
    nd_noise abs2 = {.sd = each, .nsd = 2, .seed = 3};
    CHECK_INT(nd_ds_add_noise_all(ds, &abs2, "I", NULL, 0, &e), ND_OK);
    CHECK_NEAR(sd_of_change(ds, clean, 2), 0.01, 1e-4);
    nd_dataset *ramp_a = ramp(1000), *ramp_b = ramp(1000);
    nd_ds_add_noise(ramp_a, "V", 0.1, 7, NULL);              /* sd 12 mV */
    nd_ds_add_noise_sd(ramp_b, "V", 12, 7, NULL);
    for (size_t i = 0; i < 1000; i += 97)
        CHECK_NEAR(nd_ds_col(ramp_a, 1)[i], nd_ds_col(ramp_b, 1)[i], 1e-12);
    nd_ds_free(ramp_a);
    nd_ds_free(ramp_b);
    nd_ds_free(ds);

    /* refused: three values for two columns, both kinds, a negative sd */
    ds = nd_ds_copy(clean);
    double three[3] = {1, 2, 3};
    nd_noise bad = {.sd = three, .nsd = 3, .seed = 3};
    CHECK_INT(nd_ds_add_noise_all(ds, &bad, "I", NULL, 0, &e), ND_EVALUE);
    CHECK_STR(e.msg, "noise_sd gives 3 values for 2 noisy columns (V and n): give one for all, "
                     "or one each in that order");
    nd_noise both = {.rel = 0.1, .sd = one, .nsd = 1};
    CHECK_INT(nd_ds_add_noise_all(ds, &both, NULL, NULL, 0, &e), ND_EVALUE);
    CHECK_CONTAINS(e.msg, "cannot both be given");
    double neg[1] = {-1};
    nd_noise negative = {.sd = neg, .nsd = 1};
    CHECK_INT(nd_ds_add_noise_all(ds, &negative, NULL, NULL, 0, &e), ND_EVALUE);
    CHECK_STR(e.msg, "noise_sd must be a finite number >= 0, not -1");
    CHECK(nd_ds_meta(ds, "noise") == NULL);
    nd_ds_free(ds);
    nd_ds_free(clean);
}
