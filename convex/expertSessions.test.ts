import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { canonicalLanguageTag, MAX_CAPTIONS_BYTES, MAX_VIDEO_BYTES, startsWithWebVttSignature } from "./model/expertSessions/files";
import { COMPLETION_RATIO, mergeWatchedIntervals, normalizeIntervals, subtractIntervals } from "./model/expertSessions/watchProgress";
import { errorCodeOf, newTest, seedProduct, seedUser, seedUserPerRole, storeUpload, type TestBackend } from "../testing/convex";

async function setup() {
  const t = newTest();
  const admin = await seedUser(t, { roles: ["admin"] });
  const students = {
    jobReady: await seedUser(t, { roles: ["student"], name: "Job ready" }),
    both: await seedUser(t, { roles: ["student"], name: "Both" }),
    library: await seedUser(t, { roles: ["student"], name: "Library" }),
    none: await seedUser(t, { roles: ["student"], name: "None" }),
  };
  const products = {
    jobReadiness: await seedProduct(t, "Job Readiness", "job_readiness", [students.jobReady.userId, students.both.userId]),
    coaching: await seedProduct(t, "Coaching", "coaching", [students.both.userId]),
    library: await seedProduct(t, "Interview Library", "other", [students.library.userId]),
    unrelated: await seedProduct(t, "Unrelated", "other", [students.none.userId]),
  };
  return { t, admin, students, products };
}

async function linkRows(t: TestBackend, expertSessionId: Id<"expertSessions">) {
  return await t.run((ctx) =>
    ctx.db
      .query("expertSessionProducts")
      .withIndex("by_expertSessionId_and_productId", (q) => q.eq("expertSessionId", expertSessionId))
      .collect(),
  );
}

async function tableCounts(t: TestBackend) {
  return await t.run(async (ctx) => ({
    sessions: (await ctx.db.query("expertSessions").collect()).length,
    links: (await ctx.db.query("expertSessionProducts").collect()).length,
  }));
}

/** A text file (captions by default) stored as the upload URL would. */
async function storeTextUpload(t: TestBackend, text: string, contentType = "text/vtt"): Promise<Id<"_storage">> {
  return await storeUpload(t, { contentType, contents: text });
}

const WEBVTT_FILE = "WEBVTT\n\n00:00.000 --> 00:04.000\nWelcome to the session.\n";
const SRT_FILE = "1\n00:00:00,000 --> 00:00:04,000\nWelcome to the session.\n";

async function fileExists(t: TestBackend, storageId: Id<"_storage">): Promise<boolean> {
  return (await t.run((ctx) => ctx.db.system.get("_storage", storageId))) !== null;
}

