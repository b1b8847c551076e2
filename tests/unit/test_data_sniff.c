/* lib/data/sniff: formats told from content, whatever the file is called. */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/data/sniff.h"
#include "tempdir.h"

static nd_file_format sniff_bytes(const char *bytes, size_t n)
{
    char dir[64], path[256];
    if (nd_tempdir_make(dir) != 0) return ND_FILE_ERROR;
    nd_tempdir_path(path, sizeof path, dir, "named.csv");
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(bytes, 1, n, f);
        fclose(f);
    }
    nd_error err;
    nd_file_format got = nd_file_sniff(path, &err);
    nd_tempdir_remove(dir);
    return got;
}

TEST(sniff_tells_formats_by_content)
{
    CHECK_INT(sniff_bytes("ABF2\x00\x00\x02\x02", 8), ND_FILE_ABF);
    CHECK_INT(sniff_bytes("ABF \x00\x00\x90\x3f", 8), ND_FILE_ABF);
    CHECK_INT(sniff_bytes("\x89HDF\r\n\x1a\n\x00\x00", 10), ND_FILE_HDF5);
    CHECK_INT(sniff_bytes("\xEF\xBB\xBF  {\"kind\": 1}", 16), ND_FILE_JSON);
    CHECK_INT(sniff_bytes("t,V\n0,1\n", 8), ND_FILE_TEXT);
    CHECK_INT(sniff_bytes("t [ms],V [\xc2\xb5V]\n", 15), ND_FILE_TEXT);
    CHECK_INT(sniff_bytes("t,V\n\x00\x01", 6), ND_FILE_BINARY);
    CHECK_INT(sniff_bytes("\xff\xfe\x00", 3), ND_FILE_BINARY);
    CHECK_INT(sniff_bytes("", 0), ND_FILE_TEXT);
    nd_error err;
    CHECK_INT(nd_file_sniff("/nonexistent/x.abf", &err), ND_FILE_ERROR);
    CHECK(strstr(err.msg, "cannot open '/nonexistent/x.abf'") != NULL);
}
