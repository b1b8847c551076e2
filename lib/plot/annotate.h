/* Adding to a rendered figure what the caller knows about it: a caption under its text
   (a fit's RMS, a comparison's numbers). Its JSON members go in before rendering
   (nd_fig_set_json). */
#ifndef ND_PLOT_ANNOTATE_H
#define ND_PLOT_ANNOTATE_H

#include "../base/bundle.h"

/* Appends caption to b's text/plain, on a new line when there is text already (NULL: no
   caption); 0, or -1 on ENOMEM. */
int nd_fig_caption(nd_bundle *b, const char *caption);

#endif
