"""Turns the JSON lines of qie-bench into a Markdown table and an SVG chart.

Usage: report.py --results FILE [--meta KEY=VALUE]... [--markdown FILE] [--svg FILE]

Without --markdown the table goes to stdout only. With it, the text between the
`<!-- BENCH-RESULTS:BEGIN -->` and `<!-- BENCH-RESULTS:END -->` markers of FILE is replaced
(the markers are appended when missing).
"""

import argparse
import json
import statistics
import sys
from html import escape
from pathlib import Path

BEGIN = "<!-- BENCH-RESULTS:BEGIN -->"
END = "<!-- BENCH-RESULTS:END -->"
GATEWAY_ORDER = ["floor", "qie", "botpy", "nonebot", "qie-guild", "qq-guild-bot"]
WEBHOOK_ORDER = ["qie-webhook", "nonebot-webhook"]
LABELS = {
    "floor": "floor: bare WebSocket reader (JSON validation only)",
    "qie": "qie",
    "botpy": "botpy 1.2.1",
    "nonebot": "nonebot-adapter-qq 1.7.3",
    "qie-guild": "qie (guild messages)",
    "qq-guild-bot": "qq-guild-bot 2.9.5 (guild messages)",
    "qie-webhook": "qie",
    "nonebot-webhook": "nonebot-adapter-qq 1.7.3",
    "ed25519-verify": "floor: Ed25519 verify, one thread",
}


def load(path):
    records = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            records.append(json.loads(line))
    return records


def values(records, workload, bot, key):
    return [
        r[key]
        for r in records
        if r.get("workload") == workload
        and r.get("bot") == bot
        and "error" not in r
        and r.get(key) is not None
    ]


def errors(records, workload, bot):
    return [r["error"] for r in records if r.get("workload") == workload and r.get("bot") == bot and "error" in r]


def summary(vals):
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals)


def fmt_number(value, digits):
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def cell(vals, scale=1.0, digits=1):
    s = summary(vals)
    if s is None:
        return "–"
    median, low, high = (v * scale for v in s)
    return f"{fmt_number(median, digits)} ({fmt_number(low, digits)}–{fmt_number(high, digits)})"


def median_of(records, workload, bot, key):
    s = summary(values(records, workload, bot, key))
    return None if s is None else s[0]


def ratio_row(name, value, target_text, ok):
    if value is None:
        return f"| {name} | not measured | {target_text} | – |"
    return f"| {name} | {value} | {target_text} | {'met' if ok else '**not met**'} |"


def targets(records):
    rows = []
    qie = median_of(records, "gateway", "qie", "events_per_s")
    botpy = median_of(records, "gateway", "botpy", "events_per_s")
    floor = median_of(records, "gateway", "floor", "events_per_s")
    rss = median_of(records, "gateway", "qie", "idle_rss_kib")
    webhook = median_of(records, "webhook", "qie-webhook", "requests_per_s")
    verify = median_of(records, "verify", "ed25519-verify", "verifications_per_s")
    if qie and botpy:
        ratio = qie / botpy
        rows.append(ratio_row("qie events/s ÷ botpy events/s", f"{ratio:.1f}×", "≥ 30×", ratio >= 30))
    else:
        rows.append(ratio_row("qie events/s ÷ botpy events/s", None, "≥ 30×", False))
    if qie and floor:
        ratio = qie / floor
        rows.append(ratio_row("qie events/s ÷ bare reader floor", f"{ratio:.0%}", "≥ 80%", ratio >= 0.8))
    else:
        rows.append(ratio_row("qie events/s ÷ bare reader floor", None, "≥ 80%", False))
    if rss:
        mib = rss / 1024
        rows.append(ratio_row("qie idle RSS", f"{mib:.1f} MiB", "≤ 10 MiB", mib <= 10))
    else:
        rows.append(ratio_row("qie idle RSS", None, "≤ 10 MiB", False))
    if webhook and verify:
        ratio = webhook / verify
        rows.append(
            ratio_row(
                "qie webhook requests/s (1 core) ÷ Ed25519 verify floor (1 thread)",
                f"{ratio:.0%}",
                "≥ 80%",
                ratio >= 0.8,
            )
        )
    else:
        rows.append(ratio_row("qie webhook requests/s ÷ verify floor", None, "≥ 80%", False))
    return rows


