import { describe, expect, test } from "vitest";
import { api } from "../../_generated/api";
import { newTest } from "../../../testing/convex";
import { personaTokenIdentifier } from "../users/personas";
import { seedCatalog } from "./catalog";
import { seedCodedAndExpertSessions } from "./codedAndExpert";
import { DAY_MS } from "../time/units";

describe("demo coded and expert sessions", () => {
  test("the lecturer has a working open class, staff see draft expert sessions, and a second run changes nothing", async () => {
    const t = newTest();
    const now = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const seed = () =>
      t.run(async (ctx) => {
        const catalog = await seedCatalog(ctx, now);
        await seedCodedAndExpertSessions(ctx, catalog, now);
      });
    const snapshot = () =>
      t.run(async (ctx) => ({
        coded: await ctx.db.query("codedSessions").collect(),
        participants: await ctx.db.query("codedSessionParticipants").collect(),
        expert: await ctx.db.query("expertSessions").collect(),
        links: await ctx.db.query("expertSessionProducts").collect(),
      }));
    await seed();
    const first = await snapshot();
    await seed();
    expect(await snapshot()).toEqual(first);

    const persona = (subject: string) => t.withIdentity({ subject, issuer: "dev", tokenIdentifier: personaTokenIdentifier(subject) });
    const lecturer = persona("persona-lecturer");
    const mine = await lecturer.query(api.codedSessions.listMine, {});
    expect(mine.map((row) => row.status).sort()).toEqual(["closed", "open"]);
    const open = mine.find((row) => row.status === "open")!;
    expect(await lecturer.query(api.codedSessions.participants, { sessionId: open._id })).toHaveLength(2);
    const chloe = persona("persona-student-chloe");
    expect(await chloe.mutation(api.codedSessions.joinByCode, { code: open.code })).toMatchObject({ status: "joined" });

    const admin = persona("persona-admin");
    const expert = await admin.query(api.expertSessions.listForStaff, {});
    expect(expert).toHaveLength(3);
    for (const row of expert) {
      expect(row).toMatchObject({ hasVideo: false, active: false });
      expect(row.products.length).toBeGreaterThan(0);
    }
    // Drafts without a video never reach students.
    expect(await persona("persona-student-amira").query(api.expertSessions.listMine, {})).toEqual([]);
  });
});
