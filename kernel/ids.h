/* Identifiers and timestamps for message headers. */
#ifndef ND_KERNEL_IDS_H
#define ND_KERNEL_IDS_H

/* Writes a random version-4 UUID as lowercase text, e.g. "3f2b8c1e-9a4d-4e7f-b2c6-...". */
void nd_ids_uuid(char out[37]);

/* Writes the UTC time as ISO 8601 with microseconds, e.g. "2026-11-26T00:50:24.123456Z". */
void nd_ids_now(char out[40]);

#endif
