import { Webhook } from "svix";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { errorCodeOf, newTest, seedCourse, seedEnrollment, seedUser, type TestBackend } from "../testing/convex";
import { CLAIM_DURATION_MS, emailEventTitle, emailIdempotencyKey, enqueueEmail, MAX_ATTEMPTS, RETRY_BASE_DELAY_MS } from "./model/notifications/outbox";
import {
  advance,
  insertCoachingSession,
  insertSuccessSession,
  outboxRows,
  realDelay,
  settle,
  useFakeResend,
} from "./model/notifications/notifications.testkit";
import { notifySeriesEvent, notifySessionEvent } from "./model/notifications/sessionNotices";
import { HOUR_MS } from "./model/time/units";
import type { FaultRequest } from "../testing/fakeResend/controlClient";

const WEBHOOK_SECRET = `whsec_${btoa("sessions-hub-resend-webhook-secret")}`;

function testEmail(key: string, to = "ada@example.com") {
  return { idempotencyKey: key, event: "test.event", entityId: "test-1", to, subject: "Hello", text: "Hi", html: "<p>Hi</p>" };
}

async function enqueue(t: TestBackend, key: string, to?: string) {
  return await t.run((ctx) => enqueueEmail(ctx, testEmail(key, to), Date.now()));
}

async function emailById(t: TestBackend, emailId: Id<"emailOutbox">) {
  return await t.run((ctx) => ctx.db.get("emailOutbox", emailId));
}

