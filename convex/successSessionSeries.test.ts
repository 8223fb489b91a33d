import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { errorCodeOf, newTest, seedUser, type TestBackend } from "../testing/convex";
import { checklistWorld, createSession, createWeeklySeries, emailsAfterNotices } from "./model/successSessions/fixtures.testing";
import { localDateTime } from "./model/time/localDates";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./model/time/units";

/**
 * Recurring series and "this and following" edits: splitting a series (Google Calendar / RFC 5545
 * practice), updating it in place from its first occurrence, and keeping the series records and the
 * views' `occurrenceNumber / seriesOccurrenceCount` right.
 */
/** 2025-01-01: fake "now", so every date below lies in the future. */
const NEW_YEAR_2025 = Date.UTC(2025, 0, 1);
/** Monday 6 January 2025, 18:00 in Berlin (CET). */
const MONDAY_18_BERLIN = Date.UTC(2025, 0, 6, 17, 0);

afterEach(() => {
  vi.useRealTimers();
});

async function setUp() {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NEW_YEAR_2025);
  const t = newTest();
  const world = await checklistWorld(t);
  // A second admin, so "created by the editor" is told apart from "created by whoever scheduled it".
  const editor = await seedUser(t, { roles: ["admin"], name: "Edith Editor" });
  return { t, world, editor };
}

/** Every series record and every session document, for before/after comparisons. */
async function snapshot(t: TestBackend) {
  return await t.run(async (ctx) => ({
    series: await ctx.db.query("successSessionSeries").collect(),
    sessions: await ctx.db.query("successSessions").collect(),
  }));
}

async function seriesRecords(t: TestBackend): Promise<Doc<"successSessionSeries">[]> {
  return await t.run((ctx) => ctx.db.query("successSessionSeries").collect());
}

async function sessionDocs(t: TestBackend, ids: readonly Id<"successSessions">[]): Promise<Doc<"successSessions">[]> {
  return await t.run(async (ctx) => await Promise.all(ids.map(async (id) => (await ctx.db.get("successSessions", id))!)));
}

/** Local date and time of a session in a zone, as `[month, day, hours, minutes]`. */
function localParts(startsAt: number, timeZone: string) {
  const local = localDateTime(startsAt, timeZone);
  return [local.month, local.day, local.hours, local.minutes];
}

