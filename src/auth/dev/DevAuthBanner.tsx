import { Box, Button, Group, Paper, Text } from "@mantine/core";
import { useElementSize } from "@mantine/hooks";

/** Visible text of the banner; `scripts/checkProductionBuild.mjs` fails a build that contains it. */
const DEV_AUTH_BANNER_TEXT = "Local demo sign-in — not for production";

/**
 * A bar fixed to the bottom of the screen for as long as the demo sign-in is active, naming the
 * persona and offering to switch. A spacer of the same height keeps page content reachable.
 */
export function DevAuthBanner({ personaName, onSwitch }: { personaName: string | null; onSwitch: (() => void) | null }) {
  const { ref, height } = useElementSize();
  return (
    <>
      <Box h={height + 16} aria-hidden />
      <Paper
        ref={ref}
        component="aside"
        aria-label="Demo sign-in"
        radius={0}
        px="md"
        py={6}
        bg="yellow.3"
        c="dark.9"
        style={{ position: "fixed", left: 0, right: 0, bottom: 0, zIndex: 1000, borderTop: "2px solid var(--mantine-color-yellow-7)" }}
      >
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text size="sm" fw={700}>
            {DEV_AUTH_BANNER_TEXT}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {personaName !== null && (
              <Text size="sm">
                Signed in as <strong>{personaName}</strong>
              </Text>
            )}
            {onSwitch !== null && (
              <Button size="compact-sm" variant="white" color="dark" onClick={onSwitch}>
                Switch persona
              </Button>
            )}
          </Group>
        </Group>
      </Paper>
    </>
  );
}
