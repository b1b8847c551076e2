/* The last event of a session: which statement ran last, how it ended and what it gave,
   as the facts the mentor (lib/analysis/mentor.h) reasons on; plus where the mentor's
   own conversation stands (which situation or guess, which level). */
#ifndef ND_LANGUAGE_EVENT_H
#define ND_LANGUAGE_EVENT_H

#include "../analysis/mentor.h"
#include "../base/error.h"
#include "ast.h"
#include "value.h"
#include "workspace.h"

typedef struct nd_event {
    nd_mentor_facts facts;   /* empty until a statement has run */
    nd_value *result;        /* what it gave (a reference), read only when asked: a
                                recording's fields are costly to build after every load */
    nd_mentor_talk talk;     /* where the mentor's conversation stands */
} nd_event;

/* Prepares an empty event. */
void nd_event_init(nd_event *ev);

/* Frees what ev holds and empties it. */
void nd_event_clear(nd_event *ev);

/* Starts a new event for a statement: forgets the previous facts and situation (not the
   guess),
   and records command (the command's name; "(expression)" for an expression statement,
   "(parse)" for a cell that did not parse) and, when call is not NULL, its options as
   opt.KEY (numbers, words, opt.KEY.lo/.hi for ranges) and its positional words as
   arg.1, arg.2 …. */
void nd_event_begin(nd_event *ev, const char *command, const nd_call *call);

/* Keeps (a reference to) what the statement gave; v NULL keeps nothing new. */
void nd_event_result(nd_event *ev, nd_value *v);

/* Ends the event with the statement's status: on failure adds error (the error's name),
   message and msg.NAME for each "NAME = NUMBER" the message quotes; success adds nothing
   (a situation tests `no error`). */
void nd_event_end(nd_event *ev, nd_status st, const nd_error *err);

/* Fills out (initialised by the caller) with the event's facts and those of its result:
   its type as `result`, its number, truth and string fields, a vector's or list's length
   as NAME.n, a record field's fields as NAME.KEY with NAME.min/.max of its numbers, a
   list's first record as NAME.1.KEY; and, for each positional word arg.N that names a
   value of ws, that value's fields as arg.N.FIELD (a simulated dataset has
   arg.1.method, a recording's sweep arg.1.sweep). 0, or -1 on ENOMEM. */
int nd_event_facts(const nd_event *ev, const nd_ws *ws, nd_mentor_facts *out);

#endif
