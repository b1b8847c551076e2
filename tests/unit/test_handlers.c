/* The request handlers through a recording transport, without ZeroMQ: what each request
   type sends, on which channel, in which order and with which parent. The values checked
   are those of the Jupyter messaging spec 5.3 (reply types, the busy → outputs → idle
   order, execution counts, is_complete statuses, the kernel_info fields a front end
   reads). */
#include "test.h"

#include <stdlib.h>

#include "../../kernel/handlers.h"

enum { MAX_SENT = 64 };

/* One message the handlers sent. */
typedef struct sent {
    nd_channel ch;
    json_t *header, *parent, *content;   /* references */
    char *ident;                         /* the first routing ident, as text (or NULL) */
} sent;

/* The recording transport's state: what was sent, and the requests "waiting" on shell
   that a failed cell takes (stop_on_error). */
typedef struct recorder {
    sent msgs[MAX_SENT];
    size_t n;
    nd_queue pending;
    int interrupt_on_input;   /* interrupt the interpreter when execute_input goes out */
} recorder;

static int rec_send(nd_server *s, nd_channel ch, const nd_msg *m)
{
    recorder *r = s->transport_data;
    if (r->n == MAX_SENT) return -1;
    sent *e = &r->msgs[r->n++];
    e->ch = ch;
    e->header = json_incref(m->header);
    e->parent = json_incref(m->parent);
    e->content = json_incref(m->content);
    e->ident = m->n_idents ? strndup((const char *)m->idents[0].data, m->idents[0].len) : NULL;
    const char *type = json_string_value(json_object_get(m->header, "msg_type"));
    if (r->interrupt_on_input && type && strcmp(type, "execute_input") == 0)
        nd_interp_interrupt(s->interp);
    return 0;
}

static void rec_take_queue(nd_server *s, nd_queue *q)
{
    recorder *r = s->transport_data;
    *q = r->pending;
    r->pending = (nd_queue){0};
}

static const nd_transport recording = {rec_send, rec_take_queue};

static void rec_forget(recorder *r)
{
    for (size_t i = 0; i < r->n; i++) {
        json_decref(r->msgs[i].header);
        json_decref(r->msgs[i].parent);
        json_decref(r->msgs[i].content);
        free(r->msgs[i].ident);
    }
    r->n = 0;
}

typedef struct fixture {
    nd_server s;
    recorder r;
} fixture;

static void setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    CHECK_INT(nd_server_init(&f->s, &recording, &f->r), 0);
    char err[256];
    f->s.history = nd_history_open(NULL, err, sizeof err);   /* in memory */
}

static void teardown(fixture *f)
{
    for (size_t i = 0; i < f->r.pending.n; i++) nd_msg_clear(&f->r.pending.msgs[i]);
    free(f->r.pending.msgs);
    rec_forget(&f->r);
    nd_server_clear(&f->s);
}

/* A request as a client sends it: routed from the ident "client-7". */
static nd_msg request(const char *msg_type, const char *msg_id, json_t *content)
{
    nd_msg m = {0};
    m.header = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", msg_id, "msg_type",
                         msg_type, "session", "client-session", "username", "test", "date",
                         "2026-12-06T00:00:00.000000Z", "version", "5.3");
    m.parent = json_object();
    m.metadata = json_object();
    m.content = content ? content : json_object();
    m.idents = calloc(1, sizeof *m.idents);
    if (m.idents && nd_frame_set(&m.idents[0], "client-7", 8) == 0) m.n_idents = 1;
    return m;
}

/* Serves one request on ch and frees it. */
static void serve(fixture *f, nd_channel ch, const char *msg_type, const char *msg_id,
                  json_t *content)
{
    nd_msg m = request(msg_type, msg_id, content);
    nd_handle_request(&f->s, ch, &m);
    nd_msg_clear(&m);
}

static const char *type_of(const sent *e)
{
    return json_string_value(json_object_get(e->header, "msg_type"));
}

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* The sent messages as "channel:msg_type" joined by '|', e.g. "iopub:status|shell:…". */
static const char *trace(const recorder *r)
{
    static char buf[1024];
    static const char *names[] = {"shell", "control", "iopub"};
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%s", i ? "|" : "",
                                names[r->msgs[i].ch], type_of(&r->msgs[i]));
    return buf;
}

/* Every message sent is parented to the request msg_id, carries the kernel's session,
   and a reply goes back to the client's routing ident. */
