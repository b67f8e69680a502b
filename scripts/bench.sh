#!/usr/bin/env bash
# Benchmarks of qie against peer QQ bot SDKs on the qie emulator, in one run: gateway throughput
# (firehose of distinct group, C2C and guild messages), reply latency, idle RSS and RSS after the
# throughput run, time to READY, webhook requests per second, and two floors (a bare WebSocket
# reader that only validates the JSON, single-thread Ed25519 verification of the same payloads).
#
# Peers: botpy (PyPI qq-botpy 1.2.1), nonebot2 with nonebot-adapter-qq 1.7.3 (WebSocket and
# webhook mode) and qq-guild-bot (npm 2.9.5, guild messages only). They are installed into
# scripts/.peers/ by the installation steps of scripts/interop.sh, which this script sources.
#
# Each measurement is repeated BENCH_REPEATS times with a fresh emulator and a fresh bot process.
# The emulator, the load generator and the verify floor run on CPU 0, the bot on CPU 1 (taskset,
# when available and the machine has two CPUs or more). The results go to docs/benchmarks.md
# (between the BENCH-RESULTS markers) and docs/img/benchmarks.svg; the raw records to
# target-bench-results/results.jsonl (or BENCH_OUT).
#
# Usage: scripts/bench.sh [--quick]
#   --quick: small N, 2 repeats, no idle wait; for checking the harness, not for figures. Its
#            results are not written into docs/.
# Environment: CARGO_TARGET_DIR (as for cargo), BENCH_REPEATS (default 5), BENCH_EVENTS (default
# 200000), BENCH_MESSAGES (default 1000), BENCH_NONEBOT_EVENTS (default 2000),
# BENCH_NONEBOT_MESSAGES (default 100), BENCH_REQUESTS (default 20000), BENCH_OUT (folder of the
# raw results), BENCH_ONLY (space-separated subset of: verify floor qie qie-guild botpy nonebot
# qq-guild-bot qie-webhook nonebot-webhook). qie-guild is qie on the guild-only workload of
# qq-guild-bot.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/scripts/bench"

# Installation and the qq-guild-bot patch come from the interop script.
# shellcheck source=scripts/interop.sh
source "$ROOT/scripts/interop.sh"
rmdir "$LOGS" 2>/dev/null || true
trap - EXIT INT TERM

QUICK=0
if [[ ${1:-} == --quick ]]; then
    QUICK=1
fi
REPEATS="${BENCH_REPEATS:-5}"
EVENTS="${BENCH_EVENTS:-200000}"
MESSAGES="${BENCH_MESSAGES:-1000}"
REQUESTS="${BENCH_REQUESTS:-20000}"
# nonebot handles a few hundred events per second and takes about 0.25 s per reply on a 2-core
# machine, so it gets a smaller N and fewer latency messages to keep the run within 15 minutes.
NONEBOT_EVENTS="${BENCH_NONEBOT_EVENTS:-2000}"
NONEBOT_MESSAGES="${BENCH_NONEBOT_MESSAGES:-100}"
IDLE=10
SEED=42
if [[ $QUICK == 1 ]]; then
    REPEATS=2 EVENTS=2000 MESSAGES=100 REQUESTS=2000 IDLE=0 NONEBOT_EVENTS=500 NONEBOT_MESSAGES=20
fi
ONLY="${BENCH_ONLY:-verify floor qie qie-guild botpy nonebot qq-guild-bot qie-webhook nonebot-webhook}"
OUT="${BENCH_OUT:-$ROOT/target-bench-results}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

log() { printf '==> %s\n' "$*"; }

wanted() { [[ " $ONLY " == *" $1 "* ]]; }

DRIVER_PIN=()
BOT_PIN=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
    DRIVER_PIN=(taskset -c 0)
    BOT_PIN=(taskset -c 1)
fi

