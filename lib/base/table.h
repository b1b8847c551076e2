/* A table of text cells rendered both as aligned plain text and as an HTML table. */
#ifndef ND_BASE_TABLE_H
#define ND_BASE_TABLE_H

#include "strbuf.h"

typedef struct nd_table nd_table;

/* Returns a table with ncols columns titled by headers[0..ncols), or NULL on ENOMEM. */
nd_table *nd_table_create(size_t ncols, const char *const *headers);

/* Frees the table; NULL is allowed. */
void nd_table_free(nd_table *t);

/* Appends a row of ncols cells (copied; NULL counts as ""); 0 on success, -1 on ENOMEM. */
int nd_table_add_row(nd_table *t, const char *const *cells);

/* Returns the number of rows added. */
size_t nd_table_rows(const nd_table *t);

/* Appends the header, a dashed rule and the rows, columns padded to equal width and
   separated by two spaces, each line ending in a newline except the last. */
void nd_table_text(const nd_table *t, nd_sb *sb);

/* Appends an HTML <table> with escaped cells. */
void nd_table_html(const nd_table *t, nd_sb *sb);

#endif
