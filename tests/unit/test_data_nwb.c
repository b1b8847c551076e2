/* lib/data/nwb*.c: the child process that reads (a round trip, a crash, an interrupt), a
   small NWB 2 file written here with HDF5's C API and its samples recomputed from the
   stored raw values, a damaged global heap, and files that are not NWB. The full layouts
   are tested from Python on h5py files (tests/python/test_nwb.py). */
#include "test.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <hdf5.h>

#include "../../lib/data/nwb.h"
#include "../../lib/data/nwb_impl.h"
#include "tempdir.h"

static nd_recording *two_channel_reader(const char *path, nd_error *err)
{
    (void)err;
    nd_recording *rec = nd_rec_create("test 1");
    nd_rec_add_channel(rec, "V", "mV", ND_CHAN_RECORDED);
    nd_rec_add_channel(rec, "I", NULL, ND_CHAN_COMMAND);
    double v[3] = {-70, -65.5, 1e-300}, i[3] = {0, 25, -25}, w[1] = {42}, x[1] = {-1};
    const double *a[] = {v, i}, *b[] = {w, x};
    nd_rec_add_sweep(rec, 1.5, 0.05, 3, a);
    nd_rec_add_sweep(rec, 2500, 0.1, 1, b);
    nd_rec_set_meta(rec, "file", path);
    nd_rec_set_meta(rec, "clamp", "current");
    return rec;
}

static nd_recording *failing_reader(const char *path, nd_error *err)
{
    nd_error_fail(err, ND_EIO, "no such thing as %s", path);
    return NULL;
}

static nd_recording *crashing_reader(const char *path, nd_error *err)
{
    (void)path;
    (void)err;
    abort();
}

static nd_recording *looping_reader(const char *path, nd_error *err)
{
    (void)path;
    (void)err;
    for (;;) pause();
    return NULL;
}

TEST(nwb_child_sends_the_recording_or_the_error)
{
    nd_error err;
    nd_recording *rec = nwb_isolated(two_channel_reader, "x.nwb", NULL, &err);
    CHECK(rec != NULL);
    if (!rec) return;
    CHECK_STR(nd_rec_format(rec), "test 1");
    CHECK_INT(nd_rec_channels(rec), 2);
    CHECK_STR(nd_rec_channel_unit(rec, 0), "mV");
    CHECK(nd_rec_channel_unit(rec, 1) == NULL);
    CHECK(nd_rec_channel_kind(rec, 1) == ND_CHAN_COMMAND);
    CHECK_INT(nd_rec_sweeps(rec), 2);
    CHECK(nd_rec_data(rec, 0, 0)[2] == 1e-300);          /* bit for bit */
    CHECK(nd_rec_data(rec, 0, 1)[1] == 25);
    CHECK(nd_rec_sweep_t0(rec, 1) == 2500 && nd_rec_sweep_dt(rec, 1) == 0.1);
    CHECK(nd_rec_data(rec, 1, 1)[0] == -1);
    CHECK_STR(nd_rec_meta(rec, "file"), "x.nwb");
    CHECK_STR(nd_rec_meta_key(rec, 1), "clamp");
    nd_rec_free(rec);
    CHECK(nwb_isolated(failing_reader, "y.nwb", NULL, &err) == NULL);
    CHECK_INT(err.code, ND_EIO);
    CHECK_STR(err.msg, "no such thing as y.nwb");
}

TEST(nwb_child_crash_and_interrupt_are_errors)
{
    nd_error err;
    CHECK(nwb_isolated(crashing_reader, "z.nwb", NULL, &err) == NULL);
    CHECK_INT(err.code, ND_EVALUE);
    CHECK_CONTAINS(err.msg, "crashed");
    atomic_int stop = 1;
    CHECK(nwb_isolated(looping_reader, "z.nwb", &stop, &err) == NULL);
    CHECK_INT(err.code, ND_EINTERRUPT);
}

TEST(nwb_units)
{
    double k = 0;
    CHECK_INT(nwb_unit_parse("volts", &k), NWB_POTENTIAL);
    CHECK(k == 1e3);
    CHECK_INT(nwb_unit_parse("Amps", &k), NWB_CURRENT);
    CHECK(k == 1e12);
    CHECK_INT(nwb_unit_parse("mV", &k), NWB_POTENTIAL);
    CHECK(k == 1);
    CHECK_INT(nwb_unit_parse("nA", &k), NWB_CURRENT);
    CHECK(k == 1e3);
    CHECK_INT(nwb_unit_parse("ohms", &k), -1);
    CHECK_INT(nwb_unit_parse(NULL, &k), -1);
}

