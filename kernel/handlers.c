/* One function per Jupyter request type, and the table that routes each msg_type to its
   function, its reply type and the channels it is served on. nd_handle_request wraps each
   request in busy/idle so that every output of a request precedes its idle. */
#include "handlers.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "display.h"
#include "utf8.h"

static const char *str_field(const json_t *content, const char *key)
{
    return json_string_value(json_object_get(content, key));
}

static int bool_field(const json_t *content, const char *key, int fallback)
{
    json_t *v = json_object_get(content, key);
    return json_is_boolean(v) ? json_is_true(v) : fallback;
}

/* A number field as an int: fallback when it is not a number, clamped to the range of
   int (converting an out-of-range double to int is undefined behaviour). */
static int int_field(const json_t *content, const char *key, int fallback)
{
    json_t *v = json_object_get(content, key);
    if (!json_is_number(v)) return fallback;
    double x = json_number_value(v);
    return x >= INT_MAX ? INT_MAX : x <= INT_MIN ? INT_MIN : (int)x;
}

/* The error fields shared by error replies and the iopub error message. */
static json_t *error_content(const char *ename, const char *evalue, const char *traceback)
{
    json_t *lines = json_array();
    const char *p = traceback ? traceback : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        json_array_append_new(lines, nd_json_text(line));
        free(line);
        p += n + (nl ? 1 : 0);
    }
    return json_pack("{s:s, s:o, s:o}", "ename", ename, "evalue", nd_json_text(evalue),
                     "traceback", lines);
}

static json_t *protocol_error(const char *what)
{
    json_t *c = error_content("ProtocolError", what, what);
    json_object_set_new(c, "status", json_string("error"));
    return c;
}

/* The docs installed in the kernelspec (make install), as the Notebook and JupyterLab serve
   a kernelspec's files; relative to the server's root, the default base URL. */
#define ND_HELP_ROOT "/kernelspecs/neurodyn/docs/"

/* A handler serves one request and returns its reply's content (NULL for the messages
   that get no reply). aborted is where a failed cell puts the requests queued behind it,
   NULL off shell. */
typedef json_t *(*handler_fn)(nd_server *s, const nd_msg *req, nd_queue *aborted);

static json_t *handle_kernel_info(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)s, (void)req, (void)aborted;
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}], s:b}",
        "status", "ok", "protocol_version", "5.3", "implementation", "neurodyn",
        "implementation_version", ND_VERSION,
        "language_info", "name", "neurodyn", "version", ND_VERSION, "mimetype",
        "text/x-neurodyn", "file_extension", ".nd", "pygments_lexer", "neurodyn",
        "codemirror_mode", "neurodyn",
        "banner", "neurodyn " ND_VERSION " — neuron dynamics and scientific machine learning.\n"
                  "Type `help` for the commands, `help CMD` or `CMD?` for one of them.",
        "help_links", "text", "neurodyn language", "url", ND_HELP_ROOT "language.html",
        "text", "neurodyn commands", "url", ND_HELP_ROOT "commands.html",
        "text", "neurodyn documentation", "url", ND_HELP_ROOT "index.html",
        "debugger", 0);
}

/* Evaluates each user expression after a successful cell. */
static json_t *user_expressions(nd_server *s, const json_t *exprs)
{
    json_t *out = json_object();
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)exprs, name, value) {
        const char *code = json_string_value(value);
        nd_error err;
        nd_error_clear(&err);
        nd_bundle *b = code ? nd_interp_eval(s->interp, code, &err) : NULL;
        if (b) {
            json_object_set_new(out, name, json_pack("{s:s, s:o, s:{}}", "status", "ok", "data",
                                                     nd_display_data(b), "metadata"));
            nd_bundle_free(b);
        } else {
            if (!code) nd_error_fail(&err, ND_ETYPE, "a user expression must be a string");
            char *evalue = nd_error_value(&err, code);
            json_t *e = error_content(nd_status_name(err.code), evalue, evalue);
            json_object_set_new(e, "status", json_string("error"));
            json_object_set_new(out, name, e);
            free(evalue);
        }
    }
    return out;
}

/* Runs a cell. When it failed with stop_on_error, the requests queued behind it are taken
   into aborted before the reply goes out. */