/** Fake Resend that answers with `fault`, and one email enqueued under `idempotencyKey` whose first attempt has run. */
async function firstAttemptAnsweredWith(fault: FaultRequest, idempotencyKey: string) {
  const account = await useFakeResend();
  await account.addFault(fault);
  const t = newTest();
  const { emailId } = await enqueue(t, idempotencyKey);
  await advance(t, 1_000);
  return { account, t, emailId };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("durable email through Resend", () => {
  test("without RESEND_API_KEY an email is recorded as not_sent and nothing is scheduled", async () => {
    vi.stubEnv("RESEND_API_KEY", "");
    const t = newTest();
    const { emailId, created } = await enqueue(t, "k/no-key");
    expect(created).toBe(true);
    const email = await emailById(t, emailId);
    expect(email).toMatchObject({ status: "not_sent", attempts: 0 });
    expect(email?.lastError).toContain("RESEND_API_KEY");
    const scheduled = await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
    expect(scheduled).toHaveLength(0);
  });

  test("sends once with the idempotency key as Idempotency-Key; enqueueing the same key again is a no-op", async () => {
    const account = await useFakeResend();
    const t = newTest();
    const first = await enqueue(t, "test.event/test-1/user-1/0");
    const again = await enqueue(t, "test.event/test-1/user-1/0");
    expect(again).toEqual({ emailId: first.emailId, created: false });
    await advance(t, 2_000);

    const emails = await account.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      idempotencyKey: "test.event/test-1/user-1/0",
      from: "Sessions Hub <sessions@hub.example>",
      to: ["ada@example.com"],
      subject: "Hello",
      text: "Hi",
      html: "<p>Hi</p>",
    });
    expect(await emailById(t, first.emailId)).toMatchObject({ status: "sent", attempts: 1, providerMessageId: emails[0].id });
  });

  test("a 5xx after Resend accepted the email is retried with the same key and delivers exactly one email", async () => {
    const { account, t, emailId } = await firstAttemptAnsweredWith({ status: 503, accepted: true }, "k/accepted-503");
    expect(await emailById(t, emailId)).toMatchObject({ status: "queued", attempts: 1 });

    await advance(t, RETRY_BASE_DELAY_MS + 1_000);
    const requests = await account.requests();
    expect(requests.map((request) => [request.status, request.outcome])).toEqual([
      [503, "fault"],
      [200, "replayed"],
    ]);
    expect(requests.every((request) => request.idempotencyKey === "k/accepted-503")).toBe(true);
    const emails = await account.emails();
    expect(emails).toHaveLength(1);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent", attempts: 2, providerMessageId: emails[0].id });
  });

  test("a 5xx before acceptance is retried with exponential backoff until it goes through", async () => {
    const { account, t, emailId } = await firstAttemptAnsweredWith({ status: 500, count: 2 }, "k/500-twice");
    const afterFirst = await emailById(t, emailId);
    expect(afterFirst).toMatchObject({ status: "queued", attempts: 1 });
    const firstRetryAt = afterFirst!.nextAttemptAt!;
    await advance(t, firstRetryAt - Date.now() + 500);
    const afterSecond = await emailById(t, emailId);
    expect(afterSecond).toMatchObject({ status: "queued", attempts: 2 });
    // The second wait is twice the first.
    expect(afterSecond!.nextAttemptAt! - afterSecond!.statusChangedAt).toBeGreaterThanOrEqual(2 * RETRY_BASE_DELAY_MS);
    await advance(t, afterSecond!.nextAttemptAt! - Date.now() + 500);
    expect(await account.emails()).toHaveLength(1);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent", attempts: 3 });
  });

  test("a request that times out after Resend accepted it is retried without a second email", async () => {
    const account = await useFakeResend();
    vi.stubEnv("RESEND_TIMEOUT_MS", "200");
    await account.addFault({ accepted: true, delayMs: 600 });
    const t = newTest();
    const { emailId } = await enqueue(t, "k/timeout");
    // The request's own timeout is a timer too: keep fake time moving while the request hangs.
    vi.advanceTimersByTime(0);
    let attemptDone = false;
    const attempt = t.finishInProgressScheduledFunctions().then(() => (attemptDone = true));
    while (!attemptDone) {
      vi.advanceTimersByTime(50);
      await realDelay(5);
    }
    await attempt;
    const afterTimeout = await emailById(t, emailId);
    expect(afterTimeout).toMatchObject({ status: "queued", attempts: 1 });
    expect(afterTimeout?.lastError).toMatch(/network error or timeout/);
    await realDelay(700); // the fake finishes the held-back request
    await advance(t, RETRY_BASE_DELAY_MS + 1_000);
    expect(await account.emails()).toHaveLength(1);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent" });
  });

  test("an attempt that died after claiming the email is retried when its claim expires", async () => {
    const account = await useFakeResend();
    const t = newTest();
    const { emailId } = await enqueue(t, "k/crashed");
    // An action claims the email, then dies before calling Resend or recording anything.
    const claimed = await t.mutation(internal.notifications.claimEmail, { emailId });
    expect(claimed).toMatchObject({ attempt: 1, idempotencyKey: "k/crashed" });
    await advance(t, 1_000); // the originally scheduled run finds the email claimed and leaves it
    expect(await emailById(t, emailId)).toMatchObject({ status: "sending", attempts: 1 });
    expect(await account.requests()).toHaveLength(0);

    await advance(t, CLAIM_DURATION_MS);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await account.emails()).toHaveLength(1);
  });

  test("a 429 is waited out using retry-after (rescheduled, not slept) and then sent", async () => {
    const { account, t, emailId } = await firstAttemptAnsweredWith({ status: 429, retryAfterSeconds: 20 }, "k/429");
    const limited = await emailById(t, emailId);
    expect(limited).toMatchObject({ status: "queued", attempts: 1 });
    expect(limited!.nextAttemptAt! - limited!.statusChangedAt).toBeGreaterThanOrEqual(20_000);

    await advance(t, 15_000);
    expect(await account.requests()).toHaveLength(1);
    await advance(t, 6_000);
    expect((await account.requests()).map((request) => request.status)).toEqual([429, 200]);
    expect(await account.emails()).toHaveLength(1);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent", attempts: 2 });
  });

  test("a 4xx rejection fails at once; repeated 5xx give up after the retry budget", async () => {
    const account = await useFakeResend();
    const t = newTest();
    await account.addFault({ status: 422 });
    const rejected = await enqueue(t, "k/422");
    await advance(t, 1_000);
    expect(await emailById(t, rejected.emailId)).toMatchObject({ status: "failed", attempts: 1 });

    await account.addFault({ status: 502, count: MAX_ATTEMPTS });
    const hopeless = await enqueue(t, "k/502-forever");
    await advance(t, 4 * 60 * 60 * 1000, 60_000);
    const email = await emailById(t, hopeless.emailId);
    expect(email).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(email?.lastError).toMatch(/Gave up after 8 attempts/);
    expect(await account.emails()).toHaveLength(0);
  });

  test("requests are paced to RESEND_REQUESTS_PER_SECOND (default 2 a second)", async () => {
    await useFakeResend();
    const t = newTest();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await enqueue(t, `k/paced-${i}`)).emailId);
    const slots = await Promise.all(ids.map(async (id) => (await emailById(t, id))!.nextAttemptAt!));
    expect(slots.slice(1).map((slot, i) => slot - slots[i])).toEqual([500, 500, 500]);

    vi.stubEnv("RESEND_REQUESTS_PER_SECOND", "5");
    const next = await enqueue(t, "k/paced-fast");
    const after = await enqueue(t, "k/paced-fast-2");
    expect((await emailById(t, after.emailId))!.nextAttemptAt! - (await emailById(t, next.emailId))!.nextAttemptAt!).toBe(200);
  });

  test("an email with no usable address is recorded as failed and never sent", async () => {
    const account = await useFakeResend();
    const t = newTest();
    const { emailId } = await enqueue(t, "k/bad-address", "not-an-address");
    await advance(t, 1_000);
    expect(await emailById(t, emailId)).toMatchObject({ status: "failed" });
    expect(await account.requests()).toHaveLength(0);
  });
});

