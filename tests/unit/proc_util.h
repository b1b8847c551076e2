/* Test helpers around child processes: a fake program on PATH, and zombie detection. */
#ifndef ND_TEST_PROC_UTIL_H
#define ND_TEST_PROC_UTIL_H

/* Writes an executable shell script dir/name with body (after "#!/bin/sh"); 0 ok. */
int nd_test_fake_program(const char *dir, const char *name, const char *body);

/* Sets PATH to path (NULL unsets it) and returns the old value (caller frees; NULL when
   it was unset), for nd_test_restore_path. */
char *nd_test_set_path(const char *path);

/* Restores PATH to old (as returned by nd_test_set_path) and frees old. */
void nd_test_restore_path(char *old);

/* Returns how many children of this process are zombies (exited but not reaped). */
int nd_test_zombie_children(void);

/* Returns whether process pid is gone (no such process, or a zombie awaiting its parent). */
int nd_test_process_gone(long pid);

#endif
