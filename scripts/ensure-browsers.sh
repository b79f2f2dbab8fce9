#!/usr/bin/env bash
# The browser tests run in Chromium, Firefox and WebKitGTK (TOOLCHAIN.md). Looks for each where
# test/support/browser-paths.json says (its environment variable first: CHROME_PATH, FIREFOX_PATH,
# …), the same list the test run uses. What is missing is installed with apt where there is apt
# (Debian: chromium, firefox-esr, webkit2gtk-driver, xvfb), as root or through sudo.
#
# Then: no Chrome, Chromium or Edge stops here, saying what to install or set. A missing Firefox
# or WebKit is named, and the tests run in the engines there are — unless TEST_ENGINES (e.g.
# `chromium,firefox,webkit`, as .ci/run sets it) names it: then it stops here too.
set -euo pipefail
cd "$(dirname "$0")/.."

# The first executable for a name in browser-paths.json, or nothing; fails when its environment
# variable is set to something that is not an executable.
find_executable() {
  node -e '
    const fs = require("fs");
    const { env, paths } = JSON.parse(fs.readFileSync("test/support/browser-paths.json", "utf8"))[process.argv[1]];
    const executable = (path) => { try { fs.accessSync(path, fs.constants.X_OK); return true; } catch { return false; } };
    const set = process.env[env];
    if (set && !executable(set)) { console.error(`${env}=${set} is not an executable file.`); process.exit(1); }
    const found = set || paths.find(executable);
    if (found) console.log(found);
  ' "$1"
}

# The apt packages an engine needs that are missing here (none when it is all there).
missing_packages() {
  case "$1" in
    chromium) [ -n "$(find_executable chromium)" ] || echo chromium ;;
    firefox) [ -n "$(find_executable firefox)" ] || echo firefox-esr ;;
    webkit)
      [ -n "$(find_executable webkitWebDriver)" ] && [ -n "$(find_executable miniBrowser)" ] || echo webkit2gtk-driver
      [ -n "$(find_executable xvfb)" ] || echo xvfb
      ;;
  esac
}

# What to do about a missing engine (the same words as INSTALL_HINTS in test/support/browsers.ts).
hint() {
  case "$1" in
    chromium) echo "install Chrome, Chromium or Edge (Debian: 'apt-get install chromium'), or set CHROME_PATH to its executable" ;;
    firefox) echo "install Firefox (Debian: 'apt-get install firefox-esr'), or set FIREFOX_PATH to its executable" ;;
    webkit) echo "WebKitGTK's WebDriver, MiniBrowser and Xvfb are needed (Debian: 'apt-get install webkit2gtk-driver xvfb'); Safari's safaridriver is not supported" ;;
  esac
}
engines=(chromium firefox webkit)

# A variable set to something that is not an executable stops here (not: installed over).
for name in chromium firefox webkitWebDriver miniBrowser xvfb; do find_executable "$name" >/dev/null; done

packages=()
for engine in "${engines[@]}"; do
  for package in $(missing_packages "$engine"); do packages+=("$package"); done
done

if [ "${#packages[@]}" -gt 0 ] && command -v apt-get >/dev/null; then
  as_root=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then as_root="sudo"; else as_root="none"; fi
  fi
  if [ "$as_root" = "none" ]; then
    echo "Not root and no sudo: not installing ${packages[*]} for the browser tests." >&2
  else
    echo "Installing with apt for the browser tests: ${packages[*]}…"
    $as_root apt-get update -qq
    # One at a time: a package this distribution does not have (Ubuntu has no firefox-esr) must not
    # keep the others out.
    for package in "${packages[@]}"; do
      DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$package" >/dev/null ||
        echo "apt-get could not install $package." >&2
    done
  fi
fi

required=",${TEST_ENGINES:-chromium},"
required="${required// /}"
status=0
for engine in "${engines[@]}"; do
  [ -z "$(missing_packages "$engine")" ] && continue
  if [[ "$required" == *",$engine,"* ]]; then
    echo "The browser tests need $engine: $(hint "$engine")." >&2
    status=1
  else
    echo "No $engine here: the browser tests run without it ($(hint "$engine"))." >&2
  fi
done
exit "$status"
