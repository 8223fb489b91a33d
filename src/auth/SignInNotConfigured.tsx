import { Code, Text } from "@mantine/core";
import { FullPageMessage } from "./FullPageMessage";

/** Shown by a production build that was made without `VITE_CLERK_PUBLISHABLE_KEY`. */
export function SignInNotConfigured() {
  return (
    <FullPageMessage title="Sign-in is not configured">
      <Text>
        This build has no sign-in provider. Set <Code>VITE_CLERK_PUBLISHABLE_KEY</Code> when building, and{" "}
        <Code>CLERK_JWT_ISSUER_DOMAIN</Code> on the Convex deployment, to sign in with Clerk.
      </Text>
    </FullPageMessage>
  );
}