describe("session notices", () => {
  async function classroom(t: TestBackend) {
    const mentor = await seedUser(t, { roles: ["mentor"], name: "Grace Mentor", email: "grace@example.com", timeZone: "America/New_York" });
    const ada = await seedUser(t, { roles: ["student"], name: "Ada", email: "ada@example.com", timeZone: "Europe/Berlin" });
    const alan = await seedUser(t, { roles: ["student"], name: "Alan", email: "alan@example.com" });
    const otherBatch = await seedUser(t, { roles: ["student"], name: "Edsger", email: "edsger@example.com" });
    const paused = await seedUser(t, { roles: ["student"], name: "Paused", email: "paused@example.com" });
    const { courseId, batchIds } = await seedCourse(t, "Data Science", ["Batch 1", "Batch 2"]);
    await seedEnrollment(t, { studentId: ada.userId, courseId, batchId: batchIds["Batch 1"] });
    await seedEnrollment(t, { studentId: alan.userId, courseId, batchId: batchIds["Batch 1"] });
    await seedEnrollment(t, { studentId: otherBatch.userId, courseId, batchId: batchIds["Batch 2"] });
    await seedEnrollment(t, { studentId: paused.userId, courseId, batchId: batchIds["Batch 1"], status: "paused" });
    const sessionId = await insertSuccessSession(t, { courseId, batchId: batchIds["Batch 1"], mentorId: mentor.userId });
    return { mentor, ada, alan, courseId, batchIds, sessionId };
  }

  test("created: one email per targeted student and the mentor, each with a METHOD:REQUEST invite, once", async () => {
    const account = await useFakeResend();
    vi.stubEnv("SITE_URL", "https://hub.example/");
    const t = newTest();
    const { sessionId, ada } = await classroom(t);
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "created" }));
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "created" }));
    await settle(t);
    await advance(t, 3_000);

    const emails = await account.emails();
    expect(emails.map((email) => email.to[0]).sort()).toEqual(["ada@example.com", "alan@example.com", "grace@example.com"]);
    const toAda = emails.find((email) => email.to[0] === "ada@example.com")!;
    expect(toAda.idempotencyKey).toBe(
      emailIdempotencyKey({ event: "successSession.created", entityId: `success-${sessionId}`, recipientId: ada.userId, sequence: 0 }),
    );
    expect(toAda.subject).toMatch(/^New session: Career kick-off/);
    expect(toAda.text).toMatch(/(CET|CEST|GMT\+\d) \(Europe\/Berlin\)/);
    expect(toAda.attachments).toHaveLength(1);
    expect(toAda.attachments[0]).toMatchObject({ filename: "invite.ics", contentType: "text/calendar; method=REQUEST; charset=UTF-8" });
    expect(toAda.attachments[0].content).toContain("METHOD:REQUEST");
    expect(toAda.attachments[0].content).toContain(`UID:success-${sessionId}@sessions-hub`);
    // Each recipient's "Open in Sessions Hub" link leads to the page where they find the session.
    expect(toAda.text).toContain("Open in Sessions Hub: https://hub.example/sessions");
    const toMentor = emails.find((email) => email.to[0] === "grace@example.com")!;
    expect(toMentor.text).toContain("Open in Sessions Hub: https://hub.example/teach/success-sessions");
    const rows = await outboxRows(t);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.status === "sent")).toBe(true);
  });

  test("changed: new time, previous mentor gets a cancellation, a second call with the same sequence sends nothing", async () => {
    const account = await useFakeResend();
    const t = newTest();
    const { sessionId, mentor } = await classroom(t);
    const newMentor = await seedUser(t, { roles: ["mentor"], name: "Barbara", email: "barbara@example.com" });
    const before = await t.run((ctx) => ctx.db.get("successSessions", sessionId));
    await t.run((ctx) =>
      ctx.db.patch("successSessions", sessionId, {
        startsAt: before!.startsAt + 2 * 60 * 60 * 1000,
        endsAt: before!.endsAt + 2 * 60 * 60 * 1000,
        mentorId: newMentor.userId,
        sequence: 1,
      }),
    );
    const notice = {
      kind: "success" as const,
      entityId: sessionId,
      event: "changed" as const,
      changes: { previousStartsAt: before!.startsAt, previousEndsAt: before!.endsAt, previousMentorId: mentor.userId },
    };
    await t.run((ctx) => notifySessionEvent(ctx, notice));
    await settle(t);
    await advance(t, 3_000);
    await t.run((ctx) => notifySessionEvent(ctx, notice));
    await settle(t);
    await advance(t, 3_000);

    const emails = await account.emails();
    expect(emails.map((email) => email.to[0]).sort()).toEqual([
      "ada@example.com",
      "alan@example.com",
      "barbara@example.com",
      "grace@example.com",
    ]);
    const toGrace = emails.find((email) => email.to[0] === "grace@example.com")!;
    expect(toGrace.subject).toMatch(/^You no longer host/);
    expect(toGrace.attachments[0].content).toContain("METHOD:CANCEL");
    const toAda = emails.find((email) => email.to[0] === "ada@example.com")!;
    expect(toAda.text).toContain("New time:");
    expect(toAda.text).toContain("New mentor: Barbara (was Grace Mentor)");
    expect(toAda.attachments[0].content).toContain("SEQUENCE:1");
    const toBarbara = emails.find((email) => email.to[0] === "barbara@example.com")!;
    expect(toBarbara.text).toContain("You are now the mentor of Career kick-off.");
  });

  test("cancelled: METHOD:CANCEL with the same UID and the higher SEQUENCE; stale 'created' notices are dropped", async () => {
    const account = await useFakeResend();
    const t = newTest();
    const { sessionId } = await classroom(t);
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "created" }));
    await t.run((ctx) => ctx.db.patch("successSessions", sessionId, { status: "cancelled", sequence: 1 }));
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "cancelled" }));
    await settle(t);
    await advance(t, 3_000);
    const emails = await account.emails();
    expect(emails).toHaveLength(3);
    for (const email of emails) {
      expect(email.subject).toMatch(/^Cancelled: Career kick-off/);
      expect(email.attachments[0].content).toContain("METHOD:CANCEL");
      expect(email.attachments[0].content).toContain("SEQUENCE:1");
      expect(email.attachments[0].content).toContain("STATUS:CANCELLED");
      expect(email.attachments[0].content).toContain(`UID:success-${sessionId}@sessions-hub`);
    }
  });

  test("a series: one summary email per recipient listing every occurrence, each with its reminders", async () => {
    const account = await useFakeResend();
    const t = newTest();
    const { sessionId, courseId, batchIds, mentor } = await classroom(t);
    const first = (await t.run((ctx) => ctx.db.get("successSessions", sessionId)))!;
    const week = 7 * 24 * 60 * 60 * 1000;
    const later: Id<"successSessions">[] = [];
    for (let i = 1; i <= 2; i++) {
      later.push(await insertSuccessSession(t, { courseId, batchId: batchIds["Batch 1"], mentorId: mentor.userId, startsAt: first.startsAt + i * week }));
    }
    const ids = [sessionId, ...later];
    await t.run((ctx) => notifySeriesEvent(ctx, { kind: "success", entityIds: ids, event: "created" }));
    await settle(t);
    await advance(t, 3_000);

    const emails = await account.emails();
    expect(emails).toHaveLength(3);
    const toAda = emails.find((email) => email.to[0] === "ada@example.com")!;
    expect(toAda.subject).toMatch(/^New sessions: Career kick-off \(3 sessions from /);
    expect(toAda.text?.match(/^• /gm)).toHaveLength(3);
    const ics = toAda.attachments[0].content;
    for (const id of ids) expect(ics).toContain(`UID:success-${id}@sessions-hub`);
    expect(await reminderRows(t)).toHaveLength(6);

    for (const id of later) await t.run((ctx) => ctx.db.patch("successSessions", id, { status: "cancelled", sequence: 1 }));
    await t.run((ctx) => notifySeriesEvent(ctx, { kind: "success", entityIds: later, event: "cancelled" }));
    await settle(t);
    await advance(t, 3_000);
    const cancellations = (await account.emails()).filter((email) => email.subject.startsWith("Cancelled:"));
    expect(cancellations.map((email) => email.to[0]).sort()).toEqual(["ada@example.com", "alan@example.com", "grace@example.com"]);
    expect(cancellations[0].subject).toContain("(2 sessions)");
    const reminders = await reminderRows(t);
    expect(reminders.map((row) => row.entityId)).toEqual([sessionId, sessionId]);
  });

  test("coaching: booked and Discord channel ready go to the student and the coach", async () => {
    const account = await useFakeResend();
    vi.stubEnv("DISCORD_GUILD_ID", "111111111111111111");
    vi.stubEnv("SITE_URL", "https://hub.example");
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"], name: "Coach Carl", email: "carl@example.com" });
    const student = await seedUser(t, { roles: ["student"], name: "Stu", email: "stu@example.com" });
    const sessionId = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId });
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "booked" }));
    await settle(t);
    await advance(t, 2_000);
    await t.run(async (ctx) => {
      const space = await ctx.db
        .query("discordSpaces")
        .withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId))
        .unique();
      await ctx.db.patch("discordSpaces", space!._id, { channelId: "222222222222222222" });
    });
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "discordReady" }));
    await settle(t);
    await advance(t, 2_000);

    const emails = await account.emails();
    const subjects = emails.map((email) => `${email.to[0]} ${email.subject.split(":")[0]}`).sort();
    expect(subjects).toEqual([
      "carl@example.com Coaching booked",
      "carl@example.com Your Discord channel is ready",
      "stu@example.com Coaching booked",
      "stu@example.com Your Discord channel is ready",
    ]);
    const ready = emails.find((email) => email.to[0] === "stu@example.com" && email.subject.startsWith("Your Discord"))!;
    expect(ready.text).toContain("https://discord.com/channels/111111111111111111/222222222222222222");
    const booked = emails.find((email) => email.to[0] === "carl@example.com" && email.subject.startsWith("Coaching booked"))!;
    expect(booked.subject).toContain("Coaching with Stu");
    expect(booked.text).toContain("Open in Sessions Hub: https://hub.example/coaching/coach");
    expect(ready.text).toContain("Open in Sessions Hub: https://hub.example/coaching\n");
    expect(booked.attachments[0].content).toContain("METHOD:REQUEST");
  });
});

