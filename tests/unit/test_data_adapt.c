/* lib/data/ds_adapt and units: picking, renaming and converting to model units. */
#include "test.h"

#include <math.h>
#include <string.h>

#include "../../lib/data/ds_adapt.h"
#include "../../lib/data/units.h"

static nd_dataset *lab_table(void)
{
    const char *names[] = {"time", "Vm", "Iinj", "temp"};
    const char *units[] = {"s", "V", "pA", "C"};
    nd_dataset *ds = nd_ds_create(4, names, units);
    double r0[] = {0.0, -0.065, 0, 34}, r1[] = {0.001, -0.060, 100, 34};
    nd_ds_append(ds, r0);
    nd_ds_append(ds, r1);
    nd_ds_set_meta(ds, "rig", "2");
    return ds;
}

TEST(units_know_the_quantities)
{
    double k;
    CHECK_INT(nd_unit_quantity("nA", &k), ND_Q_CURRENT);
    CHECK(k == 1e3);
    CHECK_INT(nd_unit_quantity("\xc2\xb5V", &k), ND_Q_POTENTIAL);
    CHECK(k == 1e-3);
    CHECK_INT(nd_unit_quantity("uA/cm2", &k), ND_Q_DENSITY);
    CHECK_INT(nd_unit_quantity("furlong", &k), ND_Q_OTHER);
    CHECK(k == 1);
    CHECK_INT(nd_unit_quantity(NULL, NULL), ND_Q_OTHER);
    /* 100 pF at 1 µF/cm² is 1e-4 cm² */
    CHECK(fabs(nd_area_from_capacitance(100) - 1e-4) < 1e-18);
}

TEST(adapt_picks_renames_and_converts)
{
    nd_dataset *ds = lab_table();
    const char *old[] = {"time", "Vm", "Iinj"}, *new[] = {"t", "V", "I"};
    nd_ds_adapt a = {.npick = 3, .pick_old = old, .pick_new = new, .area_cm2 = 1e-4};
    nd_error err;
    nd_dataset *out = nd_ds_adapted(ds, &a, &err);
    CHECK(out != NULL);
    CHECK_INT(nd_ds_cols(out), 3);
    CHECK_STR(nd_ds_name(out, 1), "V");
    CHECK_STR(nd_ds_unit(out, 0), "ms");
    CHECK_STR(nd_ds_unit(out, 1), "mV");
    CHECK_STR(nd_ds_unit(out, 2), "\xc2\xb5" "A/cm\xc2\xb2");
    CHECK(fabs(nd_ds_col(out, 0)[1] - 1.0) < 1e-15);
    CHECK(fabs(nd_ds_col(out, 1)[1] + 60.0) < 1e-12);
    /* 100 pA = 1e-4 µA over 1e-4 cm² = 1 µA/cm² */
    CHECK(fabs(nd_ds_col(out, 2)[1] - 1.0) < 1e-12);
    CHECK_STR(nd_ds_meta(out, "rig"), "2");
    CHECK_STR(nd_ds_meta(out, "converted"),
              "t: s → ms; V: V → mV; I: pA → \xc2\xb5" "A/cm\xc2\xb2 over 0.0001 cm\xc2\xb2");
    nd_ds_free(out);
    nd_ds_free(ds);
}

TEST(adapt_names_what_is_wrong)
{
    nd_dataset *ds = lab_table();
    const char *old[] = {"time", "Vmem"};
    nd_ds_adapt a = {.npick = 2, .pick_old = old, .pick_new = (const char *[]){NULL, NULL}};
    nd_error err;
    CHECK(nd_ds_adapted(ds, &a, &err) == NULL);
    CHECK_STR(err.msg, "there is no column 'Vmem' (the columns are: time, Vm, Iinj, temp)");
    nd_ds_adapt b = {.time_unit = "mV"};
    CHECK(nd_ds_adapted(ds, &b, &err) == NULL);
    CHECK_STR(err.msg, "time=mV is not a unit of time (s, ms, us)");
    /* no pick: every column, time given in ms overrules the header's s */
    nd_ds_adapt c = {.time_unit = "ms"};
    nd_dataset *out = nd_ds_adapted(ds, &c, &err);
    CHECK(out != NULL && nd_ds_col(out, 0)[1] == 0.001);
    CHECK_STR(nd_ds_unit(out, 3), "C");
    CHECK_STR(nd_ds_unit(out, 2), "pA");
    CHECK_STR(nd_ds_meta(out, "converted"), "Vm: V → mV");
    nd_ds_free(out);
    nd_ds_free(ds);
}

TEST(adapt_keeps_a_window_and_every_kth_row)
{
    /* t in s (0, 0.5, …, 5 ms once in ms); the window is in ms, after the conversion */
    const char *names[] = {"t", "V"}, *units[] = {"s", "mV"};
    nd_dataset *ds = nd_ds_create(2, names, units);
    for (int j = 0; j <= 10; j++) {
        double row[] = {0.0005 * j, (double)j};
        nd_ds_append(ds, row);
    }
    nd_ds_adapt a = {0};
    a.t_from = 1;
    a.t_to = 4;
    a.every = 2;
    nd_error err = {0};
    nd_dataset *out = nd_ds_adapted(ds, &a, &err);
    CHECK(out != NULL);
    if (out) {
        /* t = 1, 1.5, …, 4 ms are rows 2 … 8; every 2nd from the first: 2, 4, 6, 8 */
        CHECK_INT(nd_ds_rows(out), 4);
        CHECK_NEAR(nd_ds_col(out, 0)[0], 1.0, 1e-12);
        CHECK_NEAR(nd_ds_col(out, 0)[3], 4.0, 1e-12);
        CHECK(nd_ds_col(out, 1)[1] == 4);
        CHECK_CONTAINS(nd_ds_meta(out, "rows"), "t in [1, 4] ms, every 2nd sample");
    }
    nd_ds_free(out);
    a.t_from = 7;
    a.t_to = 9;
    CHECK(nd_ds_adapted(ds, &a, &err) == NULL);
    CHECK_CONTAINS(err.msg, "keeps 0 rows");
    nd_ds_free(ds);
}
