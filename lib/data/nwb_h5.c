/* Small HDF5 reads for the NWB reader. Every function checks the class, rank and size of
   what it reads before reading, so that a file with the wrong types or a corrupted header
   gives "absent" or an error, never an oversized allocation. */
#include "nwb_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nwb_h5_exists(hid_t loc, const char *path)
{
    size_t len = strlen(path);
    char *prefix = malloc(len + 1);
    if (!prefix) return 0;
    int ok = len > 0;
    for (size_t i = 0; ok && i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        if (i == 0) continue;
        memcpy(prefix, path, i);
        prefix[i] = '\0';
        ok = H5Lexists(loc, prefix, H5P_DEFAULT) > 0;
    }
    ok = ok && H5Oexists_by_name(loc, path, H5P_DEFAULT) > 0;
    free(prefix);
    return ok;
}

/* The most text read from one attribute or dataset of strings. */
#define MAX_TEXT ((size_t)1 << 20)

void nwb_h5_free_strings(char **s, size_t count)
{
    if (!s) return;
    for (size_t i = 0; i < count; i++) free(s[i]);
    free(s);
}

/* Reads every string of an attribute (is_attr) or dataset obj. */
static char **read_strings(hid_t obj, int is_attr, size_t *count)
{
    hid_t type = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    hid_t space = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    hid_t mem = -1;
    char **out = NULL;
    hssize_t np = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    if (type < 0 || space < 0 || H5Tget_class(type) != H5T_STRING || np < 1 ||
        (size_t)np > MAX_TEXT / 8)
        goto done;
    size_t n = (size_t)np;
    htri_t var = H5Tis_variable_str(type);
    size_t size = H5Tget_size(type);
    if (var < 0 || (!var && (size == 0 || size > MAX_TEXT / n)) ||
        (mem = H5Tcopy(H5T_C_S1)) < 0 ||
        H5Tset_size(mem, var ? H5T_VARIABLE : size + 1) < 0 ||
        H5Tset_cset(mem, H5Tget_cset(type)) < 0 || !(out = calloc(n, sizeof *out)))
        goto done;
    if (var) {
        char **raw = calloc(n, sizeof *raw);
        herr_t rc = !raw ? -1
                    : is_attr ? H5Aread(obj, mem, raw)
                              : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw);
        int ok = rc >= 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = (out[i] = strdup(raw[i] ? raw[i] : "")) != NULL;
        if (rc >= 0) {
#if H5_VERSION_GE(1, 12, 0)
            H5Treclaim(mem, space, H5P_DEFAULT, raw);
#else
            H5Dvlen_reclaim(mem, space, H5P_DEFAULT, raw);
#endif
        }
        free(raw);
        if (!ok) {
            nwb_h5_free_strings(out, n);
            out = NULL;
        }
    } else {
        /* one byte more than the file's strings: a null-padded string that fills its
           width keeps its last character in a null-terminated copy */
        size_t width = size + 1;
        char *raw = malloc(n * width);
        herr_t rc = !raw ? -1
                    : is_attr ? H5Aread(obj, mem, raw)
                              : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw);
        int ok = rc >= 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = (out[i] = strndup(raw + i * width, width)) != NULL;
        free(raw);
        if (!ok) {
            nwb_h5_free_strings(out, n);
            out = NULL;
        }
    }
    if (out) *count = n;
done:
    if (mem >= 0) H5Tclose(mem);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    return out;
}

char **nwb_h5_attr_strings(hid_t obj, const char *name, size_t *count)
{
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return NULL;
    char **s = read_strings(a, 1, count);
    H5Aclose(a);
    return s;
}

char **nwb_h5_dset_strings(hid_t loc, const char *path, size_t *count)
{
    if (!nwb_h5_exists(loc, path)) return NULL;
    hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
    if (d < 0) return NULL;
    char **s = read_strings(d, 0, count);
    H5Dclose(d);
    return s;
}

/* Keeps the first of a list of strings. */
static char *first_string(char **s, size_t count)
{
    if (!s) return NULL;
    char *first = s[0];
    s[0] = NULL;
    nwb_h5_free_strings(s, count);
    return first;
}

char *nwb_h5_attr_str(hid_t obj, const char *name)
{
    size_t n = 0;
    return first_string(nwb_h5_attr_strings(obj, name, &n), n);
}

char *nwb_h5_dset_str(hid_t loc, const char *path)
{
    size_t n = 0;
    return first_string(nwb_h5_dset_strings(loc, path, &n), n);
}

/* The number of elements of a numeric (integer or float) attribute or dataset, or 0;
   *column (when not NULL) tells whether it is a vector: one dimension, or n × 1. */