static json_t *handle_execute(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    json_t *code_field = json_object_get(req->content, "code");
    const char *code = json_string_value(code_field);
    if (!code) return protocol_error("execute_request without a string 'code'");
    int silent = bool_field(req->content, "silent", 0);
    int store = !silent && bool_field(req->content, "store_history", 1);
    int stop_on_error = bool_field(req->content, "stop_on_error", 1);
    if (store) s->execution_count++;
    int count = s->execution_count;

    if (!silent)
        nd_server_publish(s, req, "execute_input",
                          json_pack("{s:o, s:i}", "code", nd_json_text(code), "execution_count", count));

    nd_cell_output out = {.server = s, .parent = req, .silent = silent, .execution_count = count};
    nd_sink sink = nd_display_sink(&out);
    nd_error err;
    nd_error_clear(&err);
    nd_status st;
    if (strlen(code) != json_string_length(code_field))
        st = nd_error_fail(&err, ND_EVALUE, "the cell contains a NUL character (U+0000), "
                           "which is not text neurodyn can read");
    else
        st = nd_interp_exec(s->interp, code, &sink, &err);

    json_t *reply;
    if (st == ND_OK) {
        json_t *exprs = json_object_get(req->content, "user_expressions");
        reply = json_pack("{s:s, s:i, s:o, s:o}", "status", "ok", "execution_count", count,
                          "payload", out.payload ? json_incref(out.payload) : json_array(),
                          "user_expressions",
                          json_is_object(exprs) ? user_expressions(s, exprs) : json_object());
    } else {
        char *evalue = nd_error_value(&err, code);
        char *traceback = nd_error_traceback(&err, code);
        const char *ename = nd_status_name(err.code);
        if (!silent) nd_server_publish(s, req, "error", error_content(ename, evalue, traceback));
        reply = error_content(ename, evalue, traceback);
        json_object_set_new(reply, "status", json_string("error"));
        json_object_set_new(reply, "execution_count", json_integer(count));
        json_object_set_new(reply, "payload", json_array());
        json_object_set_new(reply, "user_expressions", json_object());
        free(evalue);
        free(traceback);
    }
    if (store) nd_history_add(s->history, count, code, out.result_text);
    nd_cell_output_clear(&out);
    if (st != ND_OK && stop_on_error && aborted) nd_server_take_queue(s, aborted);
    return reply;
}

static json_t *handle_complete(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    const char *code = str_field(req->content, "code");
    if (!code) code = "";
    int pos = int_field(req->content, "cursor_pos", -1);
    size_t cursor = pos < 0 ? strlen(code) : nd_utf8_offset(code, (size_t)pos);
    nd_completion c = {0};
    json_t *matches = json_array();
    size_t start = cursor, end = cursor;
    if (nd_interp_complete(s->interp, code, cursor, &c) == ND_OK) {
        for (size_t i = 0; i < c.count; i++) json_array_append_new(matches, nd_json_text(c.matches[i]));
        start = c.start;
        end = c.end;
    }
    nd_completion_free(&c);
    return json_pack("{s:s, s:o, s:I, s:I, s:{}}", "status", "ok", "matches", matches,
                     "cursor_start", (json_int_t)nd_utf8_count(code, start),
                     "cursor_end", (json_int_t)nd_utf8_count(code, end), "metadata");
}

static json_t *handle_inspect(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    const char *code = str_field(req->content, "code");
    if (!code) code = "";
    int pos = int_field(req->content, "cursor_pos", -1);
    size_t cursor = pos < 0 ? strlen(code) : nd_utf8_offset(code, (size_t)pos);
    nd_bundle *b = nd_interp_inspect(s->interp, code, cursor, int_field(req->content, "detail_level", 0));
    json_t *reply = json_pack("{s:s, s:b, s:o, s:{}}", "status", "ok", "found", b != NULL,
                              "data", b ? nd_display_data(b) : json_object(), "metadata");
    nd_bundle_free(b);
    return reply;
}

static json_t *handle_is_complete(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    const char *code = str_field(req->content, "code");
    char indent[64] = "";
    static const char *names[] = {"complete", "incomplete", "invalid"};
    nd_completeness c = code ? nd_interp_is_complete(s->interp, code, indent, sizeof indent)
                             : ND_CODE_INVALID;
    json_t *content = json_pack("{s:s}", "status", names[c]);
    if (c == ND_CODE_INCOMPLETE) json_object_set_new(content, "indent", json_string(indent));
    return content;
}