static void check_parents(const fixture *f, const char *msg_id)
{
    for (size_t i = 0; i < f->r.n; i++) {
        const sent *e = &f->r.msgs[i];
        CHECK_STR(str(e->parent, "msg_id"), msg_id);
        CHECK_STR(str(e->header, "session"), f->s.session);
        CHECK_STR(str(e->header, "version"), "5.3");
        if (e->ch != ND_CHANNEL_IOPUB) CHECK_STR(e->ident, "client-7");
    }
}

/* The content of the idx-th message of msg_type (0: the first), or NULL. */
static json_t *nth(const recorder *r, const char *msg_type, int idx)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(type_of(&r->msgs[i]), msg_type) == 0 && idx-- == 0) return r->msgs[i].content;
    return NULL;
}

static const char *state(const recorder *r, int idx)
{
    return str(nth(r, "status", idx), "execution_state");
}

static json_t *code(const char *text)
{
    return json_pack("{s:s}", "code", text);
}

TEST(handlers_kernel_info)
{
    fixture f;
    setup(&f);
    serve(&f, ND_CHANNEL_SHELL, "kernel_info_request", "ki-1", NULL);
    CHECK_STR(trace(&f.r), "iopub:status|shell:kernel_info_reply|iopub:status");
    CHECK_STR(state(&f.r, 0), "busy");
    CHECK_STR(state(&f.r, 1), "idle");
    json_t *c = nth(&f.r, "kernel_info_reply", 0);
    CHECK_STR(str(c, "status"), "ok");
    CHECK_STR(str(c, "protocol_version"), "5.3");
    json_t *li = json_object_get(c, "language_info");
    CHECK_STR(str(li, "name"), "neurodyn");
    CHECK_STR(str(li, "codemirror_mode"), "neurodyn");
    CHECK_STR(str(li, "pygments_lexer"), "neurodyn");
    CHECK_STR(str(li, "file_extension"), ".nd");
    check_parents(&f, "ki-1");
    /* control serves it too (a client asks there while a cell runs) */
    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_CONTROL, "kernel_info_request", "ki-2", NULL);
    CHECK_STR(trace(&f.r), "iopub:status|control:kernel_info_reply|iopub:status");
    check_parents(&f, "ki-2");
    teardown(&f);
}

TEST(handlers_execute_result_in_order)
{
    fixture f;
    setup(&f);
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-1", code("x = 6 * 7\nx"));
    CHECK_STR(trace(&f.r), "iopub:status|iopub:execute_input|iopub:execute_result|"
                           "shell:execute_reply|iopub:status");
    CHECK_STR(state(&f.r, 0), "busy");
    CHECK_STR(state(&f.r, 1), "idle");
    check_parents(&f, "ex-1");
    json_t *input = nth(&f.r, "execute_input", 0);
    CHECK_STR(str(input, "code"), "x = 6 * 7\nx");
    CHECK_INT(json_integer_value(json_object_get(input, "execution_count")), 1);
    json_t *result = nth(&f.r, "execute_result", 0);
    CHECK_STR(str(json_object_get(result, "data"), "text/plain"), "42");
    CHECK_INT(json_integer_value(json_object_get(result, "execution_count")), 1);
    json_t *reply = nth(&f.r, "execute_reply", 0);
    CHECK_STR(str(reply, "status"), "ok");
    CHECK_INT(json_integer_value(json_object_get(reply, "execution_count")), 1);
    CHECK(json_is_object(json_object_get(reply, "user_expressions")));

    /* the next stored cell counts 2; the workspace kept x */
    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-2", code("x + 1"));
    CHECK_STR(str(json_object_get(nth(&f.r, "execute_result", 0), "data"), "text/plain"), "43");
    CHECK_INT(json_integer_value(json_object_get(nth(&f.r, "execute_reply", 0), "execution_count")), 2);

    /* silent: no execute_input nor result, and the count does not move (spec) */
    rec_forget(&f.r);
    json_t *silent = json_pack("{s:s, s:b}", "code", "x", "silent", 1);
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-3", silent);
    CHECK_STR(trace(&f.r), "iopub:status|shell:execute_reply|iopub:status");
    CHECK_INT(f.s.execution_count, 2);

    /* history_request sees the stored cells with their outputs */
    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_SHELL, "history_request", "hi-1",
          json_pack("{s:s, s:i, s:b}", "hist_access_type", "tail", "n", 1, "output", 1));
    json_t *last = json_array_get(json_object_get(nth(&f.r, "history_reply", 0), "history"), 0);
    CHECK_INT(json_integer_value(json_array_get(last, 1)), 2);
    CHECK_STR(json_string_value(json_array_get(json_array_get(last, 2), 0)), "x + 1");
    CHECK_STR(json_string_value(json_array_get(json_array_get(last, 2), 1)), "43");
    teardown(&f);
}

