import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../convex/_generated/api";
import type { CoachingSessionStatus, ProvisioningState } from "../../../convex/tables/coaching";

/**
 * Shared words and small pure helpers of the coaching pages: session and Discord states in plain
 * language, free slots grouped by day, and the wall-clock minutes of weekly availability.
 */

/** A coaching session as `coaching.myBookings` / `coaching.coachSessions` / `discordAdmin.listSessions` return it. */
export type CoachingSessionView = FunctionReturnType<typeof api.coaching.getSession>;
/** A coaching product as `coaching.listProducts` returns it. */
export type CoachingProductView = FunctionReturnType<typeof api.coaching.listProducts>[number];
/** One free slot of `coaching.listSlots`. */
export type FreeSlot = FunctionReturnType<typeof api.coaching.listSlots>["slots"][number];

/** Label and colour of each session status. */
export const SESSION_STATUS_LABELS: Record<CoachingSessionStatus, { label: string; color: string }> = {
  SCHEDULED: { label: "Scheduled", color: "blue" },
  IN_PROGRESS: { label: "In progress", color: "green" },
  COMPLETED: { label: "Completed", color: "teal" },
  CANCELLED: { label: "Cancelled", color: "red" },
};

/** Who reads a Discord state: the session's student, its coach, or an admin on the dashboard. */
export type Audience = "student" | "coach" | "admin";

/**
 * A session's Discord provisioning state in words for `audience`: a short `label` (for a badge or a
 * line of text), its colour, and an optional sentence explaining what happens next.
 */
export function describeProvisioning(
  state: ProvisioningState,
  audience: Audience,
): { label: string; color: string; explanation?: string } {
  const your = audience === "student" ? "your" : "the";
  switch (state) {
    case "pending":
      return audience === "admin"
        ? { label: "Pending", color: "blue", explanation: "Provisioning is scheduled." }
        : { label: `Preparing ${your} private Discord channel…`, color: "blue" };
    case "provisioning":
      return audience === "admin"
        ? { label: "Provisioning", color: "blue", explanation: "Creating the role and channel now." }
        : { label: `Preparing ${your} private Discord channel…`, color: "blue" };
    case "waiting_for_window":
      return {
        label: audience === "admin" ? "Waiting for capacity" : "Waiting for room on the Discord server",
        color: "yellow",
        explanation:
          audience === "admin"
            ? "The guild is at one of its limits; provisioning resumes when cleanup frees room."
            : `${audience === "student" ? "Your" : "The"} private channel is created as soon as the server has room.`,
      };
    case "ready":
      return { label: "Ready", color: "green" };
    case "failed":
      return audience === "admin"
        ? { label: "Failed", color: "red" }
        : {
            label: "Discord channel not ready",
            color: "orange",
            explanation: "Setting up the private channel ran into a problem. An administrator can retry it.",
          };
    case "cleaning":
      return { label: audience === "admin" ? "Cleaning up" : "Removing the Discord channel…", color: "gray" };
    case "cleaned":
      return { label: audience === "admin" ? "Cleaned up" : "Discord channel removed", color: "gray" };
    case "not_configured":
      return {
        label: "Discord not configured",
        color: "gray",
        explanation:
          audience === "admin"
            ? "Set the DISCORD_* variables on the deployment, then retry."
            : "The booking stands; this server does not create private Discord channels.",
      };
  }
}

/** Every provisioning state in the order of a session's life (for filters). */
export const PROVISIONING_STATES: ProvisioningState[] = [
  "pending",
  "waiting_for_window",
  "provisioning",
  "ready",
  "failed",
  "cleaning",
  "cleaned",
  "not_configured",
];

/** True when a session is over for Discord's purposes: cancelled, completed or past its end. */
export function isSessionOver(session: Pick<CoachingSessionView, "status" | "endTime">, now: number): boolean {
  return session.status === "CANCELLED" || session.status === "COMPLETED" || session.endTime <= now;
}

/** "$99.00" for 9900 cents (the browser's locale, US dollars). */
export function formatPrice(priceCents: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(priceCents / 100);
}

/** Free slots grouped by their `localDate` ("YYYY-MM-DD"), days in ascending order. */
export function groupSlotsByDay(slots: readonly FreeSlot[]): Map<string, FreeSlot[]> {
  const days = new Map<string, FreeSlot[]>();
  for (const slot of [...slots].sort((a, b) => a.startTime - b.startTime)) {
    const list = days.get(slot.localDate);
    if (list === undefined) days.set(slot.localDate, [slot]);
    else list.push(slot);
  }
  return days;
}

