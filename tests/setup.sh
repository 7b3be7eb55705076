#!/usr/bin/env bash
# What the tests need beyond the Python packages (pyproject's dev extra
# installs Playwright): for the browser tests, Debian's Chromium and a Java
# runtime from apt, and the pinned axe-core and Nu HTML Checker (vnu-jar) from
# package-lock.json into node_modules/; for tests/test_nginx.py, Debian's nginx.
# Each is installed only when missing, so a second run is instant.
# Playwright never downloads a browser of its own: the tests launch /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# node_modules is git-ignored; reinstall when it is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
    || [ package-lock.json -nt "$stamp" ]; then
    echo "== npm ci (axe-core, vnu-jar)"
    # No install scripts: vnu-jar's only fetches a Java we already have.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
