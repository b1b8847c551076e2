/* Field descriptions (lib/base/fields.h) and the records made of them
   (lib/language/fields_value.h): nesting, order, first-name-wins, NaN skipping, columns,
   the sticky failures, and a library description (spikes) whose values are worked out
   here by hand. */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "../../lib/analysis/spikes_view.h"
#include "../../lib/base/fields.h"
#include "../../lib/language/fields_value.h"

TEST(fields_nest_in_order_and_keep_the_first_of_a_name)
{
    nd_fields *f = nd_fields_create("result");
    CHECK_INT(nd_fields_number(f, "a", 1.5), ND_OK);
    CHECK_INT(nd_fields_known(f, "skipped", NAN), ND_OK);
    CHECK_INT(nd_fields_known(f, "kept", -2), ND_OK);
    CHECK_INT(nd_fields_number(f, "a", 9), ND_OK);   /* a name keeps its first value */
    const double m[] = {1, 2, 3, 4, 5, 6};           /* 3 rows of 2 */
    CHECK_INT(nd_fields_column(f, "second", m, 3, 2, 1), ND_OK);
    const char *const s[] = {"x", "y"};
    CHECK_INT(nd_fields_strings(f, "names", s, 2), ND_OK);
    nd_fields *pts = nd_fields_list(f, "points");
    for (int k = 0; k < 2; k++) {
        nd_fields *p = nd_fields_record(pts, NULL, "point");
        nd_fields_number(p, "k", k);
        nd_fields_bool(p, "odd", k % 2);
    }
    nd_fields_vector(nd_fields_list(f, "rows"), NULL, m, 3);
    nd_fields_none(nd_fields_record(f, "inner", "inner"), "nothing");
    CHECK_INT(nd_fields_status(f), ND_OK);
    CHECK_STR(nd_fields_type(f), "result");
    CHECK_INT(nd_fields_count(f), 7);
    static const char *const order[] = {"a", "kept", "second", "names", "points", "rows", "inner"};
    for (size_t i = 0; i < 7; i++) CHECK_STR(nd_fields_at(f, i)->name, order[i]);
    CHECK(nd_fields_find(f, "skipped") == NULL);
    CHECK(nd_fields_find(f, "a")->num == 1.5);
    const nd_field *c = nd_fields_find(f, "second");
    CHECK(c->kind == ND_FIELD_VECTOR && c->n == 3 && c->x[0] == 2 && c->x[1] == 4 && c->x[2] == 6);
    const nd_field *p = nd_fields_find(f, "points");
    CHECK(p->kind == ND_FIELD_LIST && nd_fields_is_list(p->sub) && nd_fields_count(p->sub) == 2);
    CHECK(nd_fields_find(p->sub, "k") == NULL);   /* a list's items have no names */
    nd_fields_free(f);
}

TEST(fields_failures_are_codes_kept_in_the_root)
{
    CHECK_INT(nd_fields_number(NULL, "x", 1), ND_ENOMEM);
    CHECK_INT(nd_fields_status(NULL), ND_ENOMEM);
    CHECK(nd_fields_done(NULL) == NULL);
    nd_fields *f = nd_fields_create("r");
    CHECK_INT(nd_fields_number(f, NULL, 1), ND_EINTERNAL);   /* unnamed in a record */
    nd_fields_free(f);
    f = nd_fields_create("r");
    nd_fields *l = nd_fields_list(nd_fields_record(f, "in", "in"), "deep");
    CHECK_INT(nd_fields_string(l, "named", "s"), ND_EINTERNAL);   /* named in a list */
    CHECK_INT(nd_fields_status(f), ND_EINTERNAL);   /* seen from the root */
    CHECK_INT(nd_fields_number(f, "later", 2), ND_OK);   /* the first failure stays */
    CHECK_INT(nd_fields_status(l), ND_EINTERNAL);
    CHECK(nd_fields_done(f) == NULL);   /* freed (ASan would see a leak) */
    f = nd_fields_create("r");
    nd_fields_number(f, "v", 1);
    CHECK(nd_fields_vector_fill(f, "v", 3) == NULL);   /* nowhere to write */
    CHECK_INT(nd_fields_status(f), ND_EINTERNAL);
    nd_fields_free(f);
    f = nd_fields_create("r");
    CHECK_INT(nd_fields_fail(f, ND_EVALUE), ND_EVALUE);
    CHECK_INT(nd_fields_status(f), ND_EVALUE);
    nd_fields_free(f);
}

