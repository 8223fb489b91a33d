import type { UserIdentity } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { throwError } from "./errors";
import { STAFF_ROLES, type Role } from "./users/roles";

/**
 * The access module: the one place that decides who the caller is and what they may do (SPEC §1).
 * Every public query and mutation goes through the builders in `functions.ts`, which call
 * {@link requireViewer} and {@link requirePermission} from here; document-level rules (who may see a
 * given session) are also defined here so that every function applies the same rule.
 */

/** The signed-in, active user behind a request. */
export type Viewer = Doc<"users">;

/**
 * Named capabilities and the roles that hold them. `superadmin` holds every permission.
 * Features check a permission, never a role list of their own.
 */
export const PERMISSIONS = {
  /** Grant and revoke roles (superadmin only). */
  "roles.manage": ["superadmin"],
  /** List and look up users, set a user's Discord id by hand. */
  "users.read": ["enrollment_manager", "admin"],
  "users.manageDiscord": ["enrollment_manager", "admin"],
  /** Read the catalog as staff (all courses, batches, products, pathways). */
  "catalog.read": ["enrollment_manager", "admin"],
  /** Create and edit courses, batches, pathways and products. */
  "catalog.manage": ["admin"],
  /** Enroll students, change enrollments, grant and revoke product access. */
  "enrollments.manage": ["enrollment_manager", "admin"],
  /** Read every session of every kind (success, coded, expert, coaching). */
  "sessions.readAll": ["enrollment_manager", "admin"],
  /** Schedule, edit and cancel success sessions. */
  "successSessions.manage": ["admin"],
  /** Host success sessions assigned to them and mark attendance. */
  "successSessions.host": ["mentor"],
  /** Create coded (join-by-code) sessions. */
  "codedSessions.create": ["lecturer", "admin"],
  /** Join a coded session by code: any signed-in user with a role. */
  "codedSessions.join": ["student", "mentor", "coach", "lecturer", "enrollment_manager", "admin"],
  /** Create, edit and delete expert sessions; see their statistics. */
  "expertSessions.manage": ["admin"],
  /** Watch expert sessions of products the student has access to. */
  "expertSessions.watch": ["student"],
  /** Create coaching products, manage any coaching session. */
  "coaching.manage": ["admin"],
  /** Offer coaching: availability, own bookings. */
  "coaching.coach": ["coach"],
  /** Book coaching for oneself. */
  "coaching.book": ["student"],
  /** Cancel, start or complete any coaching session (staff; coaches do it for their own sessions). */
  "coachingSessions.manage": ["enrollment_manager", "admin"],
  /** Discord dashboard: provisioning, retries, cleanup, reconciliation. */
  "discord.manage": ["admin"],
  /** Email outbox page. */
  "notifications.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** True when `user` holds `role`. */
export function hasRole(user: Pick<Viewer, "roles">, role: Role): boolean {
  return user.roles.includes(role);
}

/** Staff = admin, superadmin, enrollment_manager (SPEC §1). */
export function isStaff(user: Pick<Viewer, "roles">): boolean {
  return user.roles.some((role) => STAFF_ROLES.includes(role));
}

/** True when one of `user`'s roles grants `permission` (superadmin holds all). */
export function hasPermission(user: Pick<Viewer, "roles">, permission: Permission): boolean {
  if (hasRole(user, "superadmin")) return true;
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return user.roles.some((role) => allowed.includes(role));
}

/**
 * Throws FORBIDDEN unless `user` holds `permission`.
 * @throws ConvexError FORBIDDEN
 */
export function requirePermission(user: Pick<Viewer, "roles">, permission: Permission): void {
  if (!hasPermission(user, permission)) {
    throwError("FORBIDDEN", "Your account does not have permission to do this.", { permission });
  }
}

/**
 * The caller's sign-in identity, whether or not a user record exists for it yet.
 * @throws ConvexError UNAUTHENTICATED when nobody is signed in.
 */
export async function requireIdentity(ctx: Pick<QueryCtx, "auth">): Promise<UserIdentity> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) throwError("UNAUTHENTICATED", "Please sign in to continue.");
  return identity;
}

