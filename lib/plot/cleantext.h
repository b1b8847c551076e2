/* User text made safe to place in gnuplot's output: SVG is XML, which rejects control
   characters and malformed UTF-8, and a line break would end a gnuplot command. */
#ifndef ND_PLOT_CLEANTEXT_H
#define ND_PLOT_CLEANTEXT_H

#include "../base/strbuf.h"

/* Appends s with control characters replaced by spaces and every byte that is not part
   of well-formed UTF-8 (overlong forms and surrogates included) replaced by '?'. */
void nd_fig_clean_text(nd_sb *sb, const char *s);

#endif
