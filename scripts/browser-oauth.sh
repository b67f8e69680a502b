#!/usr/bin/env bash
# Browser test of QQ login: builds the oauth_demo example, then headless Chromium logs in through
# the emulator's consent page and checks the nickname and avatar. Screenshots go to
# target/oauth-consent.png and target/oauth-login.png.
#
# Installs what it needs on a Debian machine as root: Debian's chromium and a CJK font (apt), and
# playwright-core (npm ci in scripts/browser).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'wenquanyi'; then
    echo "==> installing chromium and fonts-wqy-microhei"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends chromium fonts-wqy-microhei
fi

echo "==> npm ci (scripts/browser)"
(cd scripts/browser && npm ci --no-audit --no-fund)

target_dir="${CARGO_TARGET_DIR:-target}"
echo "==> building the oauth_demo example"
cargo build -p qie-oauth --features demo --example oauth_demo

echo "==> logging in with headless Chromium"
node scripts/browser/oauth-login.mjs "$target_dir/debug/examples/oauth_demo" target
