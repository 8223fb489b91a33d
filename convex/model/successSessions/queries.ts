import { mergedStream, stream, type QueryStream } from "convex-helpers/server/stream";
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import schema from "../../schema";
import type { SuccessSessionStatus } from "../../tables/successSessions";
import { canViewSuccessSession, type Viewer } from "../access";
import { activeEnrollmentsOf } from "../catalog/lookups";
import { throwError } from "../errors";
import { MAX_DURATION_MS } from "./schedule";
import { describeSessions, type SuccessSessionView } from "./views";

/**
 * Reading success sessions for each role (SPEC §3). Students' lists are built from their own active
 * enrollments: one index range of `by_courseId_and_batchId_and_startsAt` per (course, batch) audience they
 * belong to, merged by start time and paginated, so the documents read depend on the student's
 * enrollments and the page size, never on how many sessions other courses have.
 */

/** Largest page any list returns. */
const MAX_PAGE_SIZE = 100;

/**
 * Most index rows one list call reads (matching or not) before it answers with what it found so
 * far: a short page with `isDone: false` whose `continueCursor` is where it stopped. So a very
 * selective filter costs several calls (the client keeps loading) instead of one unbounded read.
 */
const MAX_ROWS_READ_PER_CALL = 500;

/** `upcoming`: not yet ended (live ones included), soonest first. `past`: ended, latest first. */
type Timeframe = "upcoming" | "past";

/** What a student's or a mentor's session list asks for: the timeframe, a page, and `now` (epoch ms) that splits upcoming from past. */
export type SessionListRequest = { timeframe: Timeframe; paginationOpts: PaginationOptions; now: number };

const EMPTY_PAGE = { page: [], isDone: true, continueCursor: "[]" } satisfies PaginationResult<SuccessSessionView>;

/**
 * Reads one page of `sessions` for a reactive paginated query (`usePaginatedQuery`): `numItems` is
 * capped at {@link MAX_PAGE_SIZE} and the rows read at {@link MAX_ROWS_READ_PER_CALL} (or the
 * caller's lower `maximumRowsRead`). With `endCursor` (a page the client pinned when it loaded the
 * next one) the page covers exactly `(cursor, endCursor]`, however many items that is now, so pages
 * never leave gaps or repeat items when sessions are added or removed.
 *
 * Reaching the row limit on a page with no `endCursor` simply ends the page early (its
 * `continueCursor` is the last row read, so nothing is skipped). On a pinned page it answers
 * `pageStatus: "SplitRequired"` with a `splitCursor`, and the client splits that page in two.
 */
async function readPage<T extends NonNullable<unknown>>(
  sessions: QueryStream<T>,
  paginationOpts: PaginationOptions,
): Promise<PaginationResult<T>> {
  const endCursor = paginationOpts.endCursor ?? undefined;
  const result = await sessions.paginate({
    numItems: Math.max(1, Math.min(paginationOpts.numItems, MAX_PAGE_SIZE)),
    cursor: paginationOpts.cursor,
    ...(endCursor !== undefined ? { endCursor } : {}),
    maximumRowsRead: Math.max(1, Math.min(paginationOpts.maximumRowsRead ?? MAX_ROWS_READ_PER_CALL, MAX_ROWS_READ_PER_CALL)),
  });
  const page = { page: result.page, isDone: result.isDone, continueCursor: result.continueCursor };
  if (result.pageStatus === "SplitRequired" && endCursor === undefined) return page;
  return {
    ...page,
    ...(result.pageStatus ? { pageStatus: result.pageStatus } : {}),
    ...(result.splitCursor ? { splitCursor: result.splitCursor } : {}),
  };
}

/**
 * The (course, batch) audiences a student belongs to through active enrollments, each with the
 * earliest `enrolledAt` among the enrollments that put them there.
 */
