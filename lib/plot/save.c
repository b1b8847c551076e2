/* Figures to files: the images of a rendered bundle, as the notebook shows them. The SVG
   in a bundle has no XML declaration (it is inlined in HTML); a file gets one back so
   that it is a standalone document any viewer or XML parser accepts. */
#include "figure.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/atomicfile.h"
#include "../base/base64.h"
#include "../base/strbuf.h"

int nd_fig_bundle_has_images(const nd_bundle *b)
{
    return b && nd_bundle_get(b, "image/svg+xml") && nd_bundle_get(b, "image/png");
}

/* The extension of path after its last '.', or "" (a dot in a directory name is not one). */
static const char *extension(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static nd_status write_error(int e, const char *path, nd_error *err)
{
    if (e == ENOMEM) return nd_error_fail(err, ND_ENOMEM, "out of memory saving '%s'", path);
    return nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(e));
}

static nd_status save_svg(const char *svg, const char *path, nd_error *err)
{
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>\n");
    nd_sb_puts(&sb, svg);
    int e = sb.oom ? ENOMEM : nd_file_replace_bytes(path, sb.data, sb.len);
    nd_sb_free(&sb);
    return e ? write_error(e, path, err) : ND_OK;
}

static nd_status save_png(const char *base64, const char *path, nd_error *err)
{
    size_t n = 0;
    unsigned char *png = nd_base64_decode(base64, &n);
    if (!png) return nd_error_fail(err, ND_EVALUE, "the figure's PNG image is not readable");
    int e = nd_file_replace_bytes(path, png, n);
    free(png);
    return e ? write_error(e, path, err) : ND_OK;
}

nd_status nd_fig_save(const nd_bundle *b, const char *path, nd_error *err)
{
    const char *ext = extension(path);
    int svg = strcasecmp(ext, "svg") == 0, png = strcasecmp(ext, "png") == 0;
    if (!svg && !png)
        return nd_error_fail(err, ND_EVALUE, "a figure is saved as .svg or .png, not '%s%s'",
                             *ext ? "." : "", *ext ? ext : "a file without an extension");
    const char *image = nd_bundle_get(b, svg ? "image/svg+xml" : "image/png");
    if (!image) return nd_error_fail(err, ND_EVALUE, "this result has no %s image", svg ? "SVG" : "PNG");
    return svg ? save_svg(image, path, err) : save_png(image, path, err);
}
