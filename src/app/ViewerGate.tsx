import { Button, Center, Group, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { api } from "../../convex/_generated/api";
import { SignOutButton } from "../auth/SignOutButton";
import { errorMessage } from "../lib/errors";
import { LoadingState } from "../lib/components/states";
import { ViewerContext } from "../lib/useViewer";

/**
 * Makes sure the signed-in person has a user record before anything else runs: calls
 * `api.users.store` once (creating or refreshing the record from the sign-in identity), waits for
 * `api.users.me`, then provides the user to every page through `ViewerContext` (read it with
 * `useViewer()`). Until then it shows a loading state; if storing fails it says why with a retry.
 */
export function ViewerGate({ children }: { children: ReactNode }) {
  const store = useMutation(api.users.store);
  const [attempt, setAttempt] = useState(0);
  const [stored, setStored] = useState(false);
  const [storeError, setStoreError] = useState<unknown>(null);
  const me = useQuery(api.users.me, stored ? {} : "skip");

  // One `store` call per attempt, also under StrictMode's double effect run (the ref survives it).
  const startedAttempt = useRef(-1);
  useEffect(() => {
    if (startedAttempt.current === attempt) return;
    startedAttempt.current = attempt;
    store()
      .then(() => setStored(true))
      .catch((error: unknown) => setStoreError(error));
  }, [store, attempt]);

  if (storeError !== null) {
    return (
      <Center mih="60dvh" p="md" component="main">
        <Stack align="center" gap="sm" maw={480}>
          <Title order={1} size="h3">
            We could not open your account
          </Title>
          <Text ta="center" role="alert">
            {errorMessage(storeError)}
          </Text>
          <Group>
            <Button
              onClick={() => {
                setStoreError(null);
                setAttempt((value) => value + 1);
              }}
            >
              Try again
            </Button>
            <SignOutButton />
          </Group>
        </Stack>
      </Center>
    );
  }
  if (!stored || me === undefined) return <LoadingState label="Opening your account…" />;
  if (me === null) {
    return (
      <Center mih="60dvh" p="md" component="main">
        <Stack align="center" gap="sm" maw={480}>
          <Title order={1} size="h3">
            Your account is not available
          </Title>
          <Text ta="center">It may have been deactivated. Sign out and sign in again, or contact support.</Text>
          <SignOutButton />
        </Stack>
      </Center>
    );
  }
  return <ViewerContext.Provider value={me}>{children}</ViewerContext.Provider>;
}
