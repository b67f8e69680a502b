// The inspector: a filterable live log of gateway frames and REST calls of one bot, and the
// state of that bot's gateway sessions.

import { clear, clock, el } from "./dom.js";
import { t } from "./i18n.js";

/** Events kept in memory; older ones are dropped. */
const KEEP = 2000;
/** Rows shown at once; the newest matching events win. */
const SHOW = 500;

const OPCODES = {
  0: "Dispatch",
  1: "Heartbeat",
  2: "Identify",
  6: "Resume",
  7: "Reconnect",
  9: "Invalid Session",
  10: "Hello",
  11: "Heartbeat ACK",
  12: "HTTP Callback ACK",
  13: "Callback Validation",
};

function isHeartbeat(event) {
  return event.kind === "frame" && (event.op === 1 || event.op === 11);
}

/** Describes an inspector event as table cells plus the text the filter searches. */
function describe(stamped) {
  const event = stamped.event;
  if (event.kind === "rest") {
    const failed = event.status >= 400;
    return {
      kind: "rest",
      failed,
      cells: [
        clock(stamped.at_ms, true),
        event.method,
        event.route,
        String(event.status),
        event.code ?? "",
        `${Number(event.latency).toFixed(1)}`,
      ],
      title: `${event.method} ${event.path}\ntrace_id ${event.trace_id}`,
    };
  }
  if (event.kind === "frame") {
    const direction = event.direction === "inbound" ? "⇠" : "⇢";
    const isClose = event.close_code !== null && event.close_code !== undefined;
    const name = isClose ? t("closeFrame", { code: event.close_code }) : event.t ?? OPCODES[event.op] ?? "";
    return {
      kind: "gateway",
      failed: isClose,
      cells: [
        clock(stamped.at_ms, true),
        `${direction} ${isClose ? "close" : `op ${event.op}`}`,
        name,
        event.s ?? "",
        isClose ? event.close_code : "",
        "",
      ],
      title: `connection ${event.connection}${event.session_id ? `\nsession_id ${event.session_id}` : ""}`,
    };
  }
  if (event.kind === "firehose") {
    return {
      kind: "gateway",
      failed: false,
      cells: [clock(stamped.at_ms, true), "⇢ op 0", t("firehose", { n: event.frames }), "", "", `${Number(event.elapsed).toFixed(1)}`],
      title: `connection ${event.connection}`,
    };
  }
  return {
    kind: "other",
    failed: true,
    cells: [clock(stamped.at_ms, true), "", t("lagged", { n: event.missed ?? "?" }), "", "", ""],
    title: "",
  };
}

export class Inspector {
  /**
   * `nodes`: `body` (tbody of the log), `scroller` (its scrolling container), `filter` (text
   * input), `kind` (select), `heartbeats` (checkbox), `pause` (button), `clear` (button),
   * `sessions` (container of the session state).
   */
  constructor(nodes) {
    this.nodes = nodes;
    this.events = [];
    this.connectionApps = new Map();
    this.appId = null;
    this.paused = false;
    this.sessions = [];
    this.stick = true;
    this.lastTop = 0;

    // The log follows new rows while it is scrolled to the bottom, also when the panel resizes.
    // Only a move up stops following: a shrinking panel moves the bottom away without moving
    // scrollTop, and that must not count as the reader scrolling up.
    nodes.scroller.addEventListener("scroll", () => {
      const scroller = nodes.scroller;
      if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40) {
        this.stick = true;
      } else if (scroller.scrollTop < this.lastTop) {
        this.stick = false;
      }
      this.lastTop = scroller.scrollTop;
    });
    new ResizeObserver(() => this.follow()).observe(nodes.scroller);

