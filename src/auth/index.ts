/**
 * Sign-in for the client. The app shell uses:
 * - `AppProviders` (wraps the app; main.tsx does this),
 * - `useAuthMode()` → "clerk" | "dev" (null outside AppProviders),
 * - `useAuthControls()` → { mode, signOut, signOutLabel } | null,
 * - `SignOutButton` (Mantine Button: "Sign out" with Clerk, "Switch persona" in the demo sign-in),
 * - `AuthControlsContext` to provide controls in component tests.
 * Nothing here imports the dev-only code statically.
 */
export { AppProviders } from "./AppProviders";
export { AuthControlsContext, useAuthControls, useAuthMode, type AuthControls, type AuthMode } from "./authControls";
export { FullPageLoader, FullPageMessage } from "./FullPageMessage";
export { SignOutButton, type SignOutButtonProps } from "./SignOutButton";
