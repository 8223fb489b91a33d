/**
 * Email templates of session notices (SPEC §7): pure functions from plain data to a subject, a
 * plain-text part and an HTML part. Times are written in the RECIPIENT's time zone (their profile's
 * `timeZone`); without one, in UTC, and the email says so. Every value from data is escaped in the
 * HTML part, and only http(s) links become anchors.
 *
 * Both parts are rendered from the same list of blocks, so they always say the same thing. Each
 * notice is ONE entry of the `NOTICES` table (subject, heading, body; for a success session also the
 * series wording), rendered by one renderer for a single session and for a series.
 */

/** The session an email is about (no table shapes: callers pass plain data). Times are epoch ms. */
export interface TemplateSession {
  kind: "success" | "coaching";
  title: string;
  description: string;
  startsAt: number;
  endsAt: number;
  /** Meeting / Discord link, or null when there is none yet. */
  joinUrl: string | null;
  /** e.g. "Join the meeting". */
  joinLabel: string;
  passcode: string | null;
  hostName: string;
  hostRole: "Mentor" | "Coach";
  /** The coaching student (1:1 sessions); null for group sessions. */
  guestName: string | null;
  /** One line of context, e.g. "Data Science · Batch 12". */
  detail: string | null;
  /** Link to the session's page in the web app, or null. */
  appUrl: string | null;
}

/** Who receives the email. */
interface TemplateRecipient {
  name: string;
  /** IANA zone from the profile; absent or invalid → UTC (named in the email). */
  timeZone?: string | null;
  /** True for the session's mentor / coach. */
  isHost: boolean;
}

/** What changed in a `successSession.changed` notice (previous values; absent = unchanged). */
interface TemplateChanges {
  previousStartsAt?: number;
  previousEndsAt?: number;
  previousHostName?: string;
  linkChanged?: boolean;
}

/** The notice to render. */
export type TemplateNotice =
  | { event: "successSession.created" }
  | { event: "successSession.changed"; changes: TemplateChanges }
  | { event: "successSession.cancelled" }
  /** To a mentor who no longer hosts the session. */
  | { event: "successSession.hostRemoved" }
  | { event: "coaching.booked" }
  | { event: "coaching.cancelled" }
  | { event: "coaching.discordReady" }
  /** A coaching session moved to another time (epoch ms of its previous start and end). */
  | { event: "coaching.rescheduled"; previousStartsAt: number; previousEndsAt: number }
  | { event: "reminder"; lead: "24h" | "1h" };

/** A rendered email. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

// ── Time formatting ─────────────────────────────────────────────────────────────────────────────

const LOCALE = "en-GB";

/** `timeZone` when it is a valid IANA zone, else null. */
export function validTimeZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone }).format(0);
    return timeZone;
  } catch {
    return null;
  }
}

