/* lib/data: the dataset container, its summary and display bundle. */
#include "test.h"

#include <stdlib.h>

#include "../../lib/base/bundle.h"
#include "../../lib/data/dataset.h"

static nd_dataset *hh_like(size_t rows)
{
    const char *names[] = {"t", "V", "m"};
    const char *units[] = {"ms", "mV", NULL};
    nd_dataset *ds = nd_ds_create(3, names, units);
    for (size_t i = 0; ds && i < rows; i++) {
        double row[3] = {0.5 * (double)i, -65.0 + (double)i, 0.05};
        if (nd_ds_append(ds, row) != 0) break;
    }
    return ds;
}

TEST(ds_create_append_and_access)
{
    nd_dataset *ds = hh_like(1000);
    CHECK(ds != NULL);
    CHECK_INT(nd_ds_rows(ds), 1000);
    CHECK_INT(nd_ds_cols(ds), 3);
    CHECK_STR(nd_ds_name(ds, 1), "V");
    CHECK_STR(nd_ds_unit(ds, 1), "mV");
    CHECK(nd_ds_unit(ds, 2) == NULL);
    CHECK(nd_ds_col(ds, 0)[999] == 499.5);
    CHECK(nd_ds_col(ds, 1)[10] == -55.0);
    nd_ds_col_mut(ds, 2)[3] = 0.25;
    CHECK(nd_ds_col(ds, 2)[3] == 0.25);
    nd_ds_free(ds);
}

TEST(ds_create_rejects_bad_names)
{
    const char *dup[] = {"t", "V", "V"};
    CHECK(nd_ds_create(3, dup, NULL) == NULL);
    const char *empty[] = {"t", ""};
    CHECK(nd_ds_create(2, empty, NULL) == NULL);
    const char *nl[] = {"t", "a\nb"};
    CHECK(nd_ds_create(2, nl, NULL) == NULL);
    const char *ok[] = {"t", "V"};
    const char *badunit[] = {"ms", "m[V]"};
    CHECK(nd_ds_create(2, ok, badunit) == NULL);
    CHECK(nd_ds_create(0, ok, NULL) == NULL);
    const char *emptyunits[] = {"", NULL};
    nd_dataset *ds = nd_ds_create(2, ok, emptyunits);
    CHECK(ds && nd_ds_unit(ds, 0) == NULL && nd_ds_unit(ds, 1) == NULL);
    nd_ds_free(ds);
}

TEST(ds_find_and_add_column)
{
    nd_dataset *ds = hh_like(4);
    CHECK_INT(nd_ds_find(ds, "t"), 0);
    CHECK_INT(nd_ds_find(ds, "m"), 2);
    CHECK_INT(nd_ds_find(ds, "h"), -1);
    double h[4] = {0.6, 0.5, 0.4, 0.3};
    CHECK_INT(nd_ds_add_column(ds, "h", NULL, h), 0);
    CHECK_INT(nd_ds_add_column(ds, "h", NULL, h), -1);     /* taken */
    CHECK_INT(nd_ds_add_column(ds, "I", "uA/cm^2", NULL), 0);
    CHECK_INT(nd_ds_cols(ds), 5);
    CHECK_INT(nd_ds_find(ds, "h"), 3);
    CHECK(nd_ds_col(ds, 3)[2] == 0.4);
    CHECK(nd_ds_col(ds, 4)[3] == 0.0);
    CHECK_STR(nd_ds_unit(ds, 4), "uA/cm^2");
    /* the new column grows with the others */
    double row[5] = {9, 9, 9, 9, 9};
    for (int i = 0; i < 200; i++) CHECK_INT(nd_ds_append(ds, row), 0);
    CHECK(nd_ds_col(ds, 3)[203] == 9.0);
    CHECK(nd_ds_col(ds, 3)[1] == 0.5);
    nd_ds_free(ds);
}

TEST(ds_add_column_to_empty_then_append)
{
    const char *names[] = {"t"};
    nd_dataset *ds = nd_ds_create(1, names, NULL);
    CHECK_INT(nd_ds_add_column(ds, "x", NULL, NULL), 0);
    double row[2] = {1, 2};
    CHECK_INT(nd_ds_append(ds, row), 0);
    CHECK_INT(nd_ds_append(ds, row), 0);
    CHECK(nd_ds_col(ds, 1)[1] == 2.0);
    nd_ds_free(ds);
}

