import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { drawUniqueJoinCode, findOpenSessionByCode } from "../codedSessions/joinCodes";
import { diffProductLinks } from "../expertSessions/productLinks";
import type { SeededCatalog } from "./catalog";
import { DAY_MS, HOUR_MS } from "../time/units";
import { participantRow } from "../codedSessions/views";

/**
 * Demo coded and expert sessions.
 *
 * Coded sessions: an open live class by the lecturer persona (Leo Lecturer) that two students have
 * joined, and a closed one from last week. Its code is drawn once and kept on later runs, so the
 * lecturer's page shows a real, working code.
 *
 * Expert sessions: three recorded talks linked to the demo products. There are no real video files
 * in the repository and the seed does not fake one, so they are drafts (inactive, no video): staff
 * see them with their product badges and "Video not uploaded yet", upload a video and publish; only
 * then do students of those products see them. A video uploaded by hand is kept on later runs.
 *
 * Every row is found again by its natural key (lecturer + title, title, session × user) and brought
 * back to the demo state, so running the seed twice changes nothing.
 */
const LECTURER = "persona-lecturer";

type DemoCodedSession = {
  title: string;
  description: string;
  status: "open" | "closed";
  /** Offset of the creation time from `now`, ms. */
  createdOffset: number;
  /** Length of the class from its creation, ms (sets `endsAt`); absent = open until closed. */
  lengthMs?: number;
  /** Persona subjects or extra-student indexes who joined, with minutes after creation. */
  participants: { student: string | number; minutesAfterStart: number }[];
};

const DEMO_CODED_SESSIONS: DemoCodedSession[] = [
  {
    title: "Live class: TypeScript generics",
    description: "Generic functions, constraints and utility types, with exercises. Join with the code on the screen.",
    status: "open",
    createdOffset: 0,
    participants: [
      { student: "persona-student-amira", minutesAfterStart: 2 },
      { student: "persona-student-ben", minutesAfterStart: 5 },
    ],
  },
  {
    title: "Live class: SQL joins in practice",
    description: "Inner, outer and self joins on a real schema.",
    status: "closed",
    createdOffset: -7 * DAY_MS,
    lengthMs: 90 * 60 * 1000,
    participants: [
      { student: "persona-student-amira", minutesAfterStart: 1 },
      { student: "persona-student-chloe", minutesAfterStart: 3 },
      { student: 0, minutesAfterStart: 4 },
      { student: 3, minutesAfterStart: 6 },
    ],
  },
];

const DEMO_EXPERT_SESSIONS = [
  {
    title: "Acing the behavioural interview",
    description: "How to structure STAR answers, which stories to prepare and what interviewers listen for.",
    products: ["Job Readiness Programme", "Interview Prep Library"],
  },
  {
    title: "System design interviews, step by step",
    description: "From requirements to a scalable design in 45 minutes, with a worked example.",
    products: ["Interview Prep Library"],
  },
  {
    title: "Negotiating your first developer salary",
    description: "Researching ranges, answering the salary question and comparing offers.",
    products: ["Job Readiness Programme", "1:1 Career Coaching"],
  },
];

async function seedCodedSessions(ctx: MutationCtx, catalog: SeededCatalog, now: number): Promise<void> {
  const lecturerId = catalog.usersBySubject[LECTURER];
  const existing = await ctx.db
    .query("codedSessions")
    .withIndex("by_lecturerId_and_createdAt", (q) => q.eq("lecturerId", lecturerId))
    .take(500);
  for (const demo of DEMO_CODED_SESSIONS) {
    const createdAt = now + demo.createdOffset;
    const fields = {
      title: demo.title,
      description: demo.description,
      lecturerId,
      status: demo.status,
      createdAt,
      ...(demo.lengthMs !== undefined ? { endsAt: createdAt + demo.lengthMs } : {}),
      ...(demo.status === "closed" ? { closedAt: createdAt + (demo.lengthMs ?? HOUR_MS) } : {}),
    };
    const match = existing.find((row) => row.title === demo.title);
    let sessionId: Id<"codedSessions">;
    if (match === undefined) {
      sessionId = await ctx.db.insert("codedSessions", { ...fields, code: await drawUniqueJoinCode(ctx) });
    } else {
      sessionId = match._id;
      // Keep the code unless re-opening would clash with another open session.
      const holder = demo.status === "open" ? await findOpenSessionByCode(ctx, match.code) : null;
      const code = holder !== null && holder._id !== match._id ? await drawUniqueJoinCode(ctx) : match.code;
      await ctx.db.replace("codedSessions", match._id, { ...fields, code });
    }
    for (const participant of demo.participants) {
      const userId =
        typeof participant.student === "number"
          ? catalog.extraStudentIds[participant.student]
          : catalog.usersBySubject[participant.student];
      const joinedAt = createdAt + participant.minutesAfterStart * 60 * 1000;
      const row = await participantRow(ctx, sessionId, userId);
      if (row === null) await ctx.db.insert("codedSessionParticipants", { sessionId, userId, joinedAt });
      else await ctx.db.patch("codedSessionParticipants", row._id, { joinedAt });
    }
  }
}

async function seedExpertSessions(ctx: MutationCtx, catalog: SeededCatalog, now: number): Promise<void> {
  const createdBy = catalog.usersBySubject["persona-admin"];
  const live = await ctx.db
    .query("expertSessions")
    .withIndex("by_deletedAt", (q) => q.eq("deletedAt", undefined))
    .take(500);
  for (const demo of DEMO_EXPERT_SESSIONS) {
    const match = live.find((row) => row.title === demo.title);
    let expertSessionId: Id<"expertSessions">;
    if (match === undefined) {
      expertSessionId = await ctx.db.insert("expertSessions", {
        title: demo.title,
        description: demo.description,
        active: false,
        createdBy,
        updatedAt: now,
      });
    } else {
      expertSessionId = match._id;
      // A video uploaded by hand (and the choice to publish it) survives a re-seed.
      await ctx.db.patch("expertSessions", match._id, {
        description: demo.description,
        active: match.videoStorageId !== undefined && match.active,
      });
    }
    const productIds = demo.products.map((title) => catalog.products[title]);
    const links = await ctx.db
      .query("expertSessionProducts")
      .withIndex("by_expertSessionId_and_productId", (q) => q.eq("expertSessionId", expertSessionId))
      .take(100);
    const { add, remove } = diffProductLinks(links, productIds);
    for (const linkId of remove) await ctx.db.delete("expertSessionProducts", linkId);
    for (const productId of add) await ctx.db.insert("expertSessionProducts", { expertSessionId, productId });
  }
}

/**
 * Seeds the demo coded and expert sessions on top of the catalog.
 * @param now epoch ms the demo times are relative to (start of the current day, UTC).
 */
export async function seedCodedAndExpertSessions(ctx: MutationCtx, catalog: SeededCatalog, now: number): Promise<void> {
  await seedCodedSessions(ctx, catalog, now);
  await seedExpertSessions(ctx, catalog, now);
}
