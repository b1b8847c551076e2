/* Figures outside Jupyter: figure values, `save FIG "x.svg"|"x.png"`, `run --figures DIR`,
   units on the axes and titles that say what is shown. */
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../kernel/batch.h"
#include "../../lib/base/base64.h"
#include "../../lib/language/workspace.h"
#include "rec_sink.h"
#include "tempdir.h"

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* 1 when path holds a PNG: the signature, then more. */
static int is_png(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char head[16];
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f) fclose(f);
    return n == sizeof head && memcmp(head, png_signature, 8) == 0;
}

/* 1 when path holds a standalone SVG document of the given size. */
static int is_svg(const char *path, const char *size)
{
    char *text = nd_tempdir_read(path);
    int ok = text && strncmp(text, "<?xml version=\"1.0\"", 19) == 0 && strstr(text, "<svg") &&
             strstr(text, size) && strstr(text, "xmlns=\"http://www.w3.org/2000/svg\"") &&
             strstr(text, "</svg>");
    free(text);
    return ok;
}

TEST(base64_decode_rfc4648_vectors)
{
    /* RFC 4648 section 10 */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                        "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        size_t n = 99;
        unsigned char *d = nd_base64_decode(coded[i], &n);
        CHECK(d != NULL);
        CHECK_INT(n, strlen(plain[i]));
        CHECK(d && memcmp(d, plain[i], n) == 0);
        free(d);
    }
    size_t n;
    CHECK(nd_base64_decode("Zm9v!", &n) == NULL);
    CHECK(nd_base64_decode("Z", &n) == NULL);
}