/** Fake Resend on, and a backend with a mentor (m@example.com) and a course. */
async function mentorAndCourse() {
  await useFakeResend();
  const t = newTest();
  const mentor = await seedUser(t, { roles: ["mentor"], email: "m@example.com" });
  const { courseId } = await seedCourse(t, "Course");
  return { t, mentor, courseId };
}

/** Every planned reminder (`sessionReminders` rows). */
async function reminderRows(t: TestBackend) {
  return await t.run((ctx) => ctx.db.query("sessionReminders").collect());
}

describe("reminders", () => {

  async function reminderEmails(t: TestBackend) {
    return (await outboxRows(t)).filter((row) => row.event.includes("reminder"));
  }

  test("24 h and 1 h reminders go to everyone, are recorded as sent, and never twice", async () => {
    const { t, mentor, courseId } = await mentorAndCourse();
    const student = await seedUser(t, { roles: ["student"], email: "s@example.com" });
    await seedEnrollment(t, { studentId: student.userId, courseId, batchId: null });
    const sessionId = await insertSuccessSession(t, { courseId, batchId: null, mentorId: mentor.userId, startsAt: Date.now() + 30 * HOUR_MS });
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "created" }));
    await settle(t);

    await advance(t, 5 * HOUR_MS, 5 * 60_000);
    expect(await reminderEmails(t)).toHaveLength(0);
    await advance(t, 1.5 * HOUR_MS, 5 * 60_000);
    const after24 = await reminderEmails(t);
    expect(after24.map((row) => [row.event, row.to]).sort()).toEqual([
      ["successSession.reminder24h", "m@example.com"],
      ["successSession.reminder24h", "s@example.com"],
    ]);
    expect(after24[0].subject).toMatch(/^Tomorrow: /);
    await advance(t, 23 * HOUR_MS, 5 * 60_000);
    const all = await reminderEmails(t);
    expect(all.filter((row) => row.event === "successSession.reminder1h")).toHaveLength(2);
    const reminders = await reminderRows(t);
    expect(reminders.map((row) => [row.lead, row.status]).sort()).toEqual([
      ["1h", "sent"],
      ["24h", "sent"],
    ]);
  });

  test("a rescheduled session's reminders move to the new time", async () => {
    const { t, mentor, courseId } = await mentorAndCourse();
    const startsAt = Date.now() + 30 * HOUR_MS;
    const sessionId = await insertSuccessSession(t, { courseId, batchId: null, mentorId: mentor.userId, startsAt });
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "created" }));
    await settle(t);
    const oldJobs = await reminderRows(t);
    expect(oldJobs.map((row) => row.runAt).sort()).toEqual([startsAt - 24 * HOUR_MS, startsAt - HOUR_MS]);

    const newStart = startsAt + 48 * HOUR_MS;
    await t.run((ctx) => ctx.db.patch("successSessions", sessionId, { startsAt: newStart, endsAt: newStart + HOUR_MS, sequence: 1 }));
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "changed", changes: { previousStartsAt: startsAt } }));
    await settle(t);
    const newJobs = await reminderRows(t);
    expect(newJobs.map((row) => row.runAt).sort()).toEqual([newStart - 24 * HOUR_MS, newStart - HOUR_MS]);
    const oldFunctions = await t.run((ctx) => Promise.all(oldJobs.map((row) => ctx.db.system.get("_scheduled_functions", row.scheduledFunctionId!))));
    expect(oldFunctions.map((job) => job?.state.kind)).toEqual(["canceled", "canceled"]);

    // Nothing at the old times…
    await advance(t, 30 * HOUR_MS, 10 * 60_000);
    expect(await reminderEmails(t)).toHaveLength(0);
    // …both at the new ones.
    await advance(t, 48 * HOUR_MS, 10 * 60_000);
    expect((await reminderEmails(t)).map((row) => row.event).sort()).toEqual([
      "successSession.reminder1h",
      "successSession.reminder24h",
    ]);
  });

  test("a cancelled session gets no reminders, even when nobody cancelled the jobs", async () => {
    const { t, mentor, courseId } = await mentorAndCourse();
    const cancelledWithNotice = await insertSuccessSession(t, { courseId, batchId: null, mentorId: mentor.userId, startsAt: Date.now() + 30 * HOUR_MS });
    const cancelledSilently = await insertSuccessSession(t, { courseId, batchId: null, mentorId: mentor.userId, startsAt: Date.now() + 30 * HOUR_MS });
    for (const id of [cancelledWithNotice, cancelledSilently]) {
      await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: id, event: "created" }));
    }
    await settle(t);
    for (const id of [cancelledWithNotice, cancelledSilently]) {
      await t.run((ctx) => ctx.db.patch("successSessions", id, { status: "cancelled", sequence: 1 }));
    }
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "success", entityId: cancelledWithNotice, event: "cancelled" }));
    await settle(t);
    expect(
      (await reminderRows(t)).filter((row) => row.entityId === cancelledWithNotice),
    ).toHaveLength(0);

    await advance(t, 31 * HOUR_MS, 10 * 60_000);
    expect(await reminderEmails(t)).toHaveLength(0);
    const silentJobs = await reminderRows(t);
    expect(silentJobs.map((row) => [row.status, row.skippedReason])).toEqual([
      ["skipped", "The session was cancelled."],
      ["skipped", "The session was cancelled."],
    ]);
  });

  test("coaching reminders set the session's reminderSent", async () => {
    await useFakeResend();
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"], email: "c@example.com" });
    const student = await seedUser(t, { roles: ["student"], email: "s@example.com" });
    const sessionId = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: Date.now() + 3 * HOUR_MS });
    await t.run((ctx) => notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "booked" }));
    await settle(t);
    // Booked 3 h ahead: only the 1 h reminder is planned.
    expect((await reminderRows(t)).map((row) => row.lead)).toEqual(["1h"]);
    await advance(t, 2.5 * HOUR_MS, 10 * 60_000);
    expect((await reminderEmails(t)).map((row) => row.to).sort()).toEqual(["c@example.com", "s@example.com"]);
    expect((await t.run((ctx) => ctx.db.get("coachingSessions", sessionId)))?.reminderSent).toBe(true);
  });
});

