#!/usr/bin/env bash
# The store tests run a real redis-server (Debian's package, TOOLCHAIN.md). Install it with apt when
# it is missing, so `npm test` needs no set-up of its own on a fresh machine. REDIS_SERVER names
# another binary (the tests use it too).
set -euo pipefail
server="${REDIS_SERVER:-redis-server}"
command -v "$server" >/dev/null && exit 0
if [ -n "${REDIS_SERVER:-}" ]; then
  echo "REDIS_SERVER=$REDIS_SERVER is not an executable." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "The store tests need redis-server, and there is no apt-get here to install it: install Redis 6.2 or later (macOS: 'brew install redis'), or set REDIS_SERVER to its redis-server executable." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "The store tests need redis-server: run 'apt-get install redis-server' as root, or set REDIS_SERVER." >&2
  exit 1
fi
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
echo "Installing Debian's redis-server for the store tests…"
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends redis-server