TEST(fields_become_records_with_their_kinds)
{
    nd_fields *f = nd_fields_create("result");
    nd_fields_number(f, "n", 3);
    nd_fields_bool(f, "ok", 1);
    nd_fields_string(f, "s", "text");
    nd_fields_none(f, "title");
    const double x[] = {0.5, -1};
    nd_fields_vector(f, "x", x, 2);
    nd_fields *l = nd_fields_list(f, "items");
    nd_fields_number(nd_fields_record(l, NULL, "item"), "i", 7);
    nd_fields_vector(l, NULL, x, 1);
    nd_fields_string(nd_fields_record(f, "sub", "part"), "name", "p");
    nd_bundle *view = nd_bundle_create();
    nd_value *r = nd_record_of_fields(f, view);
    CHECK(r && r->kind == ND_VAL_RECORD);
    if (!r) return;
    CHECK_STR(r->as.rec.type, "result");
    CHECK(r->as.rec.view == view);
    CHECK_INT(r->as.rec.n, 7);
    CHECK(nd_record_get(r, "n")->as.num == 3);
    CHECK(nd_record_get(r, "ok")->kind == ND_VAL_BOOL && nd_record_get(r, "ok")->as.truth);
    CHECK_STR(nd_record_get(r, "s")->as.str, "text");
    CHECK(nd_record_get(r, "title")->kind == ND_VAL_NONE);
    nd_value *v = nd_record_get(r, "x");
    CHECK(v->kind == ND_VAL_VECTOR && v->as.vec.n == 2 && v->as.vec.x[1] == -1);
    nd_value *items = nd_record_get(r, "items");
    CHECK(items->kind == ND_VAL_LIST && items->as.list.n == 2);
    nd_value *it = items->as.list.items[0];
    CHECK(it->kind == ND_VAL_RECORD && strcmp(it->as.rec.type, "item") == 0 &&
          it->as.rec.view == NULL && nd_record_get(it, "i")->as.num == 7);
    CHECK(items->as.list.items[1]->kind == ND_VAL_VECTOR);
    nd_value *sub = nd_record_get(r, "sub");
    CHECK(sub->kind == ND_VAL_RECORD && strcmp(sub->as.rec.type, "part") == 0);
    CHECK_STR(nd_record_get(sub, "name")->as.str, "p");
    /* appended to a record that has a name already: its own value stays */
    nd_value *e = nd_value_record("ensemble", NULL);
    nd_record_add(e, "n", nd_value_string("mine"));
    nd_fields *g = nd_fields_create("ignored");
    nd_fields_number(g, "n", 1);
    nd_fields_number(g, "m", 2);
    CHECK_INT(nd_record_add_fields(e, g), 0);
    CHECK_STR(nd_record_get(e, "n")->as.str, "mine");
    CHECK(nd_record_get(e, "m")->as.num == 2);
    nd_fields_free(g);
    nd_value_unref(e);
    nd_value_unref(r);
}

TEST(fields_that_failed_give_no_record)
{
    nd_fields *f = nd_fields_create("r");
    nd_fields_number(f, NULL, 1);
    CHECK(nd_record_of_fields(f, nd_bundle_create()) == NULL);   /* f and the view freed */
    CHECK(nd_record_of_fields(NULL, nd_bundle_create()) == NULL);
    nd_value *r = nd_value_record("r", NULL);
    CHECK_INT(nd_record_add_fields(r, NULL), -1);
    nd_value_unref(r);
}

/* The spikes at 10, 30, 70 ms in a 0..100 ms window: intervals 20 and 40, their mean 30,
   the rate 1000/30 Hz, 3 spikes in 0.1 s = 30 Hz. */
TEST(fields_of_spikes_computed_by_hand)
{
    double t[] = {10, 30, 70}, pt[] = {11, 31, 71}, pk[] = {40, 41, 42};
    nd_spikes s = {3, t, pt, pk, -20, NAN, 0};
    nd_spikes_report rep = {&s, NULL, "V", "mV", "Hz", 0, 100};
    nd_fields *f = nd_spikes_fields(&rep);
    CHECK(f != NULL);
    if (!f) return;
    CHECK_STR(nd_fields_type(f), "spikes");
    const nd_field *isi = nd_fields_find(f, "isi");
    CHECK(isi->n == 2 && isi->x[0] == 20 && isi->x[1] == 40);
    CHECK_NEAR(nd_fields_find(f, "isi_mean")->num, 30, 1e-15);
    CHECK_NEAR(nd_fields_find(f, "rate")->num, 1000.0 / 30, 1e-12);
    CHECK_NEAR(nd_fields_find(f, "count_rate")->num, 30, 1e-12);
    CHECK(isnan(nd_fields_find(f, "block_start")->num));   /* spikes keeps its NaN */
    CHECK_STR(nd_fields_at(f, 0)->name, "count");
    CHECK_STR(nd_fields_at(f, nd_fields_count(f) - 1)->name, "t_end");
    nd_fields_free(f);
}
