import { Badge, Button, createTheme, Modal, Notification } from "@mantine/core";

/** The Mantine theme of the app (main.tsx and the test renderer both use it). */
export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  components: {
    // Mantine's close buttons are an "×" icon without a name: screen readers would announce just
    // "button". Every dialog and notification gets a spoken name here.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close notification" } } }),
    // Mantine's badge clips its label with an ellipsis, and as a clipped grid item the label's
    // minimum width is zero: a table column or flex row squeezes statuses to "UPCO…". Badges here
    // keep their whole text and wrap onto a second line only when a single badge is wider than
    // its container (long product titles on a phone).
    // Mantine's button has a fixed height and clips its one-line label: on a phone "Use my
    // browser's zone (Asia/Kolkata)" lost its end. A label wider than the screen wraps and the
    // button grows instead; one-line buttons keep their size.
    Button: Button.extend({
      styles: {
        root: { height: "auto", minHeight: "var(--button-height)", maxWidth: "100%" },
        label: { whiteSpace: "normal", overflow: "visible", textAlign: "center", paddingBlock: "0.35em" },
      },
    }),
    Badge: Badge.extend({
      styles: {
        root: { overflow: "visible", height: "auto", minHeight: "var(--badge-height)", maxWidth: "100%", flexShrink: 0 },
        label: { overflow: "visible", whiteSpace: "normal", overflowWrap: "break-word" },
      },
    }),
  },
});
