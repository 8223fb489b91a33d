import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import schema from "./schema";
import { PERSONAS, personaTokenIdentifier } from "./model/personas";
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
