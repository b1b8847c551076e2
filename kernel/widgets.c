/* Widget states as ipywidgets 6.0.0 sends them in comm_open (Widget.get_state()): every
   synced trait, references to other models written "IPY_MODEL_<comm id>". */
#include "widgets.h"

#include <stdio.h>

/* The keys every model of the module "jupyter-js-widgets" carries. */
static json_t *base_state(const char *model, const char *view)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
                     "_model_module", "jupyter-js-widgets",
                     "_model_module_version", ND_WIDGET_FRONTEND_VERSION,
                     "_model_name", model,
                     "_view_module", "jupyter-js-widgets",
                     "_view_module_version", ND_WIDGET_FRONTEND_VERSION,
                     "_view_name", view,
                     "msg_throttle", 1);
}

static json_t *model_ref(const char *id)
{
    char ref[128];
    snprintf(ref, sizeof ref, "IPY_MODEL_%s", id);
    return json_string(ref);
}

json_t *nd_widget_layout(void)
{
    return base_state("LayoutModel", "LayoutView");
}

json_t *nd_widget_slider(const nd_slider *s, const char *layout_id)
{
    char format[16];
    snprintf(format, sizeof format, ".%df", s->decimals);
    json_t *st = base_state("FloatSliderModel", "FloatSliderView");
    json_t *extra = json_pack(
        "{s:[], s:b, s:b, s:s, s:b, s:o, s:f, s:f, s:s, s:b, s:s, s:n, s:f, s:f}",
        "_dom_classes", "_range", 0, "continuous_update", 1, "description", s->name,
        "disabled", 0, "layout", model_ref(layout_id), "max", s->hi, "min", s->lo,
        "orientation", "horizontal", "readout", 1, "readout_format", format,
        "slider_color", "step", s->step, "value", s->value);
    json_object_update(st, extra);
    json_decref(extra);
    return st;
}

json_t *nd_widget_vbox(const char *const *children, size_t n, const char *layout_id)
{
    json_t *refs = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(refs, model_ref(children[i]));
    json_t *st = base_state("VBoxModel", "VBoxView");
    json_t *extra = json_pack("{s:[s], s:s, s:o, s:o}", "_dom_classes", "nd-interact",
                              "box_style", "", "children", refs, "layout", model_ref(layout_id));
    json_object_update(st, extra);
    json_decref(extra);
    return st;
}
