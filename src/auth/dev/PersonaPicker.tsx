import { Alert, Badge, Button, Code, Container, Group, Loader, Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { useEffect, useState } from "react";
import { ROLE_LABELS } from "../../../convex/model/users/roles";
import { fetchPersonas, type PersonasResponse, type PersonaSummary } from "./devAuthApi";

type LoadState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "loaded"; response: PersonasResponse };

/**
 * The dev sign-in screen: lists the seeded personas (from the dev server) and signs in as the one
 * picked. One column on phones, two from the `sm` breakpoint; each persona is a real button whose
 * accessible name is "Sign in as <name>, <roles>".
 * @param origin base URL of the dev server; empty (the default) for the page's own origin
 */
export function PersonaPicker({ onPick, origin = "" }: { onPick: (persona: PersonaSummary) => void; origin?: string }) {
  const [state, setState] = useState<LoadState>({ status: "loading" });

  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    fetchPersonas(origin).then(
      (response) => {
        if (!cancelled) setState({ status: "loaded", response });
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, origin]);

  const retry = () => {
    setState({ status: "loading" });
    setAttempt((count) => count + 1);
  };

  return (
    <Container size="md" py="xl" px="md" component="main">
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1} size="h2">
            Sign in as a demo persona
          </Title>
          <Text c="dimmed">
            This local copy runs without accounts. Pick who you want to be; you can switch at any time from
            the bar at the bottom of the screen.
          </Text>
        </Stack>

        {state.status === "loading" && (
          <Group role="status" gap="xs">
            <Loader size="sm" aria-hidden />
            <Text>Loading personas…</Text>
          </Group>
        )}

        {state.status === "error" && (
          <Alert color="red" title="Could not load the demo personas" role="alert">
            <Stack gap="xs">
              <Text size="sm">
                {state.message}. The persona list is served by the Vite dev server started with <Code>npm run dev</Code>.
              </Text>
              <Button size="xs" variant="white" color="red" w="fit-content" onClick={retry}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )}

        {state.status === "loaded" && !state.response.signingKeyConfigured && (
          <Alert color="orange" title="Local sign-in is not set up yet" role="alert">
            <Text size="sm">
              DEV_AUTH_PRIVATE_KEY is missing from <Code>.env.local</Code>. Stop the dev server and start it with{" "}
              <Code>npm run dev</Code>, which creates the key and installs it on the local Convex deployment.
            </Text>
          </Alert>
        )}

        {state.status === "loaded" && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {state.response.personas.map((persona) => {
              const roleNames = persona.roles.map((role) => ROLE_LABELS[role] ?? role);
              return (
                <li key={persona.subject}>
                  <UnstyledButton
                    onClick={() => onPick(persona)}
                    aria-label={`Sign in as ${persona.name}, ${roleNames.join(", ")}`}
                    aria-describedby={`persona-${persona.subject}-description`}
                    w="100%"
                    h="100%"
                  >
                    <Paper withBorder p="md" radius="md" h="100%">
                      <Stack gap={6}>
                        <Group justify="space-between" gap="xs">
                          <Text fw={600}>{persona.name}</Text>
                          <Group gap={4}>
                            {roleNames.map((roleName) => (
                              <Badge key={roleName} variant="light" size="sm">
                                {roleName}
                              </Badge>
                            ))}
                          </Group>
                        </Group>
                        <Text size="sm" id={`persona-${persona.subject}-description`}>
                          {persona.description}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {persona.email}
                        </Text>
                      </Stack>
                    </Paper>
                  </UnstyledButton>
                </li>
              );
            })}
          </SimpleGrid>
        )}
      </Stack>
    </Container>
  );
}