/**
 * The user record of the caller, or null when nobody is signed in, the user has not been stored yet
 * (the client calls `users:store` right after sign-in) or the account was deactivated.
 */
export async function getViewer(ctx: QueryCtx): Promise<Viewer | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) return null;
  const user = await ctx.db
    .query("users")
    .withIndex("by_tokenIdentifier", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
  if (user === null || !user.active) return null;
  return user;
}

/**
 * The caller's user record.
 * @throws ConvexError UNAUTHENTICATED when nobody is signed in, the account is unknown or deactivated.
 */
export async function requireViewer(ctx: QueryCtx): Promise<Viewer> {
  const viewer = await getViewer(ctx);
  if (viewer === null) {
    throwError("UNAUTHENTICATED", "Please sign in to continue.");
  }
  return viewer;
}

/** True when `viewer` is the user `userId` (for "their own" rules). */
function isSelf(viewer: Viewer, userId: Id<"users">): boolean {
  return viewer._id === userId;
}

// ── Success sessions (SPEC §3) ──────────────────────────────────────────────────────────────────

/** The fields of a success session that decide who may see it. */
type SuccessSessionAudience = Pick<Doc<"successSessions">, "courseId" | "batchId" | "mentorId">;

/**
 * True when `studentId` belongs to the session's audience: they hold an **active** enrollment in the
 * session's course whose batch is the session's batch, or the session targets unbatched students
 * (batchId null) and the enrollment has no batch. Paused, completed and cancelled enrollments grant
 * nothing.
 *
 * @param activeEnrollments the student's active enrollments when the caller already loaded them (lists
 *   built from enrollments); otherwise they are read through `enrollments.by_studentId_and_courseId`.
 */
export async function isInSuccessSessionAudience(
  ctx: QueryCtx,
  studentId: Id<"users">,
  session: Pick<SuccessSessionAudience, "courseId" | "batchId">,
  activeEnrollments?: readonly Doc<"enrollments">[],
): Promise<boolean> {
  const enrollments =
    activeEnrollments ??
    (await ctx.db
      .query("enrollments")
      .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", studentId).eq("courseId", session.courseId))
      .take(20));
  return enrollments.some(
    (enrollment) =>
      enrollment.studentId === studentId &&
      enrollment.status === "active" &&
      enrollment.courseId === session.courseId &&
      enrollment.batchId === session.batchId,
  );
}

/**
 * The one visibility rule of success sessions (SPEC §3): staff see every session; a mentor sees the
 * sessions whose `mentorId` is them; a student sees a session when they are in its audience (see
 * {@link isInSuccessSessionAudience}); nobody else sees it. Meeting link, passcode and recording are
 * part of the session and follow this rule. Every query and mutation that returns or touches a
 * success session calls this; callers answer "not found" when it is false, exactly as for a
 * missing id.
 *
 * @param activeEnrollments the viewer's active enrollments when already loaded (saves the reads).
 */
export async function canViewSuccessSession(
  ctx: QueryCtx,
  viewer: Viewer,
  session: SuccessSessionAudience,
  activeEnrollments?: readonly Doc<"enrollments">[],
): Promise<boolean> {
  if (isStaff(viewer)) return true;
  if (session.mentorId === viewer._id) return true;
  return await isInSuccessSessionAudience(ctx, viewer._id, session, activeEnrollments);
}

/**
 * Who may see a session's attendee list and set or correct attendance: staff, and the session's own
 * mentor (SPEC §3). Call only after {@link canViewSuccessSession} returned true.
 */
export function canManageSuccessSessionAttendance(viewer: Viewer, session: SuccessSessionAudience): boolean {
  return isStaff(viewer) || session.mentorId === viewer._id;
}

/**
 * Coded sessions (SPEC §4). The creator manages their session (sees and regenerates the code,
 * closes it); admins and superadmins, who run every session kind, may too.
 */
