/* Fuzz target: the command language's front end on a cell's text — the lexer
   (lib/expr/lexer.c), the statement parser (lib/language/parser.c) with the expression parser
   (lib/expr/parse.c), and what the kernel does with a cell besides running it:
   is_complete, complete and inspect. Nothing is executed (a cell may sleep, write files
   or plot). Blocks ({ ... } after a command) are parsed again as statements, the way
   repeat and friends parse them when they run, as deep as the interpreter allows.

   Properties checked: a lex either gives tokens ending in EOF that lie inside the text
   in order, or an error with no tokens; a parse either gives statements that can be
   rendered or a located error that renders as a traceback; nothing leaks. Statements
   that are bare expressions (no command, no binding) are evaluated against an empty
   workspace, since expressions are pure: numbers, strings, lists, ranges and the math
   functions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/base/strbuf.h"
#include "../lib/language/eval.h"
#include "../lib/language/exec.h"
#include "../lib/language/interp.h"
#include "../lib/commands/modules.h"
#include "../lib/expr/lexer.h"
#include "../lib/language/parser.h"
#include "common.h"

static nd_interp *interp;
static nd_ws *empty;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("NEURODYN_NATIVE", "0", 1);
    interp = nd_interp_create(nd_cmd_register_all);
    empty = nd_ws_create();
    if (!interp || !empty) abort();
    return 0;
}

static void check_error(const nd_error *err, const char *source)
{
    if (err->code == ND_OK || !err->msg[0]) abort();
    char *value = nd_error_value(err, source);
    char *traceback = nd_error_traceback(err, source);
    if (!value || !traceback) abort();
    free(value);
    free(traceback);
}

static void lex(const char *src, size_t len)
{
    nd_tokens toks;
    nd_error err;
    nd_error_clear(&err);
    if (nd_lex_all(src, len, 1, 1, &toks, &err) != ND_OK) {
        if (toks.count || toks.items) abort();
        check_error(&err, NULL);
        return;
    }
    if (toks.count == 0 || toks.items[toks.count - 1].kind != ND_TOK_EOF) abort();
    size_t end = 0;
    for (size_t i = 0; i < toks.count; i++) {
        const nd_token *t = &toks.items[i];
        if (t->off < end || t->off + t->len > len || t->text != src + t->off) abort();
        if ((t->kind == ND_TOK_STRING) != (t->str != NULL)) abort();
        end = t->off + t->len;
        char what[64];
        nd_lex_describe(t, what, sizeof what);
    }
    nd_lex_free(&toks);
}

/* Parses src[0..len) at (line, col), then the blocks of its commands, depth levels deep. */
static void parse(const char *src, size_t len, int line, int col, int depth)
{
    nd_program *prog;
    nd_error err;
    nd_error_clear(&err);
    if (nd_parse_program(src, len, line, col, nd_interp_registry(interp), &prog, &err) != ND_OK) {
        if (prog) abort();
        check_error(&err, depth == 0 ? src : NULL);
        return;
    }
    nd_sb sb;
    nd_sb_init(&sb);
    for (size_t i = 0; i < prog->count; i++) {
        const nd_stmt *s = &prog->stmts[i];
        nd_stmt_format(s, &sb);
        if (s->kind == ND_STMT_EXPR && !s->bind) {
            nd_value *v = NULL;
            nd_error_clear(&err);
            if (nd_eval(s->expr, empty, &v, &err) == ND_OK) {
                if (!v) abort();
                nd_value_to_text(v, 1, &sb);
                nd_value_unref(v);
            } else {
                check_error(&err, NULL);
            }
        }
        const nd_block *b = &s->call.block;
        if (s->kind == ND_STMT_CMD && b->text && depth < ND_MAX_BLOCK_DEPTH)
            parse(b->text, b->len, b->line, b->col, depth + 1);
    }
    nd_sb_free(&sb);
    nd_program_free(prog);
}

/* The byte offset of the character boundary at or before i. */
static size_t boundary(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *code = fuzz_cstring(data, size);
    lex(code, size);
    parse(code, size, 1, 1, 0);

    /* The kernel hands these requests a C string: the text up to the first NUL. */
    size_t len = strlen(code);
    char indent[64];
    nd_interp_is_complete(interp, code, indent, sizeof indent);
    size_t cursors[3] = {0, boundary(code, len / 2), len};
    for (int i = 0; i < 3; i++) {
        nd_completion c;
        if (nd_interp_complete(interp, code, cursors[i], &c) == ND_OK) {
            if (c.start > c.end || c.end > len) abort();
            nd_completion_free(&c);
        }
        nd_bundle_free(nd_interp_inspect(interp, code, cursors[i], i == 2));
    }
    free(code);
    return 0;
}
