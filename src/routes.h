/* The route table of routes.c. */
#ifndef MOCK3AS_ROUTES_H
#define MOCK3AS_ROUTES_H

#include "http/router.h"

/* The NULL-terminated table of every route mock3as serves. */
const struct route *routes_table(void);

#endif