describe("Resend webhook", () => {
  async function sentEmail(t: TestBackend) {
    return await t.run(async (ctx) => {
      const emailId = await ctx.db.insert("emailOutbox", {
        ...testEmail("k/webhook"),
        status: "sent",
        attempts: 1,
        providerMessageId: "resend-email-1",
        statusChangedAt: Date.now(),
      });
      return emailId;
    });
  }

  async function deliver(t: TestBackend, event: unknown, options: { secret?: string; tamper?: boolean } = {}) {
    const body = JSON.stringify(event);
    const id = `msg_${Math.random().toString(36).slice(2)}`;
    const timestamp = new Date();
    const signature = new Webhook(options.secret ?? WEBHOOK_SECRET).sign(id, timestamp, body);
    return await t.fetch("/resend-webhook", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "svix-id": id,
        "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "svix-signature": signature,
      },
      body: options.tamper ? body.replace("delivered", "complained") : body,
    });
  }

  test("signed delivery events update the email's state; later states are never undone", async () => {
    vi.stubEnv("RESEND_WEBHOOK_SECRET", WEBHOOK_SECRET);
    const t = newTest();
    const emailId = await sentEmail(t);
    const delivered = await deliver(t, { type: "email.delivered", created_at: "", data: { email_id: "resend-email-1" } });
    expect(delivered.status).toBe(200);
    expect(await emailById(t, emailId)).toMatchObject({ status: "delivered" });

    await deliver(t, { type: "email.bounced", data: { email_id: "resend-email-1", bounce: { message: "Mailbox does not exist" } } });
    expect(await emailById(t, emailId)).toMatchObject({ status: "bounced", lastError: "Mailbox does not exist" });
    await deliver(t, { type: "email.delivered", data: { email_id: "resend-email-1" } });
    expect(await emailById(t, emailId)).toMatchObject({ status: "bounced" });

    const unknown = await deliver(t, { type: "email.delivered", data: { email_id: "someone-elses-email" } });
    expect(unknown.status).toBe(200);
  });

  test("a bad or missing signature gets 400 and changes nothing; no secret configured gets 503", async () => {
    vi.stubEnv("RESEND_WEBHOOK_SECRET", WEBHOOK_SECRET);
    const t = newTest();
    const emailId = await sentEmail(t);
    const event = { type: "email.delivered", data: { email_id: "resend-email-1" } };
    expect((await deliver(t, event, { tamper: true })).status).toBe(400);
    expect((await deliver(t, event, { secret: `whsec_${btoa("another-secret")}` })).status).toBe(400);
    const unsigned = await t.fetch("/resend-webhook", { method: "POST", body: JSON.stringify(event) });
    expect(unsigned.status).toBe(400);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent" });

    vi.stubEnv("RESEND_WEBHOOK_SECRET", "");
    expect((await deliver(t, event)).status).toBe(503);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent" });
  });
});

