#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing, and says so. The list
# lives here; extra names may be passed as args.
set -euo pipefail

# chromium: headless browser for the dashboard tests (test/web) and `claimlens report --pdf`,
# driven by playwright-core at /usr/bin/chromium (no browser download).
# postgresql: the server binaries (initdb, pg_ctl) the PostgreSQL engine tests (test/engines) start
# a private throwaway server from; Debian's service need not run, and the tests never use it.
PACKAGES=(chromium postgresql)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "test: not a Debian system; make sure these are installed: ${PACKAGES[*]} $*" >&2
  exit 0
fi

need=()
for pkg in "${PACKAGES[@]}" "$@"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
  echo "test: installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "test: /usr/bin/chromium is missing after installing chromium; the browser tests need it" >&2
  exit 1
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "test: initdb is missing under /usr/lib/postgresql/*/bin after installing postgresql; the engine tests need it" >&2
  exit 1
fi
