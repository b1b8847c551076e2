/* The half of a server that does not depend on how messages travel: its state, and
   replies and iopub messages handed to its transport (server.c's ZeroMQ sockets in the
   kernel, a recorder in the unit tests). */
#include "server.h"
#include "../lib/commands/modules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "ids.h"

int nd_server_init(nd_server *s, const nd_transport *t, void *data)
{
    pthread_mutex_init(&s->iopub_lock, NULL);
    s->transport = t;
    s->transport_data = data;
    nd_ids_uuid(s->session);
    s->interp = nd_interp_create(nd_cmd_register_all);
    s->comms = nd_comms_create();
    return s->interp && s->comms ? 0 : -1;
}

void nd_server_clear(nd_server *s)
{
    nd_history_close(s->history);
    nd_interp_free(s->interp);
    nd_comms_free(s->comms);
    s->history = NULL;
    s->interp = NULL;
    s->comms = NULL;
    pthread_mutex_destroy(&s->iopub_lock);
}

int nd_server_reply(nd_server *s, nd_channel ch, const nd_msg *parent, const char *msg_type,
                    json_t *content)
{
    nd_msg m = {0};
    if (nd_msg_init_reply(&m, msg_type, parent, s->session, content) != 0) return -1;
    int rc = s->transport->send(s, ch, &m);
    nd_msg_clear(&m);
    return rc;
}

int nd_server_publish(nd_server *s, const nd_msg *parent, const char *msg_type, json_t *content)
{
    nd_msg m = {0};
    if (nd_msg_init_reply(&m, msg_type, parent, s->session, content) != 0) return -1;
    /* iopub has no routing identities: the first frame is a topic for subscribers. */
    nd_frames_free(m.idents, m.n_idents);
    char topic[128];
    snprintf(topic, sizeof topic, "kernel.%s.%s", s->session, msg_type);
    m.idents = malloc(sizeof *m.idents);
    m.n_idents = 0;
    if (m.idents) {
        m.idents[0].len = strlen(topic);
        m.idents[0].data = (unsigned char *)strdup(topic);
        if (m.idents[0].data) m.n_idents = 1;
    }
    pthread_mutex_lock(&s->iopub_lock);
    int rc = s->transport->send(s, ND_CHANNEL_IOPUB, &m);
    pthread_mutex_unlock(&s->iopub_lock);
    nd_msg_clear(&m);
    return rc;
}

void nd_server_status(nd_server *s, const nd_msg *parent, const char *state)
{
    nd_server_publish(s, parent, "status", json_pack("{s:s}", "execution_state", state));
}

void nd_server_take_queue(nd_server *s, nd_queue *q)
{
    s->transport->take_queue(s, q);
}
