/* Process helpers for tests of code that runs external programs (gnuplot). */
#include "proc_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int nd_test_fake_program(const char *dir, const char *name, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "#!/bin/sh\n%s\n", body);
    if (fclose(f) != 0) return -1;
    return chmod(path, 0755);
}

char *nd_test_set_path(const char *path)
{
    const char *old = getenv("PATH");
    char *saved = old ? strdup(old) : NULL;
    if (path) setenv("PATH", path, 1);
    else unsetenv("PATH");
    return saved;
}

void nd_test_restore_path(char *old)
{
    if (old) setenv("PATH", old, 1);
    else unsetenv("PATH");
    free(old);
}

/* Reads "pid (comm) state ppid" from /proc/<pid>/stat; comm may hold spaces or ')'. */
static int proc_state(const char *pid, char *state, long *ppid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *close = strrchr(buf, ')');
    if (!close || sscanf(close + 1, " %c %ld", state, ppid) != 2) return -1;
    return 0;
}

int nd_test_zombie_children(void)
{
    int zombies = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char state;
        long ppid;
        if (proc_state(e->d_name, &state, &ppid) == 0 && ppid == (long)getpid() && state == 'Z')
            zombies++;
    }
    if (d) closedir(d);
    return zombies;
}

int nd_test_process_gone(long pid)
{
    char name[32], state;
    long ppid;
    snprintf(name, sizeof name, "%ld", pid);
    return proc_state(name, &state, &ppid) != 0 || state == 'Z';
}