export function canManageCodedSession(viewer: Viewer, session: Pick<Doc<"codedSessions">, "lecturerId">): boolean {
  return (
    isSelf(viewer, session.lecturerId) ||
    (hasPermission(viewer, "codedSessions.create") && hasPermission(viewer, "sessions.readAll"))
  );
}

/** Who sees a coded session's participant list (not its code): its managers and staff who read all sessions. */
export function canSeeCodedSessionParticipants(viewer: Viewer, session: Pick<Doc<"codedSessions">, "lecturerId">): boolean {
  return canManageCodedSession(viewer, session) || hasPermission(viewer, "sessions.readAll");
}

/**
 * Who sees a coded session's details: those who see its participants, and its participants
 * (`isParticipant`). Only {@link canManageCodedSession} also sees the code; others get "not found".
 */
export function canSeeCodedSession(
  viewer: Viewer,
  session: Pick<Doc<"codedSessions">, "lecturerId">,
  isParticipant: boolean,
): boolean {
  return isParticipant || canSeeCodedSessionParticipants(viewer, session);
}

/** Expert sessions (SPEC §5): staff who manage them or read all sessions see every one, with stats. */
export function canReadAllExpertSessions(viewer: Viewer): boolean {
  return hasPermission(viewer, "expertSessions.manage") || hasPermission(viewer, "sessions.readAll");
}

/** Published = active, not deleted and with an uploaded video; only published sessions reach students. */
export function isExpertSessionPublished(
  session: Pick<Doc<"expertSessions">, "active" | "deletedAt" | "videoStorageId">,
): boolean {
  return session.active && session.deletedAt === undefined && session.videoStorageId !== undefined;
}

/**
 * Whether `viewer` may watch an expert session (see it in their list, get its video URL, save
 * progress): it is published, they hold `expertSessions.watch`, and they hold active access to at
 * least one of its products. Callers answer "not found" when false.
 */
export async function canWatchExpertSession(ctx: QueryCtx, viewer: Viewer, session: Doc<"expertSessions">): Promise<boolean> {
  if (!isExpertSessionPublished(session) || !hasPermission(viewer, "expertSessions.watch")) return false;
  const links = await ctx.db
    .query("expertSessionProducts")
    .withIndex("by_expertSessionId_and_productId", (q) => q.eq("expertSessionId", session._id))
    .take(200);
  for (const link of links) {
    const access = await ctx.db
      .query("productAccess")
      .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", viewer._id).eq("productId", link.productId))
      .first();
    if (access !== null && access.status === "active") return true;
  }
  return false;
}

/**
 * Who may add or change a session's recording link: holders of `successSessions.manage` and the
 * session's own mentor. Call only after {@link canViewSuccessSession} returned true.
 */
export function canSetSuccessSessionRecording(viewer: Viewer, session: SuccessSessionAudience): boolean {
  return hasPermission(viewer, "successSessions.manage") || session.mentorId === viewer._id;
}

/**
 * Coaching sessions (SPEC §6). Who may see one: its student, its coach, and staff who read all
 * sessions or manage coaching / Discord. Callers answer "not found" when false.
 */
export function canViewCoachingSession(viewer: Viewer, session: Pick<Doc<"coachingSessions">, "studentId" | "coachId">): boolean {
  return (
    session.studentId === viewer._id ||
    session.coachId === viewer._id ||
    hasPermission(viewer, "sessions.readAll") ||
    hasPermission(viewer, "coaching.manage") ||
    hasPermission(viewer, "coachingSessions.manage") ||
    hasPermission(viewer, "discord.manage")
  );
}

/**
 * Who may cancel, start or complete a coaching session as its manager: the session's coach and
 * holders of `coachingSessions.manage` / `coaching.manage`. (A student may only cancel their own
 * future booking, see {@link canCancelCoachingSessionAsStudent}.)
 */
