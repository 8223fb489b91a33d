import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { errorCodeOf, newTest, seedUser, seedUserPerRole, type TestBackend } from "../testing/convex";
import { type RandomBytes, JOIN_CODE_ALPHABET, generateJoinCode, drawUniqueJoinCode, normalizeJoinCode } from "./model/codedSessions/joinCodes";
import { createCodedSession } from "./model/codedSessions/lifecycle";

/** A random source that returns the given byte sequences one draw after another (then repeats the last). */
function scriptedRandom(...draws: number[][]): RandomBytes {
  let index = 0;
  return (length) => {
    const draw = draws[Math.min(index, draws.length - 1)];
    index += 1;
    expect(draw).toHaveLength(length);
    return Uint8Array.from(draw);
  };
}

/** Bytes whose low five bits select `code`'s symbols (high bits set, to show they are ignored). */
function bytesFor(code: string): number[] {
  return [...code].map((symbol) => JOIN_CODE_ALPHABET.indexOf(symbol) + 32 * 3);
}

/** Creates an open session with a chosen code through the model helper (its random source forced). */
async function sessionWithCode(t: TestBackend, lecturerId: Id<"users">, code: string, extra: { endsAt?: number } = {}) {
  return await t.run(async (ctx) => {
    const lecturer = (await ctx.db.get("users", lecturerId))!;
    return await createCodedSession(ctx, lecturer, { title: `Class ${code}`, ...extra }, Date.now(), scriptedRandom(bytesFor(code)));
  });
}

/** The details of a RATE_LIMITED (or other) ConvexError. */
async function errorDataOf(call: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    return (error as { data: { code: string; message: string; details?: Record<string, unknown> } }).data;
  }
  throw new Error("expected the call to fail");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("join codes", () => {
  test("codes are 6 symbols of Crockford base32, never I, L, O or U", async () => {
    expect(JOIN_CODE_ALPHABET).toHaveLength(32);
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[ILOU]/);
    const seen = new Set<string>();
    for (let draw = 0; draw < 2000; draw += 1) {
      const code = generateJoinCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
      for (const symbol of code) seen.add(symbol);
    }
    expect(seen.size).toBe(32);
    expect(generateJoinCode(scriptedRandom([0, 31, 32, 255, 64 + 18, 128 + 26]))).toBe("0Z0ZJT");

    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    const { code } = await lecturer.as.mutation(api.codedSessions.create, { title: "Generics" });
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
  });

  test("a code held by an open session is drawn again; a closed session's code is free", async () => {
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    const first = await sessionWithCode(t, lecturer.userId, "7K3QX9");
    expect(first.code).toBe("7K3QX9");

    const drawn = await t.run((ctx) => drawUniqueJoinCode(ctx, scriptedRandom(bytesFor("7K3QX9"), bytesFor("7K3QX9"), bytesFor("M4TH55"))));
    expect(drawn).toBe("M4TH55");
    const second = await t.run(async (ctx) => {
      const user = (await ctx.db.get("users", lecturer.userId))!;
      return await createCodedSession(ctx, user, { title: "Second" }, Date.now(), scriptedRandom(bytesFor("7K3QX9"), bytesFor("M4TH55")));
    });
    expect(second.code).toBe("M4TH55");

    expect(await errorCodeOf(t.run((ctx) => drawUniqueJoinCode(ctx, scriptedRandom(bytesFor("7K3QX9")))))).toBe("CONFLICT");

    await lecturer.as.mutation(api.codedSessions.close, { sessionId: first.sessionId });
    expect(await t.run((ctx) => drawUniqueJoinCode(ctx, scriptedRandom(bytesFor("7K3QX9"))))).toBe("7K3QX9");
  });

  test("typed codes ignore case, spaces and dashes, and read O as 0 and I/L as 1", () => {
    expect(normalizeJoinCode(" 7k3-qx9 ")).toBe("7K3QX9");
    expect(normalizeJoinCode("7K 3Q--X9")).toBe("7K3QX9");
    expect(normalizeJoinCode("oi0-l1a")).toBe("01011A");
    expect(normalizeJoinCode("7K3QX")).toBeNull();
    expect(normalizeJoinCode("7K3QX9Z")).toBeNull();
    expect(normalizeJoinCode("7K3QU9")).toBeNull();
    expect(normalizeJoinCode("7K3Q#9")).toBeNull();
  });
});