/** `date` ("YYYY-MM-DD") plus `days` calendar days, as "YYYY-MM-DD". */
export function addDaysToDate(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The `count` consecutive calendar days starting at `from` ("YYYY-MM-DD"). */
export function daysFrom(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addDaysToDate(from, index));
}

/** A calendar day ("2026-03-02") in words, e.g. "Mon, 2 Mar" (locale order); `long` adds the year and full weekday. */
export function formatCalendarDay(date: string, { long = false, locale }: { long?: boolean; locale?: string } = {}): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, {
    weekday: long ? "long" : "short",
    day: "numeric",
    month: long ? "long" : "short",
    ...(long ? { year: "numeric" } : {}),
    timeZone: "UTC",
  }).format(Date.UTC(year, month - 1, day));
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return addDaysToDate(value, 0) === value;
}

// ---------------------------------------------------------------------------------------------
// Weekly availability

/** Weekday names by number (0 = Sunday … 6 = Saturday, as the server stores them). */
export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
/** Weekdays in the order the editor lists them (Monday first). */
export const WEEKDAYS_MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const;
/** Availability boundaries are multiples of this many minutes (the server's rule). */
export const AVAILABILITY_STEP_MINUTES = 5;
const DAY_MINUTES = 24 * 60;

/** "09:30" for minutes after midnight; 1440 (midnight at the end of the day) is written "00:00". */
export function minuteToTime(minute: number): string {
  const wrapped = minute % DAY_MINUTES;
  return `${String(Math.floor(wrapped / 60)).padStart(2, "0")}:${String(wrapped % 60).padStart(2, "0")}`;
}

/**
 * Minutes after midnight of a "HH:MM" time, or null when it is not one. With `asEnd`, "00:00" means
 * the midnight that ends the day (1440).
 */
export function timeToMinute(time: string, { asEnd = false }: { asEnd?: boolean } = {}): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  const minute = hours * 60 + minutes;
  return asEnd && minute === 0 ? DAY_MINUTES : minute;
}

/** One interval as the editor holds it: "HH:MM" texts. */
export type IntervalDraft = { key: string; start: string; end: string };

/** A weekly window as the server takes it. */
export type WeeklyWindow = { weekday: number; startMinute: number; endMinute: number };

/**
 * Checks the editor's intervals the way the server will (times in steps of 5 minutes, end after
 * start, no overlaps within a day).
 * @returns the windows to save, and a message per interval key that is wrong (empty when all are fine).
 */
export function checkAvailability(days: Record<number, IntervalDraft[]>): { windows: WeeklyWindow[]; errors: Record<string, string> } {
  const windows: WeeklyWindow[] = [];
  const errors: Record<string, string> = {};
  for (const weekday of WEEKDAYS_MONDAY_FIRST) {
    const parsed: { key: string; startMinute: number; endMinute: number }[] = [];
    for (const interval of days[weekday] ?? []) {
      const startMinute = timeToMinute(interval.start);
      const endMinute = timeToMinute(interval.end, { asEnd: true });
      if (startMinute === null || endMinute === null) {
        errors[interval.key] = "Enter a start and an end time.";
      } else if (startMinute % AVAILABILITY_STEP_MINUTES !== 0 || endMinute % AVAILABILITY_STEP_MINUTES !== 0) {
        errors[interval.key] = `Use times in steps of ${AVAILABILITY_STEP_MINUTES} minutes.`;
      } else if (endMinute <= startMinute) {
        errors[interval.key] = "The end must be after the start.";
      } else {
        parsed.push({ key: interval.key, startMinute, endMinute });
      }
    }
    parsed.sort((a, b) => a.startMinute - b.startMinute);
    for (let index = 1; index < parsed.length; index += 1) {
      const previous = parsed[index - 1];
      const current = parsed[index];
      if (current.startMinute < previous.endMinute) {
        errors[current.key] = `Overlaps ${minuteToTime(previous.startMinute)}–${minuteToTime(previous.endMinute)}.`;
      }
    }
    for (const { startMinute, endMinute } of parsed) windows.push({ weekday, startMinute, endMinute });
  }
  return { windows, errors };
}
