import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import schema from "./schema";
import { PERSONAS, personaTokenIdentifier } from "./model/users/personas";
import { newTest, type TestBackend } from "../testing/convex";

/** Every document of every table of the schema, by table. */
async function everything(t: TestBackend) {
  return await t.run(async (ctx) => {
    const tables: Record<string, unknown[]> = {};
    for (const table of Object.keys(schema.tables) as (keyof typeof schema.tables)[]) {
      tables[table] = await ctx.db.query(table).collect();
    }
    return tables;
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-11-21T09:00:00Z"));
});
afterEach(() => vi.useRealTimers());

test("the seed runs twice with the same result", async () => {
  const t = newTest();
  await t.mutation(internal.seed.init, {});
  const first = await everything(t);
  await t.mutation(internal.seed.init, {});
  expect(await everything(t)).toEqual(first);
});

test("the seed gives every persona a user that can sign in, and covers each enrollment situation", async () => {
  const t = newTest();
  await t.mutation(internal.seed.init, {});
  for (const persona of PERSONAS) {
    const as = t.withIdentity({ tokenIdentifier: personaTokenIdentifier(persona.subject), subject: persona.subject });
    const me = await as.query(api.users.me, {});
    expect(me, persona.subject).toMatchObject({ email: persona.email, roles: persona.roles });
  }
  const { enrollments, courses, batches, products } = await everything(t);
  const statuses = (enrollments as { status: string; batchId: unknown }[]).map((row) => row.status);
  expect(new Set(statuses)).toEqual(new Set(["active", "paused", "cancelled", "completed"]));
  const activeRows = (enrollments as { status: string; batchId: unknown }[]).filter((row) => row.status === "active");
  expect(activeRows.some((row) => row.batchId === null)).toBe(true);
  expect(activeRows.some((row) => row.batchId !== null)).toBe(true);
  expect(courses.length).toBeGreaterThanOrEqual(2);
  expect(batches.length).toBeGreaterThanOrEqual(4);
  expect((products as { kind: string }[]).some((product) => product.kind === "coaching")).toBe(true);
});

test("after a demo series was split by a 'this and following' edit, the seed restores the demo series and leaves the split-off part alone", async () => {
  const t = newTest();
  await t.mutation(internal.seed.init, {});
  const admin = t.withIdentity({ tokenIdentifier: personaTokenIdentifier("persona-admin"), subject: "persona-admin" });
  const demo = async () =>
    await t.run(async (ctx) =>
      (await ctx.db.query("successSessions").withIndex("by_startsAt").collect()).filter((session) => session.title === "Weekly career Q&A"),
    );
  const [, , third] = await demo();
  await admin.mutation(api.successSessions.update, { sessionId: third._id, scope: "following", description: "Now in the new room." });

  await t.mutation(internal.seed.init, {});
  const after = await demo();
  const restored = after.filter((session) => session.seriesId === third.seriesId);
  const splitOff = after.filter((session) => session.seriesId !== third.seriesId);
  // The demo series has all 8 occurrences again, numbered 1..8, with the demo text.
  expect(restored.map((session) => session.occurrenceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(restored.every((session) => session.description !== "Now in the new room.")).toBe(true);
  // The admin's split-off part keeps its own series, numbers and text.
  expect(splitOff.map((session) => session.occurrenceNumber)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(splitOff.every((session) => session.description === "Now in the new room.")).toBe(true);
  expect(new Set(splitOff.map((session) => session.seriesId)).size).toBe(1);
});
