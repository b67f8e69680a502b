#!/usr/bin/env bash
# Interop check of qie's emulator with QQ bot clients written by others: botpy (PyPI qq-botpy
# 1.2.1), nonebot2 with nonebot-adapter-qq 1.7.3 (WebSocket and webhook modes), and qq-guild-bot
# (npm 2.9.5).
#
# For each client it starts the emulator on a free 127.0.0.1 port, runs a bot under
# scripts/interop/ that replies "pong" to "ping", and injects "ping" through the control API. A
# case passes when the bot connected (a gateway session, or a validated webhook callback), received
# the event (the bot logs it), and its reply reached the emulator (read back through the control
# API).
#
# The clients are installed into scripts/.peers/ (git-ignored) with the machine's python3 and npm,
# pinned by scripts/interop/requirements.txt and scripts/interop/package-lock.json, and reinstalled
# only when those files change.
#
# Usage: scripts/interop.sh [CLIENT...]
#   CLIENT: botpy, nonebot, nonebot-webhook, qq-guild-bot (default: all)
# Environment: CARGO_TARGET_DIR (as for cargo), INTEROP_TIMEOUT (seconds per wait, default 30),
# INTEROP_KEEP_LOGS=1 (keep the log folder even when every case passes), INTEROP_EMULATOR_LOG
# (the emulator's RUST_LOG filter, default info; the REST check reads its info lines).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
INTEROP="$ROOT/scripts/interop"
PEERS="$ROOT/scripts/.peers"
VENV="$PEERS/venv"
NODE_PREFIX="$PEERS/node"
WAIT="${INTEROP_TIMEOUT:-30}"
APP_ID="102000001"
SECRET="ExampleBotSecret01"
GROUP="6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4"
C2C_USER="3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C"
CHANNEL="5550001"

LOGS="$(mktemp -d "${TMPDIR:-/tmp}/qie-interop.XXXXXX")"
CHILDREN=()
ROWS=()
PASSED=0
FAILED=0
STARTED_AT=$SECONDS

log() { printf '==> %s\n' "$*"; }
die() {
    printf 'interop: %s\n' "$*" >&2
    exit 1
}

