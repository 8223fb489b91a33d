/**
 * Test helpers of the notification tests (not a Convex module: the file name has two dots).
 * Time is driven with vitest's fake timers; the fake Resend server runs on the real clock.
 */
import { inject, vi } from "vitest";
import type { Doc, Id } from "../../_generated/dataModel";
import type { TestBackend } from "../../../testing/convex";
import { FakeResendControl, type FakeResendAccount } from "../../../testing/fakeResend/controlClient";
import { HOUR_MS } from "../time/units";
import { sessionTimes } from "../coaching/timeNames";

/** The real `setTimeout`, captured before any test fakes timers. */
const realSetTimeout = globalThis.setTimeout.bind(globalThis);

/** Waits `ms` of real time (fake timers do not affect it). */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/**
 * Moves fake time forward by `ms` in steps of `step` ms, running every scheduled function that
 * becomes due (and waiting for those that do network I/O) at each step.
 */
export async function advance(t: TestBackend, ms: number, step = 250): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    vi.advanceTimersByTime(Math.min(step, end - Date.now()));
    await t.finishInProgressScheduledFunctions();
  }
}

/** Runs what is due now (scheduled with no delay) without moving time. */
export async function settle(t: TestBackend): Promise<void> {
  for (let i = 0; i < 5; i++) {
    vi.advanceTimersByTime(0);
    await t.finishInProgressScheduledFunctions();
  }
}

/**
 * A fresh fake Resend account, with RESEND_API_KEY, RESEND_BASE_URL and EMAIL_FROM stubbed so the
 * app sends to it. Call `vi.unstubAllEnvs()` after the test.
 */
export async function useFakeResend(): Promise<FakeResendAccount> {
  const account = await new FakeResendControl(inject("fakeResendUrl")).createAccount();
  for (const [name, value] of Object.entries(account.env())) vi.stubEnv(name, value);
  vi.stubEnv("EMAIL_FROM", "Sessions Hub <sessions@hub.example>");
  vi.stubEnv("SITE_URL", "https://hub.example");
  return account;
}

/** Every outbox row. */
export async function outboxRows(t: TestBackend) {
  return await t.run((ctx) => ctx.db.query("emailOutbox").collect());
}

/**
 * Inserts a success session the way the success-sessions feature stores one.
 * Defaults: starts in 3 days, 60 minutes, upcoming, sequence 0.
 */
export async function insertSuccessSession(
  t: TestBackend,
  fields: {
    courseId: Id<"courses">;
    batchId: Id<"batches"> | null;
    mentorId: Id<"users">;
    title?: string;
    startsAt?: number;
    status?: "upcoming" | "live" | "completed" | "cancelled";
    meetingUrl?: string;
    sequence?: number;
  },
): Promise<Id<"successSessions">> {
  const startsAt = fields.startsAt ?? Date.now() + 72 * HOUR_MS;
  return await t.run((ctx) =>
    ctx.db.insert("successSessions", {
      title: fields.title ?? "Career kick-off",
      description: "Bring your CV.",
      courseId: fields.courseId,
      batchId: fields.batchId,
      mentorId: fields.mentorId,
      startsAt,
      endsAt: startsAt + HOUR_MS,
      timeZone: "Europe/Berlin",
      status: fields.status ?? "upcoming",
      meetingUrl: fields.meetingUrl ?? "https://zoom.example/j/123",
      sequence: fields.sequence ?? 0,
      createdBy: fields.mentorId,
    }),
  );
}

/** Sets fields of a coaching session's Discord space (e.g. `{ state: "failed" }`), as provisioning would. */
export async function patchDiscordSpace(
  t: TestBackend,
  sessionId: Id<"coachingSessions">,
  fields: Partial<Pick<Doc<"discordSpaces">, "state" | "nextAttemptAt" | "lastError">>,
): Promise<void> {
  await t.run(async (ctx) => {
    const space = await ctx.db.query("discordSpaces").withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId)).unique();
    if (space === null) throw new Error(`coaching session ${sessionId} has no Discord space`);
    await ctx.db.patch("discordSpaces", space._id, fields);
  });
}

/** Inserts a coaching product and a booked (SCHEDULED) coaching session. Starts in 3 days by default. */
export async function insertCoachingSession(
  t: TestBackend,
  fields: { coachId: Id<"users">; studentId: Id<"users">; startsAt?: number; discordChannelId?: string },
): Promise<Id<"coachingSessions">> {
  const startTime = fields.startsAt ?? Date.now() + 72 * HOUR_MS;
  return await t.run(async (ctx) => {
    const productId = await ctx.db.insert("products", { title: "1:1 coaching", description: "", kind: "coaching", status: "active" });
    const coachingProductId = await ctx.db.insert("coachingProducts", {
      productId,
      title: "Interview coaching",
      description: "Mock interview",
      durationMinutes: 45,
      priceCents: 0,
      coachIds: [fields.coachId],
      active: true,
    });
    const sessionId = await ctx.db.insert("coachingSessions", {
      coachId: fields.coachId,
      studentId: fields.studentId,
      coachingProductId,
      productId,
      ...sessionTimes(startTime, startTime + 45 * 60 * 1000),
      durationMinutes: 45,
      status: "SCHEDULED",
      notes: "",
      reminderSent: false,
      bookedBy: fields.studentId,
    });
    await ctx.db.insert("discordSpaces", {
      sessionId,
      ...sessionTimes(startTime, startTime + 45 * 60 * 1000),
      key: `key${Math.random().toString(36).slice(2, 7)}`,
      ...(fields.discordChannelId ? { channelId: fields.discordChannelId } : {}),
      state: "pending",
      setupComplete: false,
      roleGrantedTo: [],
      roleCreateAttempted: false,
      channelCreateAttempted: false,
      attempts: 0,
    });
    return sessionId;
  });
}
