"""A nonebot2 project with nonebot-adapter-qq 1.7.3 for scripts/bench.sh.

scripts/bench.sh configures it through the environment (DRIVER, QQ_API_BASE, QQ_AUTH_BASE,
QQ_BOTS, HOST, PORT) as scripts/interop.sh does; BENCH_EVENTS is the count that ends a run.
"""

from pathlib import Path

import nonebot
from nonebot.adapters.qq import Adapter as QQAdapter

nonebot.init()
nonebot.get_driver().register_adapter(QQAdapter)
nonebot.load_plugins(str(Path(__file__).parent / "plugins"))

if __name__ == "__main__":
    nonebot.run()