export function audiencesOf(
  enrollments: readonly Doc<"enrollments">[],
): { courseId: Id<"courses">; batchId: Id<"batches"> | null; enrolledAt: number }[] {
  const byKey = new Map<string, { courseId: Id<"courses">; batchId: Id<"batches"> | null; enrolledAt: number }>();
  for (const enrollment of enrollments) {
    if (enrollment.status !== "active") continue;
    const key = `${enrollment.courseId}|${enrollment.batchId ?? ""}`;
    const existing = byKey.get(key);
    if (existing === undefined || enrollment.enrolledAt < existing.enrolledAt) {
      byKey.set(key, { courseId: enrollment.courseId, batchId: enrollment.batchId, enrolledAt: enrollment.enrolledAt });
    }
  }
  return [...byKey.values()];
}

/**
 * A page of the sessions a student may see. `upcoming` includes cancelled ones (shown as cancelled);
 * `past` covers sessions since the `enrolledAt` of the enrollment that makes each visible and leaves
 * cancelled ones out. Pages are keyed by (start, creation time, id), so a cursor stays valid when
 * the student's enrollments change; paging rules as in {@link readPage}. Any signed-in user (someone
 * without active enrollments gets an empty page). Read with `usePaginatedQuery` from
 * `convex-helpers/react`, which pins each loaded page's end (`endCursor`) so live updates leave no
 * gaps or repeats between pages.
 */
export async function listSessionsForStudent(
  ctx: QueryCtx,
  viewer: Viewer,
  { timeframe, paginationOpts, now }: SessionListRequest,
): Promise<PaginationResult<SuccessSessionView>> {
  const enrollments = await activeEnrollmentsOf(ctx, viewer._id);
  const audiences = audiencesOf(enrollments);
  if (audiences.length === 0) return EMPTY_PAGE;
  const streams = audiences.map((audience) => {
    const sessions = stream(ctx.db, schema).query("successSessions");
    return timeframe === "upcoming"
      ? sessions.withIndex("by_courseId_and_batchId_and_startsAt", (q) =>
          q.eq("courseId", audience.courseId).eq("batchId", audience.batchId).gt("startsAt", now - MAX_DURATION_MS),
        )
      : sessions
          .withIndex("by_courseId_and_batchId_and_startsAt", (q) =>
            q.eq("courseId", audience.courseId).eq("batchId", audience.batchId).gte("startsAt", audience.enrolledAt).lt("startsAt", now),
          )
          .order("desc");
  });
  const visible = mergedStream(streams, ["startsAt"]).filterWith(async (session) => {
    if (timeframe === "upcoming" ? session.endsAt <= now : session.endsAt > now || session.status === "cancelled") return false;
    return await canViewSuccessSession(ctx, viewer, session, enrollments);
  });
  const result = await readPage(visible, paginationOpts);
  return { ...result, page: await describeSessions(ctx, result.page, viewer._id) };
}

/**
 * A page of the sessions whose mentor is the viewer (`upcoming` includes cancelled ones, `past`
 * does not). One index range of `by_mentorId_and_startsAt`; paging rules as in {@link readPage}.
 * Mentors (`successSessions.host`).
 */
export async function listSessionsForMentor(
  ctx: QueryCtx,
  viewer: Viewer,
  { timeframe, paginationOpts, now }: SessionListRequest,
): Promise<PaginationResult<SuccessSessionView>> {
  const sessions = stream(ctx.db, schema).query("successSessions");
  const range =
    timeframe === "upcoming"
      ? sessions.withIndex("by_mentorId_and_startsAt", (q) => q.eq("mentorId", viewer._id).gt("startsAt", now - MAX_DURATION_MS))
      : sessions.withIndex("by_mentorId_and_startsAt", (q) => q.eq("mentorId", viewer._id).lt("startsAt", now)).order("desc");
  const visible = range.filterWith(async (session) => {
    if (timeframe === "upcoming" ? session.endsAt <= now : session.endsAt > now || session.status === "cancelled") return false;
    return await canViewSuccessSession(ctx, viewer, session);
  });
  const result = await readPage(visible, paginationOpts);
  return { ...result, page: await describeSessions(ctx, result.page) };
}

/** Filters of the staff list; every one optional. */
type StaffSessionFilters = {
  courseId?: Id<"courses">;
  /** A batch of `courseId`, or null for its unbatched students; needs `courseId`. */
  batchId?: Id<"batches"> | null;
  mentorId?: Id<"users">;
  /** Epoch ms; sessions starting at or after it (default: everything). */
  from?: number;
  /** Epoch ms; sessions starting before it. */
  to?: number;
  status?: SuccessSessionStatus;
};