main() {
    local started=$SECONDS
    for tool in python3 npm node setsid timeout; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is required but not installed" >&2; exit 2; }
    done
    install_python_clients || die "installing botpy and nonebot into $VENV failed"
    install_node_client || die "installing qq-guild-bot into $NODE_PREFIX failed"

    log "building qie-bench (cargo build --release -p qie-bench)"
    (cd "$ROOT" && cargo build --quiet --release -p qie-bench)
    local driver="$TARGET/release/qie-bench" bot="$TARGET/release/qie-bench-bot"
    [[ -x $driver && -x $bot ]] || die "cargo built no qie-bench binaries in $TARGET/release"

    mkdir -p "$OUT"
    local results="$OUT/results.jsonl" logs="$OUT/logs"
    rm -rf "$results" "$logs"
    mkdir -p "$logs"
    local port webhook_port base
    port="$(control free-port)"
    webhook_port="$(control free-port)"
    base="http://127.0.0.1:$port"
    patch_guild_bot "$base" || die "patching qq-guild-bot failed"

    local load_before
    load_before="$(uptime)"
    log "load before: $load_before"
    log "N=$EVENTS events, $MESSAGES messages, $REQUESTS webhook requests, $REPEATS repeats, seed $SEED"

    local common=(--port "$port" --repeats "$REPEATS" --events "$EVENTS" --seed "$SEED"
        --out "$results" --fixtures "$ROOT/fixtures")
    gateway() {
        local name=$1
        shift
        log "gateway: $name"
        "${DRIVER_PIN[@]}" "$driver" gateway --name "$name" "${common[@]}" --log "$logs/$name.log" "$@"
    }
    local nonebot_env=(env -C "$BENCH/nonebot" "${BOT_ENV[@]}" DRIVER='~fastapi+~httpx+~websockets'
        HOST=127.0.0.1 PORT="$webhook_port" LOG_LEVEL=WARNING
        QQ_API_BASE="$base/" QQ_AUTH_BASE="$base/app/getAppAccessToken")

    if wanted verify; then
        log "floor: single-thread Ed25519 verification"
        "${DRIVER_PIN[@]}" "$driver" verify --repeats "$REPEATS" --seconds 2 --out "$results" \
            --fixtures "$ROOT/fixtures"
    fi
    if wanted floor; then
        gateway floor --idle-secs 0 --messages 0 -- "${BOT_PIN[@]}" "$bot" floor
    fi
    if wanted qie; then
        gateway qie --idle-secs "$IDLE" --messages "$MESSAGES" -- "${BOT_PIN[@]}" "$bot" gateway
    fi
    if wanted qie-guild; then
        gateway qie-guild --idle-secs "$IDLE" --messages "$MESSAGES" --scenes guild -- "${BOT_PIN[@]}" "$bot" gateway
    fi
    if wanted botpy; then
        gateway botpy --idle-secs "$IDLE" --messages "$MESSAGES" -- \
            "${BOT_PIN[@]}" env "${BOT_ENV[@]}" "$VENV/bin/python" "$BENCH/botpy_bench.py"
    fi
    if wanted nonebot; then
        gateway nonebot --idle-secs "$IDLE" --events "$NONEBOT_EVENTS" --messages "$NONEBOT_MESSAGES" -- "${BOT_PIN[@]}" "${nonebot_env[@]}" \
            QQ_BOTS="[{\"id\": \"$APP_ID\", \"secret\": \"$SECRET\", \"intent\": {\"c2c_group_at_messages\": true, \"at_messages\": true}}]" \
            "$VENV/bin/python" "$BENCH/nonebot/bot.py"
    fi
    if wanted qq-guild-bot; then
        gateway qq-guild-bot --idle-secs "$IDLE" --messages "$MESSAGES" --scenes guild --legacy-bot-token -- \
            "${BOT_PIN[@]}" env "${BOT_ENV[@]}" NODE_PATH="$NODE_PREFIX/node_modules" node "$BENCH/guild_bench.js"
    fi
    local webhook=(--port "$port" --bot-port "$webhook_port" --repeats "$REPEATS" --requests "$REQUESTS"
        --seconds 10 --concurrency 8 --seed "$SEED" --out "$results" --fixtures "$ROOT/fixtures")
    if wanted qie-webhook; then
        log "webhook: qie"
        "${DRIVER_PIN[@]}" "$driver" webhook --name qie-webhook "${webhook[@]}" --log "$logs/qie-webhook.log" -- \
            "${BOT_PIN[@]}" "$bot" webhook "$webhook_port"
    fi
    if wanted nonebot-webhook; then
        log "webhook: nonebot"
        "${DRIVER_PIN[@]}" "$driver" webhook --name nonebot-webhook "${webhook[@]}" --log "$logs/nonebot-webhook.log" -- \
            "${BOT_PIN[@]}" "${nonebot_env[@]}" QQ_VERIFY_WEBHOOK=true \
            QQ_BOTS="[{\"id\": \"$APP_ID\", \"secret\": \"$SECRET\", \"use_websocket\": false}]" \
            "$VENV/bin/python" "$BENCH/nonebot/bot.py"
    fi

    local load_after elapsed=$((SECONDS - started))
    load_after="$(uptime)"
    log "load after: $load_after; ${elapsed}s in all"

    local docs=()
    if [[ $QUICK == 0 ]]; then
        docs=(--markdown "$ROOT/docs/benchmarks.md" --svg "$ROOT/docs/img/benchmarks.svg")
    fi
    python3 "$BENCH/report.py" --results "$results" \
        --meta "command=scripts/bench.sh${1:+ $1}" \
        --meta "events=$EVENTS" --meta "messages=$MESSAGES" \
        --meta "nonebot_events=$NONEBOT_EVENTS" --meta "nonebot_messages=$NONEBOT_MESSAGES" --meta "requests=$REQUESTS" \
        --meta "repeats=$REPEATS" --meta "seed=$SEED" --meta "idle=$IDLE" \
        --meta "pinned=${DRIVER_PIN[*]:-no}" --meta "cpus=$(nproc)" \
        --meta "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
        --meta "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
        --meta "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "${BENCH_COMMIT:-unknown}")" \
        --meta "load_before=${load_before##*load average: }" \
        --meta "load_after=${load_after##*load average: }" \
        --meta "elapsed=$elapsed" \
        "${docs[@]}"
    log "raw results in $results, bot logs in $logs"
}

main "$@"