TEST(ds_meta_and_copy)
{
    nd_dataset *ds = hh_like(3);
    CHECK_INT(nd_ds_set_meta(ds, "model", "hh"), ND_OK);
    CHECK_INT(nd_ds_set_meta(ds, "seed", "42"), ND_OK);
    CHECK_INT(nd_ds_set_meta(ds, "model", "fhn"), ND_OK);       /* replaced in place */
    CHECK_INT(nd_ds_set_meta(ds, "bad key", "x"), ND_EVALUE);
    CHECK_INT(nd_ds_set_meta(ds, "k", "two\nlines"), ND_EVALUE);
    CHECK_STR(nd_ds_meta(ds, "model"), "fhn");
    CHECK_STR(nd_ds_meta_key(ds, 0), "model");
    CHECK(nd_ds_meta(ds, "none") == NULL);
    nd_dataset *c = nd_ds_copy(ds);
    CHECK_INT(nd_ds_set_meta(ds, "model", NULL), ND_OK);         /* removed */
    CHECK(nd_ds_meta(ds, "model") == NULL);
    CHECK_INT(nd_ds_meta_count(ds), 1);
    nd_ds_col_mut(ds, 1)[0] = 1e9;
    CHECK_STR(nd_ds_meta(c, "model"), "fhn");
    CHECK_STR(nd_ds_meta(c, "seed"), "42");
    CHECK_INT(nd_ds_rows(c), 3);
    CHECK(nd_ds_col(c, 1)[0] == -65.0);
    CHECK_STR(nd_ds_unit(c, 0), "ms");
    nd_ds_free(c);
    nd_ds_free(ds);
}

TEST(ds_summary_line)
{
    const char *names[] = {"t", "V", "m", "h", "n", "I"};
    const char *units[] = {"ms", "mV", NULL, NULL, NULL, NULL};
    nd_dataset *ds = nd_ds_create(6, names, units);
    for (int i = 0; i <= 2000; i++) {
        double row[6] = {0.1 * i, 0, 0, 0, 0, 0};
        nd_ds_append(ds, row);
    }
    char *s = nd_ds_summary(ds);
    CHECK_STR(s, "dataset 2001 rows × 5 columns (t 0..200 ms): V, m, h, n, I");
    free(s);
    nd_ds_free(ds);
    const char *one[] = {"t"};
    ds = nd_ds_create(1, one, NULL);
    s = nd_ds_summary(ds);
    CHECK_STR(s, "dataset 0 rows × 0 columns (t empty)");
    free(s);
    nd_ds_free(ds);
}

TEST(ds_bundle_preview_and_json)
{
    nd_dataset *ds = hh_like(100);
    nd_ds_set_meta(ds, "model", "<hh>");
    nd_bundle *b = nd_ds_bundle(ds);
    CHECK(b != NULL);
    const char *plain = nd_bundle_get(b, "text/plain");
    CHECK_CONTAINS(plain, "dataset 100 rows × 2 columns (t 0..49.5 ms): V, m");
    CHECK_CONTAINS(plain, "model: <hh>");
    CHECK_CONTAINS(plain, "V [mV]");
    CHECK_CONTAINS(plain, "…");
    CHECK_CONTAINS(plain, "34");       /* the last row's V */
    const char *html = nd_bundle_get(b, "text/html");
    CHECK_CONTAINS(html, "&lt;hh&gt;");
    CHECK_CONTAINS(html, "<table");
    CHECK(strstr(html, "-60") == NULL);   /* row 5 is elided */
    CHECK_STR(nd_bundle_get(b, ND_MIME_JSON),
              "{\"type\":\"dataset\",\"rows\":100,\"columns\":["
              "{\"name\":\"t\",\"unit\":\"ms\",\"min\":0.0,\"max\":49.5},"
              "{\"name\":\"V\",\"unit\":\"mV\",\"min\":-65.0,\"max\":34.0},"
              "{\"name\":\"m\",\"unit\":null,\"min\":0.050000000000000003,"
              "\"max\":0.050000000000000003}],"
              "\"meta\":{\"model\":\"<hh>\"}}");
    nd_bundle_free(b);
    nd_ds_free(ds);
}

TEST(ds_bundle_of_empty_dataset)
{
    nd_dataset *ds = hh_like(0);
    nd_bundle *b = nd_ds_bundle(ds);
    CHECK_STR(nd_bundle_get(b, "text/plain"), "dataset 0 rows × 2 columns (t empty): V, m");
    CHECK_CONTAINS(nd_bundle_get(b, ND_MIME_JSON), "\"min\":null,\"max\":null");
    nd_bundle_free(b);
    nd_ds_free(ds);
}
