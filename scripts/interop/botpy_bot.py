"""A botpy (PyPI qq-botpy 1.2.1) bot that replies "pong" to "ping" in groups and C2C.

Run by scripts/interop.sh with INTEROP_BASE=http://127.0.0.1:PORT, INTEROP_APP_ID and
INTEROP_SECRET. It prints one `INTEROP received SCENE MSG_ID` line per handled message and one
`INTEROP replied SCENE MSG_ID` line per reply the emulator accepted.
"""

import os
import sys
import time
from urllib.parse import urlsplit

import aiohttp
import botpy
import botpy.http
import botpy.robot
from botpy.message import C2CMessage, GroupMessage

BASE = os.environ["INTEROP_BASE"].rstrip("/")
HOST = urlsplit(BASE).netloc
if urlsplit(BASE).hostname != "127.0.0.1":
    sys.exit(f"INTEROP_BASE must point at 127.0.0.1, got {BASE!r}")

# botpy builds REST URLs from these class attributes; the WebSocket URL comes from /gateway/bot.
botpy.http.Route.SCHEME = "http"
botpy.http.Route.DOMAIN = HOST
botpy.http.Route.SANDBOX_DOMAIN = HOST


async def fetch_token_from_emulator(self):
    """Replace botpy's token fetch, whose URL is a literal inside the method."""
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{BASE}/app/getAppAccessToken",
            json={"appId": self.app_id, "clientSecret": self.secret},
            timeout=aiohttp.ClientTimeout(total=10),
        ) as response:
            body = await response.json(content_type=None)
    self.access_token = body["access_token"]
    self.expires_in = int(time.time()) + int(body["expires_in"])


botpy.robot.Token.update_access_token = fetch_token_from_emulator


def report(event, scene, msg_id):
    print(f"INTEROP {event} {scene} {msg_id}", flush=True)


class PingBot(botpy.Client):
    async def on_ready(self):
        print("INTEROP ready", flush=True)

    async def on_group_at_message_create(self, message: GroupMessage):
        report("received", "group_at", message.id)
        if message.content.strip() == "ping":
            await message.reply(msg_type=0, content="pong")
            report("replied", "group_at", message.id)

    async def on_c2c_message_create(self, message: C2CMessage):
        report("received", "c2c", message.id)
        if message.content.strip() == "ping":
            await message.reply(msg_type=0, content="pong")
            report("replied", "c2c", message.id)


if __name__ == "__main__":
    # ext_handlers=False: botpy otherwise writes a botpy.log file into the working directory.
    client = PingBot(intents=botpy.Intents(public_messages=True), ext_handlers=False)
    client.run(appid=os.environ["INTEROP_APP_ID"], secret=os.environ["INTEROP_SECRET"])