def markdown(records, meta):
    lines = [
        f"Run of {meta.get('date', '?')} at commit `{meta.get('commit', '?')}`, "
        f"`{meta.get('command', 'scripts/bench.sh')}` ({meta.get('elapsed', '?')} s in all). "
        f"N = {meta.get('events')} firehose events, {meta.get('messages')} reply-latency messages, "
        f"{meta.get('requests')} webhook requests (nonebot over the gateway: "
        f"{meta.get('nonebot_events')} events, {meta.get('nonebot_messages')} messages), "
        f"{meta.get('repeats')} repeats each, seed "
        f"{meta.get('seed')}; idle RSS read {meta.get('idle')} s after READY. "
        f"CPU: {meta.get('cpu', '?')}, {meta.get('cpus', '?')} CPUs; pinning: "
        f"{'emulator and load generator on CPU 0, bot on CPU 1' if meta.get('pinned', 'no') != 'no' else 'none'}. "
        f"Load average (1, 5, 15 min) before the run: {meta.get('load_before', '?')}; after: "
        f"{meta.get('load_after', '?')}.",
        "",
        "Each cell: median (min–max) over the repeats.",
        "",
        "| Client | events/s | reply p50 ms | reply p99 ms | idle RSS MiB | RSS after firehose MiB | start → READY ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for bot in GATEWAY_ORDER:
        if not any(r.get("workload") == "gateway" and r.get("bot") == bot for r in records):
            continue
        lines.append(
            "| "
            + " | ".join(
                [
                    LABELS[bot],
                    cell(values(records, "gateway", bot, "events_per_s"), digits=0),
                    "–" if bot == "floor" else cell(values(records, "gateway", bot, "latency_p50_ms"), digits=2),
                    "–" if bot == "floor" else cell(values(records, "gateway", bot, "latency_p99_ms"), digits=2),
                    "–" if bot == "floor" else cell(values(records, "gateway", bot, "idle_rss_kib"), 1 / 1024),
                    cell(values(records, "gateway", bot, "rss_after_kib"), 1 / 1024),
                    cell(values(records, "gateway", bot, "startup_ms"), digits=0),
                ]
            )
            + " |"
        )
    lines += [
        "",
        "| Webhook receiver (one core) | signed requests/s acknowledged | RSS after MiB |",
        "| --- | --- | --- |",
    ]
    for bot in WEBHOOK_ORDER:
        if not any(r.get("workload") == "webhook" and r.get("bot") == bot for r in records):
            continue
        lines.append(
            f"| {LABELS[bot]} | {cell(values(records, 'webhook', bot, 'requests_per_s'), digits=0)} | "
            f"{cell(values(records, 'webhook', bot, 'rss_after_kib'), 1 / 1024)} |"
        )
    verify = values(records, "verify", "ed25519-verify", "verifications_per_s")
    if verify:
        lines.append(f"| {LABELS['ed25519-verify']} | {cell(verify, digits=0)} verifications/s | – |")
    lines += ["", "| Target | Measured (medians) | Target | |", "| --- | --- | --- | --- |"]
    lines += targets(records)
    failures = [
        (r.get("workload"), r.get("bot"), r.get("repeat"), r["error"]) for r in records if "error" in r
    ]
    if failures:
        lines += ["", "Failed repeats (left out of the figures above):", ""]
        for workload, bot, repeat, error in failures:
            lines.append(f"- {workload} {bot} repeat {repeat}: {error}")
    lines += ["", "![Benchmark chart](img/benchmarks.svg)"]
    return "\n".join(lines) + "\n"


def bar_panel(title, unit, rows, top, width=760):
    """One panel of horizontal bars; rows are (label, median, low, high)."""
    label_width, bar_width, row_height = 300, 330, 26
    peak = max((high for _, _, _, high in rows), default=1) or 1
    parts = [f'<text x="10" y="{top + 18}" font-weight="bold">{escape(title)}</text>']
    y = top + 30
    for label, median, low, high in rows:
        length = bar_width * median / peak
        parts.append(f'<text x="10" y="{y + 17}">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1):.1f}" height="18" fill="#3b7dd8"/>'
        )
        x_low, x_high = label_width + bar_width * low / peak, label_width + bar_width * high / peak
        parts.append(
            f'<line x1="{x_low:.1f}" y1="{y + 13}" x2="{x_high:.1f}" y2="{y + 13}" stroke="#222" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{label_width + bar_width + 10}" y="{y + 17}">{escape(fmt_number(median, 1))} {escape(unit)}</text>'
        )
        y += row_height
    return parts, y + 10


def svg(records, meta):
    panels = []
    gateway = []
    for bot in GATEWAY_ORDER:
        s = summary(values(records, "gateway", bot, "events_per_s"))
        if s:
            gateway.append((LABELS[bot].split(":")[0] if bot == "floor" else LABELS[bot], *s))
    rss = []
    for bot in GATEWAY_ORDER[1:]:
        s = summary(values(records, "gateway", bot, "idle_rss_kib"))
        if s:
            rss.append((LABELS[bot], *(v / 1024 for v in s)))
    latency = []
    for bot in GATEWAY_ORDER[1:]:
        s = summary(values(records, "gateway", bot, "latency_p99_ms"))
        if s:
            latency.append((LABELS[bot], *s))
    webhook = []
    for bot in WEBHOOK_ORDER:
        s = summary(values(records, "webhook", bot, "requests_per_s"))
        if s:
            webhook.append((f"{LABELS[bot]} webhook", *s))
    s = summary(values(records, "verify", "ed25519-verify", "verifications_per_s"))
    if s:
        webhook.append(("Ed25519 verify floor", *s))
    y = 40
    body = [
        f'<text x="10" y="22" font-size="15" font-weight="bold">qie and peer SDKs on the qie emulator '
        f"({escape(meta.get('date', ''))}, load {escape(meta.get('load_before', '?'))})</text>"
    ]
    for title, unit, rows in [
        ("Gateway throughput (events/s, higher is better)", "ev/s", gateway),
        ("Reply latency p99 (ms, lower is better)", "ms", latency),
        ("Idle RSS (MiB, lower is better)", "MiB", rss),
        ("Webhook (signed requests/s, higher is better)", "req/s", webhook),
    ]:
        if rows:
            parts, y = bar_panel(title, unit, rows, y)
            body += parts
    panels = "\n".join(body)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{y + 20}" '
        f'font-family="sans-serif" font-size="12">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n{panels}\n'
        f'<text x="10" y="{y + 8}" font-size="10" fill="#555">Bars: median; lines: min–max over '
        f"{escape(str(meta.get('repeats', '?')))} repeats.</text>\n</svg>\n"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--meta", action="append", default=[])
    parser.add_argument("--markdown")
    parser.add_argument("--svg")
    args = parser.parse_args()
    meta = dict(item.split("=", 1) for item in args.meta)
    records = load(args.results)
    table = markdown(records, meta)
    print(table)
    if args.svg:
        Path(args.svg).parent.mkdir(parents=True, exist_ok=True)
        Path(args.svg).write_text(svg(records, meta))
    if args.markdown:
        path = Path(args.markdown)
        text = path.read_text() if path.exists() else ""
        block = f"{BEGIN}\n{table}{END}"
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            text = head + block + tail
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
