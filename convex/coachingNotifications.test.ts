import ICAL from "ical.js";
import { afterEach, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { newTest } from "../testing/convex";
import { coachingWorld, JOHN_MONDAY_9AM, pinClock } from "./model/coaching/fixtures.testing";
import { runScheduled, sessionRow, worldWithBooking } from "./model/discord/fixtures.testing";
import { settle } from "./model/notifications/notifications.testkit";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** The METHOD, UID and SEQUENCE of the .ics invite attached to an outbox email. */
function invite(email: { attachments?: { filename: string; content: string }[] }) {
  const attachment = email.attachments?.find((file) => file.filename.endsWith(".ics"));
  if (!attachment) return null;
  const text = attachment.content.includes("BEGIN:VCALENDAR") ? attachment.content : atob(attachment.content);
  const calendar = new ICAL.Component(ICAL.parse(text));
  const event = calendar.getFirstSubcomponent("vevent")!;
  return {
    method: calendar.getFirstPropertyValue("method"),
    uid: event.getFirstPropertyValue("uid"),
    sequence: Number(event.getFirstPropertyValue("sequence")),
  };
}

test("booking and cancelling a coaching session email the student and the coach an invite, then its cancellation", async () => {
  pinClock(undefined, true);
  const world = await coachingWorld(newTest());
  const { t, amira, john, coachingProductId } = world;
  const sessionId = await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
  await settle(t);

  const outbox = () => t.run((ctx) => ctx.db.query("emailOutbox").collect());
  const booked = await outbox();
  expect(booked.map((email) => email.recipientUserId).sort()).toEqual([amira.userId, john.userId].sort());
  // Without RESEND_API_KEY nothing leaves the building, but every email is recorded.
  expect(booked.every((email) => email.status === "not_sent")).toBe(true);
  const bookedInvites = booked.map(invite);
  expect(bookedInvites.every((entry) => entry?.method === "REQUEST")).toBe(true);

  await amira.as.mutation(api.coaching.cancel, { sessionId });
  await settle(t);
  const cancelled = (await outbox()).filter((email) => !booked.some((earlier) => earlier._id === email._id));
  expect(cancelled.map((email) => email.recipientUserId).sort()).toEqual([amira.userId, john.userId].sort());
  for (const email of cancelled) {
    const entry = invite(email);
    expect(entry?.method).toBe("CANCEL");
    expect(entry?.uid).toBe(bookedInvites[0]?.uid);
    expect(entry!.sequence).toBeGreaterThan(bookedInvites[0]!.sequence);
  }
});

test("when the private Discord channel is ready, the student and the coach get one email with its link", async () => {
  const { world, t, sessionId } = await worldWithBooking();
  const session = await sessionRow(t, sessionId);
  expect(session.provisioningState).toBe("ready");
  // Provisioning again (an admin retry, a late role grant) does not send the news twice.
  await runScheduled(t);
  const emails = await t.run((ctx) => ctx.db.query("emailOutbox").collect());
  const ready = emails.filter((email) => email.text.includes(`/channels/${world.guild.guildId}/${session.discordChannelId}`));
  expect(ready.map((email) => email.recipientUserId).sort()).toEqual([world.amira.userId, world.john.userId].sort());
});
