/* A forgiving scan: unlike the lexer it never fails, because completion is asked for
   exactly when the code is unfinished. */
#include "context.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int nd_context_is_word_char(int c)
{
    return isalnum(c) || c == '_' || c == '.';
}

/* Finds where the statement around pos begins; sets *quiet inside strings and comments. */
static size_t statement_start(const char *code, size_t pos, int *quiet)
{
    size_t start = 0;
    int in_string = 0, in_comment = 0, depth = 0;
    for (size_t i = 0; i < pos; i++) {
        char c = code[i];
        if (in_comment) {
            if (c == '\n') in_comment = 0;
            else continue;
        }
        if (in_string) {
            if (c == '\\' && i + 1 < pos) i++;
            else if (c == '"' || c == '\n') in_string = 0;
            continue;
        }
        switch (c) {
        case '"': in_string = 1; break;
        case '#': in_comment = 1; break;
        case '(': case '[': depth++; break;
        case ')': case ']': if (depth > 0) depth--; break;
        case '\\':
            if (i + 1 < pos && code[i + 1] == '\n') i++;  /* a continued line */
            break;
        case '{': case '}': case ';':
            start = i + 1;
            depth = 0;
            break;
        case '\n':
            if (depth == 0) start = i + 1;
            break;
        }
    }
    *quiet = in_string || in_comment;
    return start;
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\')) p++;
    return p;
}

/* Returns the command named by the word [p, q), or NULL. */
static const nd_command *command_word(const nd_cmd_registry *reg, const char *p, const char *q)
{
    char *name = strndup(p, (size_t)(q - p));
    const nd_command *cmd = name ? nd_cmd_find(reg, name) : NULL;
    free(name);
    return cmd;
}

/* Classifies what follows the command word cmd (or an expression when cmd is NULL). */
static nd_context after_word(const nd_command *cmd)
{
    if (!cmd) return (nd_context){ND_CTX_EXPR, NULL};
    if (strcmp(cmd->name, "help") == 0) return (nd_context){ND_CTX_TOPIC, NULL};
    return (nd_context){ND_CTX_ARGS, cmd};
}

nd_context nd_context_at(const nd_cmd_registry *reg, const char *code, size_t pos)
{
    int quiet;
    size_t start = statement_start(code, pos, &quiet);
    if (quiet) return (nd_context){ND_CTX_NONE, NULL};
    const char *end = code + pos, *p = skip_blanks(code + start, end);
    if (p == end) return (nd_context){ND_CTX_COMMAND, NULL};
    if (*p == '?' && skip_blanks(p + 1, end) == end) return (nd_context){ND_CTX_TOPIC, NULL};

    const char *q = p;
    while (q < end && nd_context_is_word_char((unsigned char)*q)) q++;
    if (q == p) return (nd_context){ND_CTX_EXPR, NULL};
    const nd_command *first = command_word(reg, p, q);
    const char *r = skip_blanks(q, end);
    if (r < end && *r == '=' && (r + 1 == end || r[1] != '=')) {
        /* NAME = ...: the binding form; what follows may be a command. */
        const char *v = skip_blanks(r + 1, end);
        if (v == end) return (nd_context){ND_CTX_VALUE, NULL};
        const char *w = v;
        while (w < end && nd_context_is_word_char((unsigned char)*w)) w++;
        return after_word(w > v ? command_word(reg, v, w) : NULL);
    }
    return after_word(first);
}
