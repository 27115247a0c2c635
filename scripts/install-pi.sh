#!/usr/bin/env bash
# Installs (or upgrades) the kiosk on Raspberry Pi OS bookworm from a release tarball made by
# scripts/release.sh. Run as root:  install-pi.sh newsstand-kiosk-<version>.tar.gz
#
# What it does, in order:
#   1. the Debian packages the kiosk uses: pcscd and the headers the optional native modules build
#      against, Chromium and curl for the touchscreen, Unifont for the LED sign;
#   2. the `kiosk` system user in the lp, dialout and gpio groups (printer, serial adapters, GPIO);
#   3. /opt/newsstand-kiosk (the release, with production dependencies from the lock file),
#      /etc/newsstand-kiosk (the configuration, from config/production.example.json the first time,
#      never overwritten) and /var/lib/newsstand-kiosk (the journal, 0700, the kiosk user's);
#   4. the udev rules and both systemd units, checked with `systemd-analyze verify`;
#   5. Chromium in kiosk mode: the desktop logs the kiosk user in and the UI unit starts the screen.
# Options (for an image build or a test): --root DIR installs under DIR; --no-system skips apt,
# the user, npm, udev and systemctl (files only). Node.js >= 20.15 must already be installed.
set -euo pipefail

ROOT=""
SYSTEM=1
TARBALL=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) ROOT=${2%/}; shift 2 ;;
    --no-system) SYSTEM=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) TARBALL=$1; shift ;;
  esac
done
fail() { echo "install-pi: $*" >&2; exit 1; }
[[ -n "$TARBALL" && -f "$TARBALL" ]] || fail "usage: install-pi.sh [--root DIR] [--no-system] newsstand-kiosk-<version>.tar.gz"

APP="$ROOT/opt/newsstand-kiosk"
ETC="$ROOT/etc/newsstand-kiosk"
STATE="$ROOT/var/lib/newsstand-kiosk"
UNITS="$ROOT/etc/systemd/system"
RULES="$ROOT/etc/udev/rules.d"

if [[ $SYSTEM == 1 ]]; then
  [[ $EUID -eq 0 ]] || fail "run as root (sudo)"
  . /etc/os-release
  [[ "${VERSION_CODENAME:-}" == bookworm ]] || echo "install-pi: warning: made for bookworm, this is ${VERSION_CODENAME:-unknown}" >&2
  command -v node >/dev/null || fail "Node.js >= 20.15 is needed (NodeSource's node_20.x for arm64)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=15)?0:1)' \
    || fail "Node.js $(node -v) is too old: >= 20.15 is needed"
  CHROMIUM_PKG=chromium-browser
  apt-cache show chromium-browser >/dev/null 2>&1 || CHROMIUM_PKG=chromium
  apt-get update
  apt-get install -y --no-install-recommends pcscd libpcsclite-dev libgpiod-dev build-essential python3 \
    "$CHROMIUM_PKG" curl unifont
  getent group gpio >/dev/null || groupadd --system gpio
  if ! id kiosk >/dev/null 2>&1; then
    # A home for the desktop session that shows the screen (X authority lives there).
    useradd --system --create-home --home-dir /home/kiosk --shell /bin/bash kiosk
  fi
  usermod -a -G lp,dialout,gpio,video,input,render kiosk
fi

# The release: unpacked beside the old one, then swapped in, so a failed unpack leaves it running.
mkdir -p "$(dirname "$APP")"
NEW="$APP.new"
rm -rf "$NEW"
mkdir -p "$NEW"
tar -xzf "$TARBALL" -C "$NEW" --strip-components=1
if [[ ! -f "$NEW/dist/.built" ]]; then
  rm -rf "$NEW"
  fail "$TARBALL has no compiled dist/: make it with scripts/release.sh"
fi
if [[ $SYSTEM == 1 ]]; then
  # Production dependencies only; `prepare` finds no TypeScript and keeps the shipped dist/.
  (cd "$NEW" && npm ci --omit=dev --no-audit --no-fund)
  # The stamp must stay newer than anything npm touched.
  touch "$NEW/dist/.built"
fi
if [[ -d "$APP" ]]; then rm -rf "$APP.old"; mv "$APP" "$APP.old"; fi
mv "$NEW" "$APP"
rm -rf "$APP.old"

install -d -m 0755 "$ETC"
if [[ ! -f "$ETC/kiosk.json" ]]; then
  install -m 0640 "$APP/config/production.example.json" "$ETC/kiosk.json"
  echo "install-pi: wrote $ETC/kiosk.json from the example: set stationId, region, HQ and TLS files" >&2
fi
install -d -m 0700 "$ETC/tls" "$STATE"
install -d -m 0755 "$RULES" "$UNITS"
install -m 0644 "$APP/systemd/99-newsstand-kiosk.rules" "$RULES/"
install -m 0644 "$APP/systemd/newsstand-kiosk.service" "$APP/systemd/newsstand-kiosk-ui.service" "$UNITS/"
if [[ $SYSTEM == 1 && ! -x /usr/bin/chromium && -x /usr/bin/chromium-browser ]]; then
  # Raspberry Pi OS names the binary chromium-browser.
  install -d "$UNITS/newsstand-kiosk-ui.service.d"
  sed -n 's|^ExecStart=/usr/bin/chromium |ExecStart=/usr/bin/chromium-browser |p' \
    "$APP/systemd/newsstand-kiosk-ui.service" | { echo "[Service]"; echo "ExecStart="; cat; } \
    > "$UNITS/newsstand-kiosk-ui.service.d/chromium-browser.conf"
fi
systemd-analyze verify "$UNITS/newsstand-kiosk.service" "$UNITS/newsstand-kiosk-ui.service"

if [[ $SYSTEM == 1 ]]; then
  chown -R kiosk:kiosk "$STATE" "$ETC/tls"
  chown root:kiosk "$ETC/kiosk.json"
  udevadm control --reload && udevadm trigger
  # The screen: the desktop logs the kiosk user in, on the graphical target.
  if command -v raspi-config >/dev/null; then
    mkdir -p /etc/lightdm/lightdm.conf.d
    printf '[Seat:*]\nautologin-user=kiosk\nxserver-command=X -nocursor\n' > /etc/lightdm/lightdm.conf.d/50-newsstand-kiosk.conf
  fi
  systemctl set-default graphical.target
  systemctl daemon-reload
  systemctl enable newsstand-kiosk.service newsstand-kiosk-ui.service
  systemctl restart newsstand-kiosk.service
  echo "install-pi: installed; edit $ETC/kiosk.json, then: systemctl restart newsstand-kiosk" >&2
fi