static json_t *handle_history(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    const json_t *c = req->content;
    const char *type = str_field(c, "hist_access_type");
    int output = bool_field(c, "output", 0);
    json_t *history = NULL;
    if (type && strcmp(type, "tail") == 0) {
        history = nd_history_tail(s->history, int_field(c, "n", 10), output);
    } else if (type && strcmp(type, "range") == 0) {
        history = nd_history_range(s->history, int_field(c, "session", 0), int_field(c, "start", 1),
                                   int_field(c, "stop", 0), output);
    } else if (type && strcmp(type, "search") == 0) {
        const char *pattern = str_field(c, "pattern");
        history = nd_history_search(s->history, pattern ? pattern : "*", int_field(c, "n", 0),
                                    bool_field(c, "unique", 0), output);
    }
    return json_pack("{s:s, s:o}", "status", "ok", "history", history ? history : json_array());
}

static json_t *handle_shutdown(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    int restart = bool_field(req->content, "restart", 0);
    atomic_store(&s->restart, restart);
    atomic_store(&s->stopping, 1);
    nd_interp_interrupt(s->interp);    /* a running cell must not hold the shutdown up */
    return json_pack("{s:s, s:b}", "status", "ok", "restart", restart);
}

static json_t *handle_interrupt(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)req, (void)aborted;
    nd_interp_interrupt(s->interp);
    return json_pack("{s:s}", "status", "ok");
}

static json_t *handle_comm_info(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    return nd_comm_info(s, str_field(req->content, "target_name"));
}

static json_t *handle_comm_open(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    nd_comm_on_open(s, req);
    return NULL;
}

static json_t *handle_comm_msg(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    nd_comm_on_msg(s, req);
    return NULL;
}

static json_t *handle_comm_close(nd_server *s, const nd_msg *req, nd_queue *aborted)
{
    (void)aborted;
    nd_comm_on_close(s, req);
    return NULL;
}

enum { ON_SHELL = 1 << ND_CHANNEL_SHELL, ON_CONTROL = 1 << ND_CHANNEL_CONTROL };

/* What the kernel serves. Control runs in its own thread while a cell may be running on
   shell, so it accepts only the requests that never touch the interpreter (listed first:
   the refusal of the others names them in this order). */
static const struct route {
    const char *msg_type;
    const char *reply_type;     /* NULL: the message gets no reply */
    unsigned channels;          /* ON_SHELL, ON_CONTROL */
    handler_fn handle;
} routes[] = {
    {"kernel_info_request", "kernel_info_reply", ON_SHELL | ON_CONTROL, handle_kernel_info},
    {"interrupt_request", "interrupt_reply", ON_SHELL | ON_CONTROL, handle_interrupt},
    {"shutdown_request", "shutdown_reply", ON_SHELL | ON_CONTROL, handle_shutdown},
    {"comm_info_request", "comm_info_reply", ON_SHELL | ON_CONTROL, handle_comm_info},
    {"execute_request", "execute_reply", ON_SHELL, handle_execute},
    {"complete_request", "complete_reply", ON_SHELL, handle_complete},
    {"inspect_request", "inspect_reply", ON_SHELL, handle_inspect},
    {"is_complete_request", "is_complete_reply", ON_SHELL, handle_is_complete},
    {"history_request", "history_reply", ON_SHELL, handle_history},
    {"comm_open", NULL, ON_SHELL, handle_comm_open},
    {"comm_msg", NULL, ON_SHELL, handle_comm_msg},
    {"comm_close", NULL, ON_SHELL, handle_comm_close},
};

enum { N_ROUTES = sizeof routes / sizeof *routes };

static const struct route *find_route(const char *msg_type)
{
    for (size_t i = 0; i < N_ROUTES; i++)
        if (strcmp(routes[i].msg_type, msg_type) == 0) return &routes[i];
    return NULL;
}

