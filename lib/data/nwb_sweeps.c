/* The sweeps either NWB layout collects, paired response and stimulus in mV and pA, and the
   recording they become: channels "V" and "I", sweeps in ascending sweep number. */
#include "nwb_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for one more sweep; -1 ENOMEM. */
static int grow(nwb_sweeps *list)
{
    if (list->n < list->cap) return 0;
    size_t cap = list->cap ? 2 * list->cap : 8;
    nwb_sweep *p = realloc(list->items, cap * sizeof *p);
    if (!p) return -1;
    list->items = p;
    list->cap = cap;
    return 0;
}

int nwb_sweep_pair(nwb_sweeps *list, long number, int voltage_clamp, nwb_series *resp,
                   const char *resp_path, nwb_series *stim, const char *stim_path,
                   nd_error *err)
{
    int rc = -1;
    nwb_quantity recorded = voltage_clamp ? NWB_CURRENT : NWB_POTENTIAL;
    const char *what[] = {"a potential", "a current"};
    if (resp->quantity != recorded) {
        nd_error_fail(err, ND_EVALUE, "series %s: a %s clamp response must be %s, its unit "
                      "says %s", resp_path, voltage_clamp ? "voltage" : "current",
                      what[recorded], what[resp->quantity]);
    } else if (stim && stim->quantity == recorded) {
        nd_error_fail(err, ND_EVALUE, "series %s: the stimulus of %s must be %s, its unit says "
                      "%s", stim_path, resp_path, what[!recorded], what[stim->quantity]);
    } else if (stim && stim->n != resp->n) {
        nd_error_fail(err, ND_EVALUE, "sweep %ld: the stimulus %s has %zu samples, its "
                      "response %s %zu", number, stim_path, stim->n, resp_path, resp->n);
    } else if (stim && fabs(stim->dt - resp->dt) > 1e-6 * resp->dt) {
        nd_error_fail(err, ND_EVALUE, "sweep %ld: the stimulus %s is sampled every %g ms, "
                      "its response %s every %g ms", number, stim_path, stim->dt, resp_path,
                      resp->dt);
    } else if (grow(list) != 0) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
    } else {
        double *command = stim ? stim->values : calloc(resp->n, sizeof *command);
        if (!command) {
            nd_error_fail(err, ND_ENOMEM, "out of memory");
        } else {
            if (stim) stim->values = NULL;
            nwb_sweep *sw = &list->items[list->n++];
            *sw = (nwb_sweep){number, voltage_clamp, resp->t0, resp->dt, resp->n,
                              voltage_clamp ? command : resp->values,
                              voltage_clamp ? resp->values : command,
                              voltage_clamp ? (stim ? stim->resolution : -1) : resp->resolution,
                              voltage_clamp ? resp->resolution : (stim ? stim->resolution : -1),
                              NULL};
            resp->values = NULL;
            rc = 0;
        }
    }
    nwb_series_free(resp);
    if (stim) nwb_series_free(stim);
    return rc;
}

int nwb_sweeps_describe_last(nwb_sweeps *list, const char *desc, nd_error *err)
{
    if (!desc || !list->n) return 0;
    nwb_sweep *sw = &list->items[list->n - 1];
    free(sw->stim_desc);
    if (!(sw->stim_desc = strdup(desc))) {
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return -1;
    }
    return 0;
}

