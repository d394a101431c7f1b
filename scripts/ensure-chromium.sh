#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core, which never downloads
# a browser of its own. Install the distribution package when it is missing.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "Chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing at $CHROMIUM and apt-get is not available: install Debian's chromium package." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Installing Chromium needs root (or sudo)." >&2; exit 1; }
  SUDO="sudo"
fi

echo "Installing Chromium with apt-get"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium

[ -x "$CHROMIUM" ] || { echo "apt-get ran but $CHROMIUM is still missing." >&2; exit 1; }
echo "Chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