describe("“this and following” on a later occurrence splits the series", () => {
  test("moving occurrences 5–10 to New York gives two series of 4 and 6, renumbered, with their own zones", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds, seriesId } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    const fifth = sessionIds[4];
    // Mon 3 Feb, 18:00 in New York from now on.
    const newStart = Date.UTC(2025, 1, 3, 23, 0);
    const changed = await editor.as.mutation(api.successSessions.update, {
      sessionId: fifth,
      scope: "following",
      timeZone: "America/New_York",
      startsAt: newStart,
    });
    expect(changed).toEqual(sessionIds.slice(4));

    const records = await seriesRecords(t);
    expect(records).toHaveLength(2);
    const oldSeries = records.find((record) => record._id === seriesId)!;
    const newSeries = records.find((record) => record._id !== seriesId)!;
    expect(oldSeries).toMatchObject({ frequency: "weekly", occurrenceCount: 4, timeZone: "Europe/Berlin", createdBy: world.admin.userId });
    expect(newSeries).toMatchObject({ frequency: "weekly", occurrenceCount: 6, timeZone: "America/New_York", createdBy: editor.userId });

    const docs = await sessionDocs(t, sessionIds);
    expect(docs.map((doc) => [doc.seriesId, doc.occurrenceNumber])).toEqual([
      ...[1, 2, 3, 4].map((number) => [seriesId, number]),
      ...[1, 2, 3, 4, 5, 6].map((number) => [newSeries._id, number]),
    ]);
    expect(docs.map((doc) => doc.timeZone)).toEqual([...Array(4).fill("Europe/Berlin"), ...Array(6).fill("America/New_York")]);
    // The first four keep 18:00 Berlin; the moved six are at 18:00 New York (across the 9 March change).
    expect(docs.slice(0, 4).map((doc) => localParts(doc.startsAt, "Europe/Berlin"))).toEqual([
      [1, 6, 18, 0],
      [1, 13, 18, 0],
      [1, 20, 18, 0],
      [1, 27, 18, 0],
    ]);
    expect(docs.slice(4).map((doc) => localParts(doc.startsAt, "America/New_York"))).toEqual([
      [2, 3, 18, 0],
      [2, 10, 18, 0],
      [2, 17, 18, 0],
      [2, 24, 18, 0],
      [3, 3, 18, 0],
      [3, 10, 18, 0],
    ]);
  });

  test("views show each part's own numbers and counts (4/4 and 6/6, not 8/10)", async () => {
    const { world, editor } = await setUp();
    const { sessionIds } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    await editor.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", timeZone: "America/New_York" });

    const viaGet = await Promise.all(sessionIds.map((sessionId) => world.admin.as.query(api.successSessions.get, { sessionId })));
    expect(viaGet.map((view) => [view!.occurrenceNumber, view!.seriesOccurrenceCount, view!.seriesFrequency])).toEqual([
      ...[1, 2, 3, 4].map((number) => [number, 4, "weekly"]),
      ...[1, 2, 3, 4, 5, 6].map((number) => [number, 6, "weekly"]),
    ]);
    // The staff list and a student of the batch see the same series info.
    const staff = await world.admin.as.query(api.successSessions.listForStaff, { paginationOpts: { numItems: 50, cursor: null } });
    expect(staff.page.map((view) => `${view.occurrenceNumber}/${view.seriesOccurrenceCount}`)).toEqual([
      "1/4",
      "2/4",
      "3/4",
      "4/4",
      "1/6",
      "2/6",
      "3/6",
      "4/6",
      "5/6",
      "6/6",
    ]);
    const student = await world.students.batch1.as.query(api.successSessions.listForStudent, { now: Date.now(),
      timeframe: "upcoming",
      paginationOpts: { numItems: 50, cursor: null },
    });
    expect(student.page.map((view) => view.seriesOccurrenceCount)).toEqual([4, 4, 4, 4, 6, 6, 6, 6, 6, 6]);
  });

  test("a later “this and following” edit on the old series touches only its remaining occurrences", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds, seriesId } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    await editor.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", timeZone: "America/New_York" });
    const movedBefore = await sessionDocs(t, sessionIds.slice(4));
    const newSeriesId = movedBefore[0].seriesId!;

    // From the old series' 2nd occurrence: 30 minutes later and a new title.
    const second = (await sessionDocs(t, [sessionIds[1]]))[0];
    const changed = await world.admin.as.mutation(api.successSessions.update, {
      sessionId: sessionIds[1],
      scope: "following",
      title: "Q&A (new time)",
      startsAt: second.startsAt + 30 * MINUTE_MS,
    });
    expect(changed).toEqual(sessionIds.slice(1, 4));
    // The six occurrences of the new series are exactly as they were.
    expect(await sessionDocs(t, sessionIds.slice(4))).toEqual(movedBefore);
    const docs = await sessionDocs(t, sessionIds);
    expect(docs.map((doc) => doc.title)).toEqual(["Weekly Q&A", ...Array(3).fill("Q&A (new time)"), ...Array(6).fill("Weekly Q&A")]);
    expect(docs.slice(0, 4).map((doc) => localParts(doc.startsAt, "Europe/Berlin").slice(2))).toEqual([
      [18, 0],
      [18, 30],
      [18, 30],
      [18, 30],
    ]);

    // That edit split the old series again: 1 stays, 3 form a third series; the New York one keeps 6.
    const records = await seriesRecords(t);
    expect(records).toHaveLength(3);
    const third = records.find((record) => record._id !== seriesId && record._id !== newSeriesId)!;
    expect(records.find((record) => record._id === seriesId)!.occurrenceCount).toBe(1);
    expect(records.find((record) => record._id === newSeriesId)!.occurrenceCount).toBe(6);
    expect(third).toMatchObject({ occurrenceCount: 3, timeZone: "Europe/Berlin", createdBy: world.admin.userId });
    expect(docs.slice(0, 4).map((doc) => [doc.seriesId, doc.occurrenceNumber])).toEqual([
      [seriesId, 1],
      [third._id, 1],
      [third._id, 2],
      [third._id, 3],
    ]);
  });

  test("cancelled later occurrences move with the split, keeping their time and status; counts include them", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds, seriesId } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: sessionIds[6], scope: "this" });
    const cancelledBefore = (await sessionDocs(t, [sessionIds[6]]))[0];

    const changed = await editor.as.mutation(api.successSessions.update, {
      sessionId: sessionIds[4],
      scope: "following",
      startsAt: Date.UTC(2025, 1, 3, 18, 0), // 19:00 Berlin instead of 18:00
    });
    expect(changed).toEqual([4, 5, 7, 8, 9].map((index) => sessionIds[index]));
    const records = await seriesRecords(t);
    const newSeries = records.find((record) => record._id !== seriesId)!;
    expect(records.find((record) => record._id === seriesId)!.occurrenceCount).toBe(4);
    expect(newSeries.occurrenceCount).toBe(6);

    const docs = await sessionDocs(t, sessionIds);
    expect(docs.slice(4).map((doc) => [doc.seriesId, doc.occurrenceNumber, doc.status])).toEqual([
      [newSeries._id, 1, "upcoming"],
      [newSeries._id, 2, "upcoming"],
      [newSeries._id, 3, "cancelled"],
      [newSeries._id, 4, "upcoming"],
      [newSeries._id, 5, "upcoming"],
      [newSeries._id, 6, "upcoming"],
    ]);
    // The cancelled occurrence was not edited: same time, same calendar sequence.
    expect(docs[6]).toMatchObject({ startsAt: cancelledBefore.startsAt, endsAt: cancelledBefore.endsAt, sequence: cancelledBefore.sequence });
    expect(docs[7].startsAt - docs[6].startsAt).toBe(7 * DAY_MS + HOUR_MS);
  });

  test("the moved occurrences are still reported in one series notice", async () => {
    // Real-time-based dates within 24 days, so every scheduled job fits in a timer.
    vi.useFakeTimers();
    const t = newTest();
    const world = await checklistWorld(t);
    const { sessionIds } = await createWeeklySeries(world, 4, Date.now() + DAY_MS);
    await world.admin.as.mutation(api.successSessions.update, { sessionId: sessionIds[1], scope: "following", timeZone: "America/New_York" });
    expect((await seriesRecords(t)).map((record) => record.occurrenceCount)).toEqual([1, 3]);
    const changed = await emailsAfterNotices(t, "successSession.seriesChanged");
    expect(changed.map((email) => email.recipientUserId).sort()).toEqual([world.mentor.userId, world.students.batch1.userId].sort());
    expect(changed[0].attachments?.[0].content.match(/BEGIN:VEVENT/g)).toHaveLength(3);
  });
});

