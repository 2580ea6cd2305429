/* Files embedded into the binary at build time by tools/embed.py. */
#ifndef MOCK3AS_EMBEDDED_H
#define MOCK3AS_EMBEDDED_H

#include <stddef.h>

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

/* schema/openapi.yaml and its JSON conversion (openapi.json), ended by a {NULL} entry. */
extern const struct embedded_file docs[];

#endif
