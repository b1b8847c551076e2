/* The ipywidgets models that interact's sliders are made of, in the form the front end of
   Debian's ipywidgets 6.0.0 expects: jupyter-js-widgets 2.1 (the classic Notebook's
   nbextension), comm target "jupyter.widget", model module "jupyter-js-widgets" at the
   semver range ipywidgets 6.0.0 declares (__frontend_version__ in its _version.py). */
#ifndef ND_KERNEL_WIDGETS_H
#define ND_KERNEL_WIDGETS_H

#include <jansson.h>

#include "../lib/language/sink.h"

#define ND_WIDGET_TARGET "jupyter.widget"
#define ND_WIDGET_VERSION_TARGET "jupyter.widget.version"
#define ND_WIDGET_FRONTEND_VERSION "~2.1.4"

/* Returns the full state of a LayoutModel with every CSS property left unset (new reference). */
json_t *nd_widget_layout(void);

/* Returns the full state of a FloatSliderModel for s, labelled with its name and laid out
   by the LayoutModel layout_id (new reference). */
json_t *nd_widget_slider(const nd_slider *s, const char *layout_id);

/* Returns the full state of a VBoxModel holding the n models children, laid out by
   layout_id and carrying the DOM class "nd-interact" (new reference). */
json_t *nd_widget_vbox(const char *const *children, size_t n, const char *layout_id);

#endif