TEST(figure_value_is_bound_and_saved_as_svg_and_png)
{
    char dir[64], code[1024], svg[128], png[128], pdf[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(svg, sizeof svg, dir, "v.svg");
    nd_tempdir_path(png, sizeof png, dir, "V.PNG");
    nd_tempdir_path(pdf, sizeof pdf, dir, "v.pdf");
    rec_fixture f;
    rec_fixture_setup(&f);
    snprintf(code, sizeof code,
             "use hh\nset I = 10\nsim = simulate t=20\nfig = plot sim V m h n\n"
             "save fig \"%s\"\nsave fig \"%s\"", svg, png);
    CHECK_INT(rec_fixture_run(&f, code), ND_OK);
    /* the figure is shown once, as before, and bound */
    CHECK_STR(rec_kinds(&f.r), "out|display|out|out|out|out|out|out");
    CHECK_CONTAINS(f.r.ev[1].text, "figure: hh: V, m, h, n against time, I = 10 (4 panels)");
    nd_value *v = nd_ws_get(nd_interp_workspace(f.in), "fig");
    CHECK(v && v->kind == ND_VAL_RECORD);
    CHECK_STR(nd_value_type_name(v), "figure");
    nd_value *title = v ? nd_record_get(v, "title") : NULL;
    CHECK(title && title->kind == ND_VAL_STRING);
    CHECK_STR(title ? title->as.str : NULL, "hh: V, m, h, n against time, I = 10");
    nd_value *desc = v ? nd_record_get(v, "description") : NULL;
    CHECK(desc && desc->kind == ND_VAL_STRING);
    CHECK_CONTAINS(desc ? desc->as.str : NULL, "panel 1: y V [mV], x t [ms]");
    nd_value *panels = v ? nd_record_get(v, "panels") : NULL;
    CHECK(panels && panels->kind == ND_VAL_NUMBER && panels->as.num == 4);
    /* 420 px for the first panel and 170 for each other one */
    nd_value *h = v ? nd_record_get(v, "height") : NULL;
    CHECK(h && h->kind == ND_VAL_NUMBER && h->as.num == 420 + 3 * 170);
    CHECK(is_svg(svg, "width=\"720\" height=\"930\""));
    CHECK(is_png(png));
    /* the image's own header says 720 x 930 (IHDR: width and height, big-endian) */
    FILE *fp = fopen(png, "rb");
    unsigned char ihdr[24] = {0};
    CHECK(fp && fread(ihdr, 1, sizeof ihdr, fp) == sizeof ihdr);
    if (fp) fclose(fp);
    CHECK_INT((ihdr[16] << 24) | (ihdr[17] << 16) | (ihdr[18] << 8) | ihdr[19], 720);
    CHECK_INT((ihdr[20] << 24) | (ihdr[21] << 16) | (ihdr[22] << 8) | ihdr[23], 930);

    /* another extension is refused with the two that work, and nothing is written */
    snprintf(code, sizeof code, "save fig \"%s\"", pdf);
    CHECK_INT(rec_fixture_run(&f, code), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "a figure is saved as .svg or .png, not '.pdf'");
    CHECK(access(pdf, F_OK) != 0);
    CHECK_INT(rec_fixture_run(&f, "save fig \"noextension\""), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "not 'a file without an extension'");
    /* meta= is for datasets */
    snprintf(code, sizeof code, "save fig \"%s\" meta=false", svg);
    CHECK_INT(rec_fixture_run(&f, code), ND_EVALUE);
    CHECK_CONTAINS(f.e.msg, "meta= applies to datasets");
    /* a plot that is not bound is shown but binds nothing */
    CHECK_INT(rec_fixture_run(&f, "plot sim V"), ND_OK);
    CHECK_STR(rec_kinds(&f.r), "display");
    rec_fixture_teardown(&f);
    nd_tempdir_remove(dir);
}

/* Every kind of figure a script draws lands in the directory, numbered in order. */
TEST(batch_figures_writes_every_figure_of_a_run)
{
    char dir[64], figdir[128], script[128], path[160], out_path[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(figdir, sizeof figdir, dir, "figs");   /* made by the run */
    nd_tempdir_path(script, sizeof script, dir, "many.nd");
    nd_tempdir_path(out_path, sizeof out_path, dir, "out.txt");
    static const char *const kinds[] = {
        "figure: hh: V, m, h, n against time, I = 10",           /* plot */
        "figure: hh: INa, IK, IL against time, I = 10",          /* plot of terms */
        "figure: hh: gate steady states",                        /* rates */
        "figure: hh: firing rate against I (F-I curve)",         /* fi */
        "figure: fhn phase plane: w against v, I = 0.5",         /* phase */
        "figure: fhn: bifurcation diagram, v against I",         /* continue, plot */
        "figure: dv/dt of data: three estimates",                /* deriv */
        "figure: SINDy threshold sweep",                         /* sindy sweep */
        "figure: net against d2",                                /* plot NET DATA */
    };
    nd_tempdir_write(script,
                     "use hh\nset I = 10\nsim = simulate t=30 terms=true\nplot sim V m h n\n"
                     "plot sim INa IK IL\nrates V=-100..50\nfi I 0..20 step=5\n"
                     "use fhn\nset I = 0.5\nphase v w v=-2.5..2.5 w=-1..2 nullclines\n"
                     "bif = continue I 0..2\nplot bif\ndata = simulate t=100 sample=0.1\n"
                     "deriv data v compare=true\n"
                     "eq = sindy data v w library=[poly(3)] sweep=true\n"
                     "d2 = simulate hh_rinzel t=20 sample=0.1\n"
                     "net = ude hh_rinzel replace=INa inputs=V,n hidden=8 seed=1\n"
                     "train net d2 adam lr=0.01 iters=20\nplot net d2\n");
    FILE *out = fopen(out_path, "w+"), *err = tmpfile();
    CHECK_INT(nd_batch_run(script, &(nd_batch_options){figdir, NULL, 0}, out, err), 0);
    fclose(out);
    fclose(err);
    char *text = nd_tempdir_read(out_path);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) CHECK_CONTAINS(text, kinds[k]);
    /* nine shown figures and the training's live loss curve: ten pairs of files */
    int files = 0;
    for (int k = 1; k <= 12; k++) {
        char name[32], line[400];
        snprintf(name, sizeof name, "fig-%03d.svg", k);
        nd_tempdir_path(path, sizeof path, figdir, name);
        int svg_ok = is_svg(path, "height=");
        snprintf(name, sizeof name, "fig-%03d.png", k);
        nd_tempdir_path(path, sizeof path, figdir, name);
        int png_ok = is_png(path);
        CHECK(svg_ok == png_ok);
        files += svg_ok;
        if (k <= 10) {
            CHECK(svg_ok);
            /* the run says where each figure went */
            snprintf(line, sizeof line, "figure %d: %s/fig-%03d.svg, %s/fig-%03d.png\n", k,
                     figdir, k, figdir, k);
            CHECK_CONTAINS(text, line);
        }
    }
    CHECK_INT(files, 10);
    free(text);
    nd_tempdir_remove(dir);
}

TEST(batch_figures_directory_that_cannot_be_made)
{
    char dir[64], file[128], script[128];
    CHECK_INT(nd_tempdir_make(dir), 0);
    nd_tempdir_path(file, sizeof file, dir, "plain");
    nd_tempdir_path(script, sizeof script, dir, "s.nd");
    nd_tempdir_write(file, "x");
    nd_tempdir_write(script, "print 1\n");
    FILE *out = tmpfile(), *err = tmpfile();
    CHECK_INT(nd_batch_run(script, &(nd_batch_options){file, NULL, 0}, out, err), 1);
    rewind(err);
    char msg[256] = "";
    size_t n = fread(msg, 1, sizeof msg - 1, err);
    msg[n] = '\0';
    CHECK_CONTAINS(msg, "cannot make the figure directory");
    fclose(out);
    fclose(err);
    nd_tempdir_remove(dir);
}

/* The axes of the figure-drawing commands carry the units the model declares or implies. */
TEST(figure_axes_carry_units)
{
    rec_fixture f;
    rec_fixture_setup(&f);
    static const struct { const char *code, *label; } cases[] = {
        {"plot sim INa IK IL", "panel 1: y INa [uA/cm^2], x t [ms]"},
        {"plot sim INa IK IL", "panel 3: y IL [uA/cm^2], x t [ms]"},
        {"rates", "panel 2: y time constant tau_x [ms], x V [mV]"},
        {"fi I 0..20 step=10", "panel 1: y firing rate [Hz], x I [uA/cm^2]"},
        {"deriv sim V compare=true", "panel 1: y dV/dt [mV/ms], x t [ms]"},
        {"b = continue I 0..20\nplot b", "panel 1: y V [mV], x I [uA/cm^2]"},
        {"use hh_rinzel\nphase V n V=-80..40 n=0..1", "panel 1: y n, x V [mV]"},
    };
    CHECK_INT(rec_fixture_run(&f, "use hh\nsim = simulate t=20 terms=true"), ND_OK);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CHECK_INT(rec_fixture_run(&f, cases[k].code), ND_OK);
        int found = 0;
        for (int i = 0; i < f.r.n; i++)
            found |= f.r.ev[i].text && strstr(f.r.ev[i].text, cases[k].label) != NULL;
        if (!found) nd_test_fail(__FILE__, __LINE__, "%s: no '%s'", cases[k].code, cases[k].label);
    }
    rec_fixture_teardown(&f);
}
