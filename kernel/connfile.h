/* The connection file Jupyter hands a kernel: where to bind and how to sign. Parsing
   checks every type, the transport ("tcp" or "ipc"), the five ports (1..65535) and the
   field lengths; ip is required, and the defaults are transport "tcp", signature_scheme
   "hmac-sha256", an empty key (unsigned messages) and an empty kernel_name. Functions
   that fill an nd_connection overwrite it and leave it zeroed when they fail. */
#ifndef ND_KERNEL_CONNFILE_H
#define ND_KERNEL_CONNFILE_H

#include <stddef.h>

typedef struct nd_connection {
    char transport[8];  /* "tcp" or "ipc" */
    char ip[256];
    int shell_port, iopub_port, stdin_port, control_port, hb_port;
    char signature_scheme[32];
    unsigned char *key; size_t key_len;
    char kernel_name[64];
} nd_connection;

/* Fills out from connection-file JSON; 0 ok, -1 with the reason in err. */
int nd_connection_parse(const char *json_text, nd_connection *out, char *err, size_t errcap);

/* Reads and parses the connection file at path; 0 ok, -1 with the reason (and path) in err. */
int nd_connection_load(const char *path, nd_connection *out, char *err, size_t errcap);

/* Frees the key (wiping it) and leaves c zeroed. */
void nd_connection_clear(nd_connection *c);

/* Writes "tcp://IP:PORT" or Jupyter's ipc name "ipc://IP-PORT"; 0 ok, -1 if it won't fit. */
int nd_connection_endpoint(const nd_connection *c, int port, char *out, size_t cap);

#endif