async function checkedCaptionsRows(t: TestBackend) {
  return await t.run((ctx) => ctx.db.query("expertSessionCheckedCaptions").collect());
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("expert session journey", () => {
  test("create with 2 products, edit to 3, students see it once, zero products refused, delete hides it and keeps progress", async () => {
    const { t, admin, students, products } = await setup();
    const storageId = await storeUpload(t, { contentType: "video/mp4" });
    const expertSessionId = await admin.as.mutation(api.expertSessions.create, {
      title: "Cracking system design interviews",
      description: "A recorded talk",
      productIds: [products.jobReadiness, products.coaching],
      active: true,
      video: { storageId, durationSeconds: 600 },
    });
    expect((await linkRows(t, expertSessionId)).map((link) => link.productId).sort()).toEqual(
      [products.jobReadiness, products.coaching].sort(),
    );

    const before = await linkRows(t, expertSessionId);
    expect(
      await admin.as.mutation(api.expertSessions.update, {
        expertSessionId,
        title: "Cracking system design interviews",
        description: "A recorded talk",
        productIds: [products.coaching, products.jobReadiness, products.library],
        active: true,
      }),
    ).toEqual({ added: 1, removed: 0 });
    const after = await linkRows(t, expertSessionId);
    expect(after).toHaveLength(3);
    // The links that stayed are the same rows.
    for (const link of before) expect(after.map((row) => row._id)).toContain(link._id);

    const staffList = await admin.as.query(api.expertSessions.listForStaff, {});
    expect(staffList).toHaveLength(1);
    expect(staffList[0].products.map((product) => product.title)).toEqual(["Coaching", "Interview Library", "Job Readiness"]);
    expect((await admin.as.query(api.expertSessions.listForStaff, { productId: products.library })).map((row) => row._id)).toEqual([expertSessionId]);
    expect(await admin.as.query(api.expertSessions.listForStaff, { productId: products.unrelated })).toEqual([]);

    // A student of two of its products sees it once; a student of none does not.
    const bothList = await students.both.as.query(api.expertSessions.listMine, {});
    expect(bothList.map((row) => row._id)).toEqual([expertSessionId]);
    expect(bothList[0].products.map((product) => product.title)).toEqual(["Coaching", "Job Readiness"]);
    expect(bothList[0].progress).toBeNull();
    expect((await students.library.as.query(api.expertSessions.listMine, {})).map((row) => row._id)).toEqual([expertSessionId]);
    expect(await students.none.as.query(api.expertSessions.listMine, {})).toEqual([]);
    expect(await students.none.as.query(api.expertSessions.getForStudent, { expertSessionId })).toBeNull();
    expect(await errorCodeOf(students.none.as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 0, watchedRanges: [] }))).toBe("NOT_FOUND");
    const player = await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId });
    expect(player).toMatchObject({ _id: expertSessionId, durationSeconds: 600, videoUrl: expect.stringMatching(/^https:/) });

    // Editing to zero products is refused and changes nothing.
    expect(
      await errorCodeOf(
        admin.as.mutation(api.expertSessions.update, { expertSessionId, title: "Renamed", productIds: [], active: true }),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(await linkRows(t, expertSessionId)).toHaveLength(3);
    expect((await admin.as.query(api.expertSessions.getForStaff, { expertSessionId }))?.title).toBe("Cracking system design interviews");

    await students.both.as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 20, watchedRanges: [{ start: 0, end: 20 }] });
    expect((await students.both.as.query(api.expertSessions.listMine, {}))[0].progress).toMatchObject({ lastPositionSeconds: 20, secondsWatched: 20 });

    // Delete: nobody sees it any more; the progress row stays.
    await admin.as.mutation(api.expertSessions.remove, { expertSessionId });
    for (const student of Object.values(students)) {
      expect(await student.as.query(api.expertSessions.listMine, {})).toEqual([]);
      expect(await student.as.query(api.expertSessions.getForStudent, { expertSessionId })).toBeNull();
    }
    expect(await errorCodeOf(students.both.as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 30, watchedRanges: [] }))).toBe("NOT_FOUND");
    expect(await admin.as.query(api.expertSessions.listForStaff, {})).toEqual([]);
    expect(await admin.as.query(api.expertSessions.listForStaff, { productId: products.jobReadiness })).toEqual([]);
    expect(await admin.as.query(api.expertSessions.getForStaff, { expertSessionId })).toBeNull();
    expect(await errorCodeOf(admin.as.mutation(api.expertSessions.remove, { expertSessionId }))).toBe("NOT_FOUND");
    const progress = await t.run((ctx) => ctx.db.query("expertSessionProgress").collect());
    expect(progress).toMatchObject([{ studentId: students.both.userId, expertSessionId, secondsWatched: 20 }]);
    expect(await admin.as.query(api.expertSessions.stats, { expertSessionId })).toMatchObject({ started: 1, completed: 0 });
  });

  test("a create with one unknown product id writes nothing; duplicate product ids are refused", async () => {
    const { t, admin, products } = await setup();
    const ghost = await t.run(async (ctx) => {
      const id = await ctx.db.insert("products", { title: "Ghost", description: "", kind: "other", status: "active" });
      await ctx.db.delete("products", id);
      return id;
    });
    expect(
      await errorCodeOf(
        admin.as.mutation(api.expertSessions.create, { title: "Talk", productIds: [products.jobReadiness, ghost], active: false }),
      ),
    ).toBe("NOT_FOUND");
    expect(await tableCounts(t)).toEqual({ sessions: 0, links: 0 });

    expect(
      await errorCodeOf(
        admin.as.mutation(api.expertSessions.create, { title: "Talk", productIds: [products.jobReadiness, products.jobReadiness], active: false }),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(admin.as.mutation(api.expertSessions.create, { title: "Talk", productIds: [], active: false }))).toBe("INVALID_ARGUMENT");
    expect(await tableCounts(t)).toEqual({ sessions: 0, links: 0 });

    const expertSessionId = await admin.as.mutation(api.expertSessions.create, { title: "Talk", productIds: [products.jobReadiness], active: false });
    expect(
      await errorCodeOf(
        admin.as.mutation(api.expertSessions.update, { expertSessionId, title: "Talk", productIds: [products.coaching, ghost], active: false }),
      ),
    ).toBe("NOT_FOUND");
    expect((await linkRows(t, expertSessionId)).map((link) => link.productId)).toEqual([products.jobReadiness]);
  });

  test("uploads are checked against storage metadata; a session is published only with a video", async () => {
    const { t, admin, students, products } = await setup();
    const productIds = [products.jobReadiness];
    const pdf = await storeUpload(t, { contentType: "application/pdf" });
    const huge = await storeUpload(t, { contentType: "video/mp4", size: MAX_VIDEO_BYTES + 1 });
    const good = await storeUpload(t, { contentType: "video/webm" });
    const create = (fields: Partial<{ video: { storageId: Id<"_storage">; durationSeconds: number }; active: boolean }>) =>
      admin.as.mutation(api.expertSessions.create, { title: "Talk", productIds, active: false, ...fields });

    expect(await errorCodeOf(create({ video: { storageId: pdf, durationSeconds: 60 } }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(create({ video: { storageId: huge, durationSeconds: 60 } }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(create({ video: { storageId: good, durationSeconds: 0 } }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(create({ active: true }))).toBe("FAILED_PRECONDITION");
    expect(await tableCounts(t)).toEqual({ sessions: 0, links: 0 });

    // A draft without a video is listed for staff but not for students.
    const draftId = await create({});
    /** Saves the draft as "Talk" for the two products, with `fields`. */
    const saveTalk = (fields: { active: boolean; video?: { storageId: Id<"_storage">; durationSeconds: number } }) =>
      admin.as.mutation(api.expertSessions.update, { expertSessionId: draftId, title: "Talk", productIds, ...fields });
    expect((await admin.as.query(api.expertSessions.listForStaff, {}))[0]).toMatchObject({ _id: draftId, hasVideo: false, active: false });
    expect(await students.jobReady.as.query(api.expertSessions.listMine, {})).toEqual([]);
    expect(await errorCodeOf(saveTalk({ active: true }))).toBe("FAILED_PRECONDITION");

    await saveTalk({ active: true, video: { storageId: good, durationSeconds: 90 } });
    expect((await students.jobReady.as.query(api.expertSessions.listMine, {})).map((row) => row._id)).toEqual([draftId]);
    expect(await admin.as.query(api.expertSessions.getForStaff, { expertSessionId: draftId })).toMatchObject({
      hasVideo: true,
      videoContentType: "video/webm",
      durationSeconds: 90,
      videoUrl: expect.any(String),
    });

    // The same file cannot back a second session; replacing a video deletes the old file.
    expect(await errorCodeOf(create({ video: { storageId: good, durationSeconds: 90 } }))).toBe("CONFLICT");
    const replacement = await storeUpload(t, { contentType: "video/mp4" });
    await saveTalk({ active: true, video: { storageId: replacement, durationSeconds: 120 } });
    expect(await t.run((ctx) => ctx.db.system.get("_storage", good))).toBeNull();
    expect((await students.jobReady.as.query(api.expertSessions.listMine, {}))[0].durationSeconds).toBe(120);

    // Unpublishing hides it from students at once.
    await saveTalk({ active: false });
    expect(await students.jobReady.as.query(api.expertSessions.listMine, {})).toEqual([]);
  });
});

describe("captions", () => {
  /** A WebVTT upload checked by the admin, ready to attach. */
  async function checkedCaptions(t: TestBackend, admin: Awaited<ReturnType<typeof seedUser>>, text = WEBVTT_FILE) {
    const storageId = await storeTextUpload(t, text);
    expect(await admin.as.action(api.expertSessions.checkCaptionsUpload, { storageId })).toBeNull();
    return storageId;
  }

  test("the WebVTT signature and BCP 47 language tags", () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(startsWithWebVttSignature(bytes("WEBVTT\n\n00:00.000"))).toBe(true);
    expect(startsWithWebVttSignature(bytes("\uFEFFWEBVTT - Talk captions\r\n"))).toBe(true);
    expect(startsWithWebVttSignature(bytes("WEBVTT"))).toBe(true);
    expect(startsWithWebVttSignature(bytes("WEBVTTX\n"))).toBe(false);
    expect(startsWithWebVttSignature(bytes("webvtt\n"))).toBe(false);
    expect(startsWithWebVttSignature(bytes(SRT_FILE))).toBe(false);
    expect(startsWithWebVttSignature(new Uint8Array(0))).toBe(false);

    expect(canonicalLanguageTag("en")).toBe("en");
    expect(canonicalLanguageTag(" EN-gb ")).toBe("en-GB");
    expect(canonicalLanguageTag("zh-hant-tw")).toBe("zh-Hant-TW");
    expect(canonicalLanguageTag("es-419")).toBe("es-419");
    expect(canonicalLanguageTag("de-CH-1996")).toBe("de-CH-1996");
    for (const bad of ["", "e", "english", "en_US", "en-", "en-GBR-x", "fr-1", "12"]) expect(canonicalLanguageTag(bad)).toBeNull();
  });

  test("attached on create after the WebVTT check; the track reaches students who may watch, not others", async () => {
    const { t, admin, students, products } = await setup();
    const video = await storeUpload(t, { contentType: "video/mp4" });
    const captions = await storeTextUpload(t, WEBVTT_FILE);
    const form = { title: "Talk", productIds: [products.jobReadiness], active: true, video: { storageId: video, durationSeconds: 60 } };

    // Saving a captions file the server has not read yet is refused, and nothing is written.
    expect(await errorCodeOf(admin.as.mutation(api.expertSessions.create, { ...form, captions: { storageId: captions, language: "en" } }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await tableCounts(t)).toEqual({ sessions: 0, links: 0 });

    expect(await admin.as.action(api.expertSessions.checkCaptionsUpload, { storageId: captions })).toBeNull();
    expect(await checkedCaptionsRows(t)).toMatchObject([{ storageId: captions, checkedBy: admin.userId }]);
    const expertSessionId = await admin.as.mutation(api.expertSessions.create, { ...form, captions: { storageId: captions, language: "pt-br" } });
    // The check record is used up by the save.
    expect(await checkedCaptionsRows(t)).toEqual([]);

    expect(await admin.as.query(api.expertSessions.getForStaff, { expertSessionId })).toMatchObject({
      hasCaptions: true,
      captions: { storageId: captions, language: "pt-BR", url: expect.stringMatching(/^https:/), size: WEBVTT_FILE.length },
    });
    const player = await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId });
    expect(player?.captions).toEqual({ url: expect.stringMatching(/^https:/), language: "pt-BR" });
    expect(player?.captions?.url).not.toBe(player?.videoUrl);
    expect((await students.jobReady.as.query(api.expertSessions.listMine, {}))[0].hasCaptions).toBe(true);
    // A student without any of its products gets neither the video nor the captions URL.
    expect(await students.none.as.query(api.expertSessions.getForStudent, { expertSessionId })).toBeNull();
    expect(await errorCodeOf(t.query(api.expertSessions.getForStudent, { expertSessionId }))).toBe("UNAUTHENTICATED");

    // Hidden from students again: no URL either.
    await admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, active: false });
    expect(await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId })).toBeNull();

    // A session without captions has no track.
    const plainId = await admin.as.mutation(api.expertSessions.create, { ...form, video: { storageId: await storeUpload(t, { contentType: "video/mp4" }), durationSeconds: 60 } });
    expect((await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId: plainId }))?.captions).toBeNull();
  });

  test("replacing captions deletes the old file, the language alone can change, removing deletes the file", async () => {
    const { t, admin, students, products } = await setup();
    const video = await storeUpload(t, { contentType: "video/mp4" });
    const first = await checkedCaptions(t, admin);
    const form = { title: "Talk", productIds: [products.jobReadiness], active: true };
    const expertSessionId = await admin.as.mutation(api.expertSessions.create, {
      ...form,
      video: { storageId: video, durationSeconds: 60 },
      captions: { storageId: first, language: "en" },
    });

    // Saving without `captions` keeps them.
    await admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, title: "Renamed talk" });
    expect((await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId }))?.captions?.language).toBe("en");

    const second = await checkedCaptions(t, admin, "\uFEFFWEBVTT\r\n\r\n00:00.000 --> 00:04.000\r\nBienvenidos.\r\n");
    await admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, captions: { storageId: second, language: "es" } });
    expect(await fileExists(t, first)).toBe(false);
    expect(await fileExists(t, video)).toBe(true);
    expect((await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId }))?.captions?.language).toBe("es");

    // The current file with another language: only the label changes, the file stays.
    await admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, captions: { storageId: second, language: "es-419" } });
    expect(await fileExists(t, second)).toBe(true);
    expect((await admin.as.query(api.expertSessions.getForStaff, { expertSessionId }))?.captions).toMatchObject({ storageId: second, language: "es-419" });

    await admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, captions: null });
    expect(await fileExists(t, second)).toBe(false);
    expect(await fileExists(t, video)).toBe(true);
    const session = await t.run((ctx) => ctx.db.get("expertSessions", expertSessionId));
    expect(session).not.toHaveProperty("captionsStorageId");
    expect(session).not.toHaveProperty("captionsLanguage");
    expect((await students.jobReady.as.query(api.expertSessions.getForStudent, { expertSessionId }))?.captions).toBeNull();
    expect((await admin.as.query(api.expertSessions.getForStaff, { expertSessionId }))?.hasCaptions).toBe(false);
  });

  test("wrong type, oversized, not WebVTT, bad language and someone else's file are refused and nothing is written", async () => {
    const { t, admin, students, products } = await setup();
    const current = await checkedCaptions(t, admin);
    const form = { title: "Talk", productIds: [products.jobReadiness], active: false };
    const expertSessionId = await admin.as.mutation(api.expertSessions.create, { ...form, captions: { storageId: current, language: "en" } });
    const before = await t.run((ctx) => ctx.db.get("expertSessions", expertSessionId));
    const check = (storageId: Id<"_storage">) => admin.as.action(api.expertSessions.checkCaptionsUpload, { storageId });
    const save = (storageId: Id<"_storage">, language = "en") =>
      admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, captions: { storageId, language } });

    const plainText = await storeTextUpload(t, WEBVTT_FILE, "text/plain");
    const oversized = await storeUpload(t, { contentType: "text/vtt", size: MAX_CAPTIONS_BYTES + 1 });
    const srt = await storeTextUpload(t, SRT_FILE);
    const zeroBytes = await storeUpload(t, { contentType: "text/vtt" });
    for (const storageId of [plainText, oversized, srt, zeroBytes]) {
      expect(await errorCodeOf(check(storageId))).toBe("INVALID_ARGUMENT");
      // Passing the file to the save directly, without a successful check, is refused too.
      expect(await errorCodeOf(save(storageId))).toBe("INVALID_ARGUMENT");
      expect(await fileExists(t, storageId)).toBe(true);
    }
    expect(await checkedCaptionsRows(t)).toEqual([]);

    // A checked file with a language that is not a BCP 47 tag: refused, the check record is kept.
    const good = await checkedCaptions(t, admin);
    for (const language of ["", "English", "en_US"]) expect(await errorCodeOf(save(good, language))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(admin.as.mutation(api.expertSessions.update, { expertSessionId, ...form, captions: { storageId: current, language: "x" } }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await checkedCaptionsRows(t)).toHaveLength(1);

    // Another session's captions file cannot be checked or attached here.
    const otherId = await admin.as.mutation(api.expertSessions.create, { ...form, captions: { storageId: good, language: "en" } });
    expect(await errorCodeOf(check(current))).toBe("CONFLICT");
    expect(await errorCodeOf(admin.as.mutation(api.expertSessions.update, { expertSessionId: otherId, ...form, captions: { storageId: current, language: "en" } }))).toBe(
      "CONFLICT",
    );
    const missing = await storeTextUpload(t, WEBVTT_FILE);
    await t.run((ctx) => ctx.storage.delete(missing));
    expect(await errorCodeOf(check(missing))).toBe("NOT_FOUND");

    expect(await t.run((ctx) => ctx.db.get("expertSessions", expertSessionId))).toEqual(before);
    expect(await fileExists(t, current)).toBe(true);

    // Only admins check captions uploads.
    const fresh = await storeTextUpload(t, WEBVTT_FILE);
    expect(await errorCodeOf(students.jobReady.as.action(api.expertSessions.checkCaptionsUpload, { storageId: fresh }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(t.action(api.expertSessions.checkCaptionsUpload, { storageId: fresh }))).toBe("UNAUTHENTICATED");
    expect(await checkedCaptionsRows(t)).toEqual([]);
  });
});

