/* Object types of the science modules. Each is a thin vtable over the module's own
   summary, display and free functions, so lib/data, lib/models ... stay language-free. */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

#include "../analysis/bif_fields.h"
#include "../analysis/bif_view.h"
#include "../data/rec_view.h"
#include "../learn/ude.h"
#include "../learn/ude_view.h"
#include "fields_value.h"

static char *dataset_summary(const void *data) { return nd_ds_summary(data); }
static nd_bundle *dataset_bundle(const void *data) { return nd_ds_bundle(data); }
static void dataset_free(void *data) { nd_ds_free(data); }

/* A dataset's fields: its columns, then its metadata (model, seed …). */
static const char *dataset_field_name(const void *data, size_t i)
{
    const nd_dataset *ds = data;
    if (i < nd_ds_cols(ds)) return nd_ds_name(ds, i);
    i -= nd_ds_cols(ds);
    return i < nd_ds_meta_count(ds) ? nd_ds_meta_key(ds, i) : NULL;
}

/* A column is a vector; a metadata value a number when it reads as one, else a string. */
static int dataset_field(const void *data, const char *name, nd_value **out)
{
    const nd_dataset *ds = data;
    int j = nd_ds_find(ds, name);
    if (j >= 0) {
        *out = nd_value_vector(nd_ds_col(ds, (size_t)j), nd_ds_rows(ds));
        return *out ? 1 : -1;
    }
    const char *meta = nd_ds_meta(ds, name);
    if (!meta) return 0;
    char *end;
    double x = strtod(meta, &end);
    *out = *meta && !*end ? nd_value_number(x) : nd_value_string(meta);
    return *out ? 1 : -1;
}

static const nd_object_type dataset_type = {"dataset", dataset_summary, dataset_bundle,
                                            dataset_free, dataset_field_name, dataset_field};

nd_value *nd_value_dataset(nd_dataset *ds)
{
    return nd_value_object(&dataset_type, ds);
}

nd_dataset *nd_value_as_dataset(const nd_value *v)
{
    return v && v->kind == ND_VAL_OBJECT && v->as.obj.type == &dataset_type ? v->as.obj.data
                                                                             : NULL;
}

static char *rec_summary(const void *data) { return nd_rec_summary(data); }
static nd_bundle *rec_bundle(const void *data) { return nd_rec_bundle(data); }
static void rec_free(void *data) { nd_rec_free((nd_recording *)data); }

static const char *const rec_fields[] = {"sweeps", "channels"};
enum { REC_FIELDS = sizeof rec_fields / sizeof rec_fields[0] };

static const char *rec_field_name(const void *data, size_t i)
{
    const nd_recording *rec = data;
    if (i < REC_FIELDS) return rec_fields[i];
    i -= REC_FIELDS;
    return i < nd_rec_meta_count(rec) ? nd_rec_meta_key(rec, i) : NULL;
}

static nd_value *sweep_item(const nd_recording *rec, size_t s)
{
    nd_dataset *ds = nd_rec_sweep_dataset(rec, s, NULL);
    return ds ? nd_value_dataset(ds) : NULL;
}

static nd_value *channel_item(const nd_recording *rec, size_t c)
{
    char *name = nd_rec_column_name(rec, c);
    nd_value *v = name ? nd_value_string(name) : NULL;
    free(name);
    return v;
}

/* The list of item(rec, 0..n); NULL on ENOMEM. Sweeps make a list the language indexes
   from 1, as sweeps are counted. */
static nd_value *rec_list(const nd_recording *rec, size_t n,
                          nd_value *(*item)(const nd_recording *, size_t))
{
    nd_value **items = calloc(n ? n : 1, sizeof *items);
    size_t made = 0;
    while (items && made < n && (items[made] = item(rec, made))) made++;
    if (items && made == n) {
        nd_value *list = nd_value_list(items, n);   /* takes the references over */
        free(items);
        return list;
    }
    for (size_t i = 0; i < made; i++) nd_value_unref(items[i]);
    free(items);
    return NULL;
}

static int rec_field(const void *data, const char *name, nd_value **out)
{
    const nd_recording *rec = data;
    if (strcmp(name, "sweeps") == 0) *out = rec_list(rec, nd_rec_sweeps(rec), sweep_item);
    else if (strcmp(name, "channels") == 0)
        *out = rec_list(rec, nd_rec_channels(rec), channel_item);
    else {
        const char *meta = nd_rec_meta(rec, name);
        if (!meta) return 0;
        *out = nd_value_string(meta);
    }
    return *out ? 1 : -1;
}

