#!/usr/bin/env bash
# Installs the system programs a step needs, or stops with the exact command to run.
#   build: node + npm (the site's vendored JS is installed from package-lock.json)
#   test:  the build's, plus Chromium for the headless-browser tests of the static site,
#          bubblewrap for the grader's sandbox and a PostgreSQL server for the sharded-grading test
set -euo pipefail
what=${1:-test}
need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "$what" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi
echo "Missing system programs: ${need[*]}" >&2
echo "Run:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
exit 1