function zoneAbbreviation(at: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat(LOCALE, { timeZone, timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** "Tuesday 4 March 2025" / "Tue 4 Mar", assembled from parts so ICU versions agree on punctuation. */
function dateFromParts(at: number, timeZone: string, style: "long" | "short"): string {
  const parts = new Intl.DateTimeFormat(LOCALE, {
    weekday: style,
    day: "numeric",
    month: style,
    ...(style === "long" ? { year: "numeric" } : {}),
    timeZone,
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return [part("weekday"), part("day"), part("month"), style === "long" ? part("year") : ""].filter(Boolean).join(" ");
}

function dateText(at: number, timeZone: string): string {
  return dateFromParts(at, timeZone, "long");
}

function shortDateText(at: number, timeZone: string): string {
  return dateFromParts(at, timeZone, "short");
}

function clockText(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}

/**
 * A session's time for a person: "Tuesday 4 March 2025, 14:30–15:30 CET (Europe/Berlin)", or with
 * a second date when it ends on another day. Without a valid zone: UTC, written "… UTC".
 *
 * @param startsAt / endsAt epoch ms.
 */
export function formatSessionTime(startsAt: number, endsAt: number, timeZone: string | null | undefined): string {
  const zone = validTimeZone(timeZone) ?? "UTC";
  const zoneLabel = zone === "UTC" ? "UTC" : `${zoneAbbreviation(startsAt, zone)} (${zone})`;
  const startDate = dateText(startsAt, zone);
  const endDate = dateText(endsAt, zone);
  const range =
    startDate === endDate
      ? `${startDate}, ${clockText(startsAt, zone)}–${clockText(endsAt, zone)}`
      : `${startDate}, ${clockText(startsAt, zone)} – ${endDate}, ${clockText(endsAt, zone)}`;
  return `${range} ${zoneLabel}`;
}

/** Short start for subjects: "Tue 4 Mar, 14:30 CET" (UTC without a valid zone). */
function formatShortStart(startsAt: number, timeZone: string | null | undefined): string {
  const zone = validTimeZone(timeZone) ?? "UTC";
  return `${shortDateText(startsAt, zone)}, ${clockText(startsAt, zone)} ${zone === "UTC" ? "UTC" : zoneAbbreviation(startsAt, zone)}`;
}

// ── Blocks and rendering ────────────────────────────────────────────────────────────────────────

type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "fields"; rows: [label: string, value: string][] }
  | { kind: "link"; label: string; url: string }
  | { kind: "note"; text: string };

/** Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** True for absolute http(s) URLs (the only links rendered as anchors). */
function isWebUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}

/** Removes line breaks from text that goes into a subject line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

function renderText(greeting: string, blocks: Block[], footer: string): string {
  const parts = [greeting];
  for (const block of blocks) {
    if (block.kind === "paragraph" || block.kind === "note") parts.push(block.text);
    else if (block.kind === "fields") parts.push(block.rows.map(([label, value]) => `${label}: ${value}`).join("\n"));
    else parts.push(`${block.label}: ${block.url}`);
  }
  parts.push(`--\n${footer}`);
  return `${parts.join("\n\n")}\n`;
}

function multiline(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, "<br>");
}

function renderHtml(heading: string, greeting: string, blocks: Block[], footer: string): string {
  const body: string[] = [
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(heading)}</h1>`,
    `<p style="margin:0 0 12px">${escapeHtml(greeting)}</p>`,
  ];
  for (const block of blocks) {
    if (block.kind === "paragraph") body.push(`<p style="margin:0 0 12px">${multiline(block.text)}</p>`);
    else if (block.kind === "note") body.push(`<p style="margin:0 0 12px;color:#555;font-size:13px">${multiline(block.text)}</p>`);
    else if (block.kind === "fields") {
      const rows = block.rows
        .map(
          ([label, value]) =>
            `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0;color:#555;font-weight:600">${escapeHtml(label)}</th>` +
            `<td style="padding:4px 0">${multiline(value)}</td></tr>`,
        )
        .join("");
      body.push(`<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${rows}</table>`);
    } else {
      body.push(
        `<p style="margin:0 0 16px"><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 16px;background:#228be6;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(block.label)}</a></p>`,
      );
    }
  }
  body.push(`<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px"><p style="margin:0;color:#777;font-size:12px">${escapeHtml(footer)}</p>`);
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222">` +
    `<div style="max-width:560px;margin:0 auto;padding:24px">${body.join("")}</div></body></html>`
  );
}

/** A block of an email body (paragraph, note, label/value rows, or a button link), for templates kept in their own modules. */
export type EmailBlock = Block;

/**
 * Renders an email from blocks, as the session notices are (for templates kept in their own
 * modules, such as the attendance summary): the same blocks give the text and the HTML part.
 */
export function renderBlocksEmail(parts: { subject: string; heading: string; greeting: string; blocks: Block[]; footer: string }): RenderedEmail {
  return {
    subject: oneLine(parts.subject),
    text: renderText(parts.greeting, parts.blocks, parts.footer),
    html: renderHtml(parts.heading, parts.greeting, parts.blocks, parts.footer),
  };
}

// ── Notices ─────────────────────────────────────────────────────────────────────────────────────

const FOOTER = "Sessions Hub. You receive this email because of a session you take part in.";

/** The session's name as the recipient sees it (coaching: "Coaching with <the other person>"). */
function sessionName(session: TemplateSession, recipient: TemplateRecipient): string {
  if (session.kind === "coaching") {
    const other = recipient.isHost ? (session.guestName ?? "your student") : session.hostName;
    return `Coaching with ${other}`;
  }
  return session.title;
}

function sessionFields(session: TemplateSession, recipient: TemplateRecipient, zone: string | null): [string, string][] {
  const rows: [string, string][] = [["When", formatSessionTime(session.startsAt, session.endsAt, zone)]];
  if (session.kind === "coaching") {
    rows.push(recipient.isHost ? ["Student", session.guestName ?? "—"] : ["Coach", session.hostName]);
    if (session.detail) rows.push(["Product", session.detail]);
  } else {
    rows.push([session.hostRole, recipient.isHost ? `${session.hostName} (you)` : session.hostName]);
    if (session.detail) rows.push(["For", session.detail]);
  }
  if (session.joinUrl) rows.push(["Link", session.joinUrl]);
  if (session.passcode) rows.push(["Passcode", session.passcode]);
  return rows;
}

function joinBlocks(session: TemplateSession): Block[] {
  const blocks: Block[] = [];
  if (isWebUrl(session.joinUrl)) blocks.push({ kind: "link", label: session.joinLabel, url: session.joinUrl });
  if (isWebUrl(session.appUrl)) blocks.push({ kind: "link", label: "Open in Sessions Hub", url: session.appUrl });
  return blocks;
}

function zoneNote(zone: string | null): Block[] {
  return zone === null
    ? [{ kind: "note", text: "Times are in UTC because your profile has no time zone. Set yours on your profile page to see local times." }]
    : [];
}

function descriptionBlocks(session: TemplateSession): Block[] {
  return session.description.trim() ? [{ kind: "paragraph", text: session.description.trim() }] : [];
}

/** What every notice definition reads: the session(s), the recipient and the texts derived from them. */
interface NoticeContext {
  /** True for one email about several occurrences of a series ({@link renderSeriesEmail}). */
  series: boolean;
  /** The session, or the first of the series' occurrences. */
  session: TemplateSession;
  recipient: TemplateRecipient;
  /** The recipient's valid zone, or null (times then in UTC). */
  zone: string | null;
  /** The session's name as the recipient sees it. */
  name: string;
  /** Short start for subjects: "Tue 4 Mar, 14:30 CET". */
  when: string;
  /** The session's full time: "Tuesday 4 March 2025, 14:30–15:30 CET (Europe/Berlin)". */
  time: string;
  /** "1 session" / "6 sessions" (series). */
  sessionsWord: string;
  /** The session's label/value rows ("When" left out for a series, whose dates are listed instead). */
  fields: Block;
  /** The series' dates, one per line (series). */
  dates: Block;
}

/** One notice: its subject, heading and body, for one session and (success sessions) for a series. */
interface NoticeDefinition<N> {
  subject: (c: NoticeContext, notice: N) => string;
  heading: (c: NoticeContext, notice: N) => string;
  blocks: (c: NoticeContext, notice: N) => Block[];
}

type Definitions = { [E in TemplateNotice["event"]]: NoticeDefinition<Extract<TemplateNotice, { event: E }>> };

const paragraph = (text: string): Block => ({ kind: "paragraph", text });
const note = (text: string): Block => ({ kind: "note", text });

/** "New time: … (was …)" in the recipient's zone. */
function movedText(c: NoticeContext, previousStartsAt: number, previousEndsAt: number): string {
  return `New time: ${c.time} (was ${formatSessionTime(previousStartsAt, previousEndsAt, c.zone)})`;
}

/** The notices, one definition per event (SPEC §7). */
const NOTICES: Definitions = {
  "successSession.created": {
    subject: (c) => (c.series ? `New sessions: ${c.name} (${c.sessionsWord} from ${c.when})` : `New session: ${c.name} (${c.when})`),
    heading: (c) => (c.series ? "New sessions were scheduled" : "A new session was scheduled"),
    blocks: (c) =>
      c.series
        ? [
            paragraph(c.recipient.isHost ? `You are the mentor of ${c.sessionsWord}: ${c.name}.` : `${c.sessionsWord} of ${c.name} were scheduled for you:`),
            c.dates,
            c.fields,
            ...descriptionBlocks(c.session),
            ...joinBlocks(c.session),
            note("The attached calendar file adds them all to your calendar."),
          ]
        : [
            paragraph(c.recipient.isHost ? `You are the mentor of a new session: ${c.name}.` : `A new session was scheduled for you: ${c.name}.`),
            c.fields,
            ...descriptionBlocks(c.session),
            ...joinBlocks(c.session),
            note("The attached invitation adds it to your calendar."),
          ],
  },
  "successSession.changed": {
    subject: (c) => (c.series ? `Sessions changed: ${c.name} (${c.sessionsWord})` : `Session changed: ${c.name} (${c.when})`),
    heading: (c) => (c.series ? "Sessions were changed" : "A session was changed"),
    blocks: (c, { changes }) => {
      const newHost = changes.previousHostName !== undefined;
      if (c.series) {
        return [
          paragraph(
            c.recipient.isHost && newHost
              ? `You are now the mentor of ${c.sessionsWord} of ${c.name}. Their times:`
              : `${c.sessionsWord} of ${c.name} changed. Their times now:`,
          ),
          c.dates,
          ...(newHost ? [paragraph(`New mentor: ${c.session.hostName} (was ${changes.previousHostName})`)] : []),
          c.fields,
          ...joinBlocks(c.session),
          note("The attached calendar file updates them in your calendar."),
        ];
      }
      const lines: string[] = [];
      if (changes.previousStartsAt !== undefined) {
        const previousEnd = changes.previousEndsAt ?? changes.previousStartsAt + (c.session.endsAt - c.session.startsAt);
        lines.push(movedText(c, changes.previousStartsAt, previousEnd));
      }
      if (newHost) lines.push(`New mentor: ${c.session.hostName} (was ${changes.previousHostName})`);
      if (changes.linkChanged) lines.push(`New meeting link: ${c.session.joinUrl ?? "none"}`);
      if (lines.length === 0) lines.push("The session's details were updated.");
      return [
        paragraph(c.recipient.isHost && newHost ? `You are now the mentor of ${c.name}.` : `${c.name} was changed.`),
        paragraph(lines.join("\n")),
        c.fields,
        ...joinBlocks(c.session),
        note("The attached invitation updates the event in your calendar."),
      ];
    },
  },
  "successSession.cancelled": {
    subject: (c) => `Cancelled: ${c.name} (${c.series ? c.sessionsWord : c.when})`,
    heading: (c) => (c.series ? "Sessions were cancelled" : "A session was cancelled"),
    blocks: (c) =>
      c.series
        ? [paragraph(`These ${c.sessionsWord} of ${c.name} were cancelled:`), c.dates, note("The attached calendar file marks them as cancelled.")]
        : [paragraph(`${c.name} on ${c.time} was cancelled.`), note("The attached cancellation removes it from your calendar.")],
  },
  "successSession.hostRemoved": {
    subject: (c) => `You no longer host: ${c.name} (${c.series ? c.sessionsWord : c.when})`,
    heading: (c) => (c.series ? "You are no longer the mentor of these sessions" : "You are no longer the mentor of a session"),
    blocks: (c) =>
      c.series
        ? [paragraph(`${c.session.hostName} now hosts these ${c.sessionsWord} of ${c.name}. You don't need to attend:`), c.dates]
        : [
            paragraph(`${c.session.hostName} now hosts ${c.name} on ${c.time}. You don't need to attend.`),
            note("The attached cancellation removes it from your calendar."),
          ],
  },
  "coaching.booked": {
    subject: (c) => `Coaching booked: ${c.name} (${c.when})`,
    heading: () => "Your coaching session is booked",
    blocks: (c) => [
      paragraph(
        c.recipient.isHost
          ? `${c.session.guestName ?? "A student"} booked a coaching session with you.`
          : `Your coaching session with ${c.session.hostName} is booked.`,
      ),
      c.fields,
      paragraph(
        c.session.joinUrl
          ? "You will meet in a private Discord voice channel."
          : "You will meet in a private Discord voice channel. We'll email you the link as soon as it's ready.",
      ),
      ...joinBlocks(c.session),
      note("The attached invitation adds it to your calendar."),
    ],
  },
  "coaching.cancelled": {
    subject: (c) => `Coaching cancelled: ${c.name} (${c.when})`,
    heading: () => "A coaching session was cancelled",
    blocks: (c) => [paragraph(`${c.name} on ${c.time} was cancelled.`), note("The attached cancellation removes it from your calendar.")],
  },
  "coaching.rescheduled": {
    subject: (c) => `Coaching moved: ${c.name} (${c.when})`,
    heading: () => "A coaching session was moved",
    blocks: (c, notice) => [
      paragraph(movedText(c, notice.previousStartsAt, notice.previousEndsAt)),
      c.fields,
      ...joinBlocks(c.session),
      note("The attached invitation moves the event in your calendar."),
    ],
  },
  "coaching.discordReady": {
    subject: (c) => `Your Discord channel is ready: ${c.name} (${c.when})`,
    heading: () => "Your private Discord channel is ready",
    blocks: (c) => [
      paragraph(
        c.session.joinUrl
          ? "The private voice channel for your coaching session is ready. Open it from Discord at the start time."
          : "The private voice channel for your coaching session is ready. Open it from the coaching page in Sessions Hub.",
      ),
      c.fields,
      note("If you can't see the channel, link your Discord account on your profile page so we can give you access."),
      ...joinBlocks(c.session),
    ],
  },
  reminder: {
    subject: (c, { lead }) => (lead === "24h" ? `Tomorrow: ${c.name} (${c.when})` : `Starting in 1 hour: ${c.name} (${c.when})`),
    heading: (_c, { lead }) => (lead === "24h" ? "Reminder: your session is tomorrow" : "Reminder: your session starts in 1 hour"),
    blocks: (c, { lead }) => [paragraph(lead === "24h" ? `${c.name} starts in 24 hours.` : `${c.name} starts in 1 hour.`), c.fields, ...joinBlocks(c.session)],
  },
};

/** The one renderer of {@link NOTICES}: for one session, or for several occurrences of a series (`series`). */
function renderNotice<N extends TemplateNotice>(notice: N, sessions: readonly TemplateSession[], recipient: TemplateRecipient, series: boolean): RenderedEmail {
  const zone = validTimeZone(recipient.timeZone);
  const session = sessions[0];
  const count = sessions.length;
  const rows = sessionFields(session, recipient, zone);
  const context: NoticeContext = {
    series,
    session,
    recipient,
    zone,
    name: series ? session.title : sessionName(session, recipient),
    when: formatShortStart(session.startsAt, zone),
    time: formatSessionTime(session.startsAt, session.endsAt, zone),
    sessionsWord: count === 1 ? "1 session" : `${count} sessions`,
    fields: { kind: "fields", rows: series ? rows.filter(([label]) => label !== "When") : rows },
    dates: paragraph(sessions.map((each) => `• ${formatSessionTime(each.startsAt, each.endsAt, zone)}`).join("\n")),
  };
  const definition = NOTICES[notice.event] as NoticeDefinition<N>;
  return renderBlocksEmail({
    subject: definition.subject(context, notice),
    heading: definition.heading(context, notice),
    greeting: `Hello ${recipient.name || "there"},`,
    blocks: [...definition.blocks(context, notice), ...zoneNote(zone)],
    footer: FOOTER,
  });
}

/**
 * Renders `notice` about `session` for `recipient`.
 *
 * @returns subject, plain text and HTML (a full document with inline styles).
 */
export function renderSessionEmail(notice: TemplateNotice, session: TemplateSession, recipient: TemplateRecipient): RenderedEmail {
  return renderNotice(notice, [session], recipient, false);
}

// ── Several sessions at once (a recurring series) ───────────────────────────────────────────────

/** A notice about several occurrences of one series, sent as one email per recipient. */
type SeriesTemplateNotice =
  | { event: "created" }
  | { event: "changed"; previousHostName?: string }
  | { event: "cancelled" }
  /** To a mentor who no longer hosts these sessions. */
  | { event: "hostRemoved" };

/** The success-session notice a series notice is rendered with. */
function seriesNotice(notice: SeriesTemplateNotice): TemplateNotice {
  switch (notice.event) {
    case "created":
      return { event: "successSession.created" };
    case "changed":
      return { event: "successSession.changed", changes: notice.previousHostName !== undefined ? { previousHostName: notice.previousHostName } : {} };
    case "cancelled":
      return { event: "successSession.cancelled" };
    case "hostRemoved":
      return { event: "successSession.hostRemoved" };
  }
}

/**
 * One email about several sessions of a series (`sessions` in start order, at least one): what
 * happened and the list of dates in the recipient's zone.
 */
export function renderSeriesEmail(notice: SeriesTemplateNotice, sessions: TemplateSession[], recipient: TemplateRecipient): RenderedEmail {
  return renderNotice(seriesNotice(notice), sessions, recipient, true);
}