describe("progress", () => {
  async function published(durationSeconds: number) {
    const context = await setup();
    const storageId = await storeUpload(context.t, { contentType: "video/mp4" });
    const expertSessionId = await context.admin.as.mutation(api.expertSessions.create, {
      title: "Talk",
      productIds: [context.products.jobReadiness],
      active: true,
      video: { storageId, durationSeconds },
    });
    const student = context.students.jobReady;
    const beat = async (positionSeconds: number, watchedRanges: { start: number; end: number }[], waitSeconds = 15) => {
      vi.advanceTimersByTime(waitSeconds * 1000);
      return await student.as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds, watchedRanges });
    };
    return { ...context, expertSessionId, student, beat };
  }

  test("interval helpers clamp, merge and subtract", () => {
    expect(normalizeIntervals([{ start: 50, end: 70 }, { start: -5, end: 10 }, { start: 5, end: 20 }, { start: 90, end: 150 }, { start: 30, end: 30 }], 100)).toEqual([
      { start: 0, end: 20 },
      { start: 50, end: 70 },
      { start: 90, end: 100 },
    ]);
    expect(subtractIntervals([{ start: 0, end: 100 }], [{ start: 10, end: 20 }, { start: 50, end: 60 }])).toEqual([
      { start: 0, end: 10 },
      { start: 20, end: 50 },
      { start: 60, end: 100 },
    ]);
    expect(mergeWatchedIntervals([{ start: 0, end: 10 }], [{ start: 5, end: 100 }], 100, 30)).toEqual({
      intervals: [{ start: 0, end: 40 }],
      secondsWatched: 40,
    });
  });

  test("overlapping and out-of-order heartbeats merge into one watched total", async () => {
    const { beat, student, expertSessionId, admin } = await published(300);
    expect(await beat(15, [{ start: 0, end: 15 }])).toMatchObject({ secondsWatched: 15, completed: false });
    // The later heartbeat arrives first, the earlier one after it; both overlap what is stored.
    expect(await beat(40, [{ start: 10, end: 40 }])).toMatchObject({ secondsWatched: 40 });
    expect(await beat(30, [{ start: 0, end: 30 }], 1)).toMatchObject({ secondsWatched: 40, lastPositionSeconds: 30 });
    // A jump ahead, then a separate stretch, then the gap filled.
    await beat(215, [{ start: 200, end: 215 }]);
    await beat(65, [{ start: 40, end: 65 }]);
    const row = await student.as.query(api.expertSessions.getForStudent, { expertSessionId });
    expect(row?.progress).toMatchObject({ secondsWatched: 80, lastPositionSeconds: 65 });
    const stored = await admin.as.query(api.expertSessions.stats, { expertSessionId });
    expect(stored).toMatchObject({ started: 1, completed: 0, completionRate: 0, averageSecondsWatched: 80 });
  });

  test("89% watched is not complete; 90% is, and completion is never taken back", async () => {
    const { beat, admin, expertSessionId } = await published(100);
    let last;
    for (let start = 0; start < 89; start += 15) {
      last = await beat(Math.min(start + 15, 89), [{ start, end: Math.min(start + 15, 89) }]);
    }
    expect(last).toMatchObject({ secondsWatched: 89, completed: false });
    expect(89 / 100).toBeLessThan(COMPLETION_RATIO);
    expect(await beat(90, [{ start: 0, end: 90 }])).toMatchObject({ secondsWatched: 90, completed: true, completedAt: Date.now() });
    expect(await beat(10, [], 30)).toMatchObject({ completed: true, lastPositionSeconds: 10 });
    expect(await admin.as.query(api.expertSessions.stats, { expertSessionId })).toMatchObject({ started: 1, completed: 1, completionRate: 1 });
  });

  test("seeking to the end, or claiming the whole video at once, does not complete it", async () => {
    const { beat, student, expertSessionId } = await published(100);
    expect(await beat(100, [{ start: 0, end: 5 }])).toMatchObject({ lastPositionSeconds: 100, secondsWatched: 5, completed: false });
    // A client reporting the whole video 2 s later only gets what 2 s of playback can cover.
    const claimed = await beat(100, [{ start: 0, end: 100 }], 2);
    expect(claimed.completed).toBe(false);
    expect(claimed.secondsWatched).toBeLessThan(20);
    // Positions and ranges beyond the duration are clamped.
    expect(await beat(500, [{ start: 0, end: 500 }], 1)).toMatchObject({ lastPositionSeconds: 100, completed: false });
    expect((await student.as.query(api.expertSessions.getForStudent, { expertSessionId }))?.progress?.completedAt).toBeUndefined();
    expect(
      await errorCodeOf(student.as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 1, watchedRanges: [{ start: 9, end: 3 }] })),
    ).toBe("INVALID_ARGUMENT");
  });
});

