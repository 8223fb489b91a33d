import type { ConvexReactClient } from "convex/react";
import { lazy, Suspense, type ReactNode } from "react";
import { ClerkAuthProvider } from "./clerk/ClerkAuthProvider";
import { FullPageLoader } from "./FullPageMessage";
import { SignInNotConfigured } from "./SignInNotConfigured";

const clerkPublishableKey = import.meta.env.VITE_CLERK_PUBLISHABLE_KEY as string | undefined;

/**
 * The local demo sign-in, only in development builds. `import.meta.env.DEV` is the literal `false`
 * in `vite build`, so this branch and its dynamic import are removed from production bundles
 * (`scripts/checkProductionBuild.mjs` verifies it).
 */
const DevAuthProvider = import.meta.env.DEV ? lazy(() => import("./dev/DevAuthProvider")) : null;

/**
 * Sign-in and the authenticated Convex client around the whole app. Renders `children` only once a
 * user is signed in and the Convex deployment accepted their token; until then it shows the
 * provider's sign-in screen.
 *
 * - `VITE_CLERK_PUBLISHABLE_KEY` set → Clerk (`ClerkProvider` + `ConvexProviderWithClerk`); no personas.
 * - otherwise, in development (`npm run dev`) → the local demo persona picker, with a banner.
 * - otherwise (a production build without Clerk) → a "sign-in is not configured" screen.
 *
 * Inside, {@link useAuthControls} / {@link SignOutButton} work in both modes.
 */
export function AppProviders({ client, children }: { client: ConvexReactClient; children: ReactNode }) {
  if (clerkPublishableKey) {
    return (
      <ClerkAuthProvider publishableKey={clerkPublishableKey} client={client}>
        {children}
      </ClerkAuthProvider>
    );
  }
  if (DevAuthProvider !== null) {
    return (
      <Suspense fallback={<FullPageLoader />}>
        <DevAuthProvider client={client}>{children}</DevAuthProvider>
      </Suspense>
    );
  }
  return <SignInNotConfigured />;
}
