import type { FunctionReturnType } from "convex/server";
import { createContext, useContext, useMemo } from "react";
import { api } from "../../convex/_generated/api";
import { hasRole, userCan, userIsStaff, type Permission, type Role } from "./access";
import { resolveTimeZone } from "./time";

/**
 * The signed-in user as the client sees them. The app shell (`src/app/ViewerGate.tsx`) stores the
 * user (`api.users.store`), waits for `api.users.me` and provides it through {@link ViewerContext};
 * every page below it calls {@link useViewer} and always gets a loaded user.
 */

/** The `api.users.me` result for a signed-in, stored user (the server's `PublicUser`). */
export type CurrentUser = NonNullable<FunctionReturnType<typeof api.users.me>>;

/** The signed-in user plus the helpers pages need. */
export type Viewer = {
  user: CurrentUser;
  /** The zone to show times in: the profile's saved zone, else the browser's (IANA name). */
  timeZone: string;
  /** True when the user's roles grant `permission` (mirrors the server's `hasPermission`). */
  can: (permission: Permission) => boolean;
  /** True when the user holds `role`. */
  hasRole: (role: Role) => boolean;
  /** Admin, superadmin or enrollment manager. */
  isStaff: boolean;
};

/** Builds a {@link Viewer} from the `api.users.me` result. */
function toViewer(user: CurrentUser): Viewer {
  return {
    user,
    timeZone: resolveTimeZone(user.timeZone),
    can: (permission) => userCan(user, permission),
    hasRole: (role) => hasRole({ roles: [...user.roles] }, role),
    isStaff: userIsStaff(user),
  };
}

/** Provided by the app shell's ViewerGate; null outside it. */
export const ViewerContext = createContext<CurrentUser | null>(null);

/**
 * The signed-in user and role/permission helpers. Only inside the app shell (or a test rendered
 * with `renderWithBackend`, which uses the same gate).
 * @throws Error when used outside the shell (a programming error, not a user-facing state).
 */
export function useViewer(): Viewer {
  const user = useContext(ViewerContext);
  if (user === null) {
    throw new Error("useViewer() must be used inside the app shell (ViewerGate), after sign-in.");
  }
  return useMemo(() => toViewer(user), [user]);
}

/** The viewer's display time zone (IANA name); see {@link Viewer.timeZone}. */
export function useTimeZone(): string {
  const user = useContext(ViewerContext);
  return resolveTimeZone(user?.timeZone);
}
