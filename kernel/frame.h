/* Owned byte frames: the parts of a multipart ZeroMQ message. A frame made here always
   has a buffer (even when empty) with a NUL after its bytes. */
#ifndef ND_KERNEL_FRAME_H
#define ND_KERNEL_FRAME_H

#include <stddef.h>

typedef struct nd_frame { unsigned char *data; size_t len; } nd_frame;  /* owned bytes */

/* Makes f own a copy of len bytes at data (NULL allowed when len is 0); 0 ok, -1 if OOM. */
int nd_frame_set(nd_frame *f, const void *data, size_t len);

/* Puts in *out a new array of copies of n frames (NULL when n is 0); 0 ok, -1 if OOM. */
int nd_frames_copy(const nd_frame *frames, size_t n, nd_frame **out);

/* Frees the data of n frames and the array itself; accepts NULL. */
void nd_frames_free(nd_frame *frames, size_t n);

#endif
