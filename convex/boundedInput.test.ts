import { makeFunctionReference } from "convex/server";
import type { ValidatorJSON } from "convex/values";
import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import schema from "./schema";
import { PERSONAS, personaTokenIdentifier } from "./model/users/personas";
import { errorCodeOf, newTest, seedCourse, seedUser, storeUpload, type TestBackend } from "../testing/convex";
import { CANNOT_GENERATE, firstIdOfEveryTable, listPublicFunctions, SAMPLE_NOW, SAMPLE_VALUES_BY_FIELD_NAME, sampleValue, type ArgumentSamples } from "../testing/publicFunctions";

/**
 * Bounded input everywhere (issue 13 point 4): every public mutation and query, fed the same bad
 * values in each of its number, string and array arguments in turn, answers INVALID_ARGUMENT and
 * writes nothing. The functions are enumerated from the modules, so a new one is covered at once.
 */

const NOW = SAMPLE_NOW;

const BAD_NUMBERS: [string, number][] = [
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["9e15", 9e15],
  ["-1", -1],
];
const LONG_STRING = "x".repeat(600_000);
const LONG_LIST_LENGTH = 10_000;

afterEach(() => vi.useRealTimers());

/** Where a bad value goes: a path of object keys (and `[]` for "the one element of this array"). */
type Slot = { path: string[]; type: "number" | "string" | "array"; element?: ValidatorJSON };

/** Every number, string and array argument of `validator`, nested in objects, arrays and unions. */
function slotsOf(validator: ValidatorJSON, path: string[] = []): Slot[] {
  switch (validator.type) {
    case "number":
      return [{ path, type: "number" }];
    case "string":
      return [{ path, type: "string" }];
    case "array":
      return [{ path, type: "array", element: validator.value }, ...slotsOf(validator.value, [...path, "[]"])];
    case "object":
      return Object.entries(validator.value).flatMap(([name, field]) => slotsOf(field.fieldType, [...path, name]));
    case "union": {
      // One slot per kind of member (a `string | null` field is fed the bad strings once).
      const slots = validator.value.flatMap((member) => slotsOf(member, path));
      return slots.filter((slot, index) => slots.findIndex((other) => other.type === slot.type && other.path.join(".") === slot.path.join(".")) === index);
    }
    default:
      return [];
  }
}

/** A sample value for `validator` that includes optional object fields (so a nested slot has a parent). */
function fullSample(validator: ValidatorJSON, samples: ArgumentSamples, fieldName = ""): unknown {
  if (validator.type === "object") {
    const value: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(validator.value)) {
      const fieldValue = fullSample(field.fieldType, samples, name);
      if (fieldValue === CANNOT_GENERATE) {
        if (field.optional) continue;
        return CANNOT_GENERATE;
      }
      value[name] = fieldValue;
    }
    return value;
  }
  if (fieldName in samples.byFieldName) return samples.byFieldName[fieldName];
  if (validator.type === "array") {
    const element = fullSample(validator.value, samples);
    return element === CANNOT_GENERATE ? [] : [element];
  }
  if (validator.type === "union") {
    for (const member of validator.value) {
      const value = fullSample(member, samples, fieldName);
      if (value !== CANNOT_GENERATE) return value;
    }
    return CANNOT_GENERATE;
  }
  return sampleValue(validator, samples, fieldName);
}

/** `args` with `value` put at `path`, building the parents (objects, one-element arrays) it needs. */
function withValueAt(args: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === "[]") {
    const current = Array.isArray(args) && args.length > 0 ? args[0] : undefined;
    return [withValueAt(current, rest, value)];
  }
  const base = typeof args === "object" && args !== null && !Array.isArray(args) ? { ...(args as Record<string, unknown>) } : {};
  base[head!] = withValueAt(base[head!], rest, value);
  return base;
}

/** A fingerprint of every document of every table and of the scheduled functions. */
async function databaseFingerprint(t: TestBackend): Promise<string> {
  return await t.run(async (ctx) => {
    const parts: string[] = [];
    for (const table of Object.keys(schema.tables) as (keyof typeof schema.tables)[]) {
      parts.push(table, JSON.stringify(await ctx.db.query(table).collect()));
    }
    parts.push("_scheduled_functions", JSON.stringify(await ctx.db.system.query("_scheduled_functions").collect()));
    return parts.join("\n");
  });
}

