/* Captions and JSON members added to a rendered figure (annotate.h). */
#include "annotate.h"

#include <stdlib.h>

#include "../base/json.h"
#include "../base/strbuf.h"

int nd_fig_annotate(nd_bundle *b, const char *caption, const char *key, json_t *value)
{
    int rc = 0;
    if (key) {
        const char *text = nd_bundle_get(b, ND_MIME_JSON);
        json_t *j = text ? json_loads(text, 0, NULL) : NULL;
        char *out = NULL;
        if (json_is_object(j)) {
            rc = nd_json_put(j, key, value);
            value = NULL;
            out = rc ? NULL : nd_json_dump(json_incref(j));
        }
        json_decref(value);
        json_decref(j);
        rc = !out || nd_bundle_set(b, ND_MIME_JSON, out) != 0 ? -1 : rc;
        free(out);
        if (rc) return -1;
    }
    if (caption) {
        const char *plain = nd_bundle_get(b, "text/plain");
        nd_sb sb;
        nd_sb_init(&sb);
        nd_sb_printf(&sb, "%s%s%s", plain ? plain : "", plain && plain[0] ? "\n" : "", caption);
        rc = sb.oom || nd_bundle_set(b, "text/plain", nd_sb_str(&sb)) != 0 ? -1 : 0;
        nd_sb_free(&sb);
    }
    return rc;
}