void nwb_sweeps_free(nwb_sweeps *list)
{
    for (size_t k = 0; k < list->n; k++) {
        free(list->items[k].v);
        free(list->items[k].i);
        free(list->items[k].stim_desc);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

static int by_number(const void *a, const void *b)
{
    long x = ((const nwb_sweep *)a)->number, y = ((const nwb_sweep *)b)->number;
    return (x > y) - (x < y);
}

int nwb_meta(nd_recording *rec, const char *key, const char *value, nd_error *err)
{
    if (!value) return 0;
    char *one = strdup(value);
    if (!one) return nd_error_fail(err, ND_ENOMEM, "out of memory"), -1;
    for (char *p = one; *p; p++)
        if (*p == '\r' || *p == '\n') *p = ' ';
    nd_status st = nd_rec_set_meta(rec, key, one);
    free(one);
    if (st != ND_OK) {
        nd_error_fail(err, st, "cannot store the metadata %s", key);
        return -1;
    }
    return 0;
}

/* Appends " N" (or "N" first) to a growing list of sweep numbers; -1 ENOMEM. */
static int list_number(char **text, size_t *len, long number)
{
    char num[32];
    int w = snprintf(num, sizeof num, "%s%ld", *len ? " " : "", number);
    char *p = realloc(*text, *len + (size_t)w + 1);
    if (!p) return -1;
    memcpy(p + *len, num, (size_t)w + 1);
    *text = p;
    *len += (size_t)w;
    return 0;
}

/* Sets key to a resolution when known. */
static int meta_resolution(nd_recording *rec, const char *key, double res, nd_error *err)
{
    if (!(res >= 0)) return 0;
    char num[32];
    snprintf(num, sizeof num, "%.9g", res);
    return nwb_meta(rec, key, num, err);
}

nd_recording *nwb_sweeps_recording(nwb_sweeps *list, const char *format, nd_error *err)
{
    if (list->n == 0) {
        nd_error_fail(err, ND_EVALUE, "the file holds no patch-clamp sweep (no "
                      "CurrentClampSeries, IZeroClampSeries or VoltageClampSeries)");
        return NULL;
    }
    qsort(list->items, list->n, sizeof *list->items, by_number);
    size_t nvc = 0;
    for (size_t k = 0; k < list->n; k++) {
        if (k && list->items[k].number == list->items[k - 1].number) {
            nd_error_fail(err, ND_EVALUE, "two responses have sweep number %ld (several "
                          "electrodes in one file are not supported)", list->items[k].number);
            return NULL;
        }
        nvc += (size_t)list->items[k].voltage_clamp;
    }
    /* most sweeps decide; a tie goes to the first sweep's clamp */
    int vc = 2 * nvc > list->n || (2 * nvc == list->n && list->items[0].voltage_clamp);
    nd_recording *rec = nd_rec_create(format);
    if (!rec || nd_rec_add_channel(rec, "V", "mV", vc ? ND_CHAN_COMMAND : ND_CHAN_RECORDED) < 0 ||
        nd_rec_add_channel(rec, "I", "pA", vc ? ND_CHAN_RECORDED : ND_CHAN_COMMAND) < 0) {
        nd_rec_free(rec);
        nd_error_fail(err, ND_ENOMEM, "out of memory");
        return NULL;
    }
    char *kept = NULL, *skipped = NULL;
    size_t nkept = 0, nskipped = 0;
    const nwb_sweep *first = NULL;
    int ok = 1;
    for (size_t k = 0; ok && k < list->n; k++) {
        nwb_sweep *sw = &list->items[k];
        if (sw->voltage_clamp != vc) {
            ok = list_number(&skipped, &nskipped, sw->number) == 0;
            continue;
        }
        const double *data[2] = {sw->v, sw->i};
        ok = nd_rec_add_sweep(rec, sw->t0, sw->dt, sw->n, data) == 0 &&
             list_number(&kept, &nkept, sw->number) == 0;
        /* the recording has its copy: a large file is not held twice */
        free(sw->v);
        free(sw->i);
        sw->v = sw->i = NULL;
        if (!first) first = sw;
    }
    if (!ok) nd_error_fail(err, ND_ENOMEM, "out of memory");
    ok = ok && nwb_meta(rec, "format", format, err) == 0 &&
         nwb_meta(rec, "clamp", vc ? "voltage" : "current", err) == 0 &&
         nwb_meta(rec, "sweep_numbers", kept, err) == 0 &&
         nwb_meta(rec, "skipped_sweeps", skipped, err) == 0 &&
         nwb_meta(rec, "stimulus_description", first->stim_desc, err) == 0 &&
         meta_resolution(rec, "V_resolution", first->v_res, err) == 0 &&
         meta_resolution(rec, "I_resolution", first->i_res, err) == 0;
    free(kept);
    free(skipped);
    if (!ok) {
        nd_rec_free(rec);
        return NULL;
    }
    return rec;
}
