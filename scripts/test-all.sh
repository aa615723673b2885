#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, runs every test, prints
# "N passed, N failed" and exits non-zero on any failure or skip. `.ci/run` runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v baresip >/dev/null 2>&1 || need_apt+=(baresip-core)
command -v sipp >/dev/null 2>&1 || need_apt+=(sip-tester)
command -v linphone-daemon >/dev/null 2>&1 || need_apt+=(linphone-cli)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test-all: installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

echo "test-all: installing npm packages"
npm ci --no-audit --no-fund

mkdir -p reports
# Every test must run here: the suite's own skip hints turn into failures below.
export CTI_REQUIRE_ALL_TESTS=1
status=0
npm test -- --reporter=default --reporter=json --outputFile.json=reports/vitest.json || status=$?

# The benchmark suite at tiny counts: proves every bench script still runs (no timing is asserted).
echo "test-all: npm run bench -- --tiny (smoke run)"
npm run bench -- --tiny >reports/bench-smoke.log 2>&1 || { status=1; tail -n 40 reports/bench-smoke.log; echo "test-all: the bench smoke run failed (reports/bench-smoke.log)"; }
# Last, so that "N passed, N failed" closes the output.
node scripts/summarise-tests.mjs reports/vitest.json || status=1

exit $status
