/* Files written whole or not at all: the content goes to a temporary file next to the
   destination, is flushed and synced, and only then renamed over it, so a failed write
   (disk full, quota, interrupt) never leaves a truncated file that a later read would
   misread. The file is made 0644 (readable like any file) regardless of umask. */
#ifndef ND_BASE_ATOMICFILE_H
#define ND_BASE_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* Writes the content into f; returns 0, or -1 with errno set. */
typedef int (*nd_file_writer)(FILE *f, void *ctx);

/* Replaces path by what write(f, ctx) produces; returns 0, or the errno of the first
   failure (the temporary file removed, path untouched). On the ranks other than 0 of a
   distributed run (lib/base/dist.h) it writes nothing and returns 0: rank 0 writes. */
int nd_file_replace(const char *path, nd_file_writer write, void *ctx);

/* nd_file_replace with the n bytes of data as the content. */
int nd_file_replace_bytes(const char *path, const void *data, size_t n);

/* ND_OK when path is a regular file or does not exist; IOError "cannot VERB 'path': it is
   a directory | a device or pipe, not a regular file" otherwise (verb "read", "write"): a
   device never ends or blocks a read, and nd_file_replace would put a plain file in its
   place. */
nd_status nd_file_check_regular(const char *path, const char *verb, nd_error *err);

#endif
