#!/usr/bin/env bash
# Makes the release tarball a Raspberry Pi installs from (scripts/install-pi.sh):
#   newsstand-kiosk-<version>.tar.gz with the compiled dist/, the command lines, config, systemd
#   units and udev rules, the touchscreen's static files, the lock file and the installer.
# Usage: scripts/release.sh [--skip-build] [OUTPUT_DIR]   (default output: the project folder)
# --skip-build uses the dist/ already built (npm ci builds it); without it `npm run build` runs first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SKIP_BUILD=0
if [[ "${1:-}" == "--skip-build" ]]; then SKIP_BUILD=1; shift; fi
OUT=${1:-$ROOT}
cd "$ROOT"
if [[ $SKIP_BUILD == 0 ]]; then npm run build; fi
if [[ ! -f dist/.built ]]; then
  echo "dist/ is not built: run npm run build (or npm ci) first" >&2
  exit 1
fi
VERSION=$(node -p "require('./package.json').version")
NAME="newsstand-kiosk-$VERSION"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/$NAME/src/ui" "$STAGE/$NAME/scripts"
cp -r package.json package-lock.json README.md bin dist config systemd "$STAGE/$NAME/"
cp -r src/ui/web "$STAGE/$NAME/src/ui/"
cp scripts/build.mjs scripts/install-pi.sh scripts/system-deps.sh "$STAGE/$NAME/scripts/"
mkdir -p "$OUT"
tar -C "$STAGE" -czf "$OUT/$NAME.tar.gz" "$NAME"
echo "$OUT/$NAME.tar.gz"
