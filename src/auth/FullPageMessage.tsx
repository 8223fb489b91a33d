import { Center, Container, Loader, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A centred, phone-friendly page for loading and "cannot continue" states outside the app shell. */
export function FullPageMessage({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Container size="sm" py="xl" component="main">
      <Stack gap="md">
        <Title order={1} size="h2">
          {title}
        </Title>
        {children}
      </Stack>
    </Container>
  );
}

/** Full-page spinner with an accessible label. */
export function FullPageLoader({ label = "Loading…" }: { label?: string }) {
  return (
    <Center mih="100dvh" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text c="dimmed">{label}</Text>
      </Stack>
    </Center>
  );
}
