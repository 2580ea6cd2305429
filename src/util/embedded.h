/* Files embedded into the binary at build time by tools/embed.py. */
#ifndef MOCK3AS_EMBEDDED_H
#define MOCK3AS_EMBEDDED_H

#include <stddef.h>
#include <stdint.h>

struct embedded_file {
    const char *name; /* base name, e.g. "001_init.sql" */
    const char *text; /* NUL-terminated contents */
    size_t size;      /* bytes, without the NUL */
};

/* The numbered migrations of schema/, sorted by name, ended by a {NULL} entry. */
extern const struct embedded_file schema_sql[];

/* The schema those migrations build, as one script for a new database ("new_database.sql",
 * made by tools/schema_dump.py), then a {NULL} entry. */
extern const struct embedded_file schema_new[];

/* A database file made at build time, kept as its non-zero runs: the file is `size` bytes,
 * zero but for each run's `length` bytes at `offset`; the runs end with a {0} entry. */
struct embedded_run {
    uint32_t offset, length;
    const unsigned char *bytes;
};
struct embedded_image {
    uint32_t size;
    int version; /* its user_version: the last migration's number */
    const struct embedded_run *runs;
};

/* The new database that schema script makes, in WAL mode, at the last migration's version (made
 * by tools/db_image.py): a new database file is written from it (src/store/db.c). */
extern const struct embedded_image new_database_image;

/* schema/openapi.yaml and its JSON conversion (openapi.json), ended by a {NULL} entry. */
extern const struct embedded_file docs[];

#endif
