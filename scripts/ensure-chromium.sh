#!/bin/sh
# The browser tests drive Debian's Chromium (never a downloaded browser build).
# Installs it when it is missing and this runs as root with apt-get; otherwise says
# so and leaves the browser tests to skip with that reason.
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: chromium is missing and cannot be installed here (needs root and apt-get); browser tests will skip" >&2
    exit 0
fi
echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    echo "ensure-chromium: apt-get could not install chromium; browser tests will skip" >&2
fi
