"""Steps of scripts/interop.sh that talk to the emulator or wait for something.

Standard library only, so it runs on the machine's python3 before any install. Each command
prints what it found on stdout and exits 0, or prints the reason on stderr and exits 1. Every
wait has a deadline.

Commands:
  urls FILE TIMEOUT PID             wait for `base_url=` in the emulator's stdout FILE
  free-port                         print a free TCP port on 127.0.0.1
  legacy-token BASE APP_ID          print the bot's legacy static token from the world
  wait-session BASE APP_ID TIMEOUT PID
                                    wait for a connected gateway session of APP_ID
  inject BASE APP_ID SCENE TARGET TEXT
                                    inject a user message, print its msg_id
  wait-log FILE LINE TIMEOUT PID    wait for LINE in a bot's log
  wait-reply BASE APP_ID CONVERSATION MSG_ID TIMEOUT
                                    wait for the bot's "pong" reply to MSG_ID
  rest-calls FILE                   check that every REST call in the emulator's log succeeded
  wait-port PORT TIMEOUT PID        wait until a server listens on 127.0.0.1:PORT
  register-webhook BASE APP_ID URL  register a webhook callback (the emulator validates it)
  deliveries BASE APP_ID            check that every webhook delivery was acknowledged
"""

import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

CONTROL = "/_emulator"


class StepFailed(Exception):
    """A step did not reach its goal. The message describes what happened instead."""


def call(base, method, path, body=None, timeout=10.0):
    """Send a control API request and return the decoded JSON response."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + CONTROL + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")
        raise StepFailed(f"{method} {CONTROL}{path} returned HTTP {error.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        raise StepFailed(f"{method} {CONTROL}{path} failed: {error}") from None


def process_alive(pid):
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_until(deadline, pid, description, check):
    """Poll `check` until it returns a value, the deadline passes or process `pid` exits."""
    while True:
        found = check()
        if found is not None:
            return found
        if not process_alive(pid):
            raise StepFailed(f"the process exited before {description}")
        if time.monotonic() >= deadline:
            raise StepFailed(f"timed out waiting for {description}")
        time.sleep(0.1)


def urls(path, timeout, pid):
    def read_base():
        try:
            with open(path, encoding="utf-8") as file:
                for line in file:
                    if line.startswith("base_url="):
                        return line.strip().split("=", 1)[1]
        except FileNotFoundError:
            pass
        return None

    deadline = time.monotonic() + float(timeout)
    return wait_until(deadline, pid, "the emulator to print its base URL", read_base)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def legacy_token(base, app_id):
    world = call(base, "GET", "/world")
    for bot in world.get("bots", []):
        if bot.get("app_id") == app_id and bot.get("token"):
            return bot["token"]
    raise StepFailed(f"the world has no legacy token for bot {app_id}")


def wait_session(base, app_id, timeout, pid):
    deadline = time.monotonic() + float(timeout)

    def connected():
        # A short server-side wait per poll, so a bot that exits is noticed quickly.
        query = urllib.parse.urlencode({"app_id": app_id, "count": 1, "timeout_ms": 500})
        try:
            sessions = call(base, "GET", f"/sessions/wait?{query}")
        except StepFailed as error:
            if "HTTP 408" in str(error):
                return None
            raise
        return sessions[0]["session_id"] if sessions else None

    return wait_until(deadline, pid, f"a gateway session of bot {app_id}", connected)


def inject(base, app_id, scene, target, text):
    body = {"app_id": app_id, "scene": scene, "target": target, "content": text}
    injected = call(base, "POST", "/inject/message", body)
    if not injected.get("msg_id"):
        raise StepFailed(f"the emulator returned no msg_id: {injected}")
    return injected["msg_id"]


def wait_log(path, line, timeout, pid):
    def find():
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                return line if any(existing.strip() == line for existing in file) else None
        except FileNotFoundError:
            return None

    deadline = time.monotonic() + float(timeout)
    return wait_until(deadline, pid, f"the bot to log {line!r}", find)


def wait_reply(base, app_id, conversation, msg_id, timeout):
    query = urllib.parse.urlencode(
        {"conversation": conversation, "count": 1, "timeout_ms": int(float(timeout) * 1000)}
    )
    try:
        call(base, "GET", f"/sent/wait?{query}", timeout=float(timeout) + 5)
    except StepFailed as error:
        raise StepFailed(f"no message from the bot reached {conversation}: {error}") from None

    query = urllib.parse.urlencode({"app_id": app_id, "conversation": conversation})
    sent = call(base, "GET", f"/sent?{query}")
    replies = [message for message in sent if message.get("msg_id") == msg_id]
    if not replies:
        raise StepFailed(
            f"the bot sent {len(sent)} message(s) to {conversation} but none replies to "
            f"msg_id {msg_id}: {json.dumps(sent, ensure_ascii=False)}"
        )
    reply = replies[0]
    if reply.get("content") != "pong":
        raise StepFailed(f"the reply's content is {reply.get('content')!r}, expected 'pong'")
    if not reply.get("passive"):
        raise StepFailed("the reply was recorded as a proactive message, expected a passive reply")
    return f"pong {reply.get('id')}"


def rest_calls(path):
    """Check the emulator's `REST call` log lines (level info) for error statuses."""
    calls, failures = 0, []
    with open(path, encoding="utf-8", errors="replace") as file:
        for line in file:
            if "REST call to an unknown path" in line:
                failures.append(line.strip())
            elif "REST call" in line and (status := re.search(r"\bstatus=(\d+)", line)):
                calls += 1
                if int(status.group(1)) >= 400:
                    failures.append(line.strip())
    if failures:
        raise StepFailed(f"{len(failures)} REST call(s) failed: " + " | ".join(failures[:3]))
    if calls == 0:
        raise StepFailed("the emulator logged no REST call (its log level must include info)")
    return f"{calls} REST calls, all successful"