static size_t numeric_count(hid_t obj, int is_attr, int *column)
{
    hid_t type = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    hid_t space = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    H5T_class_t cls = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    hssize_t np = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    int r = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    hsize_t dims[H5S_MAX_RANK];
    if (column)
        *column = r == 1 || (r == 2 && H5Sget_simple_extent_dims(space, dims, NULL) == 2 &&
                             dims[1] == 1);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || np < 1 || r < 0) return 0;
    return (size_t)np;
}

/* Reads the first number of obj; a long array is read only when small. */
static int first_number(hid_t obj, int is_attr, double *out)
{
    size_t n = numeric_count(obj, is_attr, NULL);
    if (n == 0 || n > 4096) return -1;
    double *buf = malloc(n * sizeof *buf);
    if (!buf) return -1;
    herr_t rc = is_attr ? H5Aread(obj, H5T_NATIVE_DOUBLE, buf)
                        : H5Dread(obj, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    if (rc >= 0) *out = buf[0];
    free(buf);
    return rc >= 0 ? 0 : -1;
}

int nwb_h5_attr_num(hid_t obj, const char *name, double *out)
{
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return -1;
    int rc = first_number(a, 1, out);
    H5Aclose(a);
    return rc;
}

int nwb_h5_dset_num(hid_t loc, const char *path, double *out)
{
    if (!nwb_h5_exists(loc, path)) return -1;
    hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
    if (d < 0) return -1;
    int rc = first_number(d, 0, out);
    H5Dclose(d);
    return rc;
}

double *nwb_h5_dset_vector(hid_t loc, const char *path, size_t *n, nd_error *err)
{
    if (!nwb_h5_exists(loc, path)) {
        nd_error_fail(err, ND_EVALUE, "%s is missing", path);
        return NULL;
    }
    hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
    if (d < 0) {
        nd_error_fail(err, ND_EVALUE, "%s is not a dataset", path);
        return NULL;
    }
    int column = 0;
    size_t count = numeric_count(d, 0, &column);
    double *buf = NULL;
    if (count == 0 || !column) {
        nd_error_fail(err, ND_EVALUE, "%s is not a non-empty vector of numbers (several "
                      "channels in one series are not read)", path);
    } else if (count > NWB_MAX_SAMPLES) {
        nd_error_fail(err, ND_EVALUE, "%s holds %zu values, more than the %zu a series may hold",
                      path, count, NWB_MAX_SAMPLES);
    } else if (!(buf = malloc(count * sizeof *buf))) {
        nd_error_fail(err, ND_ENOMEM, "out of memory reading %s", path);
    } else if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        char detail[256];
        nwb_h5_detail(detail, sizeof detail);
        nd_error_fail(err, ND_EVALUE, "cannot read %s%s%s", path, *detail ? ": " : "", detail);
        free(buf);
        buf = NULL;
    }
    H5Dclose(d);
    if (buf) *n = count;
    return buf;
}

struct detail {
    char *buf;
    size_t cap;
};

/* Keeps the innermost (most specific) message, the first of an upward walk. */
static herr_t keep_first(unsigned n, const H5E_error2_t *e, void *data)
{
    struct detail *d = data;
    if (n == 0 && e->desc) snprintf(d->buf, d->cap, "%s", e->desc);
    return 0;
}

void nwb_h5_detail(char *buf, size_t cap)
{
    if (cap == 0) return;
    buf[0] = '\0';
    struct detail d = {buf, cap};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_first, &d);
}

/* The most links listed from one group. */
#define MAX_CHILDREN ((hsize_t)1 << 20)

char **nwb_h5_children(hid_t loc, const char *path, size_t *count)
{
    *count = 0;
    if (!nwb_h5_exists(loc, path)) return NULL;
    hid_t g = H5Gopen2(loc, path, H5P_DEFAULT);
    H5G_info_t info;
    char **names = NULL;
    if (g < 0 || H5Gget_info(g, &info) < 0 || info.nlinks > MAX_CHILDREN ||
        !(names = calloc(info.nlinks ? info.nlinks : 1, sizeof *names))) {
        if (g >= 0) H5Gclose(g);
        return NULL;
    }
    size_t n = 0;
    for (hsize_t k = 0; k < info.nlinks; k++) {
        ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, NULL, 0,
                                         H5P_DEFAULT);
        if (len <= 0 || len > 4096 || !(names[n] = malloc((size_t)len + 1))) continue;
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, names[n],
                               (size_t)len + 1, H5P_DEFAULT) < 0) {
            free(names[n]);
            names[n] = NULL;
            continue;
        }
        n++;
    }
    H5Gclose(g);
    *count = n;
    return names;
}

char *nwb_h5_type_of(hid_t loc, const char *path)
{
    if (!nwb_h5_exists(loc, path)) return NULL;
    hid_t o = H5Oopen(loc, path, H5P_DEFAULT);
    if (o < 0) return NULL;
    char *type = H5Iget_type(o) == H5I_GROUP ? nwb_h5_attr_str(o, "neurodata_type") : NULL;
    H5Oclose(o);
    return type;
}
