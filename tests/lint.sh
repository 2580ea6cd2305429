#!/usr/bin/env bash
# tests/lint.sh WHAT: the npm-based lints, run by meson test from the repository root.
#   openapi     redocly lint of schema/openapi.yaml (rules in tests/redocly.yaml, the few
#               deliberate exceptions in tests/.redocly.lint-ignore.yaml)
#   spectral    Spectral's OpenAPI ruleset over schema/openapi.yaml (tests/spectral.yaml): any
#               error or warning fails, so every operation keeps its description
#   dockerfile  dockerfilelint of docker/Dockerfile
# tests/node_modules must be installed (./mock3as.sh test runs npm ci first).
set -euo pipefail
cd "$(dirname "$0")"
bin=node_modules/.bin
[ -x "$bin/redocly" ] || { echo "tests/node_modules is missing: run npm ci in tests/" >&2; exit 1; }
case "${1:-}" in
openapi) exec "$bin/redocly" lint ../schema/openapi.yaml --config redocly.yaml ;;
spectral)
    [ -x "$bin/spectral" ] || { echo "Spectral is missing from tests/node_modules: run npm ci in tests/" >&2; exit 1; }
    exec "$bin/spectral" lint ../schema/openapi.yaml --ruleset spectral.yaml --fail-severity=warn ;;
dockerfile) exec "$bin/dockerfilelint" ../docker/Dockerfile ;;
*) echo "usage: $0 openapi|spectral|dockerfile" >&2; exit 2 ;;
esac
