/* The comm table: comm id -> what it is (a slider of an interact, its box or layout, the
   widget version check) and, for widgets, the model's state as last synced. The shell
   thread is the only writer; it takes the lock to write, and the control thread (which
   may answer comm_info while a cell runs) takes it to read. */
#include "comm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "display.h"
#include "ids.h"
#include "widgets.h"

/* Each interact opens 2n + 2 comms; a long session is bounded by forgetting the oldest. */
enum { MAX_COMMS = 4096 };

typedef enum { COMM_LAYOUT, COMM_SLIDER, COMM_BOX, COMM_VERSION } comm_kind;

typedef struct comm {
    char id[40];
    comm_kind kind;
    int interact;       /* COMM_SLIDER: the interact and which of its sliders */
    size_t slider;
    json_t *state;      /* widgets: the model's full state; NULL for the version check */
} comm;

/* The full run owed to the interact last redrawn in draft (while its slider moved). */
typedef struct owed_run {
    int active;
    int interact;
    size_t slider;
    double value;
    double due;         /* CLOCK_MONOTONIC seconds */
} owed_run;

struct nd_comms {
    pthread_mutex_t lock;
    comm *items;        /* oldest first */
    size_t n, cap;
    owed_run owed;
};

nd_comms *nd_comms_create(void)
{
    nd_comms *c = calloc(1, sizeof *c);
    if (c) pthread_mutex_init(&c->lock, NULL);
    return c;
}

void nd_comms_free(nd_comms *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) json_decref(c->items[i].state);
    free(c->items);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static const char *target_of(const comm *c)
{
    return c->kind == COMM_VERSION ? ND_WIDGET_VERSION_TARGET : ND_WIDGET_TARGET;
}

static comm *find(nd_comms *t, const char *id)
{
    for (size_t i = 0; id && i < t->n; i++)
        if (strcmp(t->items[i].id, id) == 0) return &t->items[i];
    return NULL;
}

static void forget(nd_comms *t, comm *c)
{
    pthread_mutex_lock(&t->lock);
    json_decref(c->state);
    size_t i = (size_t)(c - t->items);
    memmove(c, c + 1, (t->n - i - 1) * sizeof *c);
    t->n--;
    pthread_mutex_unlock(&t->lock);
}

static void send_close(nd_server *s, const nd_msg *parent, const char *id)
{
    nd_server_publish(s, parent, "comm_close", json_pack("{s:s, s:{}}", "comm_id", id, "data"));
}

/* Sends data on comm id (a comm_msg on iopub, parented to parent); takes data. */
static void send_data(nd_server *s, const nd_msg *parent, const char *id, json_t *data)
{
    nd_server_publish(s, parent, "comm_msg", json_pack("{s:s, s:o}", "comm_id", id, "data", data));
}

/* Adds a comm (taking state) under id; NULL when out of memory (state released). */
static comm *add(nd_server *s, const nd_msg *parent, const char *id, comm_kind kind,
                 json_t *state)
{
    nd_comms *t = s->comms;
    if (t->n == MAX_COMMS) {
        send_close(s, parent, t->items[0].id);
        forget(t, &t->items[0]);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        pthread_mutex_lock(&t->lock);
        comm *items = realloc(t->items, cap * sizeof *items);
        if (items) {
            t->items = items;
            t->cap = cap;
        }
        pthread_mutex_unlock(&t->lock);
        if (!items) {
            json_decref(state);
            return NULL;
        }
    }
    comm c = {.kind = kind, .state = state};
    snprintf(c.id, sizeof c.id, "%s", id);
    pthread_mutex_lock(&t->lock);
    t->items[t->n++] = c;
    pthread_mutex_unlock(&t->lock);
    return &t->items[t->n - 1];
}

/* Opens a widget model from the kernel: writes its comm id into id (a UUID's 32 hex
   digits, as ipykernel makes them); 0, or -1 when out of memory. */