    nodes.filter.addEventListener("input", () => this.render());
    nodes.kind.addEventListener("change", () => this.render());
    nodes.heartbeats.addEventListener("change", () => this.render());
    nodes.pause.addEventListener("click", () => {
      this.paused = !this.paused;
      nodes.pause.setAttribute("aria-pressed", String(this.paused));
      nodes.pause.textContent = this.paused ? t("resume") : t("pause");
      if (!this.paused) {
        this.render();
      }
    });
    nodes.clear.addEventListener("click", () => {
      this.events = [];
      this.render();
    });
  }

  /** Shows only this bot's traffic and sessions. */
  setBot(appId) {
    this.appId = appId;
    this.render();
    this.renderSessions();
  }

  /** Replaces every event (a fresh snapshot). */
  reset(events) {
    this.events = [];
    for (const stamped of events) {
      this.remember(stamped);
    }
    this.render();
  }

  /** Adds one live event. */
  add(stamped) {
    const shown = this.remember(stamped);
    if (this.paused || !shown) {
      return;
    }
    const row = this.row(stamped);
    if (!row) {
      return;
    }
    this.nodes.body.append(row);
    while (this.nodes.body.childElementCount > SHOW) {
      this.nodes.body.firstElementChild.remove();
    }
    this.follow();
  }

  /** Scrolls to the newest row unless the reader scrolled up. */
  follow() {
    if (this.stick) {
      this.nodes.scroller.scrollTop = this.nodes.scroller.scrollHeight;
    }
  }

  /** Keeps an event; returns whether it belongs to the current bot. */
  remember(stamped) {
    const event = stamped.event;
    if (event.kind === "frame" && event.app_id) {
      this.connectionApps.set(event.connection, event.app_id);
    }
    this.events.push(stamped);
    if (this.events.length > KEEP) {
      this.events.splice(0, this.events.length - KEEP);
    }
    return this.belongs(stamped);
  }

  belongs(stamped) {
    const event = stamped.event;
    const appId = event.kind === "frame" || event.kind === "firehose"
      ? event.app_id ?? this.connectionApps.get(event.connection)
      : event.app_id;
    return !appId || !this.appId || appId === this.appId;
  }

  /** Builds the row of an event, or null when the filters hide it. */
  row(stamped) {
    const description = describe(stamped);
    const kind = this.nodes.kind.value;
    if (kind !== "all" && description.kind !== kind) {
      return null;
    }
    if (!this.nodes.heartbeats.checked && isHeartbeat(stamped.event)) {
      return null;
    }
    const query = this.nodes.filter.value.trim().toLowerCase();
    if (query && !description.cells.join(" ").toLowerCase().includes(query)) {
      return null;
    }
    return el(
      "tr",
      {
        class: description.failed ? "failed" : null,
        title: description.title,
        "data-kind": description.kind,
        "data-event": description.cells[2],
      },
      description.cells.map((cell) => el("td", { text: String(cell), title: String(cell) })),
    );
  }

  render() {
    const rows = [];
    for (let index = this.events.length - 1; index >= 0 && rows.length < SHOW; index -= 1) {
      const stamped = this.events[index];
      if (!this.belongs(stamped)) {
        continue;
      }
      const row = this.row(stamped);
      if (row) {
        rows.push(row);
      }
    }
    rows.reverse();
    this.nodes.body.replaceChildren(...rows);
    this.stick = true;
    this.follow();
  }

  /** Replaces the session list. */
  setSessions(sessions) {
    this.sessions = Array.isArray(sessions) ? sessions : [];
    this.renderSessions();
  }

  renderSessions() {
    const container = clear(this.nodes.sessions);
    const mine = this.sessions.filter((session) => !this.appId || session.app_id === this.appId);
    if (!mine.length) {
      container.append(el("p", { class: "empty", "data-testid": "no-session", text: t("noSession") }));
      return;
    }
    for (const session of mine) {
      container.append(sessionCard(session));
    }
  }

  /** Re-renders texts after a language switch. */
  relabel() {
    this.nodes.pause.textContent = this.paused ? t("resume") : t("pause");
    this.render();
    this.renderSessions();
  }
}

function field(label, value, props = {}) {
  return [el("dt", { text: label, title: props.help ?? null }), el("dd", { ...props.dd, text: String(value) })];
}

function sessionCard(session) {
  const connected = Boolean(session.connected);
  const rtt = session.heartbeat_rtt_ms;
  const heartbeatAgo = session.last_heartbeat_ms_ago;
  const flags = [
    session.acks_paused ? t("acksPaused") : null,
    session.unanswered_heartbeats ? t("unanswered", { n: session.unanswered_heartbeats }) : null,
    session.resumable ? t("resumable") : t("notResumable"),
  ].filter(Boolean);
  return el(
    "div",
    {
      class: "session-card",
      "data-testid": "session",
      "data-session-id": session.session_id,
      "data-connected": String(connected),
      "data-resumes": String(session.resumes ?? 0),
    },
    el(
      "div",
      { class: "session-head" },
      el("span", { class: connected ? "dot on" : "dot off", "aria-hidden": "true" }),
      el("strong", { "data-testid": "session-connected", text: connected ? t("connected") : t("disconnected") }),
      el("span", { class: "flags", text: flags.join(" · ") }),
    ),
    el(
      "dl",
      { class: "session-fields" },
      field(t("sessionId"), session.session_id, { dd: { class: "mono", title: session.session_id } }),
      field(t("lastSeq"), session.last_seq, { dd: { "data-testid": "session-seq" } }),
      field(t("heartbeatRtt"), rtt === null || rtt === undefined ? "—" : `${rtt.toFixed(2)} ms`, {
        help: t("heartbeatRttHelp"),
      }),
      field(
        t("lastHeartbeat"),
        heartbeatAgo === null || heartbeatAgo === undefined ? "—" : t("secondsAgo", { n: (heartbeatAgo / 1000).toFixed(1) }),
      ),
      field(t("resumes"), session.resumes ?? 0, { dd: { "data-testid": "session-resumes" } }),
      field(t("lastClose"), session.last_close_code ?? "—"),
      field(t("connection"), session.connection ?? "—", { dd: { "data-testid": "session-connection" } }),
      field(t("shard"), Array.isArray(session.shard) ? session.shard.join("/") : "—"),
    ),
  );
}