static const nd_object_type rec_type = {"recording", rec_summary, rec_bundle, rec_free,
                                        rec_field_name, rec_field};

nd_value *nd_value_recording(nd_recording *rec)
{
    return nd_value_object(&rec_type, rec);
}

nd_recording *nd_value_as_recording(const nd_value *v)
{
    return v && v->kind == ND_VAL_OBJECT && v->as.obj.type == &rec_type ? v->as.obj.data : NULL;
}

static char *model_summary(const void *data)
{
    return nd_model_summary(((const nd_model_obj *)data)->model);
}

static nd_bundle *model_bundle(const void *data)
{
    return nd_model_table(((const nd_model_obj *)data)->model, ND_MODEL_PAR);
}

static void model_free(void *data)
{
    nd_model_obj *mo = data;
    nd_value_unref(mo->fit);
    nd_model_free(mo->model);
    nd_stim_free(mo->stim);
    free(mo);
}

/* A model's fields are those of the fit that made it (a model from `sindy`), if any. */
static const char *model_field_name(const void *data, size_t i)
{
    const nd_model_obj *mo = data;
    return mo->fit ? nd_value_field_name(mo->fit, i) : NULL;
}

static int model_field(const void *data, const char *name, nd_value **out)
{
    const nd_model_obj *mo = data;
    *out = NULL;
    return mo->fit ? nd_value_field(mo->fit, name, out) : 0;
}

const nd_model *nd_ws_model(const nd_ws *ws)
{
    const char *name = nd_ws_current_model(ws);
    const nd_model_obj *mo = name ? nd_value_as_model(nd_ws_get(ws, name)) : NULL;
    return mo ? mo->model : NULL;
}

static const nd_object_type model_type = {"model", model_summary, model_bundle, model_free,
                                          model_field_name, model_field};

nd_value *nd_value_model(nd_model *m)
{
    nd_model_obj *mo = calloc(1, sizeof *mo);
    if (!mo) {
        nd_model_free(m);
        return NULL;
    }
    mo->model = m;
    mo->stim_par = -1;
    return nd_value_object(&model_type, mo);
}

nd_model_obj *nd_value_as_model(const nd_value *v)
{
    return v && v->kind == ND_VAL_OBJECT && v->as.obj.type == &model_type ? v->as.obj.data
                                                                           : NULL;
}

nd_stim *nd_model_obj_stim(const nd_model_obj *mo, int *par)
{
    if (mo->stim) {
        *par = mo->stim_par;
        return nd_stim_copy(mo->stim);
    }
    *par = nd_model_stim_par(mo->model);
    return *par >= 0 ? nd_model_stim(mo->model) : NULL;
}

static char *bif_summary(const void *data) { return nd_bif_summary(data); }
static nd_bundle *bif_bundle(const void *data) { return nd_bif_bundle(data); }
static void bif_free(void *data) { nd_bif_free(data); }

static const char *bif_field_name(const void *data, size_t i)
{
    (void)data;
    return nd_bif_field_name(i);
}

static int bif_field(const void *data, const char *name, nd_value **out)
{
    nd_fields *f = nd_fields_create("");
    int rc = f ? nd_bif_field_add(data, name, f) : -1;
    *out = rc == 1 ? nd_value_of_field(nd_fields_at(f, 0)) : NULL;
    nd_fields_free(f);
    return rc == 1 && !*out ? -1 : rc;
}

static const nd_object_type bif_type = {"bifurcation diagram", bif_summary, bif_bundle,
                                        bif_free, bif_field_name, bif_field};

nd_value *nd_value_bif(nd_bif_result *r)
{
    return nd_value_object(&bif_type, r);
}

nd_bif_result *nd_value_as_bif(const nd_value *v)
{
    return v && v->kind == ND_VAL_OBJECT && v->as.obj.type == &bif_type ? v->as.obj.data : NULL;
}

static char *ude_summary(const void *data) { return nd_ude_view_summary(data); }
static nd_bundle *ude_bundle(const void *data) { return nd_ude_view_bundle(data); }
static void ude_free(void *data) { nd_ude_free(data); }

static const nd_object_type ude_type = {"network", ude_summary, ude_bundle, ude_free, NULL,
                                        NULL};

nd_value *nd_value_ude(nd_ude *u)
{
    return nd_value_object(&ude_type, u);
}

nd_ude *nd_value_as_ude(const nd_value *v)
{
    return v && v->kind == ND_VAL_OBJECT && v->as.obj.type == &ude_type ? v->as.obj.data : NULL;
}
