import { Anchor, Badge, Button, createTheme, Modal, Notification, type CSSVariablesResolver } from "@mantine/core";
import classes from "./theme.module.css";

/** The Mantine theme of the app (main.tsx and the test renderer both use it). */
export const theme = createTheme({
  primaryColor: "indigo",
  // Indigo 6 on white (and white on indigo 6) is 4:1, under WCAG AA's 4.5:1 for text: links,
  // filled buttons and primary text use shade 8 in light mode.
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  components: {
    // Mantine's close buttons are an "×" icon without a name: screen readers would announce just
    // "button". Every dialog and notification gets a spoken name here.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close notification" } } }),
    // Mantine's button has a fixed height and clips its one-line label: on a phone "Use my
    // browser's zone (Asia/Kolkata)" lost its end. A label wider than the screen wraps and the
    // button grows instead; one-line buttons keep their size.
    Button: Button.extend({
      styles: {
        root: { height: "auto", minHeight: "var(--button-height)", maxWidth: "100%" },
        label: { whiteSpace: "normal", overflow: "visible", textAlign: "center", lineHeight: 1.25, paddingBlock: "0.3em" },
      },
    }),
    // Links inside text must not be told apart by colour alone (WCAG 1.4.1): always underlined.
    Anchor: Anchor.extend({ defaultProps: { underline: "always" } }),
    // Badges keep their whole text (theme.module.css says why).
    Badge: Badge.extend({ classNames: { root: classes.badgeRoot, label: classes.badgeLabel } }),
  },
});

/**
 * CSS variables on top of Mantine's, for WCAG AA contrast (4.5:1) in light mode; passed to every
 * MantineProvider with the theme:
 * - "dimmed" text (secondary lines, navigation group labels) is Mantine's gray 6, 3.3:1 on white;
 *   gray 7 is about 8:1;
 * - text of "light" badges, alerts and notices is shade 6 of its colour on a tint of it (about 3:1
 *   for green, orange, yellow); shade 9 darkened by a third clears 4.5:1 for every colour (darkened
 *   by a quarter, yellow on its tint stays at 4.47:1). Text in a colour (`<Text c="teal">`, Mantine's
 *   `--mantine-color-<name>-text`) is the filled shade 8, 3.3:1 for green and 3.9:1 for teal on
 *   white, and gets the same darker shade;
 * - the placeholder of select and file inputs (a real element, unlike an input's `::placeholder`) is
 *   gray 5, 2:1; it gets gray 7 like "dimmed" text.
 */
export const cssVariablesResolver: CSSVariablesResolver = (mantineTheme) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": mantineTheme.colors.gray[7],
    "--mantine-color-placeholder": mantineTheme.colors.gray[7],
    ...Object.fromEntries(
      Object.keys(mantineTheme.colors).flatMap((name) => {
        const readable = `color-mix(in srgb, var(--mantine-color-${name}-9) 67%, black)`;
        return [
          [`--mantine-color-${name}-light-color`, readable],
          [`--mantine-color-${name}-text`, readable],
        ];
      }),
    ),
  },
  dark: {},
});
