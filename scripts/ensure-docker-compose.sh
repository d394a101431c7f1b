#!/usr/bin/env bash
# CI validates docker-compose.yml with `docker-compose config -q`; no Docker engine is
# needed for that. Install Debian's docker-compose package when the command is missing.
set -euo pipefail

if command -v docker-compose >/dev/null 2>&1; then
  echo "docker-compose: $(docker-compose version --short 2>/dev/null || echo present)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "docker-compose is missing and apt-get is not available: install Debian's docker-compose package." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Installing docker-compose needs root (or sudo)." >&2; exit 1; }
  SUDO="sudo"
fi

echo "Installing docker-compose with apt-get"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends docker-compose

command -v docker-compose >/dev/null 2>&1 || { echo "apt-get ran but docker-compose is still missing." >&2; exit 1; }
echo "docker-compose: $(docker-compose version --short 2>/dev/null || echo present)"
