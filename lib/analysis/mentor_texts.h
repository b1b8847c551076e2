/* The mentor's tables (lib/analysis/mentor/NAME.md), embedded at build time. */
#ifndef ND_ANALYSIS_MENTOR_TEXTS_H
#define ND_ANALYSIS_MENTOR_TEXTS_H

#include "../models/builtin_texts.h"

extern const nd_builtin_text nd_mentor_texts[];
extern const unsigned nd_mentor_text_count;

#endif