static int open_model(nd_server *s, const nd_msg *parent, comm_kind kind, json_t *state,
                      int interact, size_t slider, char id[40])
{
    char uuid[37];
    nd_ids_uuid(uuid);
    size_t j = 0;
    for (const char *p = uuid; *p; p++)
        if (*p != '-') id[j++] = *p;
    id[j] = '\0';
    comm *c = state ? add(s, parent, id, kind, state) : NULL;
    if (!c) return -1;
    c->interact = interact;
    c->slider = slider;
    /* ipywidgets 6's front end reads the state from data itself; later clients (nbclient,
       which runs `make notebooks` and saves widget state) read data.state and
       data.buffer_paths. Both forms travel, so both kinds of client work. */
    json_t *data = json_deep_copy(state);
    if (data) {
        json_object_set(data, "state", state);
        json_object_set_new(data, "buffer_paths", json_array());
    }
    nd_server_publish(s, parent, "comm_open",
                      json_pack("{s:s, s:s, s:o*}", "comm_id", id, "target_name",
                                ND_WIDGET_TARGET, "data", data));
    return 0;
}

int nd_comm_open_sliders(nd_server *s, const nd_msg *parent, const nd_sliders *sl)
{
    char (*ids)[40] = calloc(sl->n + 1, sizeof *ids);
    const char **refs = calloc(sl->n + 1, sizeof *refs);
    char layout[40];
    int rc = ids && refs ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < sl->n; k++) {
        rc = open_model(s, parent, COMM_LAYOUT, nd_widget_layout(), sl->id, 0, layout);
        if (rc == 0)
            rc = open_model(s, parent, COMM_SLIDER, nd_widget_slider(&sl->items[k], layout),
                            sl->id, k, ids[k]);
        refs[k] = ids[k];
    }
    if (rc == 0) rc = open_model(s, parent, COMM_LAYOUT, nd_widget_layout(), sl->id, 0, layout);
    if (rc == 0)
        rc = open_model(s, parent, COMM_BOX, nd_widget_vbox(refs, sl->n, layout), sl->id, 0,
                        ids[sl->n]);
    /* ipywidgets 6 shows a widget this way: the Notebook puts the view into the widget
       area of the cell whose request is the message's parent. */
    if (rc == 0) send_data(s, parent, ids[sl->n], json_pack("{s:s}", "method", "display"));
    free(ids);
    free(refs);
    return rc == 0;
}

void nd_comm_on_open(nd_server *s, const nd_msg *req)
{
    const char *id = json_string_value(json_object_get(req->content, "comm_id"));
    const char *target = json_string_value(json_object_get(req->content, "target_name"));
    if (!id) return;
    comm *known = find(s->comms, id);
    if (known && strcmp(target_of(known), target ? target : "") == 0) return;
    if (!known && target && strcmp(target, ND_WIDGET_VERSION_TARGET) == 0 &&
        add(s, req, id, COMM_VERSION, NULL)) {
        /* The front end compares this range with its own version and answers. */
        send_data(s, req, id, json_pack("{s:s}", "version", ND_WIDGET_FRONTEND_VERSION));
        return;
    }
    /* The spec: a comm whose target does not exist is closed at once. */
    send_close(s, req, id);
}

