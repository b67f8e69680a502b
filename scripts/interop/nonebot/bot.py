"""A nonebot2 project with nonebot-adapter-qq 1.7.3 that replies "pong" to "ping".

scripts/interop.sh configures it through the environment (DRIVER, QQ_API_BASE, QQ_AUTH_BASE,
QQ_BOTS, and for webhook mode HOST and PORT), as a .env file would.
"""

from pathlib import Path

import nonebot
from nonebot.adapters.qq import Adapter as QQAdapter

nonebot.init()
nonebot.get_driver().register_adapter(QQAdapter)
nonebot.load_plugins(str(Path(__file__).parent / "plugins"))

if __name__ == "__main__":
    nonebot.run()
