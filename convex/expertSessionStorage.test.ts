import { makeFunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import crons from "./crons";
import { ORPHAN_SWEEP_PAGE_SIZE } from "./model/expertSessions/storage";
import { errorCodeOf, newTest, seedProduct, seedUser, storeUpload, type TestBackend } from "../testing/convex";
import { HOUR_MS, MINUTE_MS } from "./model/time/units";
/** Monday 6 January 2031, 12:00 UTC. */
const START = Date.UTC(2031, 0, 6, 12, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});

afterEach(() => {
  vi.useRealTimers();
});

/** A video file stored as the upload URL would (see `storeUpload`); its `_creationTime` is the fake now. */
async function upload(t: TestBackend): Promise<Id<"_storage">> {
  return await storeUpload(t, { contentType: "video/mp4" });
}

/**
 * A captions upload with real WebVTT (or other) text as its bytes, stored as the upload URL would
 * (like `storeUpload`, whose file is zero bytes; the captions check reads the bytes).
 */
async function uploadCaptions(t: TestBackend, text = "WEBVTT\n\n00:00.000 --> 00:04.000\nHello.\n"): Promise<Id<"_storage">> {
  return await t.run(async (ctx) => {
    const blob = new Blob([text], { type: "text/vtt" });
    const storageId = await ctx.storage.store(blob);
    const convex = (globalThis as unknown as { Convex: { asyncSyscall: (op: string, args: string) => Promise<string> } }).Convex;
    await convex.asyncSyscall("1.0/shallowMerge", JSON.stringify({ table: "_storage", id: storageId, value: { contentType: "text/vtt", size: blob.size } }));
    return storageId;
  });
}

/** `count` files stored one after the other (plain uploads, no content type), oldest first. */
async function uploadMany(t: TestBackend, count: number): Promise<Id<"_storage">[]> {
  return await t.run(async (ctx) => {
    const ids: Id<"_storage">[] = [];
    for (let index = 0; index < count; index++) ids.push(await ctx.storage.store(new Blob([new Uint8Array(8)])));
    return ids;
  });
}

/** Draft sessions naming `storageIds`, inserted directly (the form's checks are not under test here). */
async function sessionsNaming(t: TestBackend, createdBy: Id<"users">, storageIds: Id<"_storage">[]): Promise<void> {
  await t.run(async (ctx) => {
    for (const videoStorageId of storageIds) {
      await ctx.db.insert("expertSessions", {
        title: "Talk",
        description: "",
        videoStorageId,
        durationSeconds: 60,
        active: false,
        createdBy,
        updatedAt: Date.now(),
      });
    }
  });
}

async function stored(t: TestBackend, storageIds: Id<"_storage">[]): Promise<boolean[]> {
  return await t.run(async (ctx) => Promise.all(storageIds.map(async (id) => (await ctx.db.system.get("_storage", id)) !== null)));
}

async function checkpoint(t: TestBackend) {
  return await t.run((ctx) => ctx.db.query("expertSessionVideoSweeps").collect());
}

async function pendingJobs(t: TestBackend) {
  return (await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect())).filter((job) => job.state.kind === "pending");
}

/** Starts a sweep as the cron does and runs its scheduled follow-up pages to the end. */
async function sweep(t: TestBackend) {
  const first = await t.mutation(internal.expertSessionStorage.sweepOrphanedVideos, {});
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return first;
}

async function setup(options: Parameters<typeof newTest>[0] = {}) {
  const t = newTest(options);
  const admin = await seedUser(t, { roles: ["admin"] });
  const productId = await seedProduct(t, "Job Readiness", "job_readiness");
  return { t, admin, productId };
}