/* A client that sees execute_input may interrupt at once: that interrupt stops the cell
   (it was lost when the flag was cleared after execute_input went out). One that came
   while nothing ran is not held against the next cell. */
TEST(handlers_interrupt_right_after_execute_input)
{
    fixture f;
    setup(&f);
    f.r.interrupt_on_input = 1;
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-1", code("sleep 30"));
    json_t *reply = nth(&f.r, "execute_reply", 0);
    CHECK_STR(str(reply, "status"), "error");
    CHECK_STR(str(reply, "ename"), "Interrupted");
    rec_forget(&f.r);
    f.r.interrupt_on_input = 0;
    nd_interp_interrupt(f.s.interp);   /* while idle */
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-2", code("sleep 0.01\n1 + 1"));
    CHECK_STR(str(nth(&f.r, "execute_reply", 0), "status"), "ok");
    teardown(&f);
}

TEST(handlers_execute_error_aborts_queue)
{
    fixture f;
    setup(&f);
    /* a cell waiting behind the failing one, which stop_on_error (default true) aborts */
    f.r.pending.msgs = malloc(sizeof *f.r.pending.msgs);
    f.r.pending.msgs[0] = request("execute_request", "ex-queued", code("queued_ran = 1"));
    f.r.pending.n = 1;
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-bad", code("y = no_such_name + 1"));
    CHECK_STR(trace(&f.r), "iopub:status|iopub:execute_input|iopub:error|shell:execute_reply|"
                           "iopub:status|iopub:status|shell:execute_reply|iopub:status");
    json_t *error = nth(&f.r, "error", 0);
    json_t *reply = nth(&f.r, "execute_reply", 0);
    CHECK_STR(str(reply, "status"), "error");
    CHECK_STR(str(reply, "ename"), "NameError");
    CHECK_STR(str(error, "ename"), "NameError");
    CHECK_CONTAINS(str(error, "evalue"), "no_such_name");
    CHECK_STR(str(error, "evalue"), str(reply, "evalue"));
    CHECK(json_array_size(json_object_get(error, "traceback")) >= 1);
    CHECK_INT(json_integer_value(json_object_get(reply, "execution_count")), 1);
    for (size_t i = 0; i < 5; i++) CHECK_STR(str(f.r.msgs[i].parent, "msg_id"), "ex-bad");
    /* the queued cell: busy, execute_reply "aborted", idle, parented to it, never run */
    for (size_t i = 5; i < f.r.n; i++) CHECK_STR(str(f.r.msgs[i].parent, "msg_id"), "ex-queued");
    CHECK_STR(str(nth(&f.r, "execute_reply", 1), "status"), "aborted");
    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_SHELL, "execute_request", "ex-check", code("queued_ran"));
    CHECK_STR(str(nth(&f.r, "execute_reply", 0), "ename"), "NameError");
    teardown(&f);
}

TEST(handlers_complete_inspect)
{
    fixture f;
    setup(&f);
    serve(&f, ND_CHANNEL_SHELL, "complete_request", "co-1",
          json_pack("{s:s, s:i}", "code", "pr", "cursor_pos", 2));
    CHECK_STR(trace(&f.r), "iopub:status|shell:complete_reply|iopub:status");
    check_parents(&f, "co-1");
    json_t *c = nth(&f.r, "complete_reply", 0);
    CHECK_STR(str(c, "status"), "ok");
    int has_print = 0;
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(c, "matches"), i, m)
        has_print |= strcmp(json_string_value(m), "print") == 0;
    CHECK(has_print);
    CHECK_INT(json_integer_value(json_object_get(c, "cursor_start")), 0);
    CHECK_INT(json_integer_value(json_object_get(c, "cursor_end")), 2);

    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_SHELL, "inspect_request", "in-1",
          json_pack("{s:s, s:i}", "code", "print 1", "cursor_pos", 3));
    CHECK_STR(trace(&f.r), "iopub:status|shell:inspect_reply|iopub:status");
    json_t *in = nth(&f.r, "inspect_reply", 0);
    CHECK_STR(str(in, "status"), "ok");
    CHECK(json_is_true(json_object_get(in, "found")));
    CHECK_CONTAINS(str(json_object_get(in, "data"), "text/plain"), "print");

    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_SHELL, "inspect_request", "in-2",
          json_pack("{s:s, s:i}", "code", "  ", "cursor_pos", 1));
    in = nth(&f.r, "inspect_reply", 0);
    CHECK(json_is_false(json_object_get(in, "found")));
    CHECK_INT(json_object_size(json_object_get(in, "data")), 0);
    teardown(&f);
}

