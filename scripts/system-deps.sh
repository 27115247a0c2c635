#!/usr/bin/env bash
# The Debian / Raspberry Pi OS packages the tests use, in one list for `npm test` and `.ci/run`:
# real pcscd with the vpcd virtual reader, socat ptys, Mosquitto, Unifont and rsvg for the LED and
# receipt previews, Chromium with a CJK font for the touchscreen, libfaketime for suites that start
# processes at a chosen time, systemd-analyze for the units' security checks, strace for the
# benchmark's fsync count, PostgreSQL for the shared HQ store suites and the fleet simulation, and
# the headers the optional native modules build against.
#
#   system-deps.sh --check     exit 0 when everything is installed; else name what is missing, exit 1
#   system-deps.sh --install   install what is missing (as root, or through sudo without a password)
#
# After installing, `npm ci` is run again when an optional native module could not be built
# before its headers were there (npm drops an optional module whose build failed).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  ca-certificates python3 make g++
  pcscd libpcsclite-dev vsmartcard-vpcd
  libgpiod-dev
  socat
  mosquitto openssl
  unifont librsvg2-bin
  chromium fonts-wqy-microhei
  faketime
  iproute2 util-linux procps
  systemd
  postgresql
  strace
)
NATIVE_MODULES=(node-libgpiod @pokusew/pcsclite)

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$p"
  done
}

missing_modules() {
  local m
  for m in "${NATIVE_MODULES[@]}"; do
    [ -d "node_modules/$m/build/Release" ] || printf '%s\n' "$m"
  done
}

mode=${1:---check}
mapfile -t missing < <(missing_packages)

if [ "${#missing[@]}" -gt 0 ]; then
  install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$mode" != "--install" ]; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo $install_cmd" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "The tests need system packages that are not installed: ${missing[*]}" >&2
    echo "Install them once (needs root):  sudo apt-get update && sudo $install_cmd" >&2
    exit 1
  fi
  echo "Installing system packages for the tests: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The distribution's own pcscd would hold the socket the card-reader tests start theirs on.
  "${sudo[@]}" pkill -x pcscd 2>/dev/null || true
fi

if [ -d node_modules ]; then
  mapfile -t unbuilt < <(missing_modules)
  if [ "${#unbuilt[@]}" -gt 0 ]; then
    if [ "$mode" != "--install" ]; then
      echo "Native modules not built (their headers were missing at npm ci): ${unbuilt[*]}; run npm ci again" >&2
      exit 1
    fi
    echo "Building the native modules that need the new headers: ${unbuilt[*]}" >&2
    npm ci --no-audit --no-fund >/dev/null
  fi
fi
