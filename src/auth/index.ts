/**
 * Sign-in for the client, as main.tsx uses it: `AppProviders` wraps the app (Clerk or the local demo
 * sign-in) and `FullPageMessage` shows a start-up problem before it. Inside, the app shell reads the
 * controls from `./authControls` (`useAuthControls()` → { mode, signOut, signOutLabel } | null) and
 * shows `./SignOutButton` ("Sign out" with Clerk, "Switch persona" in the demo sign-in).
 * Nothing here imports the dev-only code statically.
 */
export { AppProviders } from "./AppProviders";
export { FullPageMessage } from "./FullPageMessage";
