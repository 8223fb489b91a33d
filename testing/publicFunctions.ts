import type { ValidatorJSON } from "convex/values";
import schema from "../convex/schema";
import { modules } from "../convex/test.setup";
import type { TestBackend } from "./convex";
import { DAY_MS, HOUR_MS } from "../convex/model/time/units";

/**
 * Every public query, mutation and action of the app, found the way the Convex backend finds them:
 * the exports of each module under `convex/` that are registered functions (`isPublic`), with the
 * JSON of their argument validators. Used by the tests that call every public function (clock reads
 * in queries, bad input on every mutation), so a new function is covered without anyone listing it.
 */

/** One public function: its path as the client names it (`coaching:listSlots`), kind and argument validator. */
export type PublicFunction = {
  /** `module:export`, e.g. `coaching:listSlots` (what `makeFunctionReference` takes). */
  path: string;
  kind: "query" | "mutation" | "action";
  /** The JSON form of its `args` validator (`{ type: "object", value: { … } }`), or `{ type: "any" }`. */
  args: ValidatorJSON;
};

type RegisteredFunction = {
  isPublic?: boolean;
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  exportArgs?: () => string;
};

/** Loads every module of `convex/` (as the test project sees them) and lists its public functions, sorted by path. */
export async function listPublicFunctions(): Promise<PublicFunction[]> {
  const found: PublicFunction[] = [];
  for (const [file, load] of Object.entries(modules)) {
    if (file.includes("/_generated/")) continue;
    const moduleName = file.replace(/^\.\//, "").replace(/\.(ts|js)$/, "");
    const exports = (await load()) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      const registered = value as RegisteredFunction | null;
      if (typeof registered !== "function" && (typeof registered !== "object" || registered === null)) continue;
      if (registered.isPublic !== true || registered.exportArgs === undefined) continue;
      const kind = registered.isQuery ? "query" : registered.isMutation ? "mutation" : registered.isAction ? "action" : null;
      if (kind === null) continue;
      found.push({ path: `${moduleName}:${name}`, kind, args: JSON.parse(registered.exportArgs()) as ValidatorJSON });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Values a generated argument may take from outside: a document id per table, and field-name defaults. */
export type ArgumentSamples = {
  /** Any existing document id of each table (the first one found), for `v.id(table)` fields. */
  idsByTable: Record<string, string | undefined>;
  /** Values for fields of a given name, used before the type's default (e.g. `{ now: …, fromDate: "2026-12-07" }`). */
  byFieldName: Record<string, unknown>;
};

/** 2026-12-07 09:00 UTC, a Monday: the clock of the tests that call every public function. */
export const SAMPLE_NOW = Date.UTC(2026, 11, 7, 9, 0);

/** Valid values of the arguments that public functions name alike (`ArgumentSamples.byFieldName`), around {@link SAMPLE_NOW}. */
export const SAMPLE_VALUES_BY_FIELD_NAME: Record<string, unknown> = {
  now: SAMPLE_NOW,
  from: SAMPLE_NOW - 7 * DAY_MS,
  to: SAMPLE_NOW + 7 * DAY_MS,
  startsAt: SAMPLE_NOW + 2 * DAY_MS,
  endsAt: SAMPLE_NOW + 2 * DAY_MS + HOUR_MS,
  startTime: SAMPLE_NOW + 2 * DAY_MS,
  startDate: SAMPLE_NOW + 30 * DAY_MS,
  days: 7,
  limit: 10,
  fromDate: "2026-12-07",
  timeZone: "Europe/London",
  paginationOpts: { numItems: 10, cursor: null },
  code: "7K3QX9",
  title: "Sample title",
  name: "Sample name",
  meetingUrl: "https://meet.example.com/sample",
  recordingUrl: "https://recordings.example.com/sample",
  email: "sample@example.com",
  durationMinutes: 30,
  priceCents: 1000,
  weekday: 1,
  startMinute: 540,
  endMinute: 600,
  positionSeconds: 10,
};

/** Marker for a value that cannot be generated (an id of a table with no documents). */
export const CANNOT_GENERATE = Symbol("cannot generate");

/**
 * A plausible value for `validator`: named fields take `samples.byFieldName`, ids the first
 * document of their table, unions their first member that can be generated, optional fields are
 * left out unless a sample names them.
 * @returns the value, or {@link CANNOT_GENERATE}.
 */
export function sampleValue(validator: ValidatorJSON, samples: ArgumentSamples, fieldName = ""): unknown {
  if (fieldName in samples.byFieldName) return samples.byFieldName[fieldName];
  switch (validator.type) {
    case "id":
      return samples.idsByTable[validator.tableName] ?? CANNOT_GENERATE;
    case "string":
      return "sample";
    case "number":
      return 1;
    case "bigint":
      return 1n;
    case "boolean":
      return false;
    case "null":
      return null;
    case "literal":
      return validator.value;
    case "any":
      return {};
    case "bytes":
      return new ArrayBuffer(0);
    case "array":
      return [];
    case "record":
      return {};
    case "union": {
      for (const member of validator.value) {
        const value = sampleValue(member, samples, fieldName);
        if (value !== CANNOT_GENERATE) return value;
      }
      return CANNOT_GENERATE;
    }
    case "object": {
      const value: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(validator.value)) {
        if (field.optional && !(name in samples.byFieldName)) continue;
        const fieldValue = sampleValue(field.fieldType, samples, name);
        if (fieldValue === CANNOT_GENERATE) return CANNOT_GENERATE;
        value[name] = fieldValue;
      }
      return value;
    }
  }
}

/** The first document id of every table of the schema (undefined for an empty table), for `ArgumentSamples.idsByTable`. */
export async function firstIdOfEveryTable(t: TestBackend): Promise<Record<string, string | undefined>> {
  return await t.run(async (ctx) => {
    const ids: Record<string, string | undefined> = {};
    for (const table of Object.keys(schema.tables) as (keyof typeof schema.tables)[]) {
      ids[table] = (await ctx.db.query(table).first())?._id;
    }
    return ids;
  });
}