describe("admin outbox", () => {
  test("admins list emails newest first and filter by status; others are refused", async () => {
    vi.stubEnv("RESEND_API_KEY", "");
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const student = await seedUser(t, { roles: ["student"] });
    await enqueue(t, "k/a");
    vi.advanceTimersByTime(10);
    await enqueue(t, "k/b", "broken");
    const all = await admin.as.query(api.notifications.listOutbox, { paginationOpts: { numItems: 10, cursor: null } });
    expect(all.page.map((row) => row.status)).toEqual(["failed", "not_sent"]);
    const notSent = await admin.as.query(api.notifications.listOutbox, {
      status: "not_sent",
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(notSent.page.map((row) => row.to)).toEqual(["ada@example.com"]);
    expect(await errorCodeOf(student.as.query(api.notifications.listOutbox, { paginationOpts: { numItems: 10, cursor: null } }))).toBe(
      "FORBIDDEN",
    );
    const detail = await admin.as.query(api.notifications.getEmail, { emailId: notSent.page[0]._id });
    expect(detail).toMatchObject({ subject: "Hello", text: "Hi", html: "<p>Hi</p>" });
  });

  test("each event an email can come from has a title for people; an unknown one shows as it is", () => {
    expect(emailEventTitle("coaching.discordReady")).toBe("Coaching session: Discord channel ready");
    expect(emailEventTitle("coaching.reminder1h")).toBe("Coaching session: reminder an hour before");
    expect(emailEventTitle("successSession.seriesCreated")).toBe("Success session: series scheduled");
    expect(emailEventTitle("successSession.hostRemoved")).toBe("Success session: no longer hosting");
    expect(emailEventTitle("something.new")).toBe("something.new");
    const events = ["created", "changed", "cancelled", "booked", "discordReady", "reminder24h", "reminder1h"];
    for (const prefix of ["successSession", "coaching"]) {
      for (const event of events) expect(emailEventTitle(`${prefix}.${event}`)).not.toContain(".");
    }
  });

  test("a not_sent email can be sent again once Resend is configured", async () => {
    vi.stubEnv("RESEND_API_KEY", "");
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { emailId } = await enqueue(t, "k/later");
    expect(await errorCodeOf(admin.as.mutation(api.notifications.resendEmail, { emailId }))).toBe("FAILED_PRECONDITION");
    const account = await useFakeResend();
    await admin.as.mutation(api.notifications.resendEmail, { emailId });
    await advance(t, 2_000);
    expect(await emailById(t, emailId)).toMatchObject({ status: "sent" });
    expect((await account.emails()).map((email) => email.idempotencyKey)).toEqual(["k/later"]);
    expect(await errorCodeOf(admin.as.mutation(api.notifications.resendEmail, { emailId }))).toBe("FAILED_PRECONDITION");
  });
});
