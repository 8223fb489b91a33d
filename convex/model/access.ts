import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { throwError } from "./errors";
import { STAFF_ROLES, type Role } from "./roles";

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
export function isSelf(viewer: Viewer, userId: Id<"users">): boolean {
  return viewer._id === userId;
}