describe("edits that do not split", () => {
  test("“this and following” on the first occurrence updates the series record in place", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds, seriesId } = await createWeeklySeries(world, 4, MONDAY_18_BERLIN);
    const changed = await editor.as.mutation(api.successSessions.update, {
      sessionId: sessionIds[0],
      scope: "following",
      timeZone: "America/New_York",
      startsAt: Date.UTC(2025, 0, 6, 23, 0), // 18:00 New York
    });
    expect(changed).toEqual(sessionIds);
    const records = await seriesRecords(t);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      _id: seriesId,
      frequency: "weekly",
      occurrenceCount: 4,
      timeZone: "America/New_York",
      createdBy: world.admin.userId,
    });
    const docs = await sessionDocs(t, sessionIds);
    expect(docs.map((doc) => [doc.seriesId, doc.occurrenceNumber])).toEqual([1, 2, 3, 4].map((number) => [seriesId, number]));
    expect(docs.map((doc) => localParts(doc.startsAt, "America/New_York").slice(2))).toEqual(Array(4).fill([18, 0]));
  });

  test("after a split, “this and following” on the first occurrence of the new series updates that record in place", async () => {
    const { t, world } = await setUp();
    const { sessionIds, seriesId } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    await world.admin.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", timeZone: "America/New_York" });
    const newSeriesId = (await sessionDocs(t, [sessionIds[4]]))[0].seriesId!;
    await world.admin.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", timeZone: "Asia/Tokyo" });
    const records = await seriesRecords(t);
    expect(records.map((record) => [record._id, record.occurrenceCount, record.timeZone])).toEqual([
      [seriesId, 4, "Europe/Berlin"],
      [newSeriesId, 6, "Asia/Tokyo"],
    ]);
  });

  test("“this” edits never change series records, even when they move the occurrence to another zone", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds, seriesId } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    const before = await seriesRecords(t);
    await editor.as.mutation(api.successSessions.update, {
      sessionId: sessionIds[4],
      scope: "this",
      timeZone: "America/New_York",
      startsAt: Date.UTC(2025, 1, 4, 23, 0),
      title: "Moved once",
    });
    await editor.as.mutation(api.successSessions.update, { sessionId: sessionIds[0], scope: "this", timeZone: "Asia/Tokyo" });
    expect(await seriesRecords(t)).toEqual(before);
    const docs = await sessionDocs(t, sessionIds);
    expect(docs.map((doc) => [doc.seriesId, doc.occurrenceNumber])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((number) => [seriesId, number]),
    );
    expect(docs[4]).toMatchObject({ title: "Moved once", timeZone: "America/New_York" });
  });

  test("“this and following” that touches only one occurrence (the last, or the rest cancelled) leaves series records alone", async () => {
    const { t, world } = await setUp();
    const { sessionIds } = await createWeeklySeries(world, 5, MONDAY_18_BERLIN);
    const before = await seriesRecords(t);
    await world.admin.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", timeZone: "America/New_York" });
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: sessionIds[3], scope: "this" });
    const changed = await world.admin.as.mutation(api.successSessions.update, { sessionId: sessionIds[2], scope: "following", title: "Last one" });
    expect(changed).toEqual([sessionIds[2], sessionIds[4]]);
    // Two touched → that one split; but the earlier single-occurrence edit changed nothing.
    const records = await seriesRecords(t);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ _id: before[0]._id, occurrenceCount: 2, timeZone: "Europe/Berlin" });
    expect(records[1]).toMatchObject({ occurrenceCount: 3, timeZone: "Europe/Berlin" });

    // The 5th is now the last non-cancelled occurrence of the new series: "following" on it touches it alone.
    const snapshotBefore = await seriesRecords(t);
    await world.admin.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", title: "Alone" });
    expect(await seriesRecords(t)).toEqual(snapshotBefore);
  });
});

