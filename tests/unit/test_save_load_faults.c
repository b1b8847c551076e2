/* `save` and `load` faults: paths that are not regular files (a device, a pipe, a
   directory), and interrupts.
   Save writes a temporary file and renames it over the path, which would replace a device
   node by a plain file; load of /dev/zero would grow without end and of a FIFO block. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../lib/data/dataset.h"
#include "rec_sink.h"
#include "tempdir.h"

TEST(save_refuses_devices_pipes_and_directories)
{
    char dir[64], fifo[160], cmd[300];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(fifo, sizeof fifo, dir, "pipe.csv");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    rec_fixture f;
    rec_fixture_setup(&f);
    CHECK_INT(rec_fixture_run(&f, "use hh\nd = simulate t=1 sample=0.1"), ND_OK);
    const char *paths[] = {"/dev/null", fifo, dir};
    const char *what[] = {"a device or pipe", "a device or pipe", "a directory"};
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "save d \"%s\"", paths[i]);
        CHECK_INT(rec_fixture_run(&f, cmd), ND_EIO);
        char want[300];
        snprintf(want, sizeof want, "cannot write '%s': it is %s, not a regular file", paths[i],
                 what[i]);
        CHECK_CONTAINS(f.e.msg, want);
    }
    struct stat st;
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    CHECK(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    rec_fixture_teardown(&f);
    nd_tempdir_remove(dir);
}

TEST(load_refuses_devices_pipes_and_directories)
{
    char dir[64], fifo[160], cmd[300];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(fifo, sizeof fifo, dir, "pipe.json");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    rec_fixture f;
    rec_fixture_setup(&f);
    const char *paths[] = {"/dev/zero", fifo, dir};
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "x = load \"%s\"", paths[i]);
        CHECK_INT(rec_fixture_run(&f, cmd), ND_EIO);
        CHECK_CONTAINS(f.e.msg, "not a regular file");
    }
    CHECK_INT(rec_fixture_run(&f, "x"), ND_ENAME);
    rec_fixture_teardown(&f);
    nd_tempdir_remove(dir);
}

/* An interrupt stops a save (nothing written, an older file intact) and a load. */
TEST(save_and_load_stop_at_an_interrupt)
{
    const char *names[] = {"t", "V"};
    nd_dataset *ds = nd_ds_create(2, names, NULL);
    for (int i = 0; i < 10000; i++) nd_ds_append(ds, (double[]){i * 0.1, -65.0 + i % 7});
    char dir[64], path[160];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(path, sizeof path, dir, "d.csv");
    atomic_int stop;
    atomic_init(&stop, 0);
    nd_error err;
    CHECK_INT(nd_ds_save_csv_until(ds, path, 0, &stop, &err), ND_OK);
    nd_dataset *back = nd_ds_load_csv_until(path, &stop, &err);
    CHECK(back && nd_ds_rows(back) == 10000);
    nd_ds_free(back);

    atomic_store(&stop, 1);
    nd_tempdir_write(path, "t\n1\n");
    CHECK_INT(nd_ds_save_csv_until(ds, path, 0, &stop, &err), ND_EINTERRUPT);
    CHECK_CONTAINS(err.msg, "was not written");
    char *text = nd_tempdir_read(path);
    CHECK_STR(text, "t\n1\n");
    free(text);
    CHECK(nd_ds_load_csv_until(path, &stop, &err) == NULL);
    CHECK_INT(err.code, ND_EINTERRUPT);
    nd_ds_free(ds);
    nd_tempdir_remove(dir);
}
