import migrationsTest from "@convex-dev/migrations/test";
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import { Blob as NodeBlob } from "node:buffer";
import { convexTest } from "convex-test";
import type { UserIdentity } from "convex/server";
import type { Doc, Id } from "../convex/_generated/dataModel";
import schema from "../convex/schema";
import { modules } from "../convex/test.setup";
import type { Role } from "../convex/model/users/roles";

/**
 * Test harness for Convex functions: a fresh in-memory backend per test, with our schema and
 * modules, and helpers that create users and sign in as them.
 */

export type TestBackend = ReturnType<typeof newTest>;

type TransactionLimit =
  | "bytesRead"
  | "bytesWritten"
  | "databaseQueries"
  | "documentsRead"
  | "documentsWritten"
  | "functionsScheduled"
  | "scheduledFunctionArgsBytes";

/**
 * A new convex-test backend.
 * @param options.transactionLimits enforce Convex's per-transaction limits (true) or custom ones.
 */
export function newTest(options: { transactionLimits?: boolean | Partial<Record<TransactionLimit, number>> } = {}) {
  const t = convexTest({ schema, modules, ...options });
  // The components of convex.config.ts (the rate limiter registers its nested batch worker too).
  rateLimiterTest.register(t);
  migrationsTest.register(t);
  return t;
}

let userCounter = 0;

/**
 * Creates an active user with `roles` and returns its id with a client signed in as that user.
 * @param fields.name / email / timeZone / discordUserId optional overrides.
 * @returns `{ userId, as, identity }`; `as` calls functions with the user's identity.
 */
export async function seedUser(
  t: TestBackend,
  fields: { roles: Role[]; name?: string; email?: string; timeZone?: string; discordUserId?: string },
) {
  userCounter += 1;
  const subject = `test-user-${userCounter}`;
  const identity: Partial<UserIdentity> = {
    subject,
    issuer: "https://test.issuer",
    tokenIdentifier: `https://test.issuer|${subject}`,
    name: fields.name ?? `${fields.roles[0] ?? "user"} ${userCounter}`,
    email: fields.email ?? `user${userCounter}@example.com`,
  };
  const userId: Id<"users"> = await t.run(async (ctx) => {
    const id = await ctx.db.insert("users", {
      tokenIdentifier: identity.tokenIdentifier,
      externalId: subject,
      name: identity.name!,
      email: identity.email!,
      roles: fields.roles,
      active: true,
      ...(fields.timeZone ? { timeZone: fields.timeZone } : {}),
      ...(fields.discordUserId ? { discordUserId: fields.discordUserId } : {}),
    });
    for (const role of fields.roles) await ctx.db.insert("userRoles", { userId: id, role });
    return id;
  });
  return { userId, identity, as: t.withIdentity(identity) };
}

/** One signed-in user per role (plus a user with no role at all), for access-rule tables. */
export async function seedUserPerRole(t: TestBackend) {
  const roles: Role[] = ["student", "mentor", "coach", "lecturer", "enrollment_manager", "admin", "superadmin"];
  const entries = await Promise.all(roles.map(async (role) => [role, await seedUser(t, { roles: [role] })] as const));
  return Object.fromEntries(entries) as Record<Role, Awaited<ReturnType<typeof seedUser>>>;
}

/**
 * Creates a course with batches by name (all active unless listed in `archived`).
 * @returns `{ courseId, batchIds: { [name]: id } }`.
 */
export async function seedCourse(
  t: TestBackend,
  title: string,
  batchNames: string[] = [],
  archived: string[] = [],
) {
  return await t.run(async (ctx) => {
    const courseId = await ctx.db.insert("courses", { title, description: "", status: "active" });
    const batchIds: Record<string, Id<"batches">> = {};
    for (const name of batchNames) {
      batchIds[name] = await ctx.db.insert("batches", {
        courseId,
        name,
        status: archived.includes(name) ? "archived" : "active",
      });
    }
    return { courseId, batchIds };
  });
}

/** Inserts an enrollment directly (status default active, enrolledAt default now). */
export async function seedEnrollment(
  t: TestBackend,
  fields: {
    studentId: Id<"users">;
    courseId: Id<"courses">;
    batchId: Id<"batches"> | null;
    status?: "active" | "paused" | "completed" | "cancelled";
    enrolledAt?: number;
  },
) {
  return await t.run((ctx) =>
    ctx.db.insert("enrollments", {
      studentId: fields.studentId,
      courseId: fields.courseId,
      batchId: fields.batchId,
      status: fields.status ?? "active",
      enrolledAt: fields.enrolledAt ?? Date.now(),
    }),
  );
}

/** Inserts a product and optionally grants active access to students. */
export async function seedProduct(
  t: TestBackend,
  title: string,
  kind: "job_readiness" | "coaching" | "other",
  studentIds: Id<"users">[] = [],
) {
  return await t.run(async (ctx) => {
    const productId = await ctx.db.insert("products", { title, description: "", kind, status: "active" });
    for (const studentId of studentIds) {
      await ctx.db.insert("productAccess", { studentId, productId, status: "active", grantedAt: Date.now() });
    }
    return productId;
  });
}

/**
 * Inserts an active coaching product on `productId` given by `coachIds`: "Coaching", 30 minutes,
 * free, with the product's default policy unless `fields` says otherwise.
 */
export async function seedCoachingProduct(
  t: TestBackend,
  productId: Id<"products">,
  coachIds: Id<"users">[],
  fields: Partial<Omit<Doc<"coachingProducts">, "_id" | "_creationTime" | "productId" | "coachIds">> = {},
): Promise<Id<"coachingProducts">> {
  return await t.run((ctx) =>
    ctx.db.insert("coachingProducts", {
      productId,
      title: "Coaching",
      description: "",
      durationMinutes: 30,
      priceCents: 0,
      coachIds,
      active: true,
      ...fields,
    }),
  );
}

/**
 * Runs `call` and returns the `code` of the ConvexError it throws (fails the test when it resolves
 * or throws something else).
 */
export async function errorCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { code?: string } }).data;
    if (data && typeof data.code === "string") return data.code;
    throw error;
  }
  throw new Error("expected the call to fail with a ConvexError, but it succeeded");
}

/**
 * Stores a file as Convex's upload URL would, with the metadata the real upload endpoint records
 * (content type from the request, size). convex-test's storage keeps only size and checksum, so the
 * metadata is set through the test backend's own write syscall. Its `_creationTime` is the (fake) now.
 * Works from the edge-runtime and the jsdom projects: the bytes go in a Node `Blob`, because
 * convex-test hashes them with Node's crypto, which refuses jsdom's ArrayBuffer.
 * @param fields.contentType e.g. "video/mp4"; `contents` the file's bytes or text (default 64 zero bytes).
 * @returns the `_storage` id, as the upload response's `storageId`.
 */
export async function storeUpload(
  t: TestBackend,
  fields: { contentType: string; contents?: string | Uint8Array; size?: number },
): Promise<Id<"_storage">> {
  return await t.run(async (ctx) => {
    const blob = new NodeBlob([fields.contents ?? new Uint8Array(64)], { type: fields.contentType });
    const storageId = await ctx.storage.store(blob as unknown as Blob);
    const convex = (globalThis as unknown as { Convex: { asyncSyscall: (op: string, args: string) => Promise<string> } }).Convex;
    await convex.asyncSyscall(
      "1.0/shallowMerge",
      JSON.stringify({ table: "_storage", id: storageId, value: { contentType: fields.contentType, size: fields.size ?? blob.size } }),
    );
    return storageId;
  });
}