static void log_comm(const char *what, const char *id)
{
    fprintf(stderr, "neurodyn: ignored %s (comm '%.64s')\n", what, id ? id : "");
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Runs an interact again with slider k at value, its outputs parented to parent (NULL:
   none); returns the value used. */
static double rerun(nd_server *s, const nd_msg *parent, int interact, size_t k, double value,
                    int quick)
{
    nd_cell_output out = {.server = s, .parent = parent, .execution_count = s->execution_count};
    nd_sink sink = nd_display_sink(&out);
    nd_error err;
    double applied = value;
    nd_status st = nd_interp_interact(s->interp, interact, k, value, quick, &sink, &applied, &err);
    nd_cell_output_clear(&out);
    if (st != ND_OK)
        fprintf(stderr, "neurodyn: interact %d: %s: %s\n", interact, nd_status_name(st), err.msg);
    return applied;
}

void nd_comm_settle(nd_server *s, int now)
{
    owed_run *o = &s->comms->owed;
    if (!o->active || (!now && now_seconds() < o->due)) return;
    o->active = 0;
    /* Not an answer to any request: a status of its own, and no parent. An interrupt from
       before is dropped (shell requests are cleared the same way in nd_handle_request). */
    nd_interp_clear_interrupt(s->interp);
    nd_server_status(s, NULL, "busy");
    rerun(s, NULL, o->interact, o->slider, o->value, 0);
    nd_server_status(s, NULL, "idle");
}

/* A slider moved: its interact runs again at once in draft, its output replaced in place,
   and completely once the slider has rested for ND_COMM_SETTLE_MS. */
static void move_slider(nd_server *s, const nd_msg *req, comm *c, double value)
{
    owed_run *o = &s->comms->owed;
    if (o->active && o->interact != c->interact) nd_comm_settle(s, 1);
    double applied = rerun(s, req, c->interact, c->slider, value, 1);
    *o = (owed_run){1, c->interact, c->slider, applied, now_seconds() + ND_COMM_SETTLE_MS / 1000.0};
    pthread_mutex_lock(&s->comms->lock);
    json_object_set_new(c->state, "value", json_real(applied));
    pthread_mutex_unlock(&s->comms->lock);
    if (applied != value)   /* clamped: the slider must show the value used */
        send_data(s, req, c->id, json_pack("{s:s, s:{s:f}, s:[]}", "method", "update", "state",
                                           "value", applied, "buffers"));
}

void nd_comm_on_msg(nd_server *s, const nd_msg *req)
{
    const char *id = json_string_value(json_object_get(req->content, "comm_id"));
    json_t *data = json_object_get(req->content, "data");
    comm *c = find(s->comms, id);
    if (!c) {
        log_comm("a comm_msg for an unknown comm", id);
        return;
    }
    if (c->kind == COMM_VERSION) {
        if (json_is_false(json_object_get(data, "validated")))
            fprintf(stderr, "neurodyn: the Notebook's widget front end is not the version "
                    "ipywidgets 6 needs (%s); sliders may not show\n", ND_WIDGET_FRONTEND_VERSION);
        return;
    }
    const char *method = json_string_value(json_object_get(data, "method"));
    json_t *sync = json_object_get(data, "sync_data");
    if (method && strcmp(method, "request_state") == 0) {
        send_data(s, req, c->id, json_pack("{s:s, s:O, s:[]}", "method", "update", "state",
                                           c->state, "buffers"));
    } else if (method && strcmp(method, "backbone") == 0 && json_is_object(sync)) {
        json_t *value = json_object_get(sync, "value");
        json_t *rest = json_deep_copy(sync);
        json_object_del(rest, "value");
        pthread_mutex_lock(&s->comms->lock);
        json_object_update(c->state, rest);   /* e.g. a layout the front end changed */
        pthread_mutex_unlock(&s->comms->lock);
        json_decref(rest);
        if (c->kind == COMM_SLIDER && json_is_number(value))
            move_slider(s, req, c, json_number_value(value));
        else if (value)
            log_comm("a value that is not a slider's number", c->id);
    } else if (!method || strcmp(method, "custom") != 0) {
        log_comm("a comm_msg without a known method", c->id);
    }
}

void nd_comm_on_close(nd_server *s, const nd_msg *req)
{
    const char *id = json_string_value(json_object_get(req->content, "comm_id"));
    comm *c = find(s->comms, id);
    if (c) forget(s->comms, c);
    else log_comm("a comm_close for an unknown comm", id);
}

json_t *nd_comm_info(nd_server *s, const char *target_name)
{
    json_t *comms = json_object();
    nd_comms *t = s->comms;
    pthread_mutex_lock(&t->lock);
    for (size_t i = 0; i < t->n; i++) {
        const char *target = target_of(&t->items[i]);
        if (!target_name || !*target_name || strcmp(target, target_name) == 0)
            json_object_set_new(comms, t->items[i].id, json_pack("{s:s}", "target_name", target));
    }
    pthread_mutex_unlock(&t->lock);
    return json_pack("{s:s, s:o}", "status", "ok", "comms", comms);
}
