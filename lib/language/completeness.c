/* More input can close a bracket, a string or a continued line; nothing can fix a
   closer without its opener, a bad character, or a finished line that fails to parse. */
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "../expr/lexer.h"
#include "parser.h"

static void write_indent(char *indent, size_t cap, size_t braces)
{
    if (!indent || cap == 0) return;
    size_t n = 2 * braces;
    if (n > cap - 1) n = cap - 1;
    memset(indent, ' ', n);
    indent[n] = '\0';
}

static nd_tok_kind closer_of(nd_tok_kind open)
{
    return open == ND_TOK_LPAREN ? ND_TOK_RPAREN
         : open == ND_TOK_LBRACKET ? ND_TOK_RBRACKET : ND_TOK_RBRACE;
}

/* Returns the number of unclosed openers (and of braces among them), or -1 when a closer
   does not match. */
static long open_brackets(const nd_tokens *toks, size_t *braces)
{
    nd_tok_kind *stack = malloc((toks->count + 1) * sizeof *stack);
    if (!stack) return -1;
    size_t depth = 0;
    long result = 0;
    for (size_t i = 0; i < toks->count && result == 0; i++) {
        nd_tok_kind k = toks->items[i].kind;
        if (k == ND_TOK_LPAREN || k == ND_TOK_LBRACKET || k == ND_TOK_LBRACE) stack[depth++] = k;
        else if (k == ND_TOK_RPAREN || k == ND_TOK_RBRACKET || k == ND_TOK_RBRACE) {
            if (depth == 0 || closer_of(stack[depth - 1]) != k) result = -1;
            else depth--;
        }
    }
    *braces = 0;
    for (size_t i = 0; i < depth; i++) *braces += stack[i] == ND_TOK_LBRACE;
    free(stack);
    return result < 0 ? -1 : (long)depth;
}

nd_completeness nd_completeness_check(const nd_cmd_registry *reg, const char *code,
                                      char *indent, size_t cap)
{
    nd_tokens toks;
    nd_error err;
    write_indent(indent, cap, 0);
    if (nd_lex_all(code, strlen(code), 1, 1, &toks, &err) != ND_OK)
        return toks.incomplete ? ND_CODE_INCOMPLETE : ND_CODE_INVALID;
    size_t braces;
    long open = open_brackets(&toks, &braces);
    nd_lex_free(&toks);
    if (open < 0) return ND_CODE_INVALID;
    if (open > 0) {
        write_indent(indent, cap, braces);
        return ND_CODE_INCOMPLETE;
    }
    nd_program *prog;
    if (nd_parse_program(code, strlen(code), 1, 1, reg, &prog, &err) != ND_OK)
        return ND_CODE_INVALID;
    nd_program_free(prog);
    return ND_CODE_COMPLETE;
}
