import { createTheme } from "@mantine/core";

/** The Mantine theme of the app (main.tsx and the test renderer both use it). */
export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
});
