"""Counts group @, C2C and guild @ messages other than "ping" and replies "pong" to "ping".

Prints `BENCH done` on stdout once BENCH_EVENTS messages have been counted.
"""

import os

from nonebot import on_message
from nonebot.adapters.qq import (
    AtMessageCreateEvent,
    C2CMessageCreateEvent,
    GroupAtMessageCreateEvent,
)

EXPECTED = int(os.environ.get("BENCH_EVENTS", "10000"))
seen = 0

matcher = on_message()


@matcher.handle()
async def handle(
    event: GroupAtMessageCreateEvent | C2CMessageCreateEvent | AtMessageCreateEvent,
):
    global seen
    if event.get_plaintext().strip() == "ping":
        await matcher.send("pong")
        return
    seen += 1
    if seen == EXPECTED:
        print("BENCH done", flush=True)
