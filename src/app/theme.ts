import { createTheme, Modal, Notification } from "@mantine/core";

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
  },
});
