import { useMantineTheme } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";

/**
 * True while the window is narrower than the theme's `sm` breakpoint (48em, 768 px: phones), where
 * tables show their rows as cards and long filter bars fold behind a button. Read synchronously on
 * the first render so a phone never flashes the desktop layout first. Where the browser cannot
 * answer (jsdom's `matchMedia` stub), the desktop layout is used.
 */
export function usePhoneLayout(): boolean {
  const theme = useMantineTheme();
  // Mantine's own `hiddenFrom="sm"` uses the same bound: up to, not including, the breakpoint.
  const below = `${parseFloat(theme.breakpoints.sm) - 0.00625}em`;
  return useMediaQuery(`(max-width: ${below})`, false, { getInitialValueInEffect: false });
}