def wait_port(port, timeout, pid):
    def listening():
        try:
            with socket.create_connection(("127.0.0.1", int(port)), timeout=1):
                return f"127.0.0.1:{port}"
        except OSError:
            return None

    deadline = time.monotonic() + float(timeout)
    return wait_until(deadline, pid, f"a server on 127.0.0.1:{port}", listening)


def register_webhook(base, app_id, url):
    info = call(base, "POST", "/webhook", {"app_id": app_id, "url": url}, timeout=30)
    return f"{info.get('url')} validated with plain_token {info.get('validated_with')}"


def deliveries(base, app_id):
    query = urllib.parse.urlencode({"app_id": app_id})
    delivered = call(base, "GET", f"/webhook/deliveries?{query}")
    if not delivered:
        raise StepFailed("the emulator recorded no webhook delivery")
    failed = [delivery for delivery in delivered if not delivery.get("acknowledged")]
    if failed:
        raise StepFailed(
            f"{len(failed)} of {len(delivered)} webhook deliveries were not acknowledged: "
            + json.dumps(failed[:2], ensure_ascii=False)
        )
    attempts = sum(len(delivery.get("attempts", [])) for delivery in delivered)
    return f"{len(delivered)} deliveries acknowledged in {attempts} attempts"


COMMANDS = {
    "urls": urls,
    "free-port": free_port,
    "legacy-token": legacy_token,
    "wait-session": wait_session,
    "inject": inject,
    "wait-log": wait_log,
    "wait-reply": wait_reply,
    "rest-calls": rest_calls,
    "wait-port": wait_port,
    "register-webhook": register_webhook,
    "deliveries": deliveries,
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        sys.stderr.write(__doc__)
        return 2
    try:
        print(COMMANDS[argv[1]](*argv[2:]))
    except StepFailed as error:
        print(error, file=sys.stderr)
        return 1
    except TypeError as error:
        print(f"{argv[1]}: wrong arguments ({error})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
