/* Making gnuplot's SVG fit to sit inline in an HTML page next to other figures. */
#ifndef ND_PLOT_SVGFIX_H
#define ND_PLOT_SVGFIX_H

/* Writes "nd" + the 16 hex digits of the FNV-1a 64 hash of text + "-" into out: the same
   figure always gets the same token (re-running a notebook changes no byte), different
   figures on one page practically never share one. */
void nd_fig_id_prefix(const char *text, char out[20]);

/* Returns svg without XML declaration or DOCTYPE (invalid inside HTML), with every id and
   every local reference to one (url(#…), href="#…", xlink:href='#…') prefixed by prefix,
   and gnuplot's document <title> replaced by title (NULL keeps it); text content is
   copied untouched. Caller frees; NULL on ENOMEM. */
char *nd_fig_svg_fix(const char *svg, const char *prefix, const char *title);

#endif
