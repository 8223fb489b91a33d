/**
 * Client-side mirror of the server's access rules. Everything here comes from
 * `convex/model/access.ts` (the one module that decides who may do what), so the navigation and the
 * buttons a user sees follow exactly the rule the server enforces. The server still checks every
 * call; hiding a link is only a convenience.
 */
import {
  canReadAllCoachSchedules as serverCanReadAllCoachSchedules,
  hasPermission,
  hasRole,
  isStaff,
  type Permission,
} from "../../convex/model/access";
import { ROLE_LABELS, ROLES, type Role } from "../../convex/model/roles";

export { hasRole, ROLE_LABELS, ROLES };
export type { Permission, Role };

/** Anything that carries a role list: the `api.users.me` result, a `PublicUser`, a test fixture. */
export type WithRoles = { roles: readonly Role[] };

/** Adapts a readonly role list to the server helpers' `Pick<Doc<"users">, "roles">` parameter. */
function asRoleHolder(user: WithRoles): { roles: Role[] } {
  return { roles: [...user.roles] };
}

/**
 * A visibility rule for {@link AppRoute.visible}: true when the viewer holds `permission`
 * (superadmins hold every permission). Mirrors `hasPermission` on the server.
 * @example visible: can("catalog.manage")
 */
export function can(permission: Permission): (user: WithRoles) => boolean {
  return (user) => hasPermission(asRoleHolder(user), permission);
}

/**
 * A visibility rule: true when the viewer holds at least one of `roles`.
 * Prefer {@link can} with a permission; use this only for areas tied to a role itself
 * (for example "Learn" for students).
 */
export function hasAnyRole(...roles: Role[]): (user: WithRoles) => boolean {
  return (user) => user.roles.some((role) => roles.includes(role));
}

/** A visibility rule: staff who may read every coach's schedule and hours (server: `canReadAllCoachSchedules`). */
export function canReadAllCoachSchedules(user: WithRoles): boolean {
  return serverCanReadAllCoachSchedules(asRoleHolder(user));
}

/** A visibility rule: every signed-in user (profile, home). */
export function anySignedInUser(): boolean {
  return true;
}

/** True when `user` holds `permission` (convenience for components: `userCan(viewer, "roles.manage")`). */
export function userCan(user: WithRoles, permission: Permission): boolean {
  return hasPermission(asRoleHolder(user), permission);
}

/** True when `user` is staff (admin, superadmin, enrollment manager). */
export function userIsStaff(user: WithRoles): boolean {
  return isStaff(asRoleHolder(user));
}

/** The human label of each role, in SPEC order, for selects and badges. */
export const ROLE_OPTIONS: { value: Role; label: string }[] = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
