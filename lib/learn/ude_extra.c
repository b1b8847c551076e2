/* Saving and loading hybrids as JSON files (the form is nd_ude_to_json's). */
#include "ude_extra.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

nd_status nd_ude_save(const nd_ude *u, const char *path, nd_error *err)
{
    json_t *j = nd_ude_to_json(u);
    if (!j)
        return nd_error_fail(err, ND_EVALUE, "the network cannot be saved: a weight is not "
                             "finite (or memory ran out)");
    /* 17 significant digits: every double reads back to the same bits. */
    char *text = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (!text) return nd_error_fail(err, ND_ENOMEM, "out of memory saving '%s'", path);
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof ".tmp-XXXXXX");
    int fd = -1;
    if (tmp) {
        memcpy(tmp, path, len);
        memcpy(tmp + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
        fd = mkstemp(tmp);
    }
    nd_status st = ND_OK;
    if (!tmp) {
        st = nd_error_fail(err, ND_ENOMEM, "out of memory saving '%s'", path);
    } else if (fd < 0) {
        st = nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(errno));
    } else {
        fchmod(fd, 0644);
        FILE *f = fdopen(fd, "w");
        int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF && fflush(f) == 0 &&
                 fsync(fileno(f)) == 0;
        int e = errno;
        if (f) ok = fclose(f) == 0 && ok;
        else close(fd);
        if (!ok || rename(tmp, path) != 0) {
            e = ok ? errno : e;
            unlink(tmp);
            st = nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(e));
        }
    }
    free(tmp);
    free(text);
    return st;
}

static json_t *read_json(const char *path, nd_error *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_DECODE_ANY, &je);
    if (j) return j;
    FILE *f = fopen(path, "r");
    if (!f) {
        nd_error_fail(err, ND_EIO, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    fclose(f);
    nd_error_fail(err, ND_ESYNTAX, "'%s' is not valid JSON (line %d, column %d: %s)", path,
                  je.line, je.column, je.text);
    return NULL;
}

nd_ude *nd_ude_load(const char *path, nd_error *err)
{
    json_t *j = read_json(path, err);
    if (!j) return NULL;
    nd_ude *u = nd_ude_from_json(j, err);
    json_decref(j);
    return u;
}
