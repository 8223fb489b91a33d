import { ClerkProvider, SignIn, useAuth, useClerk } from "@clerk/react";
import { Button, Center, Text } from "@mantine/core";
import { useConvexAuth, type ConvexReactClient } from "convex/react";
import { ConvexProviderWithClerk } from "convex/react-clerk";
import { useMemo, type ReactNode } from "react";
import { AuthControlsContext, type AuthControls } from "../authControls";
import { FullPageLoader, FullPageMessage } from "../FullPageMessage";

/** Shows Clerk's sign-in until both Clerk and the Convex deployment accept the user, then the app. */
function ClerkGate({ children }: { children: ReactNode }) {
  const clerk = useClerk();
  const { isLoaded, isSignedIn } = useAuth();
  const { isLoading, isAuthenticated } = useConvexAuth();
  const controls = useMemo<AuthControls>(
    () => ({ mode: "clerk", signOut: () => clerk.signOut(), signOutLabel: "Sign out" }),
    [clerk],
  );

  if (!isLoaded) return <FullPageLoader label="Loading sign-in…" />;
  if (!isSignedIn) {
    return (
      <Center mih="100dvh" p="md" component="main">
        <SignIn routing="hash" />
      </Center>
    );
  }
  if (isLoading) return <FullPageLoader label="Signing in…" />;
  if (!isAuthenticated) {
    return (
      <FullPageMessage title="Signed in, but the server did not accept it">
        <Text>
          Clerk signed you in, but the Convex deployment rejected the token. Check that the deployment has
          CLERK_JWT_ISSUER_DOMAIN set to your Clerk Frontend API URL and that Clerk has a JWT template named
          &ldquo;convex&rdquo;.
        </Text>
        <Button variant="default" onClick={() => void clerk.signOut()} w="fit-content">
          Sign out
        </Button>
      </FullPageMessage>
    );
  }
  return <AuthControlsContext.Provider value={controls}>{children}</AuthControlsContext.Provider>;
}

/**
 * Clerk sign-in: `ClerkProvider` + `ConvexProviderWithClerk` (tokens from Clerk's "convex" JWT
 * template). Used whenever `VITE_CLERK_PUBLISHABLE_KEY` is set, in development and production.
 */
export function ClerkAuthProvider({
  publishableKey,
  client,
  children,
}: {
  publishableKey: string;
  client: ConvexReactClient;
  children: ReactNode;
}) {
  return (
    <ClerkProvider publishableKey={publishableKey} afterSignOutUrl="/">
      <ConvexProviderWithClerk client={client} useAuth={useAuth}>
        <ClerkGate>{children}</ClerkGate>
      </ConvexProviderWithClerk>
    </ClerkProvider>
  );
}
