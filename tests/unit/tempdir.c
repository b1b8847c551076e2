/* Scratch directories for tests: made with mkdtemp, removed recursively. */
#include "tempdir.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int nd_tempdir_make(char dir[64])
{
    strcpy(dir, "/tmp/neurodyn-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

void nd_tempdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)) != NULL) {
            if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
            size_t len = strlen(dir) + strlen(ent->d_name) + 2;
            char *path = malloc(len);
            if (!path) continue;
            snprintf(path, len, "%s/%s", dir, ent->d_name);
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                nd_tempdir_remove(path);
            else
                unlink(path);
            free(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

char *nd_tempdir_path(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
    return out;
}

int nd_tempdir_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t len = strlen(text);
    int ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

char *nd_tempdir_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t len = 0, cap = 4096;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            char *grown = realloc(text, 2 * cap);
            if (!grown) { free(text); text = NULL; break; }
            text = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (text) text[len] = '\0';
    return text;
}