/** A backend with a lecturer and a student (named as given), fake timers on. */
async function lecturerAndStudent(names: { lecturer?: string; student?: string } = {}) {
  const t = newTest();
  vi.useFakeTimers();
  return {
    t,
    lecturer: await seedUser(t, { roles: ["lecturer"], ...(names.lecturer ? { name: names.lecturer } : {}) }),
    student: await seedUser(t, { roles: ["student"], ...(names.student ? { name: names.student } : {}) }),
  };
}

describe("joining by code", () => {
  test("a student joins with a lower-case, dashed code and sees the session without its code", async () => {
    const { lecturer, student } = await lecturerAndStudent({ lecturer: "Leo Lecturer", student: "Amira" });
    const { sessionId, code } = await lecturer.as.mutation(api.codedSessions.create, {
      title: "TypeScript generics",
      description: "Live class",
    });
    const typed = `${code.slice(0, 3).toLowerCase()} - ${code.slice(3).toLowerCase()}`;

    const preview = await student.as.mutation(api.codedSessions.previewByCode, { code: typed });
    expect(preview).toMatchObject({ status: "found", session: { _id: sessionId, title: "TypeScript generics", lecturerName: "Leo Lecturer", status: "open" } });
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toEqual([]);

    const joined = await student.as.mutation(api.codedSessions.joinByCode, { code: typed });
    expect(joined).toMatchObject({ status: "joined", alreadyJoined: false, session: { _id: sessionId, description: "Live class" } });
    for (const answer of [preview, joined]) {
      expect(answer.status === "wrong_code" ? answer : answer.session).not.toHaveProperty("code");
      expect(JSON.stringify(answer)).not.toContain(code);
    }

    const view = await student.as.query(api.codedSessions.get, { sessionId });
    expect(view).toMatchObject({ title: "TypeScript generics", canManage: false, canSeeParticipants: false });
    expect(view).not.toHaveProperty("code");
    expect(JSON.stringify(await student.as.query(api.codedSessions.listJoined, {}))).not.toContain(code);
    expect((await student.as.query(api.codedSessions.listJoined, {})).map((row) => row._id)).toEqual([sessionId]);
    expect(await student.as.query(api.codedSessions.participants, { sessionId })).toBeNull();

    const lecturerView = await lecturer.as.query(api.codedSessions.get, { sessionId });
    expect(lecturerView).toMatchObject({ code, canManage: true, canSeeParticipants: true });
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toMatchObject([{ userId: student.userId, name: "Amira" }]);
  });

  test("joining twice keeps one participant and the first join time", async () => {
    const { lecturer, student } = await lecturerAndStudent();
    const { sessionId, code } = await lecturer.as.mutation(api.codedSessions.create, { title: "Class" });
    const first = await student.as.mutation(api.codedSessions.joinByCode, { code });
    vi.advanceTimersByTime(60_000);
    const second = await student.as.mutation(api.codedSessions.joinByCode, { code: code.toLowerCase() });
    expect(first).toMatchObject({ status: "joined", alreadyJoined: false });
    expect(second).toMatchObject({ status: "joined", alreadyJoined: true });
    expect(second.status === "joined" && first.status === "joined" && second.joinedAt === first.joinedAt).toBe(true);
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toHaveLength(1);
  });

  test("a closed session refuses joins with a clear message, and so does an ended one", async () => {
    const { lecturer, student } = await lecturerAndStudent();
    const closed = await lecturer.as.mutation(api.codedSessions.create, { title: "Closed class" });
    await lecturer.as.mutation(api.codedSessions.close, { sessionId: closed.sessionId });
    const closedAnswer = await student.as.mutation(api.codedSessions.joinByCode, { code: closed.code });
    expect(closedAnswer).toMatchObject({ status: "wrong_code", message: expect.stringMatching(/closed/), attemptsLeft: 9 });
    expect(await student.as.mutation(api.codedSessions.previewByCode, { code: closed.code })).toMatchObject({
      status: "wrong_code",
      attemptsLeft: 8,
    });
    expect(await errorCodeOf(lecturer.as.mutation(api.codedSessions.regenerateCode, { sessionId: closed.sessionId }))).toBe("FAILED_PRECONDITION");

    const timed = await lecturer.as.mutation(api.codedSessions.create, { title: "Timed class", endsAt: Date.now() + 60 * 60_000 });
    vi.advanceTimersByTime(61 * 60_000);
    const endedAnswer = await student.as.mutation(api.codedSessions.joinByCode, { code: timed.code });
    expect(endedAnswer).toMatchObject({ status: "wrong_code", message: expect.stringMatching(/ended/) });

    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId: closed.sessionId })).toEqual([]);
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId: timed.sessionId })).toEqual([]);
    expect(await errorCodeOf(lecturer.as.mutation(api.codedSessions.create, { title: "Past", endsAt: Date.now() - 1 }))).toBe("INVALID_ARGUMENT");
  });

  test("codes of closed sessions count as failed attempts, so probing for old codes is throttled too", async () => {
    const { lecturer, student: prober } = await lecturerAndStudent();
    const closed = await lecturer.as.mutation(api.codedSessions.create, { title: "Old class" });
    await lecturer.as.mutation(api.codedSessions.close, { sessionId: closed.sessionId });
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await prober.as.mutation(api.codedSessions.previewByCode, { code: closed.code });
    }
    expect(await errorCodeOf(prober.as.mutation(api.codedSessions.previewByCode, { code: closed.code }))).toBe("RATE_LIMITED");
  });

  test("a session with an end time closes itself at that time", async () => {
    const t = newTest();
    vi.useFakeTimers();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    const endsAt = Date.now() + 45 * 60_000;
    const timed = await lecturer.as.mutation(api.codedSessions.create, { title: "Timed class", endsAt });
    const untimed = await lecturer.as.mutation(api.codedSessions.create, { title: "Open-ended class" });

    vi.advanceTimersByTime(44 * 60_000);
    await t.finishInProgressScheduledFunctions();
    expect(await lecturer.as.query(api.codedSessions.get, { sessionId: timed.sessionId })).toMatchObject({ status: "open" });

    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await lecturer.as.query(api.codedSessions.get, { sessionId: timed.sessionId })).toMatchObject({ status: "closed", closedAt: endsAt });
    expect(await lecturer.as.query(api.codedSessions.get, { sessionId: untimed.sessionId })).toMatchObject({ status: "open" });
  });

  test("a regenerated code replaces the old one at once", async () => {
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    const student = await seedUser(t, { roles: ["student"] });
    const { sessionId, code } = await lecturer.as.mutation(api.codedSessions.create, { title: "Class" });
    const newCode = await lecturer.as.mutation(api.codedSessions.regenerateCode, { sessionId });
    expect(newCode).not.toBe(code);
    expect((await lecturer.as.query(api.codedSessions.get, { sessionId }))?.code).toBe(newCode);
    expect(await student.as.mutation(api.codedSessions.joinByCode, { code })).toMatchObject({ status: "wrong_code" });
    expect(await student.as.mutation(api.codedSessions.joinByCode, { code: newCode })).toMatchObject({ status: "joined" });
  });

  test("a malformed code is refused as such and not counted as a wrong guess", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect(await errorCodeOf(student.as.mutation(api.codedSessions.joinByCode, { code: "12345" }))).toBe("INVALID_ARGUMENT");
    }
    expect(await student.as.mutation(api.codedSessions.joinByCode, { code: "ZZZZZZ" })).toMatchObject({ status: "wrong_code", attemptsLeft: 9 });
  });
});

