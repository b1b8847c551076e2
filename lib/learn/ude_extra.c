/* Saving and loading hybrids as JSON files (the form is nd_ude_to_json's). */
#include "ude_extra.h"

#include "../base/atomicfile.h"

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
    /* the text plus its final newline, replaced whole or not at all */
    size_t n = strlen(text);
    text[n] = '\n';
    int e = nd_file_replace_bytes(path, text, n + 1);
    text[n] = '\0';
    free(text);
    if (e == ENOMEM) return nd_error_fail(err, ND_ENOMEM, "out of memory saving '%s'", path);
    return e ? nd_error_fail(err, ND_EIO, "cannot write '%s': %s", path, strerror(e)) : ND_OK;
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
