import { makeFunctionReference } from "convex/server";
import { ConvexError } from "convex/values";
import { afterEach, expect, test, vi } from "vitest";
import { internal } from "./_generated/api";
import { PERSONAS, personaTokenIdentifier } from "./model/users/personas";
import { newTest } from "../testing/convex";
import { CANNOT_GENERATE, firstIdOfEveryTable, listPublicFunctions, SAMPLE_NOW, SAMPLE_VALUES_BY_FIELD_NAME, sampleValue, type ArgumentSamples } from "../testing/publicFunctions";

/**
 * A Convex query re-runs only when data it read changes, never because time passed, so a query that
 * reads the clock shows stale answers on a real deployment (convex-test does not model this). This
 * test calls EVERY public query, as every demo persona, while `Date.now()` and `new Date()` throw
 * when called from our code under `convex/`; queries that need the time take it as an argument.
 */

const NOW = SAMPLE_NOW;
const CLOCK_READ = "read the clock inside a query";

/**
 * True when the caller of `Date.now()` / `new Date()` is our code under `convex/` (libraries such as
 * @date-fns/tz build dates with `new Date()` and then set the time, which reads no clock).
 */
function calledFromOurCode(): boolean {
  const caller = (new Error().stack ?? "").split("\n")[3] ?? "";
  return /[/\\]convex[/\\](?!_generated)/.test(caller) && !caller.includes("node_modules");
}

/** Makes `Date.now()` and `new Date()` throw for our code until the returned function is called. */
function forbidClockReads(): () => void {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now;
  class ClocklessDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0 && calledFromOurCode()) throw new Error(CLOCK_READ);
      super(...(args as [number]));
    }
    static override now(): number {
      if (calledFromOurCode()) throw new Error(CLOCK_READ);
      return realNow.call(RealDate);
    }
  }
  globalThis.Date = ClocklessDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}

afterEach(() => vi.useRealTimers());

// Every query × every persona after a full seed: seconds on a busy machine.
test("no public query reads the clock, for any persona", { timeout: 120_000 }, async () => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
  const t = newTest();
  await t.mutation(internal.seed.init, {});
  const idsByTable = await firstIdOfEveryTable(t);
  const samples: ArgumentSamples = {
    idsByTable,
    byFieldName: SAMPLE_VALUES_BY_FIELD_NAME,
  };
  const queries = (await listPublicFunctions()).filter((fn) => fn.kind === "query");
  expect(queries.length).toBeGreaterThan(30);

  const clockReads: string[] = [];
  const answeredBySomeone = new Set<string>();
  const restore = forbidClockReads();
  try {
    for (const query of queries) {
      const args = sampleValue(query.args, samples);
      if (args === CANNOT_GENERATE) continue;
      for (const persona of PERSONAS) {
        const as = t.withIdentity({ tokenIdentifier: personaTokenIdentifier(persona.subject), subject: persona.subject });
        try {
          await as.query(makeFunctionReference<"query">(query.path), args as Record<string, never>);
          answeredBySomeone.add(query.path);
        } catch (error) {
          if (error instanceof ConvexError) continue;
          if (String(error).includes(CLOCK_READ)) clockReads.push(`${query.path} as ${persona.subject}: ${(error as Error).stack?.split("\n").slice(0, 8).join(" <- ")}`);
          else throw new Error(`${query.path} as ${persona.subject} failed: ${String(error)}`, { cause: error });
        }
      }
    }
  } finally {
    restore();
  }
  expect(clockReads).toEqual([]);
  // The check only means something if the queries ran: most must answer for at least one persona.
  expect(answeredBySomeone.size / queries.length).toBeGreaterThan(0.75);
});