describe("wrong-code throttle", () => {
  test("the 11th wrong code within a minute is refused with the seconds to wait, and allowed again later", async () => {
    const { t, lecturer, student } = await lecturerAndStudent();
    const other = await seedUser(t, { roles: ["student"] });
    const { sessionId, code } = await lecturer.as.mutation(api.codedSessions.create, { title: "Class" });
    const wrong = code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";

    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const call = attempt % 2 === 0 ? api.codedSessions.previewByCode : api.codedSessions.joinByCode;
      expect(await student.as.mutation(call, { code: wrong })).toEqual({
        status: "wrong_code",
        message: expect.any(String),
        attemptsLeft: 10 - attempt,
      });
      vi.advanceTimersByTime(100);
    }

    const refused = await errorDataOf(student.as.mutation(api.codedSessions.joinByCode, { code: wrong }));
    expect(refused.code).toBe("RATE_LIMITED");
    const retryAfterSeconds = refused.details?.retryAfterSeconds as number;
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.message).toContain(`${retryAfterSeconds} s`);
    // Even the right code is refused while throttled; other users are not affected.
    expect(await errorCodeOf(student.as.mutation(api.codedSessions.joinByCode, { code }))).toBe("RATE_LIMITED");
    expect(await other.as.mutation(api.codedSessions.joinByCode, { code: wrong })).toMatchObject({ status: "wrong_code" });
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toEqual([]);

    vi.advanceTimersByTime(retryAfterSeconds * 1000);
    expect(await student.as.mutation(api.codedSessions.joinByCode, { code })).toMatchObject({ status: "joined" });
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toHaveLength(1);
  });
});

