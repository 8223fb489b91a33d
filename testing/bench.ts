import type { Doc, Id } from "../convex/_generated/dataModel";
import { HOUR_MS, MINUTE_MS } from "../convex/model/time/units";
import { sessionTimes } from "../convex/model/coaching/timeNames";
import type { seedUser, TestBackend } from "./convex";

/**
 * What the read benchmarks (`convex/*.bench.ts`, `npm run bench`) share: seeding many rows directly
 * into the database, and measuring what one call reads.
 */

/** The `ctx` of `t.run`: the database without any function in between. */
export type DirectCtx = Parameters<Parameters<TestBackend["run"]>[0]>[0];

type SignedInClient = Awaited<ReturnType<typeof seedUser>>["as"];
/** The `ctx` of a signed-in client's `run`. */
export type SignedInCtx = Parameters<Parameters<SignedInClient["run"]>[0]>[0];

/**
 * Items seeded per transaction (an item inserts a few rows): within Convex's per-transaction write
 * limits, which `newTest({ transactionLimits: true })` enforces.
 */
const ITEMS_PER_TRANSACTION = 1500;

/** Calls `insert(ctx, index)` for index 0 to `count - 1`, {@link ITEMS_PER_TRANSACTION} per transaction. */
export async function insertInChunks(t: TestBackend, count: number, insert: (ctx: DirectCtx, index: number) => Promise<unknown>): Promise<void> {
  for (let offset = 0; offset < count; offset += ITEMS_PER_TRANSACTION) {
    await t.run(async (ctx) => {
      for (let index = offset; index < Math.min(count, offset + ITEMS_PER_TRANSACTION); index += 1) await insert(ctx, index);
    });
  }
}

/** What {@link measureReads} reports: Convex's transaction metrics of the call and its wall time. */
export type ReadMetrics = { documentsRead: number; databaseQueries: number; milliseconds: number };

/**
 * Runs `read` signed in as `as`, in one transaction, and adds to what it returns the documents read
 * and index ranges queried (`ctx.meta.getTransactionMetrics()`) and the wall time in milliseconds.
 */
export async function measureReads<T extends object>(as: SignedInClient, read: (ctx: SignedInCtx) => Promise<T>): Promise<T & ReadMetrics> {
  const started = performance.now();
  const metrics = await as.run(async (ctx) => {
    const result = await read(ctx);
    const used = await ctx.meta.getTransactionMetrics();
    return { ...result, documentsRead: used.documentsRead.used, databaseQueries: used.databaseQueries.used };
  });
  return { ...metrics, milliseconds: Math.round(performance.now() - started) };
}

/** A success session of one hour in UTC, as staff create it (sequence 0, a Zoom link). */
export function successSessionRow(fields: {
  title: string;
  courseId: Id<"courses">;
  batchId: Id<"batches"> | null;
  mentorId: Id<"users">;
  /** Epoch milliseconds. */
  startsAt: number;
  status: Doc<"successSessions">["status"];
  createdBy: Id<"users">;
}): Omit<Doc<"successSessions">, "_id" | "_creationTime"> {
  return {
    description: "",
    ...fields,
    endsAt: fields.startsAt + HOUR_MS,
    timeZone: "UTC",
    meetingUrl: "https://zoom.example.com/j/1",
    sequence: 0,
  };
}

/**
 * A booked (`SCHEDULED`) coaching session the student booked themselves, with the Discord fields a
 * session carried before the space moved to `discordSpaces` (nothing created in Discord yet).
 */
export function coachingSessionRow(fields: {
  coachId: Id<"users">;
  studentId: Id<"users">;
  coachingProductId: Id<"coachingProducts">;
  productId: Id<"products">;
  /** Epoch milliseconds. */
  startTime: number;
  durationMinutes: number;
  discordKey: string;
  provisioningState: "pending" | "not_configured";
}): Omit<Doc<"coachingSessions">, "_id" | "_creationTime"> {
  return {
    ...fields,
    ...sessionTimes(fields.startTime, fields.startTime + fields.durationMinutes * MINUTE_MS),
    status: "SCHEDULED",
    notes: "",
    reminderSent: false,
    bookedBy: fields.studentId,
    discordSetupComplete: false,
    discordRoleGrantedTo: [],
    discordRoleCreateAttempted: false,
    discordChannelCreateAttempted: false,
    provisioningAttempts: 0,
  };
}
