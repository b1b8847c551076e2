/* Scratch directories and files for unit tests that touch the file system. */
#ifndef ND_TEST_TEMPDIR_H
#define ND_TEST_TEMPDIR_H

#include <stddef.h>

/* Creates a fresh directory /tmp/neurodyn-test-XXXXXX, its path written to dir; 0 ok. */
int nd_tempdir_make(char dir[64]);

/* Deletes dir and everything in it (without following symlinks). */
void nd_tempdir_remove(const char *dir);

/* Writes "dir/name" into out[cap] and returns out, for building paths in one expression. */
char *nd_tempdir_path(char *out, size_t cap, const char *dir, const char *name);

/* Creates or replaces the file at path with text; 0 ok. */
int nd_tempdir_write(const char *path, const char *text);

/* Returns the whole file at path as a NUL-terminated string (caller frees), or NULL. */
char *nd_tempdir_read(const char *path);

#endif