# Stops a child started by start_child: SIGTERM to its process group, SIGKILL after 3 s.
stop_child() {
    local pid=$1
    local remaining=() child
    for child in "${CHILDREN[@]}"; do
        [[ $child == "$pid" ]] || remaining+=("$child")
    done
    # Forget the pid first, so that cleanup never signals a pid the system may have reused.
    CHILDREN=("${remaining[@]}")
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in "${CHILDREN[@]}"; do
        stop_child "$pid"
    done
    # The log folder goes only if nothing was written to it (an early failure).
    rmdir "$LOGS" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a command in its own process group (so that stop_child reaches its children too), with
# stdout and stderr in $1; sets CHILD to its pid.
start_child() {
    local output=$1
    shift
    setsid "$@" >"$output" 2>&1 </dev/null &
    CHILD=$!
    CHILDREN+=("$CHILD")
}

control() { python3 "$INTEROP/control.py" "$@"; }

# Records the outcome of one case: client, scene, and either "pass" or the failed step and reason.
record() {
    local client=$1 scene=$2 step=$3 detail=${4:-}
    if [[ $step == pass ]]; then
        PASSED=$((PASSED + 1))
        ROWS+=("$client|$scene|passed|$detail")
        printf '    PASS %s %s: %s\n' "$client" "$scene" "$detail"
    else
        FAILED=$((FAILED + 1))
        ROWS+=("$client|$scene|FAILED at $step|$detail")
        printf '    FAIL %s %s at step "%s": %s\n' "$client" "$scene" "$step" "$detail"
    fi
}

# Prints the last lines of a log file, indented, to explain a failure.
show_tail() {
    local file=$1 name=$2
    [[ -s $file ]] || return 0
    printf '    last lines of the %s log (%s):\n' "$name" "$file"
    tail -n 15 "$file" | sed 's/^/      | /'
}

# --- Installation -----------------------------------------------------------------------------

install_python_clients() {
    local stamp="$VENV/.interop-requirements"
    if [[ -f $stamp ]] && cmp -s "$stamp" "$INTEROP/requirements.txt"; then
        return 0
    fi
    log "installing botpy and nonebot into $VENV"
    # Each step returns on failure by itself: `set -e` does not apply inside `f || die`.
    rm -rf "$VENV" &&
        python3 -m venv "$VENV" &&
        timeout 600 "$VENV/bin/pip" install --quiet --disable-pip-version-check --timeout 60 \
            -r "$INTEROP/requirements.txt" &&
        cp "$INTEROP/requirements.txt" "$stamp"
}

install_node_client() {
    local stamp="$NODE_PREFIX/.interop-package-lock.json"
    local package="$NODE_PREFIX/node_modules/qq-guild-bot"
    if [[ -f $stamp ]] && cmp -s "$stamp" "$INTEROP/package-lock.json"; then
        return 0
    fi
    log "installing qq-guild-bot into $NODE_PREFIX"
    rm -rf "$NODE_PREFIX" &&
        mkdir -p "$NODE_PREFIX" &&
        cp "$INTEROP/package.json" "$INTEROP/package-lock.json" "$NODE_PREFIX/" &&
        (cd "$NODE_PREFIX" && timeout 600 npm ci --no-audit --no-fund --loglevel=error) &&
        # Keep the files as published: each run patches a copy with its own port.
        cp "$package/lib/index.js" "$package/lib/index.js.orig" &&
        cp "$package/es/index.js" "$package/es/index.js.orig" &&
        cp "$INTEROP/package-lock.json" "$stamp"
}

# Points qq-guild-bot's two hard-coded hosts at the emulator. The package has no option for it.
patch_guild_bot() {
    local base=$1 package="$NODE_PREFIX/node_modules/qq-guild-bot" file
    for file in lib/index.js es/index.js; do
        sed -e "s#https://sandbox\.api\.sgroup\.qq\.com#$base#" \
            -e "s#https://api\.sgroup\.qq\.com#$base#" \
            "$package/$file.orig" >"$package/$file"
        if grep -q 'sgroup\.qq\.com' "$package/$file" || ! grep -qF "'$base'" "$package/$file"; then
            echo "qq-guild-bot's $file no longer has the expected host literals" >&2
            return 1
        fi
    done
}

# Builds the emulator's `serve` example and sets SERVE to its path.
build_emulator() {
    log "building the emulator (cargo build --workspace --example serve)"
    SERVE="$(cd "$ROOT" && cargo build --quiet --workspace --example serve \
        --message-format=json-render-diagnostics |
        python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "serve" and message.get("executable"):
        print(message["executable"])')"
    [[ -x $SERVE ]] || { echo "cargo built no serve example" >&2; return 1; }
}

# --- One client -------------------------------------------------------------------------------

# Starts an emulator with the given extra options, and sets BASE and EMULATOR_PID.
start_emulator() {
    local name=$1
    shift
    start_child "$LOGS/$name.emulator.log" env RUST_LOG="${INTEROP_EMULATOR_LOG:-info}" "$SERVE" --port 0 "$@"
    EMULATOR_PID=$CHILD
    BASE="$(control urls "$LOGS/$name.emulator.log" 10 "$EMULATOR_PID" 2>&1)" || {
        show_tail "$LOGS/$name.emulator.log" emulator
        return 1
    }
}

# Environment for the bots: any request that escapes to a host other than 127.0.0.1 goes to a
# closed loopback port and fails, instead of reaching the real platform.
BOT_ENV=(
    PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
    HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9
    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9
    NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
)

# Connects a bot that is already starting. MODE `gateway` waits for its gateway session. MODE
# `webhook:PORT` waits for its HTTP server on PORT and registers its callback URL, which the
# emulator validates with an op 13 request.
connect_bot() {
    local mode=$1 bot_pid=$2 port session
    if [[ $mode == gateway ]]; then
        session="$(control wait-session "$BASE" "$APP_ID" "$WAIT" "$bot_pid")" || return 1
        echo "gateway session $session"
        return 0
    fi
    port=${mode#webhook:}
    control wait-port "$port" "$WAIT" "$bot_pid" >/dev/null || return 1
    control register-webhook "$BASE" "$APP_ID" "http://127.0.0.1:$port/qq/webhook"
}

# Runs the ping/pong cases of one bot that is already starting: connect (see connect_bot), then
# for each "scene:target:conversation" inject, receive, reply.
check_bot() {
    local client=$1 mode=$2 bot_pid=$3 bot_log=$4 emulator_log=$5
    shift 5
    local case scene target conversation msg_id output

    if ! output="$(connect_bot "$mode" "$bot_pid" 2>&1)"; then
        for case in "$@"; do
            record "$client" "${case%%:*}" connect "$output"
        done
        show_tail "$bot_log" "$client"
        show_tail "$emulator_log" emulator
        return 0
    fi
    printf '    %s connected: %s\n' "$client" "$output"

    for case in "$@"; do
        IFS=: read -r scene target conversation <<<"$case"
        if ! msg_id="$(control inject "$BASE" "$APP_ID" "$scene" "$target" ping 2>&1)"; then
            record "$client" "$scene" inject "$msg_id"
            continue
        fi
        if ! output="$(control wait-log "$bot_log" "INTEROP received $scene $msg_id" "$WAIT" "$bot_pid" 2>&1)"; then
            record "$client" "$scene" receive "$output"
            show_tail "$bot_log" "$client"
            continue
        fi
        if ! output="$(control wait-reply "$BASE" "$APP_ID" "$conversation" "$msg_id" "$WAIT" 2>&1)"; then
            record "$client" "$scene" reply "$output"
            show_tail "$bot_log" "$client"
            show_tail "$emulator_log" emulator
            continue
        fi
        record "$client" "$scene" pass "$output"
    done

    # A client may tolerate a failed call (a startup lookup, say) that still shows a deviation.
    if output="$(control rest-calls "$emulator_log" 2>&1)"; then
        record "$client" rest pass "$output"
    else
        record "$client" rest "REST calls" "$output"
    fi
    if [[ $mode == webhook:* ]]; then
        if output="$(control deliveries "$BASE" "$APP_ID" 2>&1)"; then
            record "$client" webhook pass "$output"
        else
            record "$client" webhook deliveries "$output"
        fi
    fi
}

GROUP_CASE="group_at:$GROUP:group:$GROUP"
C2C_CASE="c2c:$C2C_USER:c2c:$C2C_USER"
GUILD_CASE="guild_at:$CHANNEL:channel:$CHANNEL"

run_botpy() {
    log "botpy (qq-botpy 1.2.1): group @ message and C2C"
    start_emulator botpy || {
        record botpy "group_at, c2c" "start the emulator" "$BASE"
        return 0
    }
    local emulator_pid=$EMULATOR_PID
    start_child "$LOGS/botpy.log" env "${BOT_ENV[@]}" INTEROP_BASE="$BASE" \
        INTEROP_APP_ID="$APP_ID" INTEROP_SECRET="$SECRET" \
        "$VENV/bin/python" "$INTEROP/botpy_bot.py"
    check_bot botpy gateway "$CHILD" "$LOGS/botpy.log" "$LOGS/botpy.emulator.log" "$GROUP_CASE" "$C2C_CASE"
    stop_child "$CHILD"
    stop_child "$emulator_pid"
}

run_nonebot() {
    log "nonebot2 (nonebot-adapter-qq 1.7.3, WebSocket): group @ message and C2C"
    start_emulator nonebot || {
        record nonebot "group_at, c2c" "start the emulator" "$BASE"
        return 0
    }
    local emulator_pid=$EMULATOR_PID port
    port="$(control free-port)"
    # nonebot names plugin modules after their path below the working directory, so it runs from
    # the project folder.
    start_child "$LOGS/nonebot.log" env -C "$INTEROP/nonebot" "${BOT_ENV[@]}" \
        DRIVER='~fastapi+~httpx+~websockets' HOST=127.0.0.1 PORT="$port" LOG_LEVEL=INFO \
        QQ_API_BASE="$BASE/" QQ_AUTH_BASE="$BASE/app/getAppAccessToken" \
        QQ_BOTS="[{\"id\": \"$APP_ID\", \"secret\": \"$SECRET\", \"intent\": {\"c2c_group_at_messages\": true}}]" \
        "$VENV/bin/python" "$INTEROP/nonebot/bot.py"
    check_bot nonebot gateway "$CHILD" "$LOGS/nonebot.log" "$LOGS/nonebot.emulator.log" "$GROUP_CASE" "$C2C_CASE"
    stop_child "$CHILD"
    stop_child "$emulator_pid"
}

run_nonebot_webhook() {
    log "nonebot2 (nonebot-adapter-qq 1.7.3, webhook): group @ message and C2C"
    start_emulator nonebot-webhook || {
        record nonebot-webhook "group_at, c2c" "start the emulator" "$BASE"
        return 0
    }
    local emulator_pid=$EMULATOR_PID port
    port="$(control free-port)"
    start_child "$LOGS/nonebot-webhook.log" env -C "$INTEROP/nonebot" "${BOT_ENV[@]}" \
        DRIVER='~fastapi+~httpx+~websockets' HOST=127.0.0.1 PORT="$port" LOG_LEVEL=INFO \
        QQ_API_BASE="$BASE/" QQ_AUTH_BASE="$BASE/app/getAppAccessToken" QQ_VERIFY_WEBHOOK=true \
        QQ_BOTS="[{\"id\": \"$APP_ID\", \"secret\": \"$SECRET\", \"use_websocket\": false}]" \
        "$VENV/bin/python" "$INTEROP/nonebot/bot.py"
    check_bot nonebot-webhook "webhook:$port" "$CHILD" "$LOGS/nonebot-webhook.log" \
        "$LOGS/nonebot-webhook.emulator.log" "$GROUP_CASE" "$C2C_CASE"
    stop_child "$CHILD"
    stop_child "$emulator_pid"
}

run_guild_bot() {
    log "qq-guild-bot 2.9.5 (legacy Bot token switch on): guild AT_MESSAGE_CREATE"
    start_emulator qq-guild-bot --legacy-bot-token || {
        record qq-guild-bot guild_at "start the emulator" "$BASE"
        return 0
    }
    local emulator_pid=$EMULATOR_PID token output
    if ! output="$(patch_guild_bot "$BASE" 2>&1)"; then
        record qq-guild-bot guild_at patch "$output"
        stop_child "$emulator_pid"
        return 0
    fi
    if ! token="$(control legacy-token "$BASE" "$APP_ID" 2>&1)"; then
        record qq-guild-bot guild_at setup "$token"
        stop_child "$emulator_pid"
        return 0
    fi
    start_child "$LOGS/qq-guild-bot.log" env "${BOT_ENV[@]}" \
        NODE_PATH="$NODE_PREFIX/node_modules" INTEROP_APP_ID="$APP_ID" INTEROP_BOT_TOKEN="$token" \
        node "$INTEROP/guild_bot.js"
    check_bot qq-guild-bot gateway "$CHILD" "$LOGS/qq-guild-bot.log" "$LOGS/qq-guild-bot.emulator.log" "$GUILD_CASE"
    stop_child "$CHILD"
    stop_child "$emulator_pid"
}

# --- Main -------------------------------------------------------------------------------------

main() {
    local clients=("$@") client
    [[ ${#clients[@]} -gt 0 ]] || clients=(botpy nonebot nonebot-webhook qq-guild-bot)
    for client in "${clients[@]}"; do
        case $client in
            botpy | nonebot | nonebot-webhook | qq-guild-bot) ;;
            *)
                echo "unknown client \"$client\"; expected botpy, nonebot, nonebot-webhook or qq-guild-bot" >&2
                exit 2
                ;;
        esac
    done
    for tool in python3 npm node setsid timeout; do
        command -v "$tool" >/dev/null || { echo "interop: $tool is required but not installed" >&2; exit 2; }
    done

    install_python_clients || die "installing botpy and nonebot into $VENV failed"
    install_node_client || die "installing qq-guild-bot into $NODE_PREFIX failed"
    build_emulator || die "building the emulator's serve example failed"
    log "logs in $LOGS"

    for client in "${clients[@]}"; do
        case $client in
            botpy) run_botpy ;;
            nonebot) run_nonebot ;;
            nonebot-webhook) run_nonebot_webhook ;;
            qq-guild-bot) run_guild_bot ;;
        esac
    done

    printf '\nInterop summary (%ss):\n' "$((SECONDS - STARTED_AT))"
    printf '  %-16s %-9s %-20s %s\n' CLIENT SCENE RESULT DETAIL
    local row client scene result detail
    for row in "${ROWS[@]}"; do
        IFS='|' read -r client scene result detail <<<"$row"
        printf '  %-16s %-9s %-20s %.80s\n' "$client" "$scene" "$result" "$detail"
    done
    if [[ $FAILED -eq 0 && ${INTEROP_KEEP_LOGS:-0} != 1 ]]; then
        rm -rf "$LOGS"
    else
        printf 'logs kept in %s\n' "$LOGS"
    fi
    printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
    [[ $FAILED -eq 0 ]]
}

# scripts/bench.sh sources this file for its installation and patch steps.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
