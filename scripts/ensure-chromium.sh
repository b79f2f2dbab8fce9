#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (TOOLCHAIN.md). Install it with apt
# when it is missing, so `npm test` needs no set-up of its own on a fresh machine.
set -euo pipefail
chrome="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$chrome" ] && exit 0
if [ -n "${CHROME_PATH:-}" ]; then
  echo "CHROME_PATH=$CHROME_PATH is not an executable." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "The browser tests need Chromium at /usr/bin/chromium: run 'apt-get install chromium' as root, or set CHROME_PATH." >&2
  exit 1
fi
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
echo "Installing Debian's chromium for the browser tests…"
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium
