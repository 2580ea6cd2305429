/* The test keys of fixtures/keys/, read whole for the unit tests and fuzz targets that need a
 * PEM (FIXTURES_DIR comes from tests/meson.build). */
#ifndef MOCK3AS_FIXTURE_KEY_H
#define MOCK3AS_FIXTURE_KEY_H

#include <stdio.h>
#include <stdlib.h>

#include "util/util.h"

/* fixtures/keys/<name> as a new NUL-terminated string (at most 64 KiB); the caller frees it. A
 * missing file ends the program with "Bail out!" (TAP's word for a setup that cannot go on). */
static inline char *read_fixture(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/keys/%s", FIXTURES_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("Bail out! cannot read %s\n", path);
        exit(1);
    }
    char *buf = xcalloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

#endif