TEST(handlers_is_complete)
{
    fixture f;
    setup(&f);
    serve(&f, ND_CHANNEL_SHELL, "is_complete_request", "ic-1", code("x = [1,"));
    json_t *c = nth(&f.r, "is_complete_reply", 0);
    CHECK_STR(str(c, "status"), "incomplete");
    CHECK(json_is_string(json_object_get(c, "indent")));   /* required when incomplete */
    check_parents(&f, "ic-1");
    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_SHELL, "is_complete_request", "ic-2", code("x = [1, 2]"));
    c = nth(&f.r, "is_complete_reply", 0);
    CHECK_STR(str(c, "status"), "complete");
    CHECK(json_object_get(c, "indent") == NULL);
    teardown(&f);
}

TEST(handlers_unknown_and_wrong_channel)
{
    fixture f;
    setup(&f);
    /* unknown on shell: busy and idle, no reply (as ipykernel) */
    serve(&f, ND_CHANNEL_SHELL, "foo_request", "un-1", NULL);
    CHECK_STR(trace(&f.r), "iopub:status|iopub:status");
    CHECK_STR(state(&f.r, 0), "busy");
    CHECK_STR(state(&f.r, 1), "idle");
    check_parents(&f, "un-1");
    /* unknown on control, or a comm message there: nothing at all */
    rec_forget(&f.r);
    serve(&f, ND_CHANNEL_CONTROL, "foo_request", "un-2", NULL);
    serve(&f, ND_CHANNEL_CONTROL, "comm_close", "un-3", json_pack("{s:s}", "comm_id", "c"));
    CHECK_INT(f.r.n, 0);
    /* a shell request on control: an error reply naming the shell channel, not run */
    serve(&f, ND_CHANNEL_CONTROL, "execute_request", "wr-1", code("ran_on_control = 1"));
    CHECK_STR(trace(&f.r), "iopub:status|control:execute_reply|iopub:status");
    json_t *c = nth(&f.r, "execute_reply", 0);
    CHECK_STR(str(c, "status"), "error");
    CHECK_STR(str(c, "ename"), "ProtocolError");
    CHECK_STR(str(c, "evalue"), "execute_request is served on the shell channel; control "
                                "serves kernel_info, interrupt, shutdown and comm_info");
    CHECK_INT(f.s.execution_count, 0);
    teardown(&f);
}

TEST(handlers_comm_info_and_shutdown)
{
    fixture f;
    setup(&f);
    serve(&f, ND_CHANNEL_SHELL, "comm_info_request", "ci-1", NULL);
    CHECK_STR(trace(&f.r), "iopub:status|shell:comm_info_reply|iopub:status");
    json_t *c = nth(&f.r, "comm_info_reply", 0);
    CHECK_STR(str(c, "status"), "ok");
    CHECK(json_is_object(json_object_get(c, "comms")));
    CHECK_INT(json_object_size(json_object_get(c, "comms")), 0);
    check_parents(&f, "ci-1");

    rec_forget(&f.r);
    CHECK_INT(atomic_load(&f.s.stopping), 0);
    serve(&f, ND_CHANNEL_CONTROL, "shutdown_request", "sd-1", json_pack("{s:b}", "restart", 1));
    CHECK_STR(trace(&f.r), "iopub:status|control:shutdown_reply|iopub:status");
    c = nth(&f.r, "shutdown_reply", 0);
    CHECK_STR(str(c, "status"), "ok");
    CHECK(json_is_true(json_object_get(c, "restart")));
    CHECK_INT(atomic_load(&f.s.stopping), 1);
    CHECK_INT(atomic_load(&f.s.restart), 1);
    check_parents(&f, "sd-1");
    teardown(&f);
}
