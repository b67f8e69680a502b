"""A botpy (PyPI qq-botpy 1.2.1) bot for scripts/bench.sh.

It counts group @, C2C and guild @ messages other than "ping", prints `BENCH done` once it has
counted BENCH_EVENTS of them, and replies "pong" to "ping". qie-bench starts it with BENCH_BASE
(the emulator, http://127.0.0.1:PORT), BENCH_APP_ID, BENCH_SECRET and BENCH_EVENTS. It reaches
the emulator the same way as scripts/interop/botpy_bot.py.
"""

import os
import sys
import time
from urllib.parse import urlsplit

import aiohttp
import botpy
import botpy.http
import botpy.robot
from botpy.message import C2CMessage, GroupMessage, Message

BASE = os.environ["BENCH_BASE"].rstrip("/")
HOST = urlsplit(BASE).netloc
if urlsplit(BASE).hostname != "127.0.0.1":
    sys.exit(f"BENCH_BASE must point at 127.0.0.1, got {BASE!r}")
EXPECTED = int(os.environ.get("BENCH_EVENTS", "10000"))

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


class BenchBot(botpy.Client):
    seen = 0

    def count(self):
        self.seen += 1
        if self.seen == EXPECTED:
            print("BENCH done", flush=True)

    async def on_group_at_message_create(self, message: GroupMessage):
        if message.content.strip() == "ping":
            await message.reply(msg_type=0, content="pong")
        else:
            self.count()

    async def on_c2c_message_create(self, message: C2CMessage):
        if message.content.strip() == "ping":
            await message.reply(msg_type=0, content="pong")
        else:
            self.count()

    async def on_at_message_create(self, message: Message):
        if message.content.split(">", 1)[-1].strip() == "ping":
            await message.reply(content="pong")
        else:
            self.count()


if __name__ == "__main__":
    intents = botpy.Intents(public_messages=True, public_guild_messages=True)
    client = BenchBot(intents=intents, ext_handlers=False)
    client.run(appid=os.environ["BENCH_APP_ID"], secret=os.environ["BENCH_SECRET"])
