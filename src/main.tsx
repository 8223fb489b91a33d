import "@mantine/core/styles.css";
import "@mantine/dates/styles.css";
import "@mantine/notifications/styles.css";
import { Code, MantineProvider, Text } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { ConvexReactClient } from "convex/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { cssVariablesResolver, theme } from "./app/theme";
import { AppProviders, FullPageMessage } from "./auth";

const convexUrl = import.meta.env.VITE_CONVEX_URL as string | undefined;
const convexClient = convexUrl ? new ConvexReactClient(convexUrl) : null;

/** Shown when the build or dev server has no Convex deployment URL. */
function MissingConvexUrl() {
  return (
    <FullPageMessage title="No Convex deployment configured">
      <Text>
        <Code>VITE_CONVEX_URL</Code> is not set. For local development run <Code>npm run dev</Code>, which creates a
        local Convex deployment and writes the URL to <Code>.env.local</Code>. For a production build, set{" "}
        <Code>VITE_CONVEX_URL</Code> to your deployment&apos;s URL when running <Code>npm run build</Code>.
      </Text>
    </FullPageMessage>
  );
}

const rootElement = document.getElementById("root");
if (rootElement === null) throw new Error("index.html has no #root element");

createRoot(rootElement).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications />
      {convexClient !== null ? (
        <AppProviders client={convexClient}>
          <App />
        </AppProviders>
      ) : (
        <MissingConvexUrl />
      )}
    </MantineProvider>
  </StrictMode>,
);