async function seededBackend() {
  const t = newTest();
  await t.mutation(internal.seed.init, {});
  const idsByTable = await firstIdOfEveryTable(t);
  // An uploaded file, for the `v.id("_storage")` of video and captions arguments.
  idsByTable._storage = await storeUpload(t, { contentType: "text/vtt", contents: "WEBVTT\n" });
  const samples: ArgumentSamples = {
    idsByTable,
    byFieldName: SAMPLE_VALUES_BY_FIELD_NAME,
  };
  return { t, samples };
}

const asPersona = (t: TestBackend, subject: string) => t.withIdentity({ tokenIdentifier: personaTokenIdentifier(subject), subject });

describe("every public function rejects unbounded input", () => {
  for (const kind of ["mutation", "query"] as const) {
    test(`every public ${kind}: NaN, ±Infinity, 9e15, -1, a 600 KB string and a 10,000-element array get INVALID_ARGUMENT and write nothing`, async () => {
      vi.useFakeTimers();
      vi.setSystemTime(NOW);
      const { t, samples } = await seededBackend();
      const functions = (await listPublicFunctions()).filter((fn) => fn.kind === kind);
      expect(functions.length).toBeGreaterThan(kind === "mutation" ? 40 : 30);
      const callers = [asPersona(t, PERSONAS[0]!.subject), asPersona(t, "persona-student-amira")];
      const before = await databaseFingerprint(t);

      const accepted: string[] = [];
      let callsMade = 0;
      for (const fn of functions) {
        const base = fullSample(fn.args, samples);
        if (base === CANNOT_GENERATE) continue;
        for (const slot of slotsOf(fn.args)) {
          let badValues: [string, unknown][];
          if (slot.type === "number") badValues = BAD_NUMBERS;
          else if (slot.type === "string") badValues = [["600 KB string", LONG_STRING]];
          else {
            const element = fullSample(slot.element!, samples);
            if (element === CANNOT_GENERATE) continue;
            badValues = [["10,000 elements", Array.from({ length: LONG_LIST_LENGTH }, () => element)]];
          }
          for (const [label, value] of badValues) {
            const args = withValueAt(base, slot.path, value) as Record<string, never>;
            for (const caller of callers) {
              callsMade += 1;
              const call =
                kind === "mutation"
                  ? caller.mutation(makeFunctionReference<"mutation">(fn.path), args)
                  : caller.query(makeFunctionReference<"query">(fn.path), args);
              const code = await errorCodeOf(call).catch((error: unknown) => `no ConvexError (${String(error).slice(0, 120)})`);
              if (code !== "INVALID_ARGUMENT") accepted.push(`${fn.path} ${slot.path.join(".")} = ${label}: ${code}`);
            }
          }
        }
      }
      expect(accepted).toEqual([]);
      expect(callsMade).toBeGreaterThan(kind === "mutation" ? 100 : 50);
      expect(await databaseFingerprint(t)).toBe(before);
    }, 120_000);
  }
});

describe("the cases the red-team found", () => {
  test("successSessions.create with a start in year 287,000 is refused and creates nothing", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const { courseId } = await seedCourse(t, "Web Development", ["Batch 1"]);
    const code = await errorCodeOf(
      admin.as.mutation(api.successSessions.create, {
        title: "Far future",
        startsAt: 9e15,
        timeZone: "Europe/London",
        meetingUrl: "https://meet.example.com/x",
        mentorId: mentor.userId,
        courseId,
        batchId: null,
      }),
    );
    expect(code).toBe("INVALID_ARGUMENT");
    expect(await t.run((ctx) => ctx.db.query("successSessions").collect())).toEqual([]);
  });

  test("codedSessions.create with an end in year 287,000 is refused and schedules nothing", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    expect(await errorCodeOf(lecturer.as.mutation(api.codedSessions.create, { title: "Class", endsAt: 9e15 }))).toBe("INVALID_ARGUMENT");
    expect(await t.run((ctx) => ctx.db.query("codedSessions").collect())).toEqual([]);
    expect(await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect())).toEqual([]);
  });

  test("catalog.createBatch with a NaN start date is refused", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { courseId } = await seedCourse(t, "Web Development");
    expect(await errorCodeOf(admin.as.mutation(api.catalog.createBatch, { courseId, name: "Batch 9", startDate: Number.NaN }))).toBe("INVALID_ARGUMENT");
    expect(await t.run((ctx) => ctx.db.query("batches").collect())).toEqual([]);
  });

  test("coaching.myBookings with limit NaN answers INVALID_ARGUMENT, not a plain error", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    expect(await errorCodeOf(student.as.query(api.coaching.myBookings, { scope: "upcoming", limit: Number.NaN, now: NOW }))).toBe("INVALID_ARGUMENT");
  });
});
