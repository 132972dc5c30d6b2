#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing, and says so.
# Add a package here when a test starts needing it (chromium for browser tests, postgresql for
# the PostgreSQL engine tests).
set -euo pipefail

need=()
for pkg in "$@"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
  echo "test: installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
