/* Captions added to a rendered figure (annotate.h). */
#include "annotate.h"

#include "../base/strbuf.h"

int nd_fig_caption(nd_bundle *b, const char *caption)
{
    if (!caption) return 0;
    const char *plain = nd_bundle_get(b, "text/plain");
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_printf(&sb, "%s%s%s", plain ? plain : "", plain && plain[0] ? "\n" : "", caption);
    int rc = sb.oom || nd_bundle_set(b, "text/plain", nd_sb_str(&sb)) != 0 ? -1 : 0;
    nd_sb_free(&sb);
    return rc;
}
