import { createContext, useContext } from "react";

/** How the current user signed in: Clerk (production and Clerk-configured dev) or the local demo personas. */
export type AuthMode = "clerk" | "dev";

/** What the app shell needs from the sign-in layer; provided by {@link AppProviders} once signed in. */
export type AuthControls = {
  mode: AuthMode;
  /** Signs out (Clerk) or returns to the persona picker (dev). */
  signOut: () => void | Promise<void>;
  /** Label for the control that calls `signOut`: "Sign out" or "Switch persona". */
  signOutLabel: string;
};

/**
 * Context behind {@link useAuthControls}. Exported so tests of the app shell can provide a value
 * without a real sign-in.
 */
export const AuthControlsContext = createContext<AuthControls | null>(null);

/** The sign-in controls, or null outside {@link AppProviders} (for example in component tests). */
export function useAuthControls(): AuthControls | null {
  return useContext(AuthControlsContext);
}
