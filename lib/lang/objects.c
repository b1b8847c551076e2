/* Object types of the science modules. Each is a thin vtable over the module's own
   summary, display and free functions, so lib/data, lib/models ... stay language-free. */
#include "objects.h"

static char *dataset_summary(const void *data) { return nd_ds_summary(data); }
static nd_bundle *dataset_bundle(const void *data) { return nd_ds_bundle(data); }
static void dataset_free(void *data) { nd_ds_free(data); }

static const nd_object_type dataset_type = {"dataset", dataset_summary, dataset_bundle,
                                            dataset_free};

nd_value *nd_value_dataset(nd_dataset *ds)
{
    return nd_value_object(&dataset_type, ds);
}

nd_dataset *nd_value_as_dataset(const nd_value *v)
{
    return v && v->kind == ND_VAL_OBJECT && v->as.obj.type == &dataset_type ? v->as.obj.data
                                                                             : NULL;
}
