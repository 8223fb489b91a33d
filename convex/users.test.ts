import { describe, expect, test } from "vitest";
import { api, internal } from "./_generated/api";
import { errorCodeOf, newTest, seedUser, seedUserPerRole } from "../testing/convex";

describe("users:store", () => {
  test("first sign-in creates a student; the next one updates the profile", async () => {
    const t = newTest();
    const as = t.withIdentity({ subject: "clerk_1", issuer: "https://clerk.example", name: "Nora N", email: "Nora@Example.com" });
    const userId = await as.mutation(api.users.store, {});
    expect(await as.query(api.users.me, {})).toMatchObject({ _id: userId, name: "Nora N", email: "nora@example.com", roles: ["student"] });

    const renamed = t.withIdentity({ subject: "clerk_1", issuer: "https://clerk.example", name: "Nora Newname", email: "nora@example.com" });
    expect(await renamed.mutation(api.users.store, {})).toBe(userId);
    expect((await renamed.query(api.users.me, {}))?.name).toBe("Nora Newname");
    const rows = await t.run((ctx) => ctx.db.query("users").collect());
    expect(rows).toHaveLength(1);
  });

  test("anonymous callers cannot store and `me` is null", async () => {
    const t = newTest();
    expect(await errorCodeOf(t.mutation(api.users.store, {}))).toBe("UNAUTHENTICATED");
    expect(await t.query(api.users.me, {})).toBeNull();
  });

  test("a user prepared by staff is claimed by email only when the identity's email is verified", async () => {
    const t = newTest();
    const invitedId = await t.run((ctx) =>
      ctx.db.insert("users", { name: "Coach Kim", email: "kim@example.com", roles: ["coach"], active: true }),
    );
    const impostor = t.withIdentity({ subject: "clerk_mallory", issuer: "https://clerk.example", name: "Mallory", email: "kim@example.com", emailVerified: false });
    const impostorId = await impostor.mutation(api.users.store, {});
    expect(impostorId).not.toBe(invitedId);
    expect(await impostor.query(api.users.me, {})).toMatchObject({ roles: ["student"] });
    const invited = await t.run((ctx) => ctx.db.get("users", invitedId));
    expect(invited?.tokenIdentifier).toBeUndefined();
    expect(invited?.roles).toEqual(["coach"]);

    const kim = t.withIdentity({ subject: "clerk_kim", issuer: "https://clerk.example", name: "Kim", email: "kim@example.com", emailVerified: true });
    expect(await kim.mutation(api.users.store, {})).toBe(invitedId);
    expect(await kim.query(api.users.me, {})).toMatchObject({ _id: invitedId, roles: ["coach"] });
  });

  test("a deactivated user is signed out everywhere", async () => {
    const t = newTest();
    const { userId, as } = await seedUser(t, { roles: ["admin"] });
    await t.run((ctx) => ctx.db.patch("users", userId, { active: false }));
    expect(await as.query(api.users.me, {})).toBeNull();
    expect(await errorCodeOf(as.query(api.catalog.listCourses, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(as.mutation(api.users.store, {}))).toBe("UNAUTHENTICATED");
  });
});

describe("roles", () => {
  test("only a superadmin grants and revokes roles", async () => {
    const t = newTest();
    const people = await seedUserPerRole(t);
    const target = await seedUser(t, { roles: ["student"] });
    for (const role of ["student", "mentor", "coach", "lecturer", "enrollment_manager", "admin"] as const) {
      expect(await errorCodeOf(people[role].as.mutation(api.users.setRoles, { userId: target.userId, roles: ["admin"] }))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(t.mutation(api.users.setRoles, { userId: target.userId, roles: ["admin"] }))).toBe("UNAUTHENTICATED");
    expect(await (await t.run((ctx) => ctx.db.get("users", target.userId)))?.roles).toEqual(["student"]);

    await people.superadmin.as.mutation(api.users.setRoles, { userId: target.userId, roles: ["coach", "mentor"] });
    expect((await target.as.query(api.users.me, {}))?.roles).toEqual(["coach", "mentor"]);
    const coaches = await people.admin.as.query(api.users.listByRole, { role: "coach" });
    expect(coaches.map((user) => user._id)).toContain(target.userId);

    await people.superadmin.as.mutation(api.users.setRoles, { userId: target.userId, roles: ["mentor"] });
    const coachesAfter = await people.admin.as.query(api.users.listByRole, { role: "coach" });
    expect(coachesAfter.map((user) => user._id)).not.toContain(target.userId);
  });

  test("a superadmin cannot remove their own superadmin role, and a user keeps at least one role", async () => {
    const t = newTest();
    const { userId, as } = await seedUser(t, { roles: ["superadmin"] });
    expect(await errorCodeOf(as.mutation(api.users.setRoles, { userId, roles: ["admin"] }))).toBe("FAILED_PRECONDITION");
    const other = await seedUser(t, { roles: ["student"] });
    expect(await errorCodeOf(as.mutation(api.users.setRoles, { userId: other.userId, roles: [] }))).toBe("INVALID_ARGUMENT");
  });

  test("the first superadmin is made by email from the CLI", async () => {
    const t = newTest();
    const { userId } = await seedUser(t, { roles: ["student"], email: "owner@example.com" });
    await t.mutation(internal.users.makeSuperadmin, { email: " Owner@Example.com " });
    expect((await t.run((ctx) => ctx.db.get("users", userId)))?.roles).toEqual(["student", "superadmin"]);
    expect(await errorCodeOf(t.mutation(internal.users.makeSuperadmin, { email: "nobody@example.com" }))).toBe("NOT_FOUND");
  });
});

describe("profile", () => {
  test("a user sets their own time zone; unknown zones are refused", async () => {
    const t = newTest();
    const { as } = await seedUser(t, { roles: ["student"] });
    await as.mutation(api.users.setMyTimeZone, { timeZone: "America/New_York" });
    expect((await as.query(api.users.me, {}))?.timeZone).toBe("America/New_York");
    expect(await errorCodeOf(as.mutation(api.users.setMyTimeZone, { timeZone: "Mars/Olympus" }))).toBe("INVALID_ARGUMENT");
    expect((await as.query(api.users.me, {}))?.timeZone).toBe("America/New_York");
  });

  test("staff set a Discord user id by hand; students cannot; bad ids and duplicates are refused", async () => {
    const t = newTest();
    const people = await seedUserPerRole(t);
    const student = await seedUser(t, { roles: ["student"] });
    const other = await seedUser(t, { roles: ["student"], discordUserId: "222222222222222222" });
    expect(
      await errorCodeOf(people.student.as.mutation(api.users.setDiscordUserId, { userId: student.userId, discordUserId: "111111111111111111" })),
    ).toBe("FORBIDDEN");
    expect(
      await errorCodeOf(people.admin.as.mutation(api.users.setDiscordUserId, { userId: student.userId, discordUserId: "abc" })),
    ).toBe("INVALID_ARGUMENT");
    expect(
      await errorCodeOf(people.admin.as.mutation(api.users.setDiscordUserId, { userId: student.userId, discordUserId: "222222222222222222" })),
    ).toBe("CONFLICT");
    await people.enrollment_manager.as.mutation(api.users.setDiscordUserId, { userId: student.userId, discordUserId: "111111111111111111" });
    expect((await student.as.query(api.users.me, {}))?.discordUserId).toBe("111111111111111111");
    await people.admin.as.mutation(api.users.setDiscordUserId, { userId: student.userId, discordUserId: null });
    expect((await student.as.query(api.users.me, {}))?.discordUserId).toBeUndefined();
    expect(other.userId).toBeDefined();
  });
});

describe("user directory access", () => {
  test("staff list and look up users; other roles and anonymous callers are refused", async () => {
    const t = newTest();
    const people = await seedUserPerRole(t);
    const calls = [
      (as: typeof people.admin.as | typeof t) => as.query(api.users.list, { paginationOpts: { numItems: 5, cursor: null } }),
      (as: typeof people.admin.as | typeof t) => as.query(api.users.list, { role: "coach", paginationOpts: { numItems: 5, cursor: null } }),
      (as: typeof people.admin.as | typeof t) => as.query(api.users.listByRole, { role: "mentor" }),
      (as: typeof people.admin.as | typeof t) => as.query(api.users.findByEmail, { email: people.student.identity.email! }),
    ];
    for (const call of calls) {
      for (const role of ["enrollment_manager", "admin", "superadmin"] as const) {
        await expect(call(people[role].as)).resolves.toBeDefined();
      }
      for (const role of ["student", "mentor", "coach", "lecturer"] as const) {
        expect(await errorCodeOf(call(people[role].as)), role).toBe("FORBIDDEN");
      }
      expect(await errorCodeOf(call(t))).toBe("UNAUTHENTICATED");
    }
    const found = await people.admin.as.query(api.users.findByEmail, { email: ` ${people.student.identity.email!.toUpperCase()} ` });
    expect(found?._id).toBe(people.student.userId);
    expect(found).not.toHaveProperty("tokenIdentifier");
  });
});