/* Replies "aborted" to an execute_request queued behind a failed cell (stop_on_error). */
static void handle_abort(nd_server *s, const nd_msg *req)
{
    nd_server_status(s, req, "busy");
    nd_server_reply(s, ND_CHANNEL_SHELL, req, "execute_reply",
                    json_pack("{s:s, s:i}", "status", "aborted", "execution_count", s->execution_count));
    nd_server_status(s, req, "idle");
}

/* Replies "aborted" to the execute_requests of q, serves its other requests normally,
   and empties q. */
static void serve_aborting(nd_server *s, nd_queue *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(nd_msg_type(&q->msgs[i]), "execute_request") == 0)
            handle_abort(s, &q->msgs[i]);
        else
            nd_handle_request(s, ND_CHANNEL_SHELL, &q->msgs[i]);
        nd_msg_clear(&q->msgs[i]);
    }
    free(q->msgs);
    q->msgs = NULL;
    q->n = 0;
}

/* A message that control does not serve: a request served on shell gets an error reply
   naming the shell channel and the requests control serves (from the table); anything
   else is ignored, as an unknown type is on shell. */
static void refuse_on_control(nd_server *s, const nd_msg *req, const struct route *r)
{
    const char *type = nd_msg_type(req);
    if (!r || !r->reply_type) {
        fprintf(stderr, "neurodyn: ignored a message of unknown type '%.80s' on control\n", type);
        return;
    }
    char why[256];
    int n = snprintf(why, sizeof why, "%s is served on the shell channel; control serves ", type);
    size_t k = 0, served = 0;
    for (size_t i = 0; i < N_ROUTES; i++) served += (routes[i].channels & ON_CONTROL) != 0;
    for (size_t i = 0; i < N_ROUTES && n > 0 && (size_t)n < sizeof why; i++) {
        if (!(routes[i].channels & ON_CONTROL)) continue;
        const char *name = routes[i].msg_type;
        const char *sep = k == 0 ? "" : k + 1 == served ? " and " : ", ";
        n += snprintf(why + n, sizeof why - (size_t)n, "%s%.*s", sep,
                      (int)(strlen(name) - strlen("_request")), name);
        k++;
    }
    nd_handle_refused(s, ND_CHANNEL_CONTROL, req, why);
}

void nd_handle_request(nd_server *s, nd_channel ch, const nd_msg *req)
{
    const char *type = nd_msg_type(req);
    const struct route *r = find_route(type);
    int accepted = r && (r->channels & 1u << ch);
    if (!accepted && ch == ND_CHANNEL_CONTROL) {
        refuse_on_control(s, req, r);
        return;
    }
    nd_queue aborted = {0};
    /* An interrupt is for the cell that runs: one from an idle time is dropped here, before
       busy and execute_input go out, so that one sent as soon as the client sees either
       is not (a client may interrupt within microseconds of execute_input). */
    if (ch == ND_CHANNEL_SHELL) nd_interp_clear_interrupt(s->interp);
    nd_server_status(s, req, "busy");
    if (accepted) {
        json_t *reply = r->handle(s, req, ch == ND_CHANNEL_SHELL ? &aborted : NULL);
        if (r->reply_type) nd_server_reply(s, ch, req, r->reply_type, reply);
    } else {
        fprintf(stderr, "neurodyn: ignored a message of unknown type '%.80s'\n", type);
    }
    nd_server_status(s, req, "idle");
    serve_aborting(s, &aborted);
}

void nd_handle_refused(nd_server *s, nd_channel ch, const nd_msg *req, const char *why)
{
    const char *type = nd_msg_type(req);
    size_t n = strlen(type);
    if (n <= 8 || n > 100 || strcmp(type + n - 8, "_request") != 0) return;
    char reply_type[128];
    snprintf(reply_type, sizeof reply_type, "%.*s_reply", (int)(n - 8), type);
    json_t *content = protocol_error(why);
    if (strcmp(type, "execute_request") == 0 && ch == ND_CHANNEL_SHELL) {
        /* the fields every execute_reply has (the count is the shell thread's) */
        json_object_set_new(content, "execution_count", json_integer(s->execution_count));
        json_object_set_new(content, "payload", json_array());
        json_object_set_new(content, "user_expressions", json_object());
    }
    nd_server_status(s, req, "busy");
    nd_server_reply(s, ch, req, reply_type, content);
    nd_server_status(s, req, "idle");
}
