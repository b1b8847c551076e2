/* lib/data: saving and loading datasets as CSV, exact round trips and located errors. */
#include "test.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <dirent.h>
#include <sys/stat.h>

#include "../../lib/data/dataset.h"
#include "tempdir.h"

static int same_bits(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* Loads the CSV text from a scratch file; on failure copies the message into msg. */
static nd_dataset *load_text(const char *text, char *msg)
{
    char dir[64], path[128];
    nd_tempdir_make(dir);
    nd_tempdir_write(nd_tempdir_path(path, sizeof path, dir, "in.csv"), text);
    nd_error err;
    nd_error_clear(&err);
    nd_dataset *ds = nd_ds_load_csv(path, &err);
    /* messages start with the path, which changes from run to run: keep what follows */
    const char *rest = strstr(err.msg, "in.csv");
    strcpy(msg, rest ? rest : err.msg);
    nd_tempdir_remove(dir);
    return ds;
}

static int count_entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

TEST(csv_round_trip_is_bit_identical_times_on_their_grid)
{
    const char *names[] = {"t", "V", "odd, \"name\"", "x [y]"};
    const char *units[] = {"ms", "mV", NULL, NULL};
    nd_dataset *ds = nd_ds_create(4, names, units);
    double vals[] = {0.1 + 0.2, 1e-300, -0.0, NAN, -NAN, INFINITY, -INFINITY, 5e-324,
                     1.7976931348623157e308, 1.0 / 3.0, -65.0, 123456789.123456789};
    size_t nv = sizeof vals / sizeof vals[0];
    for (size_t i = 0; i < nv; i++) {
        double row[4] = {(double)i * 0.1, vals[i], vals[(i + 1) % nv], vals[(i + 5) % nv]};
        nd_ds_append(ds, row);
    }
    nd_ds_set_meta(ds, "model", "hh");
    nd_ds_set_meta(ds, "stimulus", "step I=10 at 5: ms, 'quoted'");
    nd_ds_set_meta(ds, "seed", "42");
    char dir[64], path[128];
    nd_tempdir_make(dir);
    nd_tempdir_path(path, sizeof path, dir, "out.csv");
    nd_error err;
    CHECK_INT(nd_ds_save_csv(ds, path, &err), ND_OK);
    char *text = nd_tempdir_read(path);
    CHECK_CONTAINS(text, "# model: hh\n# stimulus: step I=10 at 5: ms, 'quoted'\n# seed: 42\n"
                         "t [ms],V [mV],\"odd, \"\"name\"\"\",x [y] []\n");
    CHECK_CONTAINS(text, "0.30000000000000004");
    CHECK_CONTAINS(text, ",-0,");
    free(text);
    nd_dataset *back = nd_ds_load_csv(path, &err);
    CHECK(back != NULL);
    CHECK_INT(nd_ds_rows(back), nv);
    CHECK_INT(nd_ds_cols(back), 4);
    for (size_t j = 0; back && j < 4; j++) {
        CHECK_STR(nd_ds_name(back, j), names[j]);
        CHECK((nd_ds_unit(back, j) == NULL) == (units[j] == NULL));
        for (size_t i = 0; i < nv; i++) {
            /* times on the 0.1 grid come back as the decimal grid values (i / 10 is the
               double nearest to them); every other cell exactly as it was */
            double want = j == 0 ? (double)i / 10 : nd_ds_col(ds, j)[i];
            if (!same_bits(nd_ds_col(back, j)[i], want))
                nd_test_fail(__FILE__, __LINE__, "cell %zu,%zu differs", i, j);
        }
    }
    CHECK_STR(nd_ds_unit(back, 1), "mV");
    CHECK_INT(nd_ds_meta_count(back), 3);
    CHECK_STR(nd_ds_meta(back, "stimulus"), "step I=10 at 5: ms, 'quoted'");
    CHECK_STR(nd_ds_meta_key(back, 2), "seed");
    CHECK_INT(count_entries(dir), 1);        /* no temporary file left behind */
    nd_ds_free(back);
    nd_ds_free(ds);
    nd_tempdir_remove(dir);
}

TEST(csv_save_replaces_existing_file)
{
    const char *names[] = {"t"};
    nd_dataset *ds = nd_ds_create(1, names, NULL);
    double r = 1;
    nd_ds_append(ds, &r);
    char dir[64], path[128];
    nd_tempdir_make(dir);
    nd_tempdir_path(path, sizeof path, dir, "out.csv");
    nd_tempdir_write(path, "old content that is longer than the new one\n");
    CHECK_INT(nd_ds_save_csv(ds, path, NULL), ND_OK);
    char *text = nd_tempdir_read(path);
    CHECK_STR(text, "t\n1\n");
    free(text);
    nd_ds_free(ds);
    nd_tempdir_remove(dir);
}

TEST(csv_save_unwritable_path)
{
    const char *names[] = {"t"};
    nd_dataset *ds = nd_ds_create(1, names, NULL);
    char dir[64], file[128], path[160];
    nd_tempdir_make(dir);
    nd_tempdir_write(nd_tempdir_path(file, sizeof file, dir, "plain"), "x");
    snprintf(path, sizeof path, "%s/sub.csv", file);     /* a path "under" a regular file */
    nd_error err;
    CHECK_INT(nd_ds_save_csv(ds, path, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "cannot write");
    CHECK_CONTAINS(err.msg, "sub.csv");
    CHECK_CONTAINS(err.msg, "Not a directory");
    /* a directory in the way: the rename fails and the temporary file is removed */
    nd_tempdir_path(path, sizeof path, dir, "adir");
    mkdir(path, 0755);
    CHECK_INT(nd_ds_save_csv(ds, path, &err), ND_EIO);
    CHECK_CONTAINS(err.msg, "adir");
    CHECK_INT(count_entries(dir), 2);
    nd_ds_free(ds);
    nd_tempdir_remove(dir);
}

/* A file-size limit makes writes fail the way a full disk does, late and mid-file. */
TEST(csv_save_write_failure_leaves_old_file)
{
    const char *names[] = {"t", "V"};
    nd_dataset *ds = nd_ds_create(2, names, NULL);
    for (int i = 0; i < 20000; i++) {
        double row[2] = {i * 0.01, 0.1 * i + 1.0 / 3.0};
        nd_ds_append(ds, row);
    }
    char dir[64], path[128];
    nd_tempdir_make(dir);
    nd_tempdir_path(path, sizeof path, dir, "out.csv");
    nd_tempdir_write(path, "t\n7\n");
    struct rlimit old, small;
    getrlimit(RLIMIT_FSIZE, &old);
    small = old;
    small.rlim_cur = 4096;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    nd_error err;
    nd_status st = nd_ds_save_csv(ds, path, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    CHECK_INT(st, ND_EIO);
    CHECK_CONTAINS(err.msg, "File too large");
    char *text = nd_tempdir_read(path);
    CHECK_STR(text, "t\n7\n");
    free(text);
    CHECK_INT(count_entries(dir), 1);
    nd_ds_free(ds);
    nd_tempdir_remove(dir);
}

TEST(csv_load_plain_file)
{
    char msg[600];
    nd_dataset *ds = load_text("\xEF\xBB\xBF\"time\", \"V (mV)\" ,x[a u]\r\n"
                               "\r\n"
                               "0, -65.5,1\r\n"
                               "  # a comment between rows\n"
                               "0.1,NaN, -Inf\n"
                               "\n"
                               "0.2,\"3\",1e3", msg);
    CHECK(ds != NULL);
    if (!ds) {
        fprintf(stderr, "  %s\n", msg);
        return;
    }
    CHECK_INT(nd_ds_rows(ds), 3);
    CHECK_STR(nd_ds_name(ds, 0), "time");
    CHECK_STR(nd_ds_name(ds, 1), "V (mV)");
    CHECK(nd_ds_unit(ds, 1) == NULL);
    CHECK_STR(nd_ds_name(ds, 2), "x");
    CHECK_STR(nd_ds_unit(ds, 2), "a u");
    CHECK(nd_ds_col(ds, 1)[0] == -65.5);
    CHECK(isnan(nd_ds_col(ds, 1)[1]));
    CHECK(nd_ds_col(ds, 2)[1] == -INFINITY);
    CHECK(nd_ds_col(ds, 1)[2] == 3.0);
    CHECK(nd_ds_col(ds, 2)[2] == 1000.0);
    CHECK_INT(nd_ds_meta_count(ds), 0);
    nd_ds_free(ds);
}

TEST(csv_load_header_only_is_empty_dataset)
{
    char msg[600];
    nd_dataset *ds = load_text("# model: fhn\nt,v,w\n", msg);
    CHECK(ds != NULL);
    CHECK_INT(nd_ds_rows(ds), 0);
    CHECK_INT(nd_ds_cols(ds), 3);
    CHECK_STR(nd_ds_meta(ds, "model"), "fhn");
    nd_ds_free(ds);
}

/* Every malformed file fails with the line and column of its first problem. */
TEST(csv_load_errors_are_located)
{
    static const struct { const char *text, *msg; } cases[] = {
        {"", "in.csv is empty: no header row and no data"},
        {"\n  \n# only: comments\n", "in.csv is empty: no header row and no data"},
        {"1,2\n3,4\n", "in.csv, line 1: no header row (the first row holds numbers; "
                       "expected column names such as t,V)"},
        {"t,V\n0,1\n1,2,3\n", "in.csv, line 3: 3 cells where the header has 2 columns"},
        {"t,V\n0,1\n\n1\n", "in.csv, line 4: 1 cell where the header has 2 columns"},
        {"t,V\n0,1,\n", "in.csv, line 2: 3 cells where the header has 2 columns"},
        {"t,V [mV]\n0,1\n0.5,abc\n", "in.csv, line 3, column 2 (V): \"abc\" is not a number"},
        {"t,V\n0,1\n0.5,\n", "in.csv, line 3, column 2 (V): an empty cell is not a number"},
        {"t,V\n0,1.5.2\n", "in.csv, line 2, column 2 (V): \"1.5.2\" is not a number"},
        {"t,V\n1 2,3\n", "in.csv, line 2, column 1 (t): \"1 2\" is not a number"},
        {"t,V,V\n", "in.csv, line 1, column 3: duplicate column name \"V\" (also column 2)"},
        {"t,V [mV],V [V]\n", "in.csv, line 1, column 3: duplicate column name \"V\" (also column 2)"},
        {"t,,x\n", "in.csv, line 1, column 2: empty column name"},
        {"t,\"V\n", "in.csv, line 1, column 2: unterminated quote"},
        {"t,\"V\"x\n", "in.csv, line 1, column 2: text after the closing quote"},
        {"# a: b\n\nt,V\n0,1\n\"2\"\"\",3\n",
         "in.csv, line 5, column 1 (t): \"2\"\" is not a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[600];
        nd_dataset *ds = load_text(cases[i].text, msg);
        if (ds) nd_test_fail(__FILE__, __LINE__, "case %zu loaded", i);
        if (strcmp(msg, cases[i].msg) != 0)
            nd_test_fail(__FILE__, __LINE__, "case %zu: \"%s\", expected \"%s\"", i, msg,
                         cases[i].msg);
        nd_ds_free(ds);
    }
}

TEST(csv_load_nul_byte_and_missing_file)
{
    char dir[64], path[128];
    nd_tempdir_make(dir);
    nd_tempdir_path(path, sizeof path, dir, "bin.csv");
    FILE *f = fopen(path, "wb");
    fwrite("t,V\n0,1\n1\0,2\n", 1, 14, f);
    fclose(f);
    nd_error err;
    CHECK(nd_ds_load_csv(path, &err) == NULL);
    CHECK_CONTAINS(err.msg, "line 3: contains a NUL byte");
    CHECK_INT(err.code, ND_EVALUE);
    nd_tempdir_path(path, sizeof path, dir, "none.csv");
    CHECK(nd_ds_load_csv(path, &err) == NULL);
    CHECK_INT(err.code, ND_EIO);
    CHECK_CONTAINS(err.msg, "cannot open");
    CHECK_CONTAINS(err.msg, "No such file");
    nd_tempdir_remove(dir);
}

/* Saves a two-column dataset t, x with t[i] = t0 + i*dt (computed in binary) and returns
   the file's text (caller frees). */
static char *save_grid(double t0, double dt, size_t n, unsigned flags)
{
    const char *names[] = {"t", "x"}, *units[] = {"ms", NULL};
    nd_dataset *ds = nd_ds_create(2, names, units);
    for (size_t i = 0; i < n; i++) {
        double row[2] = {t0 + (double)i * dt, (double)i * dt};
        nd_ds_append(ds, row);
    }
    nd_ds_set_meta(ds, "model", "test");
    char dir[64], path[128];
    nd_tempdir_make(dir);
    nd_tempdir_path(path, sizeof path, dir, "g.csv");
    nd_error err;
    CHECK_INT(nd_ds_save_csv_until(ds, path, flags, NULL, &err), ND_OK);
    char *text = nd_tempdir_read(path);
    nd_ds_free(ds);
    nd_tempdir_remove(dir);
    return text;
}

TEST(csv_grid_times_are_written_as_the_grid_values)
{
    /* 3 * 0.1 = 0.30000000000000004 and 0.05 + 3 * 0.1 = 0.35000000000000003 in binary;
       the time column says 0.3 and 0.35, the other column keeps every bit */
    char *text = save_grid(0, 0.1, 8, 0);
    CHECK_CONTAINS(text, "# model: test\nt [ms],x\n0,0\n0.1,0.1\n0.2,0.2\n"
                         "0.3,0.30000000000000004\n0.4,0.4\n0.5,0.5\n0.6,0.6000000000000001\n"
                         "0.7,0.7000000000000001\n");
    free(text);
    text = save_grid(0.05, 0.1, 4, 0);
    CHECK_CONTAINS(text, "\n0.05,0\n0.15,0.1\n0.25,0.2\n0.35,0.30000000000000004\n");
    free(text);
    /* far along a long grid, i * 0.005 still comes out as its decimal */
    text = save_grid(0, 0.005, 200001, 0);
    CHECK_CONTAINS(text, "\n999.995,");
    CHECK_CONTAINS(text, "\n1000,");
    const char *line = text ? strstr(text, "t [ms],x\n") : NULL;
    size_t rows = 0, off_grid = 0;
    for (line = line ? strchr(line, '\n') + 1 : NULL; line && *line; rows++) {
        /* the time: at most three decimals, and the double nearest to i / 200 */
        const char *comma = strchr(line, ','), *dot = strchr(line, '.');
        if (!comma || (dot && dot < comma && comma - dot - 1 > 3) ||
            strtod(line, NULL) != (double)rows / 200)
            off_grid++;
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    CHECK_INT(rows, 200001);
    CHECK_INT(off_grid, 0);
    free(text);
    /* a step that is no short decimal (1/3): times stay exactly as they are */
    text = save_grid(0, 1.0 / 3.0, 4, 0);
    CHECK_CONTAINS(text, "\n0.3333333333333333,0.3333333333333333\n0.6666666666666666,");
    free(text);
    /* without metadata the header row comes first */
    text = save_grid(0, 0.025, 3, ND_CSV_NO_META);
    CHECK_STR(text, "t [ms],x\n0,0\n0.025,0.025\n0.05,0.05\n");
    free(text);
}