describe("a refused edit writes nothing, series records included", () => {
  test("a mentor clash in a following occurrence leaves series records and sessions unchanged", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    // The mentor is busy on Mon 3 March 19:30–20:30 Berlin (the 9th occurrence once moved by two hours).
    await createSession(world, { title: "Blocker", courseId: world.courseB.courseId, batchId: null, startsAt: Date.UTC(2025, 2, 3, 18, 30) });
    const before = await snapshot(t);
    const call = editor.as.mutation(api.successSessions.update, {
      sessionId: sessionIds[4],
      scope: "following",
      startsAt: Date.UTC(2025, 1, 3, 19, 0), // 20:00 Berlin
    });
    expect(await errorCodeOf(call)).toBe("CONFLICT");
    expect(await snapshot(t)).toEqual(before);
  });

  test("bad input (an unknown time zone) leaves series records and sessions unchanged", async () => {
    const { t, world, editor } = await setUp();
    const { sessionIds } = await createWeeklySeries(world, 10, MONDAY_18_BERLIN);
    const before = await snapshot(t);
    const call = editor.as.mutation(api.successSessions.update, { sessionId: sessionIds[4], scope: "following", timeZone: "Mars/Olympus" });
    expect(await errorCodeOf(call)).toBe("INVALID_ARGUMENT");
    expect(await snapshot(t)).toEqual(before);
  });
});
