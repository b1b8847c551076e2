/* A sink that records every output of a cell, for assertions on routing and content. */
#ifndef ND_TEST_REC_SINK_H
#define ND_TEST_REC_SINK_H

#include "../../lib/neurodyn.h"

typedef struct rec_event {
    char kind[16];      /* "out", "err", "display", "result", "clear", "page", "sliders",
                           "end" */
    char *text;         /* stream text, the bundle's text/plain, or the sliders as
                           "NAME=LO..HI step S value V decimals D" lines */
    char *html;         /* bundle's text/html (or NULL) */
    char *json;         /* bundle's application/vnd.neurodyn+json (or NULL) */
    int wait;           /* clear */
    char id[96];        /* display: its display_id ("" for a plain display) */
    int update;         /* display: 1 for an update in place */
    int interact;       /* sliders: the interact's id */
    int png;            /* the bundle had an image/png */
} rec_event;

typedef struct rec_sink {
    nd_sink sink;
    rec_event ev[64];
    int n;
    int shows_sliders;  /* what the sliders callback answers (0, like a terminal) */
} rec_sink;

/* Prepares r to record (sink points at r). */
void rec_init(rec_sink *r);

/* Frees recorded texts and empties r. */
void rec_clear(rec_sink *r);

/* Returns the kinds of the recorded events joined by '|' (static buffer). */
const char *rec_kinds(const rec_sink *r);

/* rec_kinds without displays that have a display id: the progress of long work, which
   shows up or not depending on how fast the machine is (a sanitizer build is slower). */
const char *rec_kinds_settled(const rec_sink *r);

/* Returns the number written right after the first occurrence of key in json or text
   (e.g. key "\"v\":"), or NAN when key is absent or not followed by a number. */
double rec_json_number(const char *json, const char *key);

/* Runs code on in with a fresh recording into r (cleared first). */
nd_status rec_run(nd_interp *in, const char *code, rec_sink *r, nd_error *err);

/* A fresh interpreter with a recorder, for tests that run cells. */
typedef struct rec_fixture {
    nd_interp *in;
    rec_sink r;
    nd_error e;
} rec_fixture;

/* Creates the interpreter and empties the recorder and error. */
void rec_fixture_setup(rec_fixture *f);

/* Frees what setup and the runs made. */
void rec_fixture_teardown(rec_fixture *f);

/* Runs code in f's interpreter, recording into f->r and failing into f->e. */
nd_status rec_fixture_run(rec_fixture *f, const char *code);

#endif