/**
 * A page of all sessions for staff (`sessions.readAll`), by start time ascending, filtered by course,
 * batch (`batchId` null = unbatched students), mentor, start range (`from` inclusive, `to` exclusive,
 * epoch ms) and status. One index range is read: the
 * audience's (`by_courseId_and_batchId_and_startsAt`) when a batch or "unbatched" is picked, else the
 * course's sessions of the mentor (`by_courseId_and_mentorId_and_startsAt`) when both are picked, else the
 * mentor's (`by_mentorId_and_startsAt`), else the course's (`by_courseId_and_startsAt`), else the status's
 * (`by_status_and_startsAt`), else every start in `[from, to)` (`by_startsAt`). The filters that
 * range does not cover (course, mentor, status) are applied while reading, before the page is cut,
 * so a page is full whenever that many matches exist, unless {@link MAX_ROWS_READ_PER_CALL} rows
 * were read first: then the page is shorter, `isDone` is false and the next call continues there.
 * @throws ConvexError INVALID_ARGUMENT when `batchId` is given without `courseId`.
 */
export async function listSessionsForStaff(
  ctx: QueryCtx,
  viewer: Viewer,
  filters: StaffSessionFilters,
  paginationOpts: PaginationOptions,
): Promise<PaginationResult<SuccessSessionView>> {
  const { courseId, batchId, mentorId, status } = filters;
  if (batchId !== undefined && courseId === undefined) {
    throwError("INVALID_ARGUMENT", "Pick a course before picking a batch.", { field: "batchId" });
  }
  const from = filters.from ?? 0;
  const to = filters.to ?? Number.MAX_SAFE_INTEGER;
  const sessions = stream(ctx.db, schema).query("successSessions");
  const range =
    courseId !== undefined && batchId !== undefined
      ? sessions.withIndex("by_courseId_and_batchId_and_startsAt", (q) =>
          q.eq("courseId", courseId).eq("batchId", batchId).gte("startsAt", from).lt("startsAt", to),
        )
      : courseId !== undefined && mentorId !== undefined
        ? sessions.withIndex("by_courseId_and_mentorId_and_startsAt", (q) =>
            q.eq("courseId", courseId).eq("mentorId", mentorId).gte("startsAt", from).lt("startsAt", to),
          )
        : mentorId !== undefined
          ? sessions.withIndex("by_mentorId_and_startsAt", (q) => q.eq("mentorId", mentorId).gte("startsAt", from).lt("startsAt", to))
          : courseId !== undefined
            ? sessions.withIndex("by_courseId_and_startsAt", (q) => q.eq("courseId", courseId).gte("startsAt", from).lt("startsAt", to))
            : status !== undefined
              ? sessions.withIndex("by_status_and_startsAt", (q) => q.eq("status", status).gte("startsAt", from).lt("startsAt", to))
              : sessions.withIndex("by_startsAt", (q) => q.gte("startsAt", from).lt("startsAt", to));
  const matching = range.filterWith(async (session) => {
    if (courseId !== undefined && session.courseId !== courseId) return false;
    if (batchId !== undefined && session.batchId !== batchId) return false;
    if (mentorId !== undefined && session.mentorId !== mentorId) return false;
    if (status !== undefined && session.status !== status) return false;
    return await canViewSuccessSession(ctx, viewer, session);
  });
  const result = await readPage(matching, paginationOpts);
  return { ...result, page: await describeSessions(ctx, result.page) };
}

/**
 * One session as the viewer may see it (with course title, batch name, mentor name and, for
 * students, their own attendance), or null when it does not exist or they may not see it (the same
 * answer, so ids cannot be probed). Any signed-in user.
 */
export async function getSessionForViewer(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
): Promise<SuccessSessionView | null> {
  const session = await ctx.db.get("successSessions", sessionId);
  if (session === null || !(await canViewSuccessSession(ctx, viewer, session))) return null;
  const [view] = await describeSessions(ctx, [session], viewer._id);
  return view;
}