describe("access per role", () => {
  test("admins manage; staff who read all sessions see the list and stats; students watch their own", async () => {
    const t = newTest();
    const people = await seedUserPerRole(t);
    const productId = await seedProduct(t, "Job Readiness", "job_readiness", [people.student.userId]);
    const storageId = await storeUpload(t, { contentType: "video/mp4" });
    const expertSessionId = await people.admin.as.mutation(api.expertSessions.create, {
      title: "Talk",
      productIds: [productId],
      active: true,
      video: { storageId, durationSeconds: 60 },
    });
    const form = { expertSessionId, title: "Talk", productIds: [productId], active: true };

    for (const role of ["student", "mentor", "coach", "lecturer", "enrollment_manager"] as const) {
      const as = people[role].as;
      expect(await errorCodeOf(as.mutation(api.expertSessions.generateUploadUrl, {}))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.mutation(api.expertSessions.create, { title: "x", productIds: [productId], active: false }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.mutation(api.expertSessions.update, form))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.mutation(api.expertSessions.remove, { expertSessionId }))).toBe("FORBIDDEN");
    }
    for (const role of ["student", "mentor", "coach", "lecturer"] as const) {
      const as = people[role].as;
      expect(await errorCodeOf(as.query(api.expertSessions.listForStaff, {}))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.query(api.expertSessions.getForStaff, { expertSessionId }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.query(api.expertSessions.stats, { expertSessionId }))).toBe("FORBIDDEN");
    }
    for (const role of ["enrollment_manager", "admin", "superadmin"] as const) {
      const as = people[role].as;
      expect((await as.query(api.expertSessions.listForStaff, {})).map((row) => row._id)).toEqual([expertSessionId]);
      expect(await as.query(api.expertSessions.getForStaff, { expertSessionId })).toMatchObject({ productIds: [productId] });
      expect(await as.query(api.expertSessions.stats, { expertSessionId })).toMatchObject({ started: 0 });
    }
    expect(await people.superadmin.as.mutation(api.expertSessions.generateUploadUrl, {})).toMatch(/^https:/);
    expect(await people.superadmin.as.mutation(api.expertSessions.update, form)).toEqual({ added: 0, removed: 0 });

    // Watching is for students (of the session's products).
    for (const role of ["mentor", "coach", "lecturer", "enrollment_manager", "admin"] as const) {
      const as = people[role].as;
      expect(await errorCodeOf(as.query(api.expertSessions.listMine, {}))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.query(api.expertSessions.getForStudent, { expertSessionId }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 0, watchedRanges: [] }))).toBe("FORBIDDEN");
    }
    expect((await people.student.as.query(api.expertSessions.listMine, {})).map((row) => row._id)).toEqual([expertSessionId]);
    expect(await people.student.as.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 3, watchedRanges: [{ start: 0, end: 3 }] })).toMatchObject({
      secondsWatched: 3,
    });

    // Anonymous callers.
    expect(await errorCodeOf(t.query(api.expertSessions.listForStaff, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.expertSessions.listMine, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.expertSessions.getForStudent, { expertSessionId }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.expertSessions.stats, { expertSessionId }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.mutation(api.expertSessions.generateUploadUrl, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.mutation(api.expertSessions.heartbeat, { expertSessionId, positionSeconds: 0, watchedRanges: [] }))).toBe("UNAUTHENTICATED");

    // A revoked product access hides the session at once.
    await t.run(async (ctx) => {
      const access = await ctx.db
        .query("productAccess")
        .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", people.student.userId).eq("productId", productId))
        .unique();
      await ctx.db.patch("productAccess", access!._id, { status: "revoked" });
    });
    expect(await people.student.as.query(api.expertSessions.listMine, {})).toEqual([]);
    expect(await people.student.as.query(api.expertSessions.getForStudent, { expertSessionId })).toBeNull();
  });
});