/* ---- a small NWB 2 file ---- */

static void attr_str(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, &value);
    H5Aclose(a);
    H5Sclose(s);
    H5Tclose(t);
}

static void attr_num(hid_t obj, const char *name, hid_t type, double value)
{
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, s, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_DOUBLE, &value);
    H5Aclose(a);
    H5Sclose(s);
}

static void dset_str(hid_t loc, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
    H5Tset_size(t, H5T_VARIABLE);
    hid_t d = H5Dcreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
    H5Dclose(d);
    H5Sclose(s);
    H5Tclose(t);
}

/* A PatchClampSeries group: data of type (with unit, conversion, offset), 1 kHz from 0.5 s. */
static void series(hid_t parent, const char *name, const char *type, const char *unit,
                   hid_t dtype, const double *data, hsize_t n, double conversion, double offset)
{
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    attr_str(g, "neurodata_type", type);
    attr_str(g, "namespace", "core");
    attr_str(g, "stimulus_description", "Step_DA_0");
    attr_num(g, "sweep_number", H5T_STD_U32LE, 1);
    hid_t s = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(g, "data", dtype, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    attr_str(d, "unit", unit);
    attr_num(d, "conversion", H5T_IEEE_F32LE, conversion);
    attr_num(d, "offset", H5T_IEEE_F32LE, offset);
    H5Dclose(d);
    H5Sclose(s);
    s = H5Screate(H5S_SCALAR);
    d = H5Dcreate2(g, "starting_time", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    double t0 = 0.5;
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &t0);
    attr_num(d, "rate", H5T_IEEE_F32LE, 1000);
    H5Dclose(d);
    H5Sclose(s);
    H5Gclose(g);
}

static const double RAW_V[4] = {100, -200, 300, 32767}, RAW_I[4] = {0, 5e-11, 5e-11, 0};

typedef struct ref_row {
    int32_t idx_start, count;
    hobj_ref_t ts;
} ref_row;

/* One icephys table column (idx_start, count, reference to target) of one row. */
static void column(hid_t file, hid_t table, const char *sub, const char *name,
                   const char *target, int start, int count)
{
    ref_row row = {start, count, 0};
    H5Rcreate(&row.ts, file, target, H5R_OBJECT, -1);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof row);
    H5Tinsert(t, "idx_start", offsetof(ref_row, idx_start), H5T_NATIVE_INT32);
    H5Tinsert(t, "count", offsetof(ref_row, count), H5T_NATIVE_INT32);
    H5Tinsert(t, "timeseries", offsetof(ref_row, ts), H5T_STD_REF_OBJ);
    hsize_t one = 1;
    hid_t s = H5Screate_simple(1, &one, NULL);
    hid_t g = H5Gcreate2(table, sub, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t d = H5Dcreate2(g, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &row);
    H5Dclose(d);
    H5Gclose(g);
    H5Sclose(s);
    H5Tclose(t);
}

/* With a table, its one row takes samples 1 and 2 of each series. */
static void write_nwb2(const char *path, int table)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    attr_str(f, "nwb_version", "2.6.0");
    attr_str(f, "neurodata_type", "NWBFile");
    dset_str(f, "identifier", "unit-test");
    dset_str(f, "session_start_time", "2025-01-02T03:04:05Z");
    hid_t acq = H5Gcreate2(f, "acquisition", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t stim = H5Gcreate2(f, "stimulus", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t pres = H5Gcreate2(stim, "presentation", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    series(acq, "cc", "CurrentClampSeries", "volts", H5T_STD_I16LE, RAW_V, 4, 1e-4, -0.06);
    series(pres, "st", "CurrentClampStimulusSeries", "amperes", H5T_IEEE_F64LE, RAW_I, 4, 1, 0);
    if (table) {
        hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        hid_t t = H5Gcreate2(f, "general/intracellular_ephys/intracellular_recordings", lcpl,
                             H5P_DEFAULT, H5P_DEFAULT);
        column(f, t, "responses", "response", "/acquisition/cc", 1, 2);
        column(f, t, "stimuli", "stimulus", "/stimulus/presentation/st", 1, 2);
        H5Gclose(t);
        H5Pclose(lcpl);
    }
    H5Gclose(pres);
    H5Gclose(stim);
    H5Gclose(acq);
    H5Fclose(f);
}

TEST(nwb_reads_a_small_nwb2_file)
{
    char dir[64], path[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(path, sizeof path, dir, "cc.nwb");
    write_nwb2(path, 0);
    nd_error err;
    nd_recording *rec = nd_nwb_load(path, &err);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_STR(nd_rec_format(rec), "nwb 2.6.0");
        CHECK_INT(nd_rec_sweeps(rec), 1);
        CHECK_INT(nd_rec_sweep_len(rec, 0), 4);
        CHECK_NEAR(nd_rec_sweep_t0(rec, 0), 500, 1e-12);
        CHECK_NEAR(nd_rec_sweep_dt(rec, 0), 1, 1e-12);
        /* data × conversion + offset, both stored as float32, volts to mV */
        double conv = (double)(float)1e-4, off = (double)(float)-0.06;
        for (int k = 0; k < 4; k++) {
            CHECK_NEAR(nd_rec_data(rec, 0, 0)[k], (RAW_V[k] * conv + off) * 1e3, 1e-12);
            CHECK_NEAR(nd_rec_data(rec, 0, 1)[k], RAW_I[k] * 1e12, 1e-12);
        }
        CHECK_STR(nd_rec_meta(rec, "clamp"), "current");
        CHECK_STR(nd_rec_meta(rec, "identifier"), "unit-test");
        CHECK_STR(nd_rec_meta(rec, "stimulus_description"), "Step_DA_0");
        nd_rec_free(rec);
    } else {
        printf("    %s\n", err.msg);
    }
    /* the size of a global heap object made huge: refused before HDF5 trusts it */
    FILE *fp = fopen(path, "r+b");
    static char bytes[1 << 16];
    size_t n = fp ? fread(bytes, 1, sizeof bytes, fp) : 0;
    char *gcol = NULL;
    for (size_t k = 0; !gcol && k + 4 <= n; k++)
        if (memcmp(bytes + k, "GCOL", 4) == 0) gcol = bytes + k;
    CHECK(gcol != NULL);
    if (fp && gcol) {
        fseek(fp, (long)(gcol - bytes) + 16 + 8 + 3, SEEK_SET);   /* object 1's size */
        fputc(0x7f, fp);
    }
    if (fp) fclose(fp);
    CHECK(nd_nwb_load(path, &err) == NULL);
    CHECK_CONTAINS(err.msg, "global heap");
    nd_tempdir_remove(dir);
}

TEST(nwb_table_window_read_in_this_process)
{
    char dir[64], path[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(path, sizeof path, dir, "table.nwb");
    write_nwb2(path, 1);
    nd_error err;
    /* in this process, so that a sanitizer sees the reading's leaks and overflows */
    nd_recording *rec = nwb_read_here(path, &err);
    CHECK(rec != NULL);
    if (rec) {
        CHECK_INT(nd_rec_sweep_len(rec, 0), 2);
        CHECK_NEAR(nd_rec_sweep_t0(rec, 0), 501, 1e-12);      /* 0.5 s + 1 sample of 1 ms */
        double conv = (double)(float)1e-4, off = (double)(float)-0.06;
        CHECK_NEAR(nd_rec_data(rec, 0, 0)[0], (RAW_V[1] * conv + off) * 1e3, 1e-12);
        CHECK_NEAR(nd_rec_data(rec, 0, 0)[1], (RAW_V[2] * conv + off) * 1e3, 1e-12);
        CHECK_NEAR(nd_rec_data(rec, 0, 1)[1], RAW_I[2] * 1e12, 1e-12);
        nd_rec_free(rec);
    } else {
        printf("    %s\n", err.msg);
    }
    CHECK(nwb_read_here(nd_tempdir_path(path, sizeof path, dir, "none.nwb"), &err) == NULL);
    nd_tempdir_remove(dir);
}

TEST(nwb_refuses_what_is_not_nwb)
{
    char dir[64], path[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_error err;
    CHECK(nd_nwb_load(nd_tempdir_path(path, sizeof path, dir, "absent.nwb"), &err) == NULL);
    CHECK_INT(err.code, ND_EIO);
    CHECK_CONTAINS(err.msg, "cannot open");
    nd_tempdir_write(nd_tempdir_path(path, sizeof path, dir, "text.nwb"), "t,V\n0,1\n");
    CHECK(nd_nwb_load(path, &err) == NULL);
    CHECK_INT(err.code, ND_EIO);
    CHECK_CONTAINS(err.msg, "not an HDF5 file");
    nd_tempdir_path(path, sizeof path, dir, "plain.h5");
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    CHECK(nd_nwb_load(path, &err) == NULL);
    CHECK_INT(err.code, ND_EVALUE);
    CHECK_CONTAINS(err.msg, "not NWB");
    nd_tempdir_remove(dir);
}