describe("wrong-code throttle over a sliding minute", () => {
  test("no 60-second window ever holds more than 10 wrong codes, however they are spread", async () => {
    const { lecturer, student } = await lecturerAndStudent();
    const { code } = await lecturer.as.mutation(api.codedSessions.create, { title: "Class" });
    const wrong = code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
    const tryWrong = async () => {
      const call = student.as.mutation(api.codedSessions.joinByCode, { code: wrong });
      const answer = await call.catch(() => null);
      if (answer !== null) return answer.status;
      return await errorCodeOf(call);
    };

    // One attempt every 5 s for three minutes; count the accepted wrong codes per sliding minute.
    const accepted: number[] = [];
    const start = Date.now();
    for (let second = 0; second < 180; second += 5) {
      if ((await tryWrong()) === "wrong_code") accepted.push(Date.now() - start);
      vi.advanceTimersByTime(5000);
    }
    expect(accepted.slice(0, 10)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45].map((s) => s * 1000));
    for (const from of accepted) {
      expect(accepted.filter((at) => at >= from && at < from + 60_000).length).toBeLessThanOrEqual(10);
    }
    // The attempts do come back: one a minute after the first ten.
    expect(accepted.length).toBeGreaterThan(10);
  });
});

describe("access per role", () => {
  test("only lecturers, admins and superadmins create; everyone with a role joins", async () => {
    const t = newTest();
    const people = await seedUserPerRole(t);
    const noRole = await seedUser(t, { roles: [] });
    for (const role of ["student", "mentor", "coach", "enrollment_manager"] as const) {
      expect(await errorCodeOf(people[role].as.mutation(api.codedSessions.create, { title: "x" }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(people[role].as.query(api.codedSessions.listMine, {}))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(t.mutation(api.codedSessions.create, { title: "x" }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(noRole.as.mutation(api.codedSessions.create, { title: "x" }))).toBe("FORBIDDEN");

    const created: Record<string, { sessionId: Id<"codedSessions">; code: string }> = {};
    for (const role of ["lecturer", "admin", "superadmin"] as const) {
      created[role] = await people[role].as.mutation(api.codedSessions.create, { title: `${role} class` });
      expect((await people[role].as.query(api.codedSessions.listMine, {})).map((row) => row.code)).toEqual([created[role].code]);
    }

    const { code, sessionId } = created.lecturer;
    for (const role of ["student", "mentor", "coach", "lecturer", "enrollment_manager", "admin", "superadmin"] as const) {
      expect(await people[role].as.mutation(api.codedSessions.joinByCode, { code })).toMatchObject({ status: "joined" });
    }
    expect(await errorCodeOf(noRole.as.mutation(api.codedSessions.joinByCode, { code }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(noRole.as.mutation(api.codedSessions.previewByCode, { code }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(t.mutation(api.codedSessions.joinByCode, { code }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.mutation(api.codedSessions.previewByCode, { code }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.codedSessions.get, { sessionId }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.codedSessions.participants, { sessionId }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.codedSessions.listJoined, {}))).toBe("UNAUTHENTICATED");
    expect(await people.lecturer.as.query(api.codedSessions.participants, { sessionId })).toHaveLength(7);
  });

  test("the code, the participant list and managing follow the creator/admin/staff rules", async () => {
    const t = newTest();
    const people = await seedUserPerRole(t);
    const otherLecturer = await seedUser(t, { roles: ["lecturer"] });
    const outsider = await seedUser(t, { roles: ["student"] });
    const { sessionId, code } = await people.lecturer.as.mutation(api.codedSessions.create, { title: "Class" });
    await people.student.as.mutation(api.codedSessions.joinByCode, { code });

    // Who sees the code.
    for (const who of [people.lecturer, people.admin, people.superadmin]) {
      expect(await who.as.query(api.codedSessions.get, { sessionId })).toMatchObject({ code, canManage: true, canSeeParticipants: true });
    }
    const managerView = await people.enrollment_manager.as.query(api.codedSessions.get, { sessionId });
    expect(managerView).toMatchObject({ canManage: false, canSeeParticipants: true });
    expect(managerView).not.toHaveProperty("code");
    const participantView = await people.student.as.query(api.codedSessions.get, { sessionId });
    expect(participantView).not.toHaveProperty("code");
    expect(participantView?.joinedAt).toEqual(expect.any(Number));
    for (const who of [otherLecturer, outsider, people.mentor, people.coach]) {
      expect(await who.as.query(api.codedSessions.get, { sessionId })).toBeNull();
    }

    // Who sees the participants.
    for (const who of [people.lecturer, people.admin, people.superadmin, people.enrollment_manager]) {
      expect(await who.as.query(api.codedSessions.participants, { sessionId })).toMatchObject([{ userId: people.student.userId }]);
    }
    for (const who of [people.student, otherLecturer, outsider, people.mentor, people.coach]) {
      expect(await who.as.query(api.codedSessions.participants, { sessionId })).toBeNull();
    }

    // Who regenerates and closes.
    expect(await errorCodeOf(otherLecturer.as.mutation(api.codedSessions.regenerateCode, { sessionId }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(otherLecturer.as.mutation(api.codedSessions.close, { sessionId }))).toBe("NOT_FOUND");
    for (const role of ["student", "mentor", "coach", "enrollment_manager"] as const) {
      expect(await errorCodeOf(people[role].as.mutation(api.codedSessions.regenerateCode, { sessionId }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(people[role].as.mutation(api.codedSessions.close, { sessionId }))).toBe("FORBIDDEN");
    }
    expect((await people.lecturer.as.query(api.codedSessions.get, { sessionId }))?.code).toBe(code);
    const adminCode = await people.admin.as.mutation(api.codedSessions.regenerateCode, { sessionId });
    expect(adminCode).not.toBe(code);
    await people.superadmin.as.mutation(api.codedSessions.close, { sessionId });
    expect(await people.lecturer.as.query(api.codedSessions.get, { sessionId })).toMatchObject({ status: "closed", closedAt: expect.any(Number) });
  });
});
