/* Allocation helpers for owned byte frames. */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

int nd_frame_set(nd_frame *f, const void *data, size_t len)
{
    /* One spare byte: an empty frame still has a buffer, and text frames can be
       NUL-terminated for free. */
    f->data = malloc(len + 1);
    if (!f->data) { f->len = 0; return -1; }
    if (len) memcpy(f->data, data, len);
    f->data[len] = '\0';
    f->len = len;
    return 0;
}

int nd_frames_copy(const nd_frame *frames, size_t n, nd_frame **out)
{
    *out = NULL;
    if (n == 0) return 0;
    nd_frame *copy = calloc(n, sizeof *copy);
    if (!copy) return -1;
    for (size_t i = 0; i < n; i++) {
        if (nd_frame_set(&copy[i], frames[i].data, frames[i].len) != 0) {
            nd_frames_free(copy, i);
            return -1;
        }
    }
    *out = copy;
    return 0;
}

void nd_frames_free(nd_frame *frames, size_t n)
{
    if (!frames) return;
    for (size_t i = 0; i < n; i++) free(frames[i].data);
    free(frames);
}
