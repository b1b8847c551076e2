/* Fuzz target: the connection-file parser (kernel/connfile.c). The input is the file's
   text; whatever it is, parsing must fail cleanly or give a connection whose fields are
   in range, and clearing it must free everything. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../kernel/connfile.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    nd_connection c;
    char err[256];
    if (nd_connection_parse(text, &c, err, sizeof err) == 0) {
        int ports[] = {c.shell_port, c.iopub_port, c.stdin_port, c.control_port, c.hb_port};
        for (size_t i = 0; i < sizeof ports / sizeof *ports; i++) {
            if (ports[i] < 1 || ports[i] > 65535) abort();
            char endpoint[300];
            nd_connection_endpoint(&c, ports[i], endpoint, sizeof endpoint);
        }
        if (strcmp(c.transport, "tcp") != 0 && strcmp(c.transport, "ipc") != 0) abort();
        if (!c.ip[0] || (c.key_len > 0) != (c.key != NULL)) abort();
        nd_connection_clear(&c);
    } else if (!err[0] || c.key || c.key_len) {
        abort();   /* a failure explains itself and leaves nothing allocated */
    }
    free(text);
    return 0;
}
