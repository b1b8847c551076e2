/* The sink of a Jupyter cell: each interpreter output becomes one iopub message whose
   parent is the execute_request. */
#include "display.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/base/base64.h"
#include "../lib/base/strbuf.h"
#include "../lib/base/textfmt.h"
#include "comm.h"
#include "utf8.h"

static int is_json_mime(const char *mime)
{
    size_t n = strlen(mime);
    return n >= 4 && strcmp(mime + n - 4, "json") == 0;
}

/* A figure's SVG as an <img> of a data URI, described by its text/plain. Inline SVG
   (image/svg+xml) is what viewers handle worst: nbconvert 6's stock HTML export draws it
   blank, nbviewer's sanitiser breaks it, and nbconvert's LaTeX/PDF export needs inkscape for
   it. Every HTML viewer draws an <img>; viewers that do not show HTML (an untrusted
   Notebook, LaTeX) take the PNG that every figure also carries. */
static json_t *svg_as_img(const char *svg, const char *alt)
{
    char *b64 = nd_base64_encode(svg, strlen(svg));
    nd_sb sb;
    nd_sb_init(&sb);
    nd_sb_puts(&sb, "<img class=\"nd-figure\" alt=\"");
    nd_html_escape(&sb, alt ? alt : "figure");
    nd_sb_printf(&sb, "\" src=\"data:image/svg+xml;base64,%s\">", b64 ? b64 : "");
    json_t *html = b64 && !sb.oom ? nd_json_text(nd_sb_str(&sb)) : NULL;
    free(b64);
    nd_sb_free(&sb);
    return html;
}

json_t *nd_display_data(const nd_bundle *b)
{
    json_t *data = json_object();
    for (size_t i = 0; b && i < nd_bundle_count(b); i++) {
        const char *mime = nd_bundle_mime(b, i), *text = nd_bundle_text(b, i);
        json_t *value = NULL;
        if (strcmp(mime, "image/svg+xml") == 0 && !nd_bundle_get(b, "text/html")) {
            json_object_set_new(data, "text/html", svg_as_img(text, nd_bundle_get(b, "text/plain")));
            continue;
        }
        if (is_json_mime(mime)) value = json_loads(text, JSON_DECODE_ANY, NULL);
        if (!value) value = nd_json_text(text);
        json_object_set_new(data, mime, value);
    }
    return data;
}

static void on_stream(void *ctx, nd_stream which, const char *text)
{
    nd_cell_output *out = ctx;
    if (out->silent) return;
    nd_server_publish(out->server, out->parent, "stream",
                      json_pack("{s:s, s:o}", "name", which == ND_STREAM_ERR ? "stderr" : "stdout",
                                "text", nd_json_text(text)));
}

static void on_display(void *ctx, const nd_bundle *b, const char *display_id, int update)
{
    nd_cell_output *out = ctx;
    if (out->silent) return;
    json_t *content = json_pack("{s:o, s:{}}", "data", nd_display_data(b), "metadata");
    if (display_id)
        json_object_set_new(content, "transient", json_pack("{s:o}", "display_id",
                                                            nd_json_text(display_id)));
    nd_server_publish(out->server, out->parent, update ? "update_display_data" : "display_data",
                      content);
}

static void on_result(void *ctx, const nd_bundle *b)
{
    nd_cell_output *out = ctx;
    const char *plain = nd_bundle_get(b, "text/plain");
    free(out->result_text);
    out->result_text = plain ? strdup(plain) : NULL;
    if (out->silent) return;
    nd_server_publish(out->server, out->parent, "execute_result",
                      json_pack("{s:i, s:o, s:{}}", "execution_count", out->execution_count,
                                "data", nd_display_data(b), "metadata"));
}

static void on_clear(void *ctx, int wait)
{
    nd_cell_output *out = ctx;
    if (out->silent) return;
    nd_server_publish(out->server, out->parent, "clear_output", json_pack("{s:b}", "wait", wait));
}

/* jupyter console closes when an execute_reply carries this payload (as for IPython's exit). */
static void on_end_session(void *ctx)
{
    nd_cell_output *out = ctx;
    if (!out->payload) out->payload = json_array();
    json_array_append_new(out->payload, json_pack("{s:s, s:b}", "source", "ask_exit",
                                                  "keepkernel", 0));
}

static void on_page(void *ctx, const nd_bundle *b)
{
    nd_cell_output *out = ctx;
    if (!out->payload) out->payload = json_array();
    json_array_append_new(out->payload, json_pack("{s:s, s:o, s:i}", "source", "page", "data",
                                                  nd_display_data(b), "start", 0));
}

static int on_sliders(void *ctx, const nd_sliders *sl)
{
    nd_cell_output *out = ctx;
    return !out->silent && nd_comm_open_sliders(out->server, out->parent, sl);
}

nd_sink nd_display_sink(nd_cell_output *out)
{
    nd_sink sink = {out, on_stream, on_display, on_result, on_clear, on_page, on_sliders,
                   on_end_session};
    return sink;
}

void nd_cell_output_clear(nd_cell_output *out)
{
    free(out->result_text);
    out->result_text = NULL;
    json_decref(out->payload);
    out->payload = NULL;
}
