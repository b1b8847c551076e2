/* The names a recording's channels take as dataset columns: the language's V and I for
   the two quantities every patch-clamp analysis needs, identifiers for the rest. */
#include "recording.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first channel of quantity q of the given kind, or -1. */
static int first_of(const nd_recording *rec, nd_quantity q, nd_chan_kind kind)
{
    for (size_t c = 0; c < nd_rec_channels(rec); c++)
        if (nd_unit_quantity(nd_rec_channel_unit(rec, c), NULL) == q && nd_rec_channel_kind(rec, c) == kind)
            return (int)c;
    return -1;
}

/* The channels called V and I (-1 when there is none). */
static void roles(const nd_recording *rec, int *v, int *i)
{
    *v = first_of(rec, ND_Q_POTENTIAL, ND_CHAN_RECORDED);
    int v_recorded = *v >= 0;
    if (*v < 0) *v = first_of(rec, ND_Q_POTENTIAL, ND_CHAN_COMMAND);
    nd_chan_kind first = v_recorded ? ND_CHAN_COMMAND : ND_CHAN_RECORDED;
    nd_chan_kind second = v_recorded ? ND_CHAN_RECORDED : ND_CHAN_COMMAND;
    *i = first_of(rec, ND_Q_CURRENT, first);
    if (*i < 0) *i = first_of(rec, ND_Q_CURRENT, second);
}

/* Channel c's name as an identifier, before making it unique. */
static char *identifier(const char *name)
{
    size_t n = strlen(name);
    char *id = malloc(n + 2);
    if (!id) return NULL;
    char *w = id;
    if (name[0] >= '0' && name[0] <= '9') *w++ = '_';
    for (const char *p = name; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '_';
        *w++ = ok ? ch : '_';
    }
    *w = '\0';
    return id;
}

/* The name of channel c without the uniqueness suffix. */
static char *base_name(const nd_recording *rec, size_t c, int v, int i)
{
    if ((int)c == v) return strdup("V");
    if ((int)c == i) return strdup("I");
    return identifier(nd_rec_channel_name(rec, c));
}

char *nd_rec_column_name(const nd_recording *rec, size_t c)
{
    int v, i;
    roles(rec, &v, &i);
    char *base = base_name(rec, c, v, i);
    if (!base) return NULL;
    /* Count the earlier channels (and "t") whose base name is the same. */
    int same = strcmp(base, "t") == 0;
    for (size_t k = 0; k < c; k++) {
        char *other = base_name(rec, k, v, i);
        if (!other) {
            free(base);
            return NULL;
        }
        same += strcmp(other, base) == 0;
        free(other);
    }
    if (!same) return base;
    size_t cap = strlen(base) + 24;
    char *name = malloc(cap);
    if (name) snprintf(name, cap, "%s_%d", base, same + 1);
    free(base);
    return name;
}