export function canManageCoachingSession(viewer: Viewer, session: Pick<Doc<"coachingSessions">, "coachId">): boolean {
  return (
    session.coachId === viewer._id ||
    hasPermission(viewer, "coachingSessions.manage") ||
    hasPermission(viewer, "coaching.manage")
  );
}

/** Who may read every coach's schedule and weekly availability: holders of `sessions.readAll` or `coaching.manage`. */
export function canReadAllCoachSchedules(viewer: Pick<Viewer, "roles">): boolean {
  return hasPermission(viewer, "sessions.readAll") || hasPermission(viewer, "coaching.manage");
}

/**
 * Who may read a coach's schedule (their coaching sessions, upcoming or past) and weekly
 * availability: the coach themself when they hold `coaching.coach` or `coaching.manage`; for another
 * coach, {@link canReadAllCoachSchedules}.
 */
function canReadCoachSchedule(viewer: Viewer, coachId: Id<"users">): boolean {
  return coachId === viewer._id
    ? hasPermission(viewer, "coaching.coach") || hasPermission(viewer, "coaching.manage")
    : canReadAllCoachSchedules(viewer);
}

/**
 * {@link canReadCoachSchedule} or throw.
 * @throws ConvexError FORBIDDEN.
 */
export function requireCoachScheduleAccess(viewer: Viewer, coachId: Id<"users">): void {
  if (!canReadCoachSchedule(viewer, coachId)) throwError("FORBIDDEN", "Only coaches and staff can see coaching schedules.");
}

/**
 * A student may cancel their own booking while it is SCHEDULED and the product's cancellation
 * window has not closed: `now` ≤ `deadline` (= start − window; both epoch ms) and before the start.
 */
export function canCancelCoachingSessionAsStudent(
  viewer: Viewer,
  session: Pick<Doc<"coachingSessions">, "studentId" | "status" | "startTime">,
  deadline: number,
  now: number,
): boolean {
  return session.studentId === viewer._id && session.status === "SCHEDULED" && session.startTime > now && now <= deadline;
}

/**
 * Who may move a SCHEDULED coaching session to another time: its student until `deadline` (the
 * product's cancellation window, epoch ms); its coach and staff who manage coaching sessions until
 * it starts.
 */
export function canRescheduleCoachingSession(
  viewer: Viewer,
  session: Pick<Doc<"coachingSessions">, "studentId" | "coachId" | "status" | "startTime">,
  deadline: number,
  now: number,
): boolean {
  if (session.status !== "SCHEDULED" || now >= session.startTime) return false;
  return canManageCoachingSession(viewer, session) || canCancelCoachingSessionAsStudent(viewer, session, deadline, now);
}

/** Who may mark that the student did not come: the coach and staff, once the session has started and while it is not finished. */
export function canMarkCoachingNoShow(
  viewer: Viewer,
  session: Pick<Doc<"coachingSessions">, "coachId" | "status" | "startTime">,
  now: number,
): boolean {
  return (
    canManageCoachingSession(viewer, session) &&
    (session.status === "SCHEDULED" || session.status === "IN_PROGRESS") &&
    now >= session.startTime
  );
}

/**
 * Who may edit a coach's date overrides (time off, extra hours) and scheduling settings (buffers,
 * daily limit): the coach themself with `coaching.coach`, and holders of `coaching.manage`.
 * Reading them follows {@link canReadCoachSchedule}.
 */
function canEditCoachSchedule(viewer: Viewer, coachId: Id<"users">): boolean {
  return (coachId === viewer._id && hasPermission(viewer, "coaching.coach")) || hasPermission(viewer, "coaching.manage");
}

/**
 * {@link canEditCoachSchedule} or throw.
 * @throws ConvexError FORBIDDEN.
 */
export function requireCoachScheduleEdit(viewer: Viewer, coachId: Id<"users">): void {
  if (!canEditCoachSchedule(viewer, coachId)) throwError("FORBIDDEN", "Only the coach or coaching admins can change a coach's schedule.");
}
