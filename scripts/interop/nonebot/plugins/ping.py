"""Replies "pong" to "ping" in groups (@bot) and C2C, and reports each step on stdout."""

from nonebot import get_driver, on_message
from nonebot.adapters.qq import Bot, C2CMessageCreateEvent, GroupAtMessageCreateEvent

SCENES = {GroupAtMessageCreateEvent: "group_at", C2CMessageCreateEvent: "c2c"}


def report(event, scene, msg_id):
    print(f"INTEROP {event} {scene} {msg_id}", flush=True)


@get_driver().on_bot_connect
async def connected(bot: Bot):
    print("INTEROP ready", flush=True)


ping = on_message()


@ping.handle()
async def answer(event: GroupAtMessageCreateEvent | C2CMessageCreateEvent):
    scene = SCENES[type(event)]
    report("received", scene, event.id)
    if event.get_plaintext().strip() == "ping":
        await ping.send("pong")
        report("replied", scene, event.id)