describe("orphaned video sweep", () => {
  test("deletes uploads no session names once they are 24 hours old; keeps younger ones and the videos of active and deleted sessions", async () => {
    const { t, admin, productId } = await setup();
    const save = (storageId: Id<"_storage">, active: boolean) =>
      admin.as.mutation(api.expertSessions.create, { title: "Talk", productIds: [productId], active, video: { storageId, durationSeconds: 60 } });

    // An abandoned form, a published session, and a session that was saved and then deleted.
    const abandoned = await upload(t);
    const publishedVideo = await upload(t);
    const publishedId = await save(publishedVideo, true);
    const deletedVideo = await upload(t);
    const deletedId = await save(deletedVideo, false);
    await admin.as.mutation(api.expertSessions.remove, { expertSessionId: deletedId });
    // A form still open: uploaded 20 hours later, not saved yet.
    vi.setSystemTime(START + 20 * HOUR_MS);
    const recent = await upload(t);

    vi.setSystemTime(START + 24 * HOUR_MS + MINUTE_MS);
    expect(await sweep(t)).toMatchObject({ examined: 3, deleted: 1, finished: true });
    expect(await stored(t, [abandoned, publishedVideo, deletedVideo, recent])).toEqual([false, true, true, true]);
    expect((await admin.as.query(api.expertSessions.getForStaff, { expertSessionId: publishedId }))?.videoUrl).toEqual(expect.any(String));
    // Saving the abandoned form now asks for the file again; the open form still saves.
    expect(await errorCodeOf(save(abandoned, false))).toBe("NOT_FOUND");
    const recentId = await save(recent, false);

    // Later the 20-hour upload is past its grace period too, but it is saved now: it stays; another
    // upload, discarded before saving, goes.
    const discarded = await upload(t);
    vi.setSystemTime(START + 50 * HOUR_MS);
    expect(await sweep(t)).toMatchObject({ examined: 2, deleted: 1, finished: true });
    expect(await stored(t, [recent, discarded])).toEqual([true, false]);
    expect((await admin.as.query(api.expertSessions.getForStaff, { expertSessionId: recentId }))?.hasVideo).toBe(true);
    expect((await checkpoint(t))[0]).toMatchObject({ filesDeleted: 2 });
  });

  test("keeps the captions files sessions name (published or deleted); deletes unsaved and refused captions uploads with their check record", async () => {
    const { t, admin } = await setup();
    const student = await seedUser(t, { roles: ["student"] });
    const productId = await seedProduct(t, "Interview Library", "other", [student.userId]);
    const checkCaptions = (storageId: Id<"_storage">) => admin.as.action(api.expertSessions.checkCaptionsUpload, { storageId });
    const save = async (active: boolean) => {
      const captions = await uploadCaptions(t);
      await checkCaptions(captions);
      const expertSessionId = await admin.as.mutation(api.expertSessions.create, {
        title: "Talk",
        productIds: [productId],
        active,
        video: { storageId: await upload(t), durationSeconds: 60 },
        captions: { storageId: captions, language: "en" },
      });
      return { expertSessionId, captions };
    };

    const published = await save(true);
    const deleted = await save(false);
    await admin.as.mutation(api.expertSessions.remove, { expertSessionId: deleted.expertSessionId });
    // Checked but the form was never saved; and a file the check refused (SRT, not WebVTT).
    const abandoned = await uploadCaptions(t);
    await checkCaptions(abandoned);
    const refused = await uploadCaptions(t, "1\n00:00:00,000 --> 00:00:04,000\nHello.\n");
    expect(await errorCodeOf(checkCaptions(refused))).toBe("INVALID_ARGUMENT");
    expect(await t.run((ctx) => ctx.db.query("expertSessionCheckedCaptions").collect())).toMatchObject([{ storageId: abandoned }]);

    vi.setSystemTime(START + 25 * HOUR_MS);
    // Two videos, two saved captions files, two unsaved captions uploads.
    expect(await sweep(t)).toMatchObject({ examined: 6, deleted: 2, finished: true });
    expect(await stored(t, [published.captions, deleted.captions, abandoned, refused])).toEqual([true, true, false, false]);
    expect(await t.run((ctx) => ctx.db.query("expertSessionCheckedCaptions").collect())).toEqual([]);
    const player = await student.as.query(api.expertSessions.getForStudent, { expertSessionId: published.expertSessionId });
    expect(player?.captions).toEqual({ url: expect.stringMatching(/^https:/), language: "en" });
  });

  test("an upload younger than 24 hours is kept, and deleted by the first run after its grace period", async () => {
    const { t } = await setup();
    const file = await upload(t);
    vi.setSystemTime(START + 23 * HOUR_MS + 59 * MINUTE_MS);
    expect(await sweep(t)).toMatchObject({ examined: 0, deleted: 0, finished: true });
    expect(await stored(t, [file])).toEqual([true]);

    vi.setSystemTime(START + 24 * HOUR_MS + MINUTE_MS);
    expect(await sweep(t)).toMatchObject({ examined: 1, deleted: 1, finished: true });
    expect(await stored(t, [file])).toEqual([false]);
  });

  test("more files than one page are swept by scheduled follow-ups, each page within a small read budget", async () => {
    // A page reads at most its files and one more (to know whether the run goes on), the sessions
    // naming them and the checkpoint: scanning all of `_storage` in one transaction exceeds this limit.
    const { t, admin } = await setup({ transactionLimits: { documentsRead: 2 * ORPHAN_SWEEP_PAGE_SIZE + 2 } });
    const orphans = await uploadMany(t, 2 * ORPHAN_SWEEP_PAGE_SIZE + 50);
    const kept = await uploadMany(t, 30);
    await sessionsNaming(t, admin.userId, kept);
    const lastOrphans = await uploadMany(t, 20);
    const all = [...orphans, ...kept, ...lastOrphans];
    const newest = await t.run(async (ctx) => (await ctx.db.system.get("_storage", all[all.length - 1]))!._creationTime);

    vi.setSystemTime(START + 25 * HOUR_MS);
    const first = await t.mutation(internal.expertSessionStorage.sweepOrphanedVideos, {});
    expect(first).toMatchObject({ examined: ORPHAN_SWEEP_PAGE_SIZE, deleted: ORPHAN_SWEEP_PAGE_SIZE, finished: false });
    expect(await pendingJobs(t)).toHaveLength(1);
    await t.finishAllScheduledFunctions(vi.runAllTimers);

    expect((await stored(t, [...orphans, ...lastOrphans])).every((exists) => !exists)).toBe(true);
    expect((await stored(t, kept)).every(Boolean)).toBe(true);
    expect(await checkpoint(t)).toEqual([
      expect.objectContaining({ checkedThroughCreationTime: newest, filesDeleted: orphans.length + lastOrphans.length }),
    ]);
    expect(await pendingJobs(t)).toEqual([]);
  });

  test("a second run starts at the checkpoint: files already examined are not read again", async () => {
    const { t, admin } = await setup();
    const kept = await uploadMany(t, ORPHAN_SWEEP_PAGE_SIZE + 20);
    await sessionsNaming(t, admin.userId, kept);
    vi.setSystemTime(START + 25 * HOUR_MS);
    await sweep(t);
    const [afterFirst] = await checkpoint(t);
    expect(afterFirst).toMatchObject({ filesDeleted: 0 });

    // Nothing new: the run reads only the checkpoint, writes nothing and schedules nothing.
    vi.setSystemTime(START + 49 * HOUR_MS);
    expect(await sweep(t)).toEqual({ examined: 0, deleted: 0, checkedThroughCreationTime: afterFirst.checkedThroughCreationTime, finished: true });
    expect(await checkpoint(t)).toEqual([afterFirst]);

    // One new orphan: only that file is examined, and the run reads a handful of documents, not the
    // 120 files (and their sessions) before the checkpoint.
    const orphan = await upload(t);
    vi.setSystemTime(START + 74 * HOUR_MS);
    const { result, documentsRead } = await t.run(async (ctx) => {
      const before = (await ctx.meta.getTransactionMetrics()).documentsRead.used;
      const result = await ctx.runMutation(internal.expertSessionStorage.sweepOrphanedVideos, {});
      return { result, documentsRead: (await ctx.meta.getTransactionMetrics()).documentsRead.used - before };
    });
    expect(result).toMatchObject({ examined: 1, deleted: 1, finished: true });
    expect(documentsRead).toBeLessThanOrEqual(3);
    expect(await stored(t, [orphan, ...kept.slice(-1)])).toEqual([false, true]);
  });
});

describe("crons.ts", () => {
  const job = (crons as unknown as { crons: Record<string, { name: string; args: unknown[]; schedule: { type: string; hourUTC: number; minuteUTC: number } }> })
    .crons["orphaned expert session videos"];

  test("runs the sweep daily, away from the top of the hour", () => {
    expect(job.name).toBe("expertSessionStorage:sweepOrphanedVideos");
    expect(job.schedule).toEqual({ type: "daily", hourUTC: 3, minuteUTC: 41 });
    expect(job.args).toEqual([{}]);
  });

  test("the function and arguments the cron names delete an old orphan", async () => {
    const { t } = await setup();
    const file = await upload(t);
    vi.setSystemTime(START + 25 * HOUR_MS);
    await t.mutation(makeFunctionReference<"mutation">(job.name), job.args[0] as Record<string, never>);
    expect(await stored(t, [file])).toEqual([false]);
  });
});
