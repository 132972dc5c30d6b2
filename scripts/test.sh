#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing (npm packages; Debian packages that
# browser and PostgreSQL engine tests need), then typecheck, lint/format check, all tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing npm packages (npm install)"
  npm install --no-audit --no-fund
fi

bash scripts/ensure-system-deps.sh

echo "test: typecheck (tsc)"
npx tsc -p tsconfig.json
echo "test: lint and format check (biome)"
npx biome check .
echo "test: tests (vitest)"
mkdir -p test-output
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@" || status=$?
# One plain closing line for CI logs: "N passed, N failed".
node -e 'const r = require("./test-output/vitest.json");
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' || true
exit $status
