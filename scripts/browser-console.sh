#!/usr/bin/env bash
# Browser test of the emulator's web console. It builds the qie command, then headless Chromium
# talks to the example bot of `qie demo` through the console: /ping, /help, a keyboard button, a
# dropped connection and its resume, a picture. It also checks that hostile bot and user content
# never runs. Screenshots go to target/console-*.png.
#
# Installs what it needs on a Debian machine as root: Debian's chromium, a CJK font and an emoji
# font (apt), and playwright-core (npm ci in scripts/browser).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -qi 'wenquanyi' \
    || ! fc-list 2>/dev/null | grep -qi 'emoji'; then
    echo "==> installing chromium, fonts-wqy-microhei and fonts-noto-color-emoji"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends chromium fonts-wqy-microhei fonts-noto-color-emoji
fi

echo "==> npm ci (scripts/browser)"
(cd scripts/browser && npm ci --no-audit --no-fund)

target_dir="${CARGO_TARGET_DIR:-target}"
echo "==> building the qie command"
cargo build -p qie-cli --bin qie

echo "==> driving the console with headless Chromium"
node scripts/browser/console.mjs "$target_dir/debug/qie" target
