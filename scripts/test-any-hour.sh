#!/usr/bin/env bash
# Runs the suites whose subject depends on the time of day (the 21:00 day cut, the 20:00–22:00
# reversal blackout, midnight) with this machine's clock moved by libfaketime to 20:30, 21:30 and
# 23:59:50 Asia/Shanghai (the last one months later, at a month's end). They choose their own time
# for the kiosks they start, so they must pass whatever the machine's clock says; this proves it.
set -euo pipefail
cd "$(dirname "$0")/.."

SUITES=(
  tests/unit/services
  tests/unit/engine
  tests/unit/reports
  tests/unit/core
  tests/unit/display
  tests/integration/services-reference-hq.test.ts
  tests/integration/http-openapi.test.ts
  tests/integration/http-masking.test.ts
  tests/integration/http-api.test.ts
  tests/integration/cli-pay.test.ts
  tests/integration/cli-pay-views.test.ts
  tests/integration/cli.test.ts
  tests/integration/kiosk-e2e.test.ts
  tests/integration/first-start.test.ts
  tests/integration/http-orders.test.ts
  tests/integration/orders-qr-reference-hq.test.ts
  tests/integration/http-settlement.test.ts
  tests/integration/credit-card-reference-hq.test.ts
  tests/integration/cli-report.test.ts
  tests/integration/card-coach-process.test.ts
  tests/integration/hq-mosquitto-acl.test.ts
)
# libfaketime preloaded directly with an offset from the real clock, so every process of the run
# (vitest, its workers, the kiosks and brokers they start) sees the same shifted time with no
# shared state. The `faketime` wrapper instead keeps a named semaphore per wrapper pid in /dev/shm
# that a killed wrapper leaves behind; a later wrapper with the same pid then refuses to start.
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)
if [[ -z "$lib" ]]; then
  echo "libfaketime is not installed (Debian package faketime; scripts/system-deps.sh)" >&2
  exit 1
fi
# Shanghai is UTC+8 all year: 20:30, 21:30 and 23:59:50 there, as UTC epoch seconds; the last is
# also months after the suites' chosen date and the last second of a month.
for at in '2026-12-01T20:30:00+08:00' '2026-12-01T21:30:00+08:00' '2027-02-28T23:59:50+08:00'; do
  offset=$(( $(date -d "$at" +%s) - $(date +%s) ))
  echo "== machine clock at $at"
  LD_PRELOAD="$lib" FAKETIME="$(printf '%+d' "$offset")" npx vitest run --reporter=dot "${SUITES[@]}"
done
